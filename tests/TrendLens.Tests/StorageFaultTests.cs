using System.Diagnostics;

namespace TrendLens.Tests;

/// <summary>
/// A full disk and a read-only file system under the database, made real with a small tmpfs
/// (skipped where the test may not mount one: that needs root with CAP_SYS_ADMIN).
/// </summary>
public sealed class StorageFaultTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly string _mount;
    private readonly bool _mounted;

    public StorageFaultTests()
    {
        _mount = Directory.CreateDirectory(Path.Combine(_tmp.Path, "mnt")).FullName;
        _mounted = Sh("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", _mount) == 0;
    }

    private static int Sh(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            p.WaitForExit();
            return p.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        if (_mounted) Sh("umount", "-l", _mount);
        _tmp.Dispose();
    }

    [SkippableFact]
    public void DiskFull_ImportFailsWithAClearError_AndKeepsWhatWasStored()
    {
        Skip.IfNot(_mounted, "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        var db = Path.Combine(_mount, "full.duckdb");
        Assert.Equal(0, Run.Cli(db, "import", Fixture.Path("hf-jsonl")).Code);
        var big = Directory.CreateDirectory(Path.Combine(_tmp.Path, "big")).FullName;
        for (var d = 0; d < 60; d++)
        {
            var date = new DateOnly(2024, 6, 1).AddDays(d);
            File.WriteAllText(Path.Combine(big, $"{date:yyyy-MM-dd}.jsonl"), string.Concat(Enumerable.Range(1, 30).Select(r =>
                $$"""{"date":"{{date:yyyy-MM-dd}}","rank":{{r}},"id":"2406.{{d:00}}{{r:000}}","title":"Paper {{r}}","summary":"{{Guid.NewGuid():N}}{{new string('z', 4000)}}","authors":[]}""" + "\n")));
        }

        var result = Run.Cli(db, "import", big);

        Assert.Equal(1, result.Code);
        Assert.Contains("No space left on device", result.Err);
        Assert.Contains("the disk is full", result.Err);
        Assert.DoesNotContain("unexpected error", result.Err);
        Assert.Equal(0, Sh("mount", "-o", "remount,size=256m", _mount));
        Assert.Equal(3, Run.Scalar<long>(db, "select count(*) from snapshots where list_date between '2025-02-10' and '2025-02-12'"));
        Assert.Equal(0, Run.Scalar<long>(db, """
            select count(*) from snapshots s
            where s.entries <> (select count(*) from list_entries e where e.source = s.source and e.list_date = s.list_date and e.revision = s.revision)
            """));
        Assert.Equal(0, Run.Cli(db, "import", big).Code);
    }

    [SkippableFact]
    public void ReadOnlyFileSystem_AnswersQueries_AndAWriteIsAClearError()
    {
        Skip.IfNot(_mounted, "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)");
        var db = Path.Combine(_mount, "ro.duckdb");
        Assert.Equal(0, Run.Cli(db, "import", Fixture.Path("hf-jsonl")).Code);
        var before = Run.Cli(db, "query", "coverage", "--format", "csv");
        Assert.Equal(0, Sh("mount", "-o", "remount,ro", _mount));

        var query = Run.Cli(db, "query", "coverage", "--format", "csv");
        var import = Run.Cli(db, "import", Fixture.Path("hf-json/2025-02-13.json"));

        // Opened read-only, the file answers what it holds.
        Assert.Equal((0, before.Out, ""), (query.Code, query.Out, query.Err));
        Assert.Equal(1, import.Code);
        Assert.StartsWith("trendlens: the database can be read here but not written", import.Err);
        Assert.Contains("point --db at a writable copy", import.Err);
        Assert.DoesNotContain("unexpected error", import.Err);
        Assert.Single(import.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public void AnImmutableDatabaseFile_AnswersQueries_AndAWriteIsAClearError()
    {
        var db = Path.Combine(_tmp.Path, "immutable.duckdb");
        Assert.Equal(0, Run.Cli(db, "import", Fixture.Path("hf-jsonl")).Code);
        var before = Run.Cli(db, "query", "topics", "--format", "csv");
        Skip.IfNot(Sh("chattr", "+i", db) == 0, "cannot make a file immutable here (needs chattr, root and a file system that has the flag)");
        try
        {
            var query = Run.Cli(db, "query", "topics", "--format", "csv");
            var retag = Run.Cli(db, "retag");
            // The same lists again: refused before it reads them, not after saying each is unchanged.
            var import = Run.Cli(db, "import", Fixture.Path("hf-jsonl"));

            Assert.Equal((0, before.Out, ""), (query.Code, query.Out, query.Err));
            Assert.Equal(1, retag.Code);
            Assert.Contains("can be read here but not written", retag.Err);
            Assert.Equal((1, ""), (import.Code, import.Out));
            Assert.StartsWith("trendlens: the database can be read here but not written", import.Err);
            Assert.Single(import.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Sh("chattr", "-i", db);
        }
    }
}
