using System.Net;
using System.Text.Json;
using TrendLens.Cli.Commands;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>A damaged database file is named, with its problem, in one line: never a raw IO error, never an empty 500.</summary>
public class DamagedDatabaseTests
{
    private static TempDir Imported()
    {
        var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"));
        Assert.True(result.Code == 0, result.Err);
        return tmp;
    }

    private static void Truncate(string path, double fraction)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.SetLength((long)(file.Length * fraction));
    }

    private static void Overwrite(string path, long offset, int count)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.Position = offset;
        file.Write(Enumerable.Repeat((byte)0x55, count).ToArray());
    }

    public static IEnumerable<object[]> Damages() =>
    [
        ["truncated to half", new Action<string>(p => Truncate(p, 0.5))],
        ["truncated by one block", new Action<string>(p => Truncate(p, 1 - 262_144.0 / new FileInfo(p).Length))],
        ["overwritten headers", new Action<string>(p => Overwrite(p, 0, 12_288))],
        ["overwritten first blocks", new Action<string>(p => Overwrite(p, 12_288 + 1000, 600_000))],
    ];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Attack_Serve_OnADamagedFile_ExitsWithOneLineNamingItAndTheProblem(string damage, Action<string> harm)
    {
        using var tmp = Imported();
        harm(tmp.Db);

        var result = await Task.Run(() => Run.Cli(tmp.Db, "serve", "--urls", "http://127.0.0.1:0")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Code == 1, $"{damage}: exit {result.Code}; {result.Out}{result.Err}");
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"the database {tmp.Db} is damaged: ", line);
        Assert.DoesNotContain("serving", result.Out);
    }

    /// <summary>Damage every query meets (a query that reads no damaged block, like one past the last block a table uses, answers as usual).</summary>
    public static IEnumerable<object[]> OpeningDamages() => Damages().Where(d => (string)d[0] != "truncated by one block");

    [Theory]
    [MemberData(nameof(OpeningDamages))]
    public void Attack_Query_OnADamagedFile_SaysSoInOneLine(string damage, Action<string> harm)
    {
        using var tmp = Imported();
        harm(tmp.Db);

        var result = Run.Cli(tmp.Db, "query", "papers", "--format", "csv");

        Assert.True(result.Code == 1, $"{damage}: exit {result.Code}");
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("is damaged: ", line);
        Assert.Contains("restore it from a backup", line);
    }

    [Fact]
    public void Check_OfAHealthyFile_Passes()
    {
        using var tmp = Imported();
        var database = new Database(tmp.Db);
        using var connection = database.Open();

        DatabaseCheck.Verify(database, connection);
    }

    [Fact]
    public async Task Attack_Healthz_AfterTheFileIsTruncatedUnderTheServer_Is503WithTheReason()
    {
        using var tmp = Imported();
        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/d/overview")).StatusCode);

        Truncate(tmp.Db, 0.5);
        var health = await http.GetAsync("/healthz");

        Assert.True(health.StatusCode == HttpStatusCode.ServiceUnavailable, await health.Content.ReadAsStringAsync());
        using var doc = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("unavailable", doc.RootElement.GetProperty("status").GetString());
        Assert.Contains("bytes", doc.RootElement.GetProperty("reason").GetString());
        Assert.DoesNotContain(tmp.Path, await health.Content.ReadAsStringAsync());
    }
}
