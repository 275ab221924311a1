using System.Text.RegularExpressions;

namespace TrendLens.Tests;

/// <summary>
/// Acceptance over the real archive in ../shared/data/hf-daily. Reported as skipped (never
/// passed) on a machine without it; it is not redistributable, so no copy lives in the repo.
/// </summary>
public class ArchiveTests
{
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
