using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// The real server process, killed with SIGKILL while its scheduler fetches and while it imports
/// through the API, then started again: the database opens, nothing committed is lost, no
/// snapshot is partial, and the scheduler catches up.
/// </summary>
public sealed class ServerKillTests : IAsyncLifetime
{
    private static readonly DateOnly First = new(2025, 1, 1);
    private const int Days = 30;
    private readonly TempDir _tmp = new();
    private readonly Dictionary<DateOnly, string> _lists = [];
    private FakeHfServer _hf = null!;

    public async Task InitializeAsync()
    {
        // A database with lists in it, so `serve` shows it rather than demo data.
        Assert.Equal(0, Run.Cli(_tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")).Code);
        _hf = await FakeHfServer.StartAsync();
        for (var d = 0; d < Days; d++)
        {
            var day = First.AddDays(d);
            _hf.SetList(day, FakeHfServer.List(day, 20));
            _lists[day] = "[" + string.Join(",", FakeHfServer.List(day, 20)) + "]";
        }
    }

    public async Task DisposeAsync()
    {
        await _hf.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>The server on a fresh port, fetching the fake source for the 30 days before "today" (its catch-up window).</summary>
    private ServerProcess Serve()
    {
        var lagDays = DateOnly.FromDateTime(DateTime.UtcNow).DayNumber - First.AddDays(Days - 1).DayNumber;
        return ServerProcess.Start(_tmp.Db, new Dictionary<string, string>
        {
            ["TRENDLENS_ADMIN_TOKEN"] = "t",
            ["TrendLens__Sources__0__BaseUrl"] = _hf.BaseUrl.AbsoluteUri,
            ["TrendLens__Sources__0__CatchUpDays"] = Days.ToString(),
            ["TrendLens__Sources__0__LagDays"] = lagDays.ToString(),
            ["TrendLens__Sources__0__AttemptTimeoutSeconds"] = "5",
            ["TrendLens__Sources__0__Schedule"] = "0 30 6 * * ?",
        });
    }

    private void AssertWholeSnapshotsOnly(int entriesPerDay, string which)
    {
        var partial = Run.Scalar<long>(_tmp.Db, """
            select count(*) from snapshots s
            where s.entries <> (select count(*) from list_entries e where e.source = s.source and e.list_date = s.list_date and e.revision = s.revision)
            """);
        Assert.Equal(0, partial);
        Assert.Equal(0, Run.Scalar<long>(_tmp.Db, $"select count(*) from snapshots where {which} and entries <> {entriesPerDay}"));
        Assert.Equal(0, Run.Scalar<long>(_tmp.Db, """
            select count(*) from list_entries e
            where not exists (select 1 from snapshots s where s.source = e.source and s.list_date = e.list_date and s.revision = e.revision)
            """));
    }

    [Fact]
    public async Task Attack_KilledDuringAScheduledFetch_RestartsAndCatchesUp()
    {
        // Each day answers slowly the first time, so the kill lands in the middle of the start-up catch-up.
        foreach (var (day, body) in _lists) _hf.Script(day, new FakeHfServer.Reply(200, body, Delay: TimeSpan.FromMilliseconds(150)));
        var server = Serve();
        var http = server.Http;
        for (var i = 0; i < 300 && _hf.Requests.Select(r => r.Date).Distinct().Count() < 10; i++) await Task.Delay(50);
        server.Kill();
        var seenBeforeKill = _hf.Requests.Select(r => r.Date).Distinct().Count();
        Assert.InRange(seenBeforeKill, 10, Days);

        var stored = Run.Scalar<long>(_tmp.Db, "select count(*) from snapshots");
        AssertWholeSnapshotsOnly(20, "source = 'hf-daily' and list_date < '2025-02-01'");

        server = Serve();
        http = server.Http;
        var runs = 0;
        // The restarted server catches up 30 days, each fetched, stored and rolled up; beside the
        // rest of the suite on two cores that took over 30 s, so it has up to two minutes.
        var catchingUp = System.Diagnostics.Stopwatch.StartNew();
        while (runs < Days && catchingUp.Elapsed < TimeSpan.FromMinutes(2))
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync("/admin/runs.json"));
            runs = doc.RootElement.GetProperty("runs").EnumerateArray()
                .Where(r => r.GetProperty("status").GetString() is "stored" or "unchanged")
                .Select(r => r.GetProperty("list_date").GetString()).Distinct().Count();
            await Task.Delay(100);
        }
        server.Kill();

        Assert.Equal(Days, runs);
        AssertWholeSnapshotsOnly(20, "source = 'hf-daily' and list_date < '2025-02-01'");
        // Every day is stored exactly once: what was committed before the kill stayed, the rest was caught up.
        Assert.Equal(Days, Run.Scalar<long>(_tmp.Db, "select count(*) from snapshots where list_date < '2025-02-01'"));
        Assert.Equal(Days, Run.Scalar<long>(_tmp.Db, "select count(distinct list_date) from snapshots where list_date < '2025-02-01'"));
        Assert.True(stored > 0, "nothing was stored before the kill");
    }

    [Fact]
    public async Task Attack_KilledDuringApiImports_KeepsWhatWasCommitted_AndTheRestGoesIn()
    {
        var days = Enumerable.Range(0, 60).Select(d => new DateOnly(2024, 3, 1).AddDays(d)).ToList();
        byte[] Payload(DateOnly day) => System.Text.Encoding.UTF8.GetBytes(string.Join("\n",
            Enumerable.Range(1, 25).Select(r => $$"""{"date":"{{day:yyyy-MM-dd}}","rank":{{r}},"id":"24{{day.Month:00}}.{{day.Day:00}}{{r:000}}","title":"Paper {{r}} of {{day:yyyy-MM-dd}}","summary":"{{new string('y', 800)}}","authors":["A"]}""")) + "\n");
        async Task<int> PostAll(HttpClient http, CancellationToken stop)
        {
            var done = 0;
            foreach (var day in days)
            {
                if (stop.IsCancellationRequested) break;
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/import") { Content = new ByteArrayContent(Payload(day)) };
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "t");
                try
                {
                    using var response = await http.SendAsync(request, stop);
                    if (response.IsSuccessStatusCode)
                    {
                        done++;
                        Interlocked.Increment(ref _acknowledged);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    break;
                }
            }
            return done;
        }

        var server = Serve();
        var http = server.Http;
        using var cancel = new CancellationTokenSource();
        var posting = PostAll(http, cancel.Token);
        // Kill once a good part is in, while the next imports are on their way.
        while (!posting.IsCompleted && Volatile.Read(ref _acknowledged) < 15) await Task.Delay(5);
        server.Kill();
        cancel.Cancel();
        var acknowledged = await posting;
        Assert.InRange(acknowledged, 15, days.Count - 1);

        AssertWholeSnapshotsOnly(25, "list_date < '2025-01-01'");
        var kept = Run.Scalar<long>(_tmp.Db, "select count(*) from snapshots where list_date < '2025-01-01'");
        Assert.True(kept >= acknowledged, $"{acknowledged} imports were acknowledged but only {kept} days are stored");

        server = Serve();
        http = server.Http;
        Assert.Equal(days.Count, await PostAll(http, CancellationToken.None));
        server.Kill();
        AssertWholeSnapshotsOnly(25, "list_date < '2025-01-01'");
        Assert.Equal(days.Count, Run.Scalar<long>(_tmp.Db, "select count(*) from snapshots where list_date < '2025-01-01'"));
    }

    private int _acknowledged;
}
