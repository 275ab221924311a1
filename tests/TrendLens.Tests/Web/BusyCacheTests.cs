using TrendLens.Cli;
using TrendLens.Cli.Web;
using TrendLens.Dashboards;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Web;

/// <summary>
/// The render cache after new data: with nothing else drawing every request gets the new data;
/// when as many answers as <see cref="DashboardSite.DrawingAtOnce"/> are being drawn, a request
/// asked before gets its previous answer at once, and the next free request draws it anew; while
/// lists are written or rolled up, one answer fewer is drawn at once.
/// </summary>
public class BusyCacheTests
{
    private static DashboardSite Site() =>
        new(new ServerData(new Database(":memory:"), null, demo: false), DashboardCatalog.Load(Lexicons.FindDirectory()));

    /// <summary>Other answers of the new data, drawing in every slot until <paramref name="release"/> is set.</summary>
    private static Task[] HoldEveryDrawingSlot(DashboardSite site, ManualResetEventSlim release) =>
        HoldDrawingSlots(site, release, DashboardSite.DrawingAtOnce);

    /// <summary>Other answers of the new data, drawing in <paramref name="slots"/> slots until <paramref name="release"/> is set.</summary>
    private static Task[] HoldDrawingSlots(DashboardSite site, ManualResetEventSlim release, int slots)
    {
        using var started = new CountdownEvent(slots);
        var holders = Enumerable.Range(0, slots).Select(i => Task.Factory.StartNew(() =>
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
    public async Task WhileListsAreWrittenOrRolledUp_OneSlotFewerIsDrawn()
    {
        using var site = Site();
        site.Data.Rollups.Refresh();
        Assert.False(site.Data.Rollups.Behind);
        foreach (var chart in new[] { "a", "b", "c" })
            Assert.Equal("old", site.Cached($"{chart}|v1", () => "old", asked: $"/d/overview/{chart}.png"));
        using var release = new ManualResetEventSlim();
        var holders = HoldDrawingSlots(site, release, DashboardSite.DrawingAtOnce - 1);

        // Nothing written: one slot is free, and the request draws the new data.
        Assert.Equal("new", site.Cached("a|v2", () => "new", asked: "/d/overview/a.png"));
        string whileWritten, whileBehind;
        using (site.Data.Database.AcquireWriteLock())
            whileWritten = site.Cached("b|v2", () => "new", asked: "/d/overview/b.png");
        // The write is committed and not rolled up yet: the rollup takes that core now.
        Assert.True(site.Data.Rollups.Behind);
        whileBehind = site.Cached("c|v2", () => "new", asked: "/d/overview/c.png");
        site.Data.Rollups.Refresh();
        var rolledUp = site.Cached("c|v2", () => "new", asked: "/d/overview/c.png");
        release.Set();
        await Task.WhenAll(holders);

        Assert.Equal("old", whileWritten);
        Assert.Equal("old", whileBehind);
        Assert.Equal("new", rolledUp);
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
