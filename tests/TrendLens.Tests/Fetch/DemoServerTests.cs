namespace TrendLens.Tests.Fetch;

/// <summary>
/// A server showing the demo's lists (the real executable in another process): commands given its
/// file run inside it, and an import of real lists beside it is told that it shows the demo.
/// </summary>
public sealed class DemoServerTests
{
    [Fact]
    public void ADemoServer_RunsTheCommandsGivenItsFile_AndAnImportBesideItIsToldWhatItServes()
    {
        using var tmp = new TempDir();
        var demo = Path.Combine(tmp.Path, "demo.duckdb");
        var main = Path.Combine(tmp.Path, "trendlens.duckdb");
        Assert.Equal(0, Run.Cli(demo, "import", Fixture.Path("hf-jsonl")).Code);
        // Marked as `serve` marks the demo's lists it builds: served as demo data by its name.
        Run.Scalar<long>(demo, "insert into demo_data values (timestamp '2025-03-20 12:00:00')");
        using var server = ServerProcess.Start(demo, new Dictionary<string, string> { ["TrendLens__Scheduler"] = "false" });

        Assert.True(File.Exists(demo + ".server"), "the demo server wrote its link file");
        var query = Run.Cli(demo, "query", "models", "--grain", "day", "--format", "csv");
        Assert.True(query.Code == 0, query.Err);
        Assert.StartsWith("period,", query.Out);

        var import = Run.Cli(main, "import", Fixture.Path("hf-json/2025-02-13.json"));
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains($"serves the demo data in {demo}, not these lists; stop it and start `trendlens serve` again to serve them", import.Err);
        // Nothing new, nothing to say; and nothing to say beside no server.
        Assert.DoesNotContain("demo", Run.Cli(main, "import", Fixture.Path("hf-json/2025-02-13.json")).Err);

        // Real lists are not stored among the demo's, through the server or not.
        var snapshots = Run.Cli(demo, "snapshots", "--format", "csv").Out;
        var intoDemo = Run.Cli(demo, "import", Fixture.Path("hf-json/2025-02-13.json"));
        Assert.Equal(1, intoDemo.Code);
        Assert.Contains("holds the synthetic demo lists that `serve` builds", intoDemo.Err);
        Assert.Equal(snapshots, Run.Cli(demo, "snapshots", "--format", "csv").Out);

        // A second serve of the folder whose demo is served names that server, without building anything.
        var again = Run.Cli(Path.Combine(tmp.Path, "empty.duckdb"), "serve", "--urls", $"http://127.0.0.1:{ServerProcess.FreePort()}");
        Assert.Equal(1, again.Code);
        Assert.Contains($"{demo} is already served at http://127.0.0.1:", again.Err);
        Assert.DoesNotContain("in use by another process", again.Err);
        server.Dispose();
        Assert.DoesNotContain("demo", Run.Cli(main, "import", Fixture.Path("hf-jsonl")).Err);
    }
}
