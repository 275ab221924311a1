using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using TrendLens.Cli;
using TrendLens.Cli.Commands;
using TrendLens.Cli.Scheduling;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// Quartz inside the real server, on a fake clock (Quartz runs on the TimeProvider it is given),
/// fetching from a fake Daily Papers API on loopback.
/// </summary>
public sealed class SchedulerTests : IAsyncLifetime
{
    private static readonly DateOnly Mon = new(2025, 2, 10);
    private readonly TempDir _tmp = new();
    private FakeHfServer _hf = null!;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        _hf = await FakeHfServer.StartAsync();
        for (var d = Mon; d <= Mon.AddDays(4); d = d.AddDays(1)) _hf.SetList(d, FakeHfServer.List(d, 3));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        await _hf.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<(WebApplication App, HttpClient Http)> Serve(FakeTimeProvider clock, int catchUpDays = 4, int backfillDays = 120)
    {
        var source = FetchTests.FastSource(_hf.BaseUrl);
        source.CatchUpDays = catchUpDays;
        source.BackfillDays = backfillDays;
        var settings = new TrendLensSettings { Sources = [source], AdminToken = "secret" }.Validate();
        _app = ServeCommand.Create(new Database(_tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", settings, clock);
        await _app.StartAsync();
        return (_app, new HttpClient { BaseAddress = new Uri(_app.Urls.First()) });
    }

    private List<(DateTime ListDate, string Trigger, string Status)> Runs()
    {
        using var connection = new Database(_tmp.Db).Open();
        return connection.Query<(DateTime, string, string)>("select list_date, trigger, status from fetch_runs order by run_id").ToList();
    }

    private async Task<List<(DateTime ListDate, string Trigger, string Status)>> WaitForRuns(int count, string what, int seconds = 10)
    {
        for (var i = 0; i < seconds * 20; i++)
        {
            var runs = Runs();
            if (runs.Count >= count) return runs;
            await Task.Delay(50);
        }
        throw new TimeoutException($"waited {seconds} s for {what}; runs: {string.Join("; ", Runs())}");
    }

    private static async Task<IScheduler> Scheduler(WebApplication app) =>
        await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();

    [Fact]
    public async Task Restart_CatchesUpTheThreeMissedDays()
    {
        // Monday's list was fetched before the server went down; it comes back on Friday morning.
        Assert.Equal(0, Run.Cli(_tmp.Db, "fetch", "--date", "2025-02-10", "--base-url", _hf.BaseUrl.AbsoluteUri).Code);
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 14, 7, 0, 0, TimeSpan.Zero));

        await Serve(clock);
        var runs = await WaitForRuns(4, "the start-up catch-up");

        Assert.Equal(
            [(new DateTime(2025, 2, 11), "start-up", "stored"), (new DateTime(2025, 2, 12), "start-up", "stored"), (new DateTime(2025, 2, 13), "start-up", "stored")],
            runs.Skip(1));
        foreach (var d in new[] { 11, 12, 13 }) Assert.Equal(1, _hf.RequestsFor(new DateOnly(2025, 2, d)));
        Assert.Equal(1, _hf.RequestsFor(Mon));
        Assert.Equal(0, _hf.RequestsFor(new DateOnly(2025, 2, 14)));
    }

    /// <summary>
    /// The server was down from January 2 to February 14: the start-up run fetches every day after
    /// the last stored list, as far back as BackfillDays allows, beside the catch-up window.
    /// </summary>
    [Theory]
    [InlineData(120, 43)]
    [InlineData(10, 10)]
    [InlineData(0, 2)]
    public async Task LongDowntime_IsFilledByTheBackfill_AsFarBackAsItReaches(int backfillDays, int fetched)
    {
        var first = new DateOnly(2025, 1, 1);
        for (var d = first; d <= Mon.AddDays(3); d = d.AddDays(1)) _hf.SetList(d, FakeHfServer.List(d, 2));
        Assert.Equal(0, Run.Cli(_tmp.Db, "fetch", "--date", "2025-01-01", "--base-url", _hf.BaseUrl.AbsoluteUri).Code);
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 14, 7, 0, 0, TimeSpan.Zero));

        await Serve(clock, catchUpDays: 2, backfillDays);
        // Days are fetched oldest first: a day too many would be the first one.
        var runs = await WaitForRuns(1 + fetched, "the start-up run", seconds: 60);

        var days = runs.Skip(1).Take(fetched).Select(r => DateOnly.FromDateTime(r.ListDate)).ToList();
        Assert.Equal(new DateOnly(2025, 2, 13), days[^1]);
        Assert.Equal(new DateOnly(2025, 2, 13).AddDays(1 - fetched), days[0]);
        Assert.Equal(Enumerable.Range(0, fetched).Select(i => days[0].AddDays(i)), days);
        Assert.All(runs.Skip(1).Take(fetched), r => Assert.Equal(("start-up", "stored"), (r.Trigger, r.Status)));
    }

    [Fact]
    public async Task DailyTrigger_FiresAt0630_AndSucceedsOnceTheSourceIsHealthy()
    {
        var thu = new DateOnly(2025, 2, 13);
        // At start-up the source is down for Thursday's list: 500 on every attempt.
        for (var i = 0; i < 4; i++) _hf.Script(thu, new FakeHfServer.Reply(500, "down"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 14, 6, 29, 0, TimeSpan.Zero));
        var (app, http) = await Serve(clock, catchUpDays: 1);

        var failed = await WaitForRuns(1, "the start-up run");
        Assert.Equal((new DateTime(2025, 2, 13), "start-up", "failed"), failed[0]);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Contains("HTTP 500", await http.GetStringAsync("/admin/runs"));

        var scheduler = await Scheduler(app);
        var daily = await scheduler.GetTrigger(new TriggerKey("schedule:hf-daily", FetchJob.Group));
        Assert.Equal(new DateTimeOffset(2025, 2, 14, 6, 30, 0, TimeSpan.Zero), daily!.NextFireTimeUtc);

        clock.Advance(TimeSpan.FromMinutes(1.5));
        var runs = await WaitForRuns(2, "the 06:30 run");

        Assert.Equal((new DateTime(2025, 2, 13), "schedule", "stored"), runs[1]);
        Assert.Equal(new DateTimeOffset(2025, 2, 15, 6, 30, 0, TimeSpan.Zero), (await scheduler.GetTrigger(daily.Key))!.NextFireTimeUtc);
        Assert.Contains("2025-02-13", await http.GetStringAsync("/d/overview/top-papers.csv?from=2025-02-13&to=2025-02-13"));
    }

    [Fact]
    public async Task OverlappingTriggers_FetchEachDayOnce()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 14, 7, 0, 0, TimeSpan.Zero));
        var (app, _) = await Serve(clock, catchUpDays: 4);
        await WaitForRuns(4, "the start-up catch-up");
        var scheduler = await Scheduler(app);

        // On Saturday before 06:30 Friday's list is due; two triggers fire the job at the same moment.
        clock.Advance(TimeSpan.FromHours(23));
        var key = FetchJob.KeyFor("hf-daily");
        var finished = new FinishedJobs();
        scheduler.ListenerManager.AddJobListener(finished, Matchers.Key(key));
        await Task.WhenAll(scheduler.TriggerJob(key).AsTask(), scheduler.TriggerJob(key).AsTask());
        await finished.WaitFor(2);
        var runs = Runs();

        Assert.Equal(5, Runs().Count);
        Assert.Equal((new DateTime(2025, 2, 14), "manual", "stored"), runs[4]);
        for (var d = Mon; d <= Mon.AddDays(4); d = d.AddDays(1)) Assert.Equal(1, _hf.RequestsFor(d));
    }

    /// <summary>Counts the executions of a job that ended, so a test can wait for both of two triggers.</summary>
    private sealed class FinishedJobs : IJobListener
    {
        private int _count;

        public string Name => "finished-jobs";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }

        public async Task WaitFor(int count)
        {
            for (var i = 0; i < 400 && Volatile.Read(ref _count) < count; i++) await Task.Delay(25);
            Assert.True(Volatile.Read(ref _count) >= count, $"{_count} of {count} executions ended in 10 s");
        }
    }
}
