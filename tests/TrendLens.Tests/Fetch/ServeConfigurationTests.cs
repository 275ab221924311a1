using System.Diagnostics;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// <c>trendlens serve</c> reads its settings from the same sources as every command and checks
/// them when the host starts: a bad value ends it at once, with the key that holds it.
/// </summary>
public class ServeConfigurationTests(ImportedFixture imported) : IClassFixture<ImportedFixture>
{
    [Theory]
    [InlineData("""{ "TrendLens": { "Sources": [ { "Name": "hf-daily", "Schedule": "every morning" } ] } }""", "TrendLens:Sources:0:Schedule 'every morning' is not a Quartz cron expression")]
    [InlineData("""{ "TrendLens": { "RenderCacheMegabytes": 0 } }""", "TrendLens:RenderCacheMegabytes must be 1 to 65536, not 0")]
    [InlineData("""{ "TrendLens": { "Shedule": "0 0 7 ? * MON" } }""", "'Shedule'")]
    public async Task Serve_WithABadSetting_StopsAtStartWithItsKey(string config, string message) =>
        await ServeFails(config, message, imported.Db);

    /// <summary>Without a database, serve builds the demo's; with a bad setting it stops before building anything.</summary>
    [Fact]
    public async Task Serve_WithABadSetting_AndNoDatabase_BuildsNoDemo()
    {
        using var tmp = new TempDir();
        var db = Path.Combine(tmp.Path, "data", "trendlens.duckdb");

        await ServeFails("""{ "TrendLens": { "Sources": [ { "Name": "feed", "Kind": "rss" } ] } }""", "TrendLens:Sources:0:Kind must be one of", db);

        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "data")) && Directory.EnumerateFileSystemEntries(Path.Combine(tmp.Path, "data")).Any(),
            "serve left files behind: " + string.Join(", ", Directory.Exists(Path.Combine(tmp.Path, "data")) ? Directory.EnumerateFileSystemEntries(Path.Combine(tmp.Path, "data")) : []));
    }

    [Fact]
    public async Task Serve_WithSettingsNamingAFolder_SaysItIsAFolder()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "settings"));

        await ServeFails(null, "TRENDLENS_CONFIG names " + Path.Combine(tmp.Path, "settings") + ", a folder", Path.Combine(tmp.Path, "x.duckdb"), Path.Combine(tmp.Path, "settings"));

        Assert.False(File.Exists(Path.Combine(tmp.Path, "x.duckdb")));
    }

    private static async Task ServeFails(string? config, string message, string db, string? settingsPath = null)
    {
        using var tmp = new TempDir();
        var file = settingsPath ?? tmp.File("bad.json", config!);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "trendlens.dll"), "--db", db, "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}" })
            info.ArgumentList.Add(a);
        info.Environment["TRENDLENS_CONFIG"] = file;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("the server started with a bad setting: " + await output);
        }

        Assert.Equal(1, process.ExitCode);
        Assert.Contains(message, await error);
        Assert.Single((await error).Trim().Split('\n'));
        Assert.DoesNotContain("TrendLens serving", await output);
    }
}
