using System.Diagnostics;
using System.Text;

namespace TrendLens.Tests;

/// <summary>The real executable, killed with SIGKILL in the middle of a directory import.</summary>
public class KillTests
{
    private const int Days = 240;
    private const int EntriesPerDay = 40;

    private static string WriteDays(TempDir tmp)
    {
        var dir = Directory.CreateDirectory(Path.Combine(tmp.Path, "days")).FullName;
        var start = new DateOnly(2024, 1, 1);
        for (var d = 0; d < Days; d++)
        {
            var date = start.AddDays(d).ToString("yyyy-MM-dd");
            var sb = new StringBuilder();
            for (var r = 1; r <= EntriesPerDay; r++)
            {
                var id = $"24{d / 30 + 1:00}.{d % 30 * 100 + r:00000}";
                sb.Append($$"""{"date":"{{date}}","rank":{{r}},"id":"{{id}}","title":"Synthetic paper {{id}} on day {{date}}","summary":"{{new string('x', 1500)}}","upvotes":{{100 - r}},"authors":["A","B","C"]}""").Append('\n');
            }
            File.WriteAllText(Path.Combine(dir, date + ".jsonl"), sb.ToString());
        }
        return dir;
    }

    private static Process Start(string db, string dir)
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "trendlens.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { exe, "--db", db, "import", dir }) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    /// <summary>Starts an import, waits for <paramref name="days"/> days to be reported, then kills it.</summary>
    private static int KillAfter(string db, string dir, int days, Action? whileRunning = null)
    {
        using var process = Start(db, dir);
        var seen = 0;
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (line.Contains(" new (revision 1,", StringComparison.Ordinal) && ++seen == days) break;
        }
        whileRunning?.Invoke();
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return seen;
    }

    private static void AssertEveryDayWholeOrAbsent(string db)
    {
        var counts = Run.Rows<(DateOnly Date, int Snapshots, int Declared, int Rows)>(db, """
            select s.list_date, count(distinct s.revision)::int, max(s.entries)::int, count(e.rank)::int
            from snapshots s
            left join list_entries e on e.source = s.source and e.list_date = s.list_date and e.revision = s.revision
            group by s.list_date
            """);
        Assert.All(counts, c => Assert.Equal((1, EntriesPerDay, EntriesPerDay), (c.Snapshots, c.Declared, c.Rows)));
        var orphanEntries = Run.Scalar<long>(db, """
            select count(*) from list_entries e
            where not exists (select 1 from snapshots s where s.source = e.source and s.list_date = e.list_date and s.revision = e.revision)
            """);
        Assert.Equal(0, orphanEntries);
    }

    [Fact]
    public void Attack_Import_KilledMidDirectory_LeavesWholeDaysAndRerunCompletes()
    {
        using var tmp = new TempDir();
        var dir = WriteDays(tmp);

        CliResult? whileLocked = null;
        var reported = KillAfter(tmp.Db, dir, 20, () => whileLocked = Run.Cli(tmp.Db, "snapshots"));

        Assert.Equal(20, reported);
        // The running importer owns the file: a second process gets a clear reason, not a raw lock error.
        Assert.Equal(1, whileLocked!.Code);
        Assert.Contains("in use by another process", whileLocked.Err);

        var afterFirstKill = Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots");
        Assert.InRange(afterFirstKill, 20, Days - 1);
        AssertEveryDayWholeOrAbsent(tmp.Db);

        // A second kill, part-way through the rerun.
        KillAfter(tmp.Db, dir, 30);
        AssertEveryDayWholeOrAbsent(tmp.Db);

        var rerun = Run.Cli(tmp.Db, "import", dir);

        Assert.Equal(0, rerun.Code);
        Assert.Equal(Days, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(Days * EntriesPerDay, Run.Scalar<int>(tmp.Db, "select count(*)::int from list_entries"));
        AssertEveryDayWholeOrAbsent(tmp.Db);
    }
}
