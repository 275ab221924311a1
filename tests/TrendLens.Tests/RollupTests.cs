using Dapper;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Tests;

/// <summary>Rollups rebuilt day by day after an import must equal rollups built from scratch.</summary>
public class RollupTests
{
    private static string Line(string date, int rank, string id, string title, string summary) =>
        $$"""{"date":"{{date}}","rank":{{rank}},"id":"{{id}}","title":"{{title}}","summary":"{{summary}}","authors":[]}""" + "\n";

    private static string Contents(string db) => string.Join("\n",
        Run.Rows<string>(db, "select concat_ws('|', source, list_date, paper_id) from current_listings order by all").Prepend("current_listings")
            .Concat(Run.Rows<string>(db, "select concat_ws('|', source, list_date, papers) from listed_daily order by all").Prepend("listed_daily"))
            .Concat(Run.Rows<string>(db, "select concat_ws('|', kind, tag_id, source, list_date, papers) from tag_daily order by all").Prepend("tag_daily"))
            .Concat(Run.Rows<string>(db, "select concat_ws('|', kind, tag, tag_id, first_seen) from tags order by all").Prepend("tags")));

    [Fact]
    public void DayByDayRebuild_EqualsAFullRebuild()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code); // builds everything once
        Assert.Equal(1, Run.Scalar<long>(tmp.Db, "select count(*) from rollup_state where payload_max is not null"));

        // A new day (with a paper listed before), a revised day with one more paper, and a paper
        // whose text changed (so its tags change on every day it is listed).
        var newDay = tmp.File("2025-02-14.jsonl",
            Line("2025-02-14", 1, "2502.01001", "Sparse Widgets: Scaling Toy Models with GPT-4 Feedback", "We study widgets. Our Llama-3-8B baseline is improved.") +
            Line("2025-02-14", 2, "2502.05001", "Speculative Decoding with Mamba Drafts", "A Mamba-2 draft model speeds up Qwen2.5 decoding."));
        var revised = File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-11.jsonl")) +
            Line("2025-02-11", 9, "2502.05002", "Mixture-of-Experts for Time Series", "MoE layers forecast time series with DeepSeek-V3 routing.");
        var revisedFile = tmp.File("list-2025-02-11.jsonl", revised);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", newDay, revisedFile).Code);

        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code); // rebuilds the changed days only
        var incremental = Contents(tmp.Db);
        Run.Scalar<long>(tmp.Db, "delete from rollup_state returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code); // from scratch
        var full = Contents(tmp.Db);

        Assert.Contains("2025-02-14", incremental);
        Assert.Contains("2502.05002", incremental);
        Assert.Equal(full, incremental);
    }

    /// <summary>The full rebuild counted a range of list days at a time gives what it gives in one range (two sources, days of one paper set).</summary>
    [Fact]
    public void AFullRebuildByRangesOfDays_EqualsOneInOneRange()
    {
        using var tmp = new TempDir();
        var days = new TrendLens.Sources.ListGenerator(5).Generate(new TrendLens.Sources.ListGenerator.Options(new DateOnly(2025, 1, 6), 21, 20, OutageRate: 0));
        TrendLens.Sources.ListGenerator.Write(days, Path.Combine(tmp.Path, "lists"));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "lists")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-11.jsonl"), "--source", "mirror").Code);
        var oneRange = Contents(tmp.Db);

        // Every day a range of its own: the same counts, firsts and ids.
        var database = new Database(tmp.Db);
        using (var connection = database.Open())
        {
            connection.Execute(SqlCatalog.Get("rollup/term_forms_build"));
            using var tx = connection.BeginTransaction();
            RollupTables.RebuildAll(connection, tx, entriesPerRange: 1);
            connection.Execute(SqlCatalog.Get("rollup/term_forms_drop"), transaction: tx);
            tx.Commit();
        }

        Assert.True(Run.Scalar<long>(tmp.Db, "select count(distinct list_date) from current_listings") > 10);
        Assert.Equal(oneRange, Contents(tmp.Db));
    }

    [Theory]
    [InlineData(new long[] { 5, 5, 5, 5 }, 10, "0-1 2-3")]
    [InlineData(new long[] { 5, 20, 5 }, 10, "0-0 1-1 2-2")]
    [InlineData(new long[] { 3, 3, 3 }, 100, "0-2")]
    [InlineData(new long[] { }, 10, "")]
    public void RangesOfDays_HoldAtMostTheEntriesAsked_UnlessOneDayHasMore(long[] papers, long entries, string expected)
    {
        var first = new DateOnly(2025, 1, 1);
        var days = papers.Select((p, i) => (first.AddDays(i), p)).ToList();

        var ranges = RollupTables.Ranges(days, entries).Select(r => $"{r.From.DayNumber - first.DayNumber}-{r.To.DayNumber - first.DayNumber}");

        Assert.Equal(expected, string.Join(' ', ranges));
    }

    /// <summary>A new snapshot that reuses a stored payload (the same file under a second source) is rolled up like any other.</summary>
    [Fact]
    public void SnapshotsOfAStoredPayload_AreRolledUpToo()
    {
        using var tmp = new TempDir();
        var day = Fixture.Path("hf-jsonl/list-2025-02-11.jsonl");
        var original = File.ReadAllText(day);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", day, "--source", "mirror").Code);
        var changed = tmp.File("a/list-2025-02-11.jsonl", original + Line("2025-02-11", 9, "2502.05002", "Mixture-of-Experts for Time Series", "MoE layers forecast time series."));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", changed, "--source", "mirror").Code);

        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        var incremental = Contents(tmp.Db);
        Run.Scalar<long>(tmp.Db, "delete from rollup_state returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);

        Assert.Contains("mirror|2025-02-11", incremental);
        Assert.Contains("mirror|2025-02-11|2502.05002", incremental);
        Assert.Equal(Contents(tmp.Db), incremental);
    }

    [Fact]
    public void SmallNewDay_IsRolledUpWithTheConceptMapAtHand_AndGrowthLearnsItAgain()
    {
        using var tmp = new TempDir();
        var days = new TrendLens.Sources.ListGenerator(3).Generate(new TrendLens.Sources.ListGenerator.Options(new DateOnly(2025, 1, 6), 14, 30, OutageRate: 0));
        TrendLens.Sources.ListGenerator.Write(days, Path.Combine(tmp.Path, "base"));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "base")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        var learned = Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state");
        Assert.Equal(Run.Scalar<long>(tmp.Db, "select count(*) from tag_state"), learned);
        var concepts = Run.Rows<string>(tmp.Db, "select key || '>' || concept from term_concepts order by all");

        // Two papers more (under a twentieth): rolled up, not learned again.
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("2025-01-20.jsonl",
            Line("2025-01-20", 1, "2501.09001", "Speculative Decoding with Mamba Drafts", "A Mamba-2 draft model speeds up Qwen2.5 decoding.") +
            Line("2025-01-20", 2, "2501.09002", "Mixture-of-Experts for Time Series", "MoE layers forecast time series with DeepSeek-V3 routing."))).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);

        Assert.Equal(learned, Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state"));
        Assert.Equal(concepts, Run.Rows<string>(tmp.Db, "select key || '>' || concept from term_concepts order by all"));
        Assert.Equal(2L, Run.Scalar<long>(tmp.Db, "select papers from listed_daily where list_date = '2025-01-20'"));
        Assert.True(Run.Scalar<long>(tmp.Db, """
            select count(*) from tag_daily d join tags t using (kind, tag_id)
            where d.list_date = '2025-01-20' and t.kind = 'family' and t.tag = 'Mamba'
            """) == 1, "the new day's family mention is rolled up");
        var incremental = Contents(tmp.Db);

        // The same concept map, built from scratch: the same rollups.
        Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        Assert.Equal(incremental, Contents(tmp.Db));

        // A tenth more papers: learned again.
        var more = new TrendLens.Sources.ListGenerator(4).Generate(new TrendLens.Sources.ListGenerator.Options(new DateOnly(2025, 2, 3), 2, 30, OutageRate: 0));
        TrendLens.Sources.ListGenerator.Write(more, Path.Combine(tmp.Path, "more"));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "more")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        Assert.Equal(Run.Scalar<long>(tmp.Db, "select count(*) from tag_state"), Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state"));
    }
}
