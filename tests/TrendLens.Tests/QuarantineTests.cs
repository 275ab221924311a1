using System.Text;

namespace TrendLens.Tests;

/// <summary>Every payload that fails to normalize is kept whole in quarantine, with a reason, and adds no list rows.</summary>
public class QuarantineTests
{
    private static string Line(string id, string upvotes = "1") =>
        $$"""{"date":"2025-02-20","id":"{{id}}","title":"Paper {{id}}","summary":"About {{id}}.","upvotes":{{upvotes}},"authors":["A B"]}""";

    /// <summary>Imports one bad file and checks the outcome every bad payload must have.</summary>
    private static CliResult ImportBad(TempDir tmp, string file, params string[] expectedInError)
    {
        var bytes = File.ReadAllBytes(file);
        var result = Run.Cli(tmp.Db, "import", file);

        Assert.Equal(1, result.Code);
        var errorLines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(errorLines);
        Assert.StartsWith($"trendlens: {file}: ", line);
        Assert.EndsWith("(payload kept in quarantine)", line);
        foreach (var expected in expectedInError) Assert.Contains(expected, line);

        Assert.Equal(0, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(0, Run.Scalar<int>(tmp.Db, "select count(*)::int from list_entries"));
        var content = Run.Blobs(tmp.Db, "select p.content from quarantine q join payload_content p on p.payload_id = q.payload_id").Single();
        var error = Run.Scalar<string>(tmp.Db, "select error from quarantine");
        Assert.Equal(bytes.Length, content.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(content), "the quarantined payload must be the file's bytes, verbatim");
        Assert.Contains(error, line);
        Assert.Contains(",quarantined,0,", Run.Cli(tmp.Db, "snapshots", "--format", "csv").Out);
        return result;
    }

    [Theory]
    [InlineData("title", "\"title\":\"Paper \\ud800x\"")]
    [InlineData("authors[0]", "\"authors\":[\"A \\udfff\"]")]
    public void Import_AHalfPairEscapedAlone_IsQuarantinedWithItsField(string field, string part)
    {
        using var tmp = new TempDir();
        var line = Line("2502.09001").Replace(field == "title" ? "\"title\":\"Paper 2502.09001\"" : "\"authors\":[\"A B\"]", part);
        var file = tmp.File("2025-02-20.jsonl", line + "\n");

        ImportBad(tmp, file, $"line 1, field '{field}': a string with half of a UTF-16 pair escaped alone");
    }

    [Fact]
    public void Import_TruncatedJson_IsQuarantinedWithLineAndByte()
    {
        using var tmp = new TempDir();
        var full = File.ReadAllText(Fixture.Path("hf-json/2025-02-13.json"));
        var file = tmp.File("2025-02-13.json", full[..(full.Length / 2)]);

        ImportBad(tmp, file, "malformed JSON", "line ", ", byte ");
    }

    [Fact]
    public void Import_ProseWithNewlinesAndEscapes_IsOneLineOfError()
    {
        using var tmp = new TempDir();
        // The parser's message quotes the input: its newline is a space, a terminal escape U+FFFD.
        var file = tmp.File("2025-02-13.json", "this is not json\n");
        var ansi = tmp.File("2025-02-14.jsonl", "\u001b[31mtrue\u001b[0m\n");

        ImportBad(tmp, file, "malformed JSON", "this is not json '");
        using var other = new TempDir();
        var result = Run.Cli(other.Db, "import", ansi);
        Assert.Equal(1, result.Code);
        Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\u001b', result.Err);
    }

    [Fact]
    public void Import_HtmlErrorPageSavedAsJson_IsQuarantinedAsHtml()
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-02-13.json", "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>Bad gateway</body></html>\n");

        ImportBad(tmp, file, "line 1, byte 1", "HTML");
    }

    [Fact]
    public void Import_WrongTypeInAField_NamesLineAndField()
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-02-20.jsonl", Line("2502.00001") + "\n" + Line("2502.00002", "\"many\"") + "\n" + Line("2502.00003") + "\n");

        ImportBad(tmp, file, "line 2, field 'upvotes': expected an integer, found string \"many\"");
    }

    [Fact]
    public void Import_WrongTypeInNestedApiField_NamesJsonPathAndField()
    {
        using var tmp = new TempDir();
        var text = File.ReadAllText(Fixture.Path("hf-json/2025-02-13.json")).Replace("\"upvotes\": 12", "\"upvotes\": [12]");
        var file = tmp.File("2025-02-13.json", text);

        ImportBad(tmp, file, "$[1], field 'paper.upvotes': expected an integer, found an array");
    }

    [Fact]
    public void Import_MissingTitle_NamesTheField()
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-02-20.jsonl", """{"id":"2502.00001","summary":"x"}""" + "\n");

        ImportBad(tmp, file, "line 1, field 'title': missing");
    }

    [Fact]
    public void Import_EmptyFile_IsQuarantined()
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-02-20.json", "");

        ImportBad(tmp, file, "the file is empty");
    }

    [Fact]
    public void Import_InvalidUtf8_IsQuarantinedWithLineAndOffset()
    {
        using var tmp = new TempDir();
        var good = Encoding.UTF8.GetBytes(Line("2502.00001") + "\n");
        var bad = Encoding.UTF8.GetBytes(Line("2502.00002") + "\n");
        bad[20] = 0xFF;
        var file = tmp.File("2025-02-20.jsonl", [.. good, .. bad]);

        ImportBad(tmp, file, "line 2, byte 21: invalid UTF-8 (byte 0xFF at offset " + (good.Length + 20) + ")");
    }

    [Fact]
    public void Import_FiftyMegabytesOfRandomBytes_IsQuarantinedWhole()
    {
        using var tmp = new TempDir();
        var bytes = new byte[50 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        var file = tmp.File("2025-02-20.json", bytes);

        ImportBad(tmp, file, "invalid UTF-8");
    }

    [Fact]
    public void Import_TextWithDanglingTitle_NamesTheLine()
    {
        using var tmp = new TempDir();
        var file = tmp.File("page.txt", "Subscribe\n\nMar 11\n\nTitle One\n\nAbstract one.\n\nTitle Two\n");

        ImportBad(tmp, file, "line 9, field 'abstract'", "Title Two");
    }

    [Fact]
    public void Import_MultiDayJsonlFailingLate_StoresNoDayOfIt()
    {
        using var tmp = new TempDir();
        var other = Line("2502.00009").Replace("2025-02-20", "2025-02-21");
        var file = tmp.File("week.jsonl", Line("2502.00001") + "\n" + other + "\n" + other.Replace("\"upvotes\":1", "\"upvotes\":1.5") + "\n");

        ImportBad(tmp, file, "line 3, field 'upvotes'");
    }

    [Fact]
    public void Import_BadFileInBatch_RestStillImports()
    {
        using var tmp = new TempDir();
        var bad = tmp.File("2025-02-09.json", "[{\"paper\": ");

        var result = Run.Cli(tmp.Db, "import", bad, Fixture.Path("hf-jsonl"));

        Assert.Equal(1, result.Code);
        Assert.Equal(3, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(1, Run.Scalar<int>(tmp.Db, "select count(*)::int from quarantine"));
        Assert.Contains("1 quarantined", result.Out);
    }

    [Fact]
    public void Import_SameBadFileTwice_QuarantinesItOnce()
    {
        using var tmp = new TempDir();
        var bad = tmp.File("2025-02-09.json", "not json at all");
        Run.Cli(tmp.Db, "import", bad);

        var again = Run.Cli(tmp.Db, "import", bad);

        Assert.Equal(1, again.Code);
        Assert.Equal(1, Run.Scalar<int>(tmp.Db, "select count(*)::int from quarantine"));
        Assert.Equal(1, Run.Scalar<int>(tmp.Db, "select count(*)::int from payloads"));
    }
}
