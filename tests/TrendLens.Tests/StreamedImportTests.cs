using System.Security.Cryptography;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Tests;

/// <summary>
/// JSON Lines files over <see cref="SnapshotBatch.StreamAbove"/> are stored as they are read.
/// The first tests lower the threshold so the fixtures stream; the last imports a real file over it.
/// </summary>
public class StreamedImportTests
{
    private const string EntriesSql = """
        select list_date::varchar, revision, rank, paper_id, title, abstract, upvotes, text_md5
        from list_entries order by list_date, revision, rank
        """;

    private static string JoinedFixture(TempDir tmp, string extra = "")
    {
        var lines = Directory.GetFiles(Fixture.Path("hf-jsonl")).Order().SelectMany(File.ReadAllLines);
        return tmp.File("joined/all.jsonl", string.Join("\n", lines) + "\n" + extra);
    }

    /// <summary>Imports through <see cref="FileImporter"/> with every JSON Lines file streamed.</summary>
    private static List<SnapshotOutcome> ImportStreamed(string db, string file, long flushAppendersBytes = SnapshotBatch.FlushAppendersBytes)
    {
        var database = new Database(db);
        using var connection = database.Open();
        var outcomes = new List<SnapshotOutcome>();
        using var queue = FileImporter.Read([file], "hf-daily", null, null, DateOnly.FromDateTime(Run.Today.UtcDateTime), streamAbove: 0);
        var writer = new SnapshotWriter(new FixedClock(Run.Today)) { FlushAppendersBytes = flushAppendersBytes };
        new FileImporter(writer).Import(database, connection, queue, null, outcomes.Add);
        return outcomes;
    }

    /// <summary>Generated daily lists of 50 papers from 2020-01-01, every day's file joined into one JSON Lines file.</summary>
    private static (string File, GeneratedArchive Days) GeneratedFile(TempDir tmp, int seed, int days)
    {
        var generated = new ListGenerator(seed).Generate(new ListGenerator.Options(new DateOnly(2020, 1, 1), days, 50, OutageRate: 0));
        var dir = Path.Combine(tmp.Path, "days");
        ListGenerator.Write(generated, dir);
        var file = Path.Combine(tmp.Path, "all.jsonl");
        using (var all = File.Create(file))
            foreach (var day in Directory.GetFiles(dir, "*.jsonl").Order())
                using (var part = File.OpenRead(day)) part.CopyTo(all);
        return (file, generated);
    }

    private static byte[] StoredBytes(string db) =>
        Run.Blobs(db, "select content from payload_content").Single();

    [Fact]
    public void Streamed_StoresWhatAHeldImportStores()
    {
        using var tmp = new TempDir();
        var file = JoinedFixture(tmp);
        var held = Path.Combine(tmp.Path, "held.duckdb");
        Assert.Equal(0, Run.Cli(held, "import", file).Code);

        var outcomes = ImportStreamed(tmp.Db, file);

        Assert.Null(Assert.Single(outcomes).Error);
        Assert.Equal(Run.Rows<(string, int, int, string, string, string, int, string)>(held, EntriesSql),
            Run.Rows<(string, int, int, string, string, string, int, string)>(tmp.Db, EntriesSql));
        const string snapshots = "select list_date::varchar, revision, entries from snapshots order by 1";
        Assert.Equal(Run.Rows<(string, int, long)>(held, snapshots), Run.Rows<(string, int, long)>(tmp.Db, snapshots));
        // The raw bytes are kept verbatim, in parts, under the file's SHA-256.
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(bytes, StoredBytes(tmp.Db));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), Run.Scalar<string>(tmp.Db, "select sha256 from payloads"));
        Assert.Equal(bytes.LongLength, Run.Scalar<long>(tmp.Db, "select size_bytes from payloads"));
        Assert.True(Run.Scalar<long>(tmp.Db, "select max(octet_length(content)) from payload_parts") <= PayloadParts.PartBytes);
    }

    [Fact]
    public void Streamed_AppendersClosedAfterEveryBlock_StoreWhatOneAppenderStores()
    {
        using var tmp = new TempDir();
        var (file, days) = GeneratedFile(tmp, seed: 11, days: 90);
        Assert.True(new FileInfo(file).Length > 2 * 1024 * 1024, "the file spans several of the reader's 1 MiB blocks");
        var once = Path.Combine(tmp.Path, "once.duckdb");

        Assert.Null(Assert.Single(ImportStreamed(once, file)).Error);
        Assert.Null(Assert.Single(ImportStreamed(tmp.Db, file, flushAppendersBytes: 1)).Error);

        Assert.Equal(Run.Rows<(string, int, int, string, string, string, int, string)>(once, EntriesSql),
            Run.Rows<(string, int, int, string, string, string, int, string)>(tmp.Db, EntriesSql));
        Assert.Equal(days.Days.Sum(d => d.Entries.Count), Run.Scalar<long>(tmp.Db, "select count(*) from list_entries"));
        Assert.Equal(File.ReadAllBytes(file), StoredBytes(tmp.Db));
        Assert.Equal(1L, Run.Scalar<long>(tmp.Db, "select count(*) from payloads"));
    }

    [Fact]
    public void Streamed_SameFileTwice_ChangesNothing()
    {
        using var tmp = new TempDir();
        var file = JoinedFixture(tmp);
        ImportStreamed(tmp.Db, file);
        var parts = Run.Scalar<long>(tmp.Db, "select count(*) from payload_parts");

        var again = Assert.Single(ImportStreamed(tmp.Db, file));

        Assert.All(again.Days, d => Assert.Equal(DayStatus.Unchanged, d.Status));
        Assert.Equal(3, again.Days.Count);
        Assert.Equal(3L, Run.Scalar<long>(tmp.Db, "select count(*) from snapshots"));
        Assert.Equal(1L, Run.Scalar<long>(tmp.Db, "select count(*) from payloads"));
        Assert.Equal(parts, Run.Scalar<long>(tmp.Db, "select count(*) from payload_parts"));
    }

    [Fact]
    public void Streamed_OlderRevisionAgain_AddsNothing_AndNamesTheRevisionThatStaysCurrent()
    {
        using var tmp = new TempDir();
        var file = JoinedFixture(tmp);
        ImportStreamed(tmp.Db, file);
        var changed = tmp.File("b/2025-02-10.jsonl", File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")).Replace("\"upvotes\":42", "\"upvotes\":50"));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", changed).Code);

        var again = Assert.Single(ImportStreamed(tmp.Db, file));

        Assert.All(again.Days, d => Assert.Equal(DayStatus.Unchanged, d.Status));
        var revised = again.Days.Single(d => d.ListDate == new DateOnly(2025, 2, 10));
        Assert.Equal((1, 2), (revised.Revision, revised.Current));
        Assert.All(again.Days.Where(d => d != revised), d => Assert.Equal((1, 1), (d.Revision, d.Current)));
        Assert.Equal(4L, Run.Scalar<long>(tmp.Db, "select count(*) from snapshots"));
    }

    [Fact]
    public void Attack_Streamed_BadLastLine_QuarantinesTheFileAndStoresNoEntry()
    {
        using var tmp = new TempDir();
        var file = JoinedFixture(tmp, "{\"date\":\"2025-02-13\",\"rank\":1,\"id\":\n");
        var lines = File.ReadAllLines(file).Length;

        var outcome = Assert.Single(ImportStreamed(tmp.Db, file));

        Assert.NotNull(outcome.Error);
        Assert.Contains($"line {lines}", outcome.Error);
        Assert.Equal(0L, Run.Scalar<long>(tmp.Db, "select count(*) from list_entries"));
        Assert.Equal(0L, Run.Scalar<long>(tmp.Db, "select count(*) from snapshots"));
        Assert.Equal(1L, Run.Scalar<long>(tmp.Db, "select count(*) from quarantine"));
        Assert.Equal(File.ReadAllBytes(file), StoredBytes(tmp.Db));
    }

    [Fact]
    public void Streamed_RankTwice_NamesTheSecondLine()
    {
        using var tmp = new TempDir();
        var first = File.ReadLines(Directory.GetFiles(Fixture.Path("hf-jsonl")).Order().First()).First();
        var file = JoinedFixture(tmp, first.Replace("2502.01001", "2502.09999") + "\n");
        var lines = File.ReadAllLines(file).Length;

        var outcome = Assert.Single(ImportStreamed(tmp.Db, file));

        Assert.Contains("rank 1 appears twice on 2025-02-10", outcome.Error);
        Assert.Contains($"line {lines}", outcome.Error);
        Assert.Equal(0L, Run.Scalar<long>(tmp.Db, "select count(*) from list_entries"));
    }

    [Fact]
    public void Import_JsonlFileOverTheThreshold_IsStreamedByTheCommandLine()
    {
        using var tmp = new TempDir();
        var (file, days) = GeneratedFile(tmp, seed: 7, days: 1500);
        Assert.True(new FileInfo(file).Length > SnapshotBatch.StreamAbove, $"the generated file ({new FileInfo(file).Length:N0} bytes) is over the threshold");
        var entries = days.Days.Sum(d => d.Entries.Count);

        var result = Run.Cli(tmp.Db, "import", file);

        Assert.Equal(0, result.Code);
        Assert.Contains($"{entries:N0} list entries added", result.Out);
        Assert.Equal(entries, Run.Scalar<long>(tmp.Db, "select count(*) from list_entries"));
        Assert.Equal(entries, Run.Scalar<long>(tmp.Db, "select count(*) from tag_state"));
        Assert.True(Run.Scalar<long>(tmp.Db, "select count(*) from payload_parts") > 1);
        Assert.Equal(new FileInfo(file).Length, Run.Scalar<long>(tmp.Db, "select sum(octet_length(content))::bigint from payload_parts"));
    }
}
