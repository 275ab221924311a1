using TrendLens.Cli;
using TrendLens.Cli.Web;
using TrendLens.Dashboards;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Web;

/// <summary>
/// The render cache after new data: with nothing else drawing every request gets the new data;
/// when as many answers as <see cref="DashboardSite.DrawingAtOnce"/> are being drawn, a request
/// asked before gets its previous answer at once, and the next free request draws it anew.
/// </summary>
public class BusyCacheTests
{
    private static DashboardSite Site() =>
        new(new ServerData(new Database(":memory:"), null, demo: false), DashboardCatalog.Load(Lexicons.FindDirectory()));

    /// <summary>Other answers of the new data, drawing in every slot until <paramref name="release"/> is set.</summary>
    private static Task[] HoldEveryDrawingSlot(DashboardSite site, ManualResetEventSlim release)
    {
        using var started = new CountdownEvent(DashboardSite.DrawingAtOnce);
        var holders = Enumerable.Range(0, DashboardSite.DrawingAtOnce).Select(i => Task.Factory.StartNew(() =>
            site.Cached($"other{i}|v2", () => { started.Signal(); release.Wait(TimeSpan.FromSeconds(30)); return "held"; }, asked: $"/d/overview/other{i}.png"),
            TaskCreationOptions.LongRunning)).ToArray();
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        return holders;
    }

    [Fact]
    public void NothingElseDrawing_NewDataIsDrawnForTheRequest()
    {
        using var site = Site();
        Assert.Equal("old", site.Cached("chart|v1", () => "old", asked: "/d/overview/a.png"));

        Assert.Equal("new", site.Cached("chart|v2", () => "new", asked: "/d/overview/a.png"));
    }

    [Fact]
    public async Task BusyDrawing_AnswersAsBefore_ThenDrawsWhenThereIsRoom()
    {
        using var site = Site();
        Assert.Equal("old", site.Cached("chart|v1", () => "old", asked: "/d/overview/a.png"));

        using var release = new ManualResetEventSlim();
        var holders = HoldEveryDrawingSlot(site, release);

        var drawn = 0;
        var busyAnswer = site.Cached("chart|v2", () => { drawn++; return "new"; }, asked: "/d/overview/a.png");
        // Asked never before: nothing to answer from, so it is drawn even now.
        var firstAsk = site.Cached("fresh|v2", () => "first", asked: "/d/overview/b.png");

        release.Set();
        await Task.WhenAll(holders);
        Assert.Equal("old", busyAnswer);
        Assert.Equal(0, drawn);
        Assert.Equal("first", firstAsk);

        Assert.Equal("new", site.Cached("chart|v2", () => { drawn++; return "new"; }, asked: "/d/overview/a.png"));
        Assert.Equal(1, drawn);
    }

    [Fact]
    public async Task ValuesMadeInsideAnAnswer_AreAlwaysOfTheNewData()
    {
        using var site = Site();
        Assert.Equal("old", site.Cached("rows|v1", () => "old", asked: "/d/overview/rows.csv"));
        using var release = new ManualResetEventSlim();
        var holders = HoldEveryDrawingSlot(site, release);

        // A page being drawn asks for its rows: the page is the answer, its rows are made fresh.
        var page = site.Cached("page|v2", () => "page of " + site.Cached("rows|v2", () => "new", asked: "/d/overview/rows.csv"));
        release.Set();
        await Task.WhenAll(holders);

        Assert.Equal("page of new", page);
    }
}
