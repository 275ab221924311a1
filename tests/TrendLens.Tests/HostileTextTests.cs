using TrendLens.Cli;

namespace TrendLens.Tests;

/// <summary>
/// Text from the lists reaches terminals and spreadsheets: it must arrive there as text, never as
/// a formula or an escape sequence; and the command line refuses what it cannot do with a clear line.
/// </summary>
public class HostileTextTests
{
    private const string Esc = "\u001b";

    private static string HostileList(TempDir tmp) => tmp.File("hostile/2025-02-14.jsonl", string.Join("\n", new[]
    {
        Line(1, "2502.07001", "=HYPERLINK(\"http://example.invalid\",\"click\")"),
        Line(2, "2502.07002", "+cmd|' /C calc'!A0"),
        Line(3, "2502.07003", "@SUM(1+1)"),
        Line(4, "2502.07004", "-2+3 and more"),
        Line(5, "2502.07005", $"Red {Esc}[31mALERT{Esc}]0;owned\u0007 title"),
    }) + "\n");

    private static string Line(int rank, string id, string title) =>
        System.Text.Json.JsonSerializer.Serialize(new { date = "2025-02-14", rank, id, title, summary = "An abstract.", authors = Array.Empty<string>() });

    [Fact]
    public void Attack_Csv_TextCellsThatASpreadsheetWouldRun_AreText_NumbersAreNot()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", HostileList(tmp)).Code);

        var csv = Run.Cli(tmp.Db, "query", "papers", "--from", "2025-02-14", "--to", "2025-02-14", "--format", "csv").Out;

        Assert.Contains("2025-02-14,1,2502.07001,\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"click\"\")\"", csv);
        Assert.Contains(",2502.07002,'+cmd|' /C calc'!A0", csv);
        Assert.Contains(",2502.07003,'@SUM(1+1)", csv);
        Assert.Contains(",2502.07004,'-2+3 and more", csv);
        Assert.DoesNotContain("'2025", csv);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("csv")]
    public void Attack_TerminalEscapes_NeverReachTheTerminal(string format)
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", HostileList(tmp)).Code);

        var output = Run.Cli(tmp.Db, "query", "papers", "--from", "2025-02-14", "--to", "2025-02-14", "--format", format).Out;

        Assert.DoesNotContain(Esc, output);
        Assert.DoesNotContain("\u0007", output);
        Assert.Contains("Red \uFFFD[31mALERT\uFFFD]0;owned\uFFFD title", output);
    }

    [Fact]
    public void Json_KeepsTheTitleExactly()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", HostileList(tmp)).Code);

        var json = Run.Cli(tmp.Db, "query", "papers", "--from", "2025-02-14", "--to", "2025-02-14", "--format", "json").Out;

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Contains(doc.RootElement.EnumerateArray(), e => e.GetProperty("title").GetString() == $"Red {Esc}[31mALERT{Esc}]0;owned\u0007 title");
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\t \n")]
    public void Attack_AdminToken_OfWhiteSpaceOnly_IsASettingsError(string token)
    {
        var error = Assert.Throws<SettingsException>(() => new TrendLensSettings { AdminToken = token }.Validate());
        Assert.Contains("AdminToken", error.Message);
    }
}

/// <summary>Hostile command-line arguments against the fixture lists, imported once for the class.</summary>
public class HostileArgumentTests(ImportedFixture imported) : IClassFixture<ImportedFixture>
{
    [Theory]
    [InlineData("--from", "0001-01-01")]
    [InlineData("--to", "9999-12-31")]
    public void Attack_DatesOffTheCalendar_AreAUsageError(string option, string date)
    {
        var result = Run.Cli(imported.Db, "query", "emerging", option, date);

        Assert.Equal(2, result.Code);
        Assert.Contains("dates run from 1900-01-01 to 2999-12-31", result.Err);
    }

    [Theory]
    [InlineData("query", "models")]
    [InlineData("retag")]
    [InlineData("serve")]
    public void DashboardsFolderThatIsNotThere_IsAUsageError_NotTheDefaultLexiconsInstead(params string[] command)
    {
        var result = Run.Cli(imported.Db, ["--dashboards", "/nonexistent/dashboards", .. command]);

        Assert.Equal(2, result.Code);
        Assert.Equal("", result.Out);
        Assert.Contains("--dashboards names no folder", result.Err);
    }

    [Theory]
    [InlineData("--top", "abc", "query", "models")]
    [InlineData("--top", "1.5", "query", "terms")]
    [InlineData("--top", "x", "query", "lift")]
    [InlineData("--baseline-days", "abc", "query", "emerging")]
    [InlineData("--min-score", "high", "query", "emerging")]
    [InlineData("--gamma", "x", "query", "bursts")]
    [InlineData("--width", "x", "chart", "overview/families")]
    [InlineData("--scale", "x", "export", "overview")]
    [InlineData("--days", "x", "generate")]
    public void Attack_ANumberOptionGivenAWord_IsAUsageErrorNotACrash(string option, string value, params string[] command)
    {
        using var tmp = new TempDir();

        string[] output = command[0] is "query" ? [] : ["--out", System.IO.Path.Combine(tmp.Path, "out.png")];

        var result = Run.Cli(imported.Db, [.. command, option, value, .. output]);

        Assert.Equal(2, result.Code);
        Assert.Contains($"Cannot parse argument '{value}' for option '{option}' as a", result.Err);
        Assert.DoesNotContain("System.", result.Err);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Theory]
    [InlineData("Did you mean 'emerging'?", "trendlens query --help", "query", "emergin")]
    [InlineData("Did you mean 'query'?", "trendlens --help", "qurey", "models")]
    [InlineData("Unrecognized command or argument 'help'. Did you mean '--help'?", "trendlens --help", "help")]
    [InlineData("Did you mean '--format'?", "trendlens query emerging --help", "query", "emerging", "--form", "csv")]
    [InlineData("Did you mean '--grain'?", "trendlens query models --help", "query", "models", "--grian", "week")]
    [InlineData("'trendlens query' needs a command: models, topics, terms, emerging, bursts, papers, coverage, lift", "trendlens query --help", "query")]
    [InlineData("'trendlens query' needs a command: models,", "trendlens query --help", "query", "nothing-like-it")]
    [InlineData("'--top'. After '--', words are read as arguments, not options.", "trendlens query emerging --help", "query", "emerging", "--", "--top", "5")]
    public void AMistypedCommandOrOption_IsAUsageError_ThatNamesWhatWasMeant(string said, string help, params string[] args)
    {
        var result = Run.Cli(imported.Db, args);

        Assert.Equal(2, result.Code);
        Assert.Contains(said, result.Err);
        Assert.Contains($"Run '{help}' for usage.", result.Err);
        Assert.DoesNotContain("Required command was not provided", result.Err);
        Assert.Equal("", result.Out);
    }

    [Theory]
    [InlineData("Did you mean '--source'?", "import", "--sorce", "arxiv")]
    [InlineData("Did you mean '--format'?", "import", "--fromat", "hf-jsonl")]
    [InlineData("Did you mean '--out'?", "train-topics", "--ot", "reader.json")]
    public void AMistypedOption_OfACommandThatTakesFiles_IsAUsageError_NotAFile(string said, string command, string option, string value)
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-02-13.jsonl", File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")));
        var db = System.IO.Path.Combine(tmp.Path, "new.duckdb");

        var result = Run.Cli(db, command, file, option, value);

        Assert.Equal(2, result.Code);
        Assert.Contains($"Unrecognized command or argument '{option}'. {said}", result.Err);
        Assert.Equal("", result.Out);
        Assert.False(File.Exists(db), "nothing was imported, under any source");
        // A file whose name starts with '-' is still a file.
        var dashed = tmp.File("-dashed.jsonl", File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")));
        Assert.Equal(0, Run.Cli(db, "import", "--", dashed).Code);
    }

    [Theory]
    [InlineData("no panel 'overview/familes' (did you mean 'overview/families'?); known: overview/topics", "chart", "overview/familes")]
    [InlineData("no dashboard 'overvew' (did you mean 'overview'?); known: overview", "export", "overvew")]
    public void AMistypedDashboardOrPanel_IsGivenTheNearest(string said, string command, string target)
    {
        using var tmp = new TempDir();

        var result = Run.Cli(imported.Db, command, target, "--out", System.IO.Path.Combine(tmp.Path, "x.png"));

        Assert.Equal(1, result.Code);
        Assert.Contains(said, result.Err);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Theory]
    [InlineData("chart", "overview/families")]
    [InlineData("export", "overview")]
    public void Out_NamingAFolder_SaysItIsAFolder(string command, string target)
    {
        using var tmp = new TempDir();
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(tmp.Path, "chart.png")).FullName;

        var result = Run.Cli(imported.Db, command, target, "--out", folder);

        Assert.Equal(1, result.Code);
        Assert.Contains($"cannot write {folder}: it is a folder; name a file in it", result.Err);
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    [Fact]
    public void Chart_OutUnderAFile_NamesTheFileInTheWay()
    {
        using var tmp = new TempDir();
        var file = tmp.File("families.png", "not a folder");

        var result = Run.Cli(imported.Db, "chart", "overview/families", "--out", System.IO.Path.Combine(file, "x.png"));

        Assert.Equal(1, result.Code);
        Assert.Contains($"{file} is a file, not a folder", result.Err);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [SkippableTheory]
    [InlineData("chart", "overview/families")]
    [InlineData("export", "overview")]
    public void AnOutputTheSystemRefuses_IsAnErrorNamingThePath_NotDotNetsWording(string command, string what)
    {
        // /proc takes no new files: .NET's own message there is "Could not find file".
        Skip.IfNot(Directory.Exists("/proc"), "needs Linux's /proc");
        var output = "/proc/trendlens-test.png";

        var result = Run.Cli(imported.Db, command, what, "--out", output);

        Assert.Equal(1, result.Code);
        Assert.Equal($"trendlens: cannot write {output}: the system does not let a file be made there", result.Err.Trim());
    }

    [Fact]
    public void Attack_Chart_TooLargeToDraw_IsAUsageErrorNotACrash()
    {
        using var tmp = new TempDir();

        var result = Run.Cli(imported.Db, "chart", "overview/families", "--out", System.IO.Path.Combine(tmp.Path, "big.png"), "--width", "8000", "--height", "6000", "--scale", "4");

        Assert.Equal(2, result.Code);
        Assert.Contains("too large to draw", result.Err);
        Assert.DoesNotContain("unexpected", result.Err);
        Assert.False(File.Exists(System.IO.Path.Combine(tmp.Path, "big.png")));
    }

    [Fact]
    public void Attack_Term_WithAControlCharacter_IsRefusedByName()
    {
        var result = Run.Cli(imported.Db, "query", "terms", "--term", "agents\u001fdiffusion");

        Assert.Equal(1, result.Code);
        Assert.Contains("control characters", result.Err);
    }
}
