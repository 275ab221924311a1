using System.Text.RegularExpressions;

namespace TrendLens.Tests;

/// <summary>
/// Acceptance over the real archive in ../shared/data/hf-daily. Reported as skipped (never
/// passed) on a machine without it; it is not redistributable, so no copy lives in the repo.
/// </summary>
public class ArchiveTests
{
    [SkippableFact]
    public void ShareCharts_WithBurstsShown_CarryTheBurstsOfTheirTopicsAndFamilies()
    {
        using var tmp = new TempDir();
        Fixture.ImportArchive(tmp);
        var database = new TrendLens.Storage.Database(tmp.Db);
        using var connection = database.Open();
        var (from, to) = (new DateOnly(2025, 8, 25), new DateOnly(2026, 8, 21));

        foreach (var (query, kind, column) in new[] { ("rollup/topic_share_by_period", TrendLens.Rollup.TagKind.Topics, "topic"), ("rollup/family_share_by_period", TrendLens.Rollup.TagKind.Families, "family") })
        {
            var panel = new TrendLens.Dashboards.PanelDefinition { Id = "shares", Title = "Shares", Query = query, Chart = "line", X = "period", Y = "share", Series = column, Top = 8 };
            var data = TrendLens.Dashboards.PanelRunner.Run(database, connection, panel,
                new TrendLens.Dashboards.PanelParameters(from, to, "month", [], Bursts: true));
            var shown = data.Rows.Select(r => (string)r[data.Column(column)]!).Distinct().ToList();
            var found = TrendLens.Rollup.Bursts.Detect(database, connection, kind,
                new TrendLens.Rollup.BurstOptions { From = from, To = to, Names = shown, MinPapers = 1, Words = TrendLens.Rollup.RankedWords.All });

            // The chart draws the bursts the Explore table lists for the same names (the year's topics do burst; its top families do not).
            if (kind == TrendLens.Rollup.TagKind.Topics) Assert.True(found.Count > 0, $"{kind}: no bursts among {string.Join(", ", shown)}");
            Assert.Equal(found.Select(b => (b.Display, b.Start, b.End)), data.Bursts.Select(b => (b.Display, b.Start, b.End)));
        }
    }

    [SkippableFact]
    public void Archive_ImportTwiceThenOneChangedDay_GivesExactCountsAndOneRevision()
    {
        var archive = Fixture.Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        using var tmp = new TempDir();

        var first = Run.Cli(tmp.Db, "import", archive!);
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal(580, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(9881, Run.Scalar<int>(tmp.Db, "select count(*)::int from current_entries"));
        Assert.Equal(9877, Run.Scalar<int>(tmp.Db, "select count(*)::int from papers"));

        var second = Run.Cli(tmp.Db, "import", archive!);
        Assert.Equal(0, second.Code);
        Assert.Contains("580 unchanged", second.Out);
        Assert.Equal(580, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(9881, Run.Scalar<int>(tmp.Db, "select count(*)::int from list_entries"));

        // One paper's upvotes changed on one day: exactly one new revision, which the views read.
        var day = File.ReadAllText(Path.Combine(archive!, "2025-06-02.jsonl"));
        var upvotes = Regex.Match(day, "\"upvotes\":(\\d+)");
        var changed = day[..upvotes.Index] + $"\"upvotes\":{int.Parse(upvotes.Groups[1].Value) + 1}" + day[(upvotes.Index + upvotes.Length)..];
        var file = tmp.File("changed/2025-06-02.jsonl", changed);

        var third = Run.Cli(tmp.Db, "import", file);
        Assert.Equal(0, third.Code);
        Assert.Equal(581, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(580, Run.Scalar<int>(tmp.Db, "select count(*)::int from current_snapshots"));
        Assert.Equal(9881, Run.Scalar<int>(tmp.Db, "select count(*)::int from current_entries"));
        Assert.Equal(2, Run.Scalar<int>(tmp.Db, "select max(revision)::int from snapshots where list_date = '2025-06-02'"));
    }
}
