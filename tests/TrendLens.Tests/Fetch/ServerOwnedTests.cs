using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// Every command against a database owned by a running server (the real executable in another
/// process) answers as it does against a copy of that database that nobody owns: the command
/// runs inside the server (see ServerLink).
/// </summary>
public sealed class ServerOwnedTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2025, 2, 14);
    private readonly TempDir _tmp = new();
    private FakeHfServer _hf = null!;
    private ServerProcess _server = null!;

    private string Owned => Path.Combine(_tmp.Path, "owned.duckdb");
    private string Free => Path.Combine(_tmp.Path, "free.duckdb");

    public async Task InitializeAsync()
    {
        Assert.Equal(0, Run.Cli(Owned, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json")).Code);
        File.Copy(Owned, Free);
        _hf = await FakeHfServer.StartAsync();
        _hf.SetList(Day, FakeHfServer.List(Day, 6));
        _server = ServerProcess.Start(Owned, new Dictionary<string, string> { ["TrendLens__Scheduler"] = "false" });
        Assert.True(File.Exists(Owned + ".server"), "the server wrote its link file");
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _hf.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>Output with durations and the database's name made alike.</summary>
    private string Same(string text) =>
        Regex.Replace(text.Replace(Owned, "DB").Replace(Free, "DB").Replace("owned.duckdb", "DB").Replace("free.duckdb", "DB"), @"\d+(\.\d+)? s\b", "N s");

    private void AssertSameAnswer(params string[] args)
    {
        var free = Run.Cli(Free, args);
        var owned = Run.Cli(Owned, args);

        Assert.True(free.Code == owned.Code, $"{string.Join(' ', args)}: exit {owned.Code} beside the server, {free.Code} without; {owned.Err}");
        Assert.Equal(Same(free.Out), Same(owned.Out));
        Assert.Equal(Same(free.Err), Same(owned.Err));
    }

    [Fact]
    public void ADoubleDash_IsForwardedAsTyped_AndTheDatabaseStillNamedFirst()
    {
        // After "--" every word is a file: the database and lexicons the command line adds for
        // the server must not become files to import.
        AssertSameAnswer("import", "--", Fixture.Path("hf-json/wrapped.json"));
        AssertSameAnswer("query", "models", "--grain", "day", "--format", "csv", "--");
    }

    [Fact]
    public void AnOptionsValue_ThatNamesAFileHere_IsSentAsTyped()
    {
        // The tests run in their output folder, which holds a folder named Fixtures: the source
        // is the word typed, not that folder's path.
        Assert.True(Directory.Exists("Fixtures"));
        AssertSameAnswer("import", Fixture.Path("hf-json/wrapped.json"), "--source", "Fixtures");
        AssertSameAnswer("snapshots", "--format", "csv");
    }

    [Fact]
    public void ACarriageReturnInALine_StaysInTheLine()
    {
        AssertSameAnswer("explain", "2502.0\rx0");
        AssertSameAnswer("query", "papers", "--term", "a\rb", "--format", "csv");
    }

    [Fact]
    public void AResponseFile_IsNotReadEitherWay()
    {
        var words = Path.Combine(_tmp.Path, "words.txt");
        File.WriteAllText(words, "snapshots --format csv");
        Assert.Equal(2, Run.Cli(Free, "@" + words).Code);
        AssertSameAnswer("@" + words);
    }

    [Fact]
    public void ASecondServe_OnTheServedFile_NamesTheServerAtOnce()
    {
        var result = Run.Cli(Owned, "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");

        Assert.Equal(1, result.Code);
        Assert.Matches($@"^trendlens: {Regex.Escape(Owned)} is already served at http://127\.0\.0\.1:\d+ \(process \d+\): open that address, or stop that server before starting another on it\n$",
            result.Err.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("waiting", result.Err);
    }

    [Fact]
    public void EveryCommand_BesideTheServer_AnswersAsWithoutIt()
    {
        var outDir = Directory.CreateDirectory(Path.Combine(_tmp.Path, "out")).FullName;
        Assert.True(File.ReadAllText(Owned + ".server").Length > 0);
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Owned + ".server"));

        AssertSameAnswer("query", "models", "--grain", "day", "--format", "csv");
        AssertSameAnswer("query", "topics", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
        AssertSameAnswer("query", "terms", "--from", "2025-02-10", "--to", "2025-02-16", "--top", "5", "--format", "csv");
        AssertSameAnswer("query", "papers", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
        AssertSameAnswer("query", "emerging", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
        AssertSameAnswer("query", "bursts", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
        AssertSameAnswer("query", "coverage", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
        AssertSameAnswer("query", "topics", "--topic", "No such topic");
        AssertSameAnswer("snapshots", "--format", "csv");

        foreach (var (db, name) in new[] { (Free, "free"), (Owned, "owned") })
        {
            Assert.Equal(0, Run.Cli(db, "chart", "overview/families", "--from", "2025-02-10", "--to", "2025-02-16", "--out", Path.Combine(outDir, name + ".png")).Code);
            Assert.Equal(0, Run.Cli(db, "export", "overview", "--from", "2025-02-10", "--to", "2025-02-16", "--out", Path.Combine(outDir, name + "-overview.png")).Code);
            Assert.Equal(0, Run.Cli(db, "review", "2025-W07", "--out", Path.Combine(outDir, name + "-review")).Code);
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(outDir, "free.png")), File.ReadAllBytes(Path.Combine(outDir, "owned.png")));
        Assert.True(new FileInfo(Path.Combine(outDir, "owned-overview.png")).Length > 10_000);
        // The same review, but for the time it was made (this process's clock is fixed, the server's is not).
        static string Review(string dir) => Regex.Replace(File.ReadAllText(Path.Combine(dir, "review.md")), @"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", "generated T");
        Assert.Equal(Review(Path.Combine(outDir, "free-review")), Review(Path.Combine(outDir, "owned-review")));

        // Writes: an import (a relative path, from this process's working directory), a fetch, a retag.
        var list = _tmp.File("lists/2025-02-15.jsonl", File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")).Replace("2025-02-10", "2025-02-15"));
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), list);
        AssertSameAnswer("import", relative);
        AssertSameAnswer("import", relative);
        AssertSameAnswer("fetch", "--date", Day.ToString("yyyy-MM-dd"), "--base-url", _hf.BaseUrl.AbsoluteUri);
        AssertSameAnswer("retag");
        AssertSameAnswer("query", "coverage", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
        AssertSameAnswer("query", "papers", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv");
    }

    [Theory]
    [InlineData("--db:")]
    [InlineData("--db=")]
    public void TheDatabaseNamedInOneWord_IsForwardedAsOne(string option)
    {
        string[] query = ["query", "models", "--grain", "day", "--format", "csv"];
        var output = new StringWriter();
        var error = new StringWriter();

        var code = new TrendLens.Cli.CommandLine(output, error, new FixedClock(Run.Today), interactive: false).Run([option + Owned, .. query]);

        Assert.True(code == 0, error.ToString());
        Assert.Equal(Same(Run.Cli(Owned, query).Out), Same(output.ToString()));
    }

    /// <summary>The server reads its data's new state within a few seconds of a write: /healthz names the day within 30 s.</summary>
    private static async Task AssertLatestListShown(ServerProcess server, string day)
    {
        var health = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && !health.Contains(day); await Task.Delay(200))
            health = await server.Http.GetStringAsync("/healthz");
        Assert.Contains($"\"latest_list\":\"{day}\"", health);
    }

    /// <summary>A new database under the test's folder holding the one list of 2025-02-10; returns its path.</summary>
    private string OneListDatabase(string name)
    {
        var db = Path.Combine(_tmp.Path, name);
        Assert.Equal(0, Run.Cli(db, "import", Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")).Code);
        return db;
    }

    /// <summary>What `query coverage --format csv` writes for <paramref name="db"/> (the same answer whichever way it is named or run).</summary>
    private static CliResult Coverage(string db) => Run.Cli(db, "query", "coverage", "--format", "csv");

    [Fact]
    public async Task AServerGivenARelativePath_SeesWhatACommandImportsThroughIt()
    {
        var db = OneListDatabase("relative.duckdb");
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), db);
        using var server = ServerProcess.Start(relative);

        // Forwarded with the full path: the server must write through its own database of the file.
        Assert.Equal(0, Run.Cli(db, "import", Fixture.Path("hf-json/2025-02-13.json")).Code);

        await AssertLatestListShown(server, "2025-02-13");
    }

    [Fact]
    public async Task ACommandNamingTheDatabaseThroughALink_IsForwardedToItsServer()
    {
        var db = OneListDatabase("linked.duckdb");
        var expected = Coverage(db);
        Assert.Equal(0, expected.Code);
        // A link to the file, and the file through a link to its folder.
        var fileLink = Path.Combine(_tmp.Path, "file-link.duckdb");
        File.CreateSymbolicLink(fileLink, db);
        var folderLink = Path.Combine(_tmp.Path, "folder-link");
        Directory.CreateSymbolicLink(folderLink, _tmp.Path);
        using var server = ServerProcess.Start(db);

        foreach (var named in new[] { fileLink, Path.Combine(folderLink, "linked.duckdb") })
        {
            var result = Coverage(named);
            Assert.Equal((0, expected.Out, ""), (result.Code, result.Out, result.Err));
        }

        // Written through the server's own database of the file: its pages see the new day.
        Assert.Equal(0, Run.Cli(fileLink, "import", Fixture.Path("hf-json/2025-02-13.json")).Code);
        await AssertLatestListShown(server, "2025-02-13");
    }

    [Fact]
    public async Task AServerStartedThroughALink_ServesTheFile_AndCommandsByItsPlainPathRunInIt()
    {
        var db = OneListDatabase("target.duckdb");
        var expected = Coverage(db);
        var link = Path.Combine(_tmp.Path, "served-link.duckdb");
        File.CreateSymbolicLink(link, db);

        // Its checks read the file's length, not the link's.
        using var server = ServerProcess.Start(link);
        Assert.Contains("\"papers\":", await server.Http.GetStringAsync("/healthz"));

        var result = Coverage(db);
        Assert.Equal((0, expected.Out, ""), (result.Code, result.Out, result.Err));
        Assert.True(File.Exists(db + ".server"), "the link file goes beside the file itself");
    }

    [Fact]
    public void OutputPathsGivenRelative_AreWrittenAsGiven_ByAForwardedCommand()
    {
        var db = OneListDatabase("spelled.duckdb");
        var cwd = Directory.GetCurrentDirectory();
        var png = Path.GetRelativePath(cwd, Path.Combine(_tmp.Path, "overview.png"));
        var chart = Path.GetRelativePath(cwd, Path.Combine(_tmp.Path, "families.svg"));
        var alone = (Run.Cli(db, "export", "overview", "--out", png), Run.Cli(db, "chart", "overview/families", "--out", chart));

        using var server = ServerProcess.Start(db);
        var forwarded = (Run.Cli(db, "export", "overview", "--out", png), Run.Cli(db, "chart", "overview/families", "--out", chart));

        Assert.StartsWith($"Wrote {png} (", alone.Item1.Out);
        Assert.Equal((0, alone.Item1.Out), (forwarded.Item1.Code, forwarded.Item1.Out));
        Assert.Equal((0, alone.Item2.Out), (forwarded.Item2.Code, forwarded.Item2.Out));
    }

    [Fact]
    public void AServerThatHoldsTheDatabaseButDoesNotAnswer_IsOneClearLine()
    {
        var db = OneListDatabase("silent.duckdb");
        // A real server holds the file; its link names an address nobody listens on.
        using var server = ServerProcess.Start(db);
        File.WriteAllText(db + ".server", $$"""{"Url":"http://127.0.0.1:{{ServerProcess.FreePort()}}","Pid":{{server.Process.Id}},"Token":"x"}""");

        var result = Run.Cli(db, "query", "coverage");

        Assert.Equal(1, result.Code);
        Assert.Single(result.Err.Trim().Split('\n'));
        Assert.Contains($"a server (process {server.Process.Id}) holds the database but does not answer", result.Err);
    }

    [Fact]
    public void ALinkFileNamingAProcessThatHoldsNoLock_IsIgnoredAndRemoved()
    {
        var db = OneListDatabase("reused.duckdb");
        // A live process that is no server of this file (a dead server's id taken by another, or a
        // server being killed), at an address nobody listens on.
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        File.WriteAllText(db + ".server", $$"""{"Url":"http://127.0.0.1:{{ServerProcess.FreePort()}}","Pid":{{sleeper.Id}},"Token":"x"}""");
        try
        {
            var result = Coverage(db);

            Assert.True(result.Code == 0, result.Err);
            Assert.Contains("2025-02-10", result.Out);
            Assert.Equal("", result.Err);
            Assert.False(File.Exists(db + ".server"), "the stale link file is removed");
        }
        finally
        {
            sleeper.Kill();
        }
    }

    [Fact]
    public void ALinkFileOfAKilledServer_IsIgnored()
    {
        var db = OneListDatabase("stale.duckdb");
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        File.WriteAllText(db + ".server", $$"""{"Url":"http://127.0.0.1:9","Pid":{{gone.Id}},"Token":"x"}""");

        var result = Coverage(db);

        Assert.Equal(0, result.Code);
        Assert.Contains("2025-02-10", result.Out);
    }
}

/// <summary>How a forwarded command's output names the paths it was given.</summary>
public class ServerLinkSpellingTests
{
    [Theory]
    [InlineData("wrote /w/c4/reader.json.", "wrote reader.json.")]
    [InlineData("Wrote /w/c4/reader.json (12 bytes)", "Wrote reader.json (12 bytes)")]
    [InlineData("/w/c4/reader.json: cannot read", "reader.json: cannot read")]
    [InlineData("/w/c4/reader.json.bak is left as it was", "/w/c4/reader.json.bak is left as it was")]
    [InlineData("/w/c4/reader.jsonl", "/w/c4/reader.jsonl")]
    public void APathSent_IsNamedAsGiven_WhereverItEnds(string line, string expected) =>
        Assert.Equal(expected, TrendLens.Cli.ServerLink.AsGiven([("/w/c4/reader.json", "reader.json")])(line));
}
