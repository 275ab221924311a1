using Dapper;
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
/// lists are written or rolled up, one answer fewer is drawn at once; a busy server answers as before
/// when the new answer takes longer than <see cref="DashboardSite.AnswerDeadline"/>, and reads the
/// data's new state in the background.
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
    public async Task BusyAndSlow_AnswersAsBeforeAtTheDeadline_AndTheNewAnswerFinishesWithTheRequestsConnection()
    {
        using var site = Site();
        site.Data.Rollups.Refresh();
        Assert.Equal("old", site.Cached("chart|v1", () => "old", asked: "/d/overview/a.png"));
        using var release = new ManualResetEventSlim();
        // One other answer drawing: a slot is free, so the request draws the new data itself.
        var holders = HoldDrawingSlots(site, release, 1);

        var request = site.OpenRequest();
        var started = DateTime.UtcNow;
        string answer;
        using (request)
            answer = site.Cached("chart|v2", () =>
            {
                release.Wait(TimeSpan.FromSeconds(30));
                // The request has been answered and has let go of its connection by now.
                return "new " + request.Connection.ExecuteScalar<int>("select 42");
            }, asked: "/d/overview/a.png", reads: request);
        var waited = DateTime.UtcNow - started;

        release.Set();
        await Task.WhenAll(holders);
        Assert.Equal("old", answer);
        Assert.True(waited >= DashboardSite.AnswerDeadline - TimeSpan.FromMilliseconds(50), $"answered after {waited.TotalMilliseconds:F0} ms");
        // The drawing went on after the answer, into the cache.
        var drawn = "old";
        for (var i = 0; i < 300 && drawn == "old"; i++)
        {
            // While it is still being drawn, a request asked before is answered as before.
            drawn = site.Cached("chart|v2", () => "drawn again", asked: "/d/overview/a.png");
            if (drawn == "old") await Task.Delay(100);
        }
        Assert.Equal("new 42", drawn);
    }

    [Fact]
    public void NothingElseDrawing_ASlowAnswerIsWaitedFor()
    {
        using var site = Site();
        site.Data.Rollups.Refresh();
        Assert.Equal("old", site.Cached("chart|v1", () => "old", asked: "/d/overview/a.png"));
        using var request = site.OpenRequest();

        var answer = site.Cached("chart|v2", () =>
        {
            Thread.Sleep(DashboardSite.AnswerDeadline * 2);
            return "new";
        }, asked: "/d/overview/a.png", reads: request);

        Assert.Equal("new", answer);
    }

    [Fact]
    public async Task AfterAWrite_AQuietServerReadsTheStateForTheRequest_ABusyOneInTheBackground()
    {
        using var site = Site();
        site.Data.Rollups.Refresh();
        using var connection = site.Database.Open();
        var first = site.State(connection);

        // A state is kept for a second after it is read, whatever is written.
        var kept = TimeSpan.FromSeconds(1.1);

        // Quiet: the write is rolled up and nothing is drawing, so the request reads the state anew.
        await Task.Delay(kept);
        using (site.Database.AcquireWriteLock()) { }
        site.Data.Rollups.Refresh();
        var quiet = site.State(connection);
        Assert.NotSame(first, quiet);

        // Busy (a write not rolled up yet): the request gets the state it had, and it is read meanwhile.
        await Task.Delay(kept);
        using (site.Database.AcquireWriteLock()) { }
        Assert.True(site.Data.Rollups.Behind);
        Assert.Same(quiet, site.State(connection));
        var read = quiet;
        for (var i = 0; i < 300 && ReferenceEquals(read, quiet); i++)
        {
            await Task.Delay(20);
            read = site.State(connection);
        }
        Assert.NotSame(quiet, read);
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
