using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using TrendLens.Cli;
using TrendLens.Cli.Scheduling;
using TrendLens.Snapshots;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// The hf-daily-api fetcher through the same resilient HTTP client the server uses, against a
/// fake Daily Papers API on loopback: every fault ends stored after retries, or as a failed run
/// with its reason (and the payload in quarantine when there was one).
/// </summary>
public sealed class FetchTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2025, 2, 13);
    private readonly TempDir _tmp = new();
    private FakeHfServer _hf = null!;

    public async Task InitializeAsync() => _hf = await FakeHfServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _hf.DisposeAsync();
        _tmp.Dispose();
    }

    /// <summary>Short timeouts and delays so faults resolve in a test's time; otherwise the shipped policy.</summary>
    public static SourceSettings FastSource(Uri baseUrl, int retries = 3) => new()
    {
        Name = "hf-daily",
        BaseUrl = baseUrl.AbsoluteUri,
        AttemptTimeoutSeconds = 0.5,
        TotalTimeoutSeconds = 20,
        Retries = retries,
        RetryDelaySeconds = 0.05,
        BreakSeconds = 1,
    };

    private async Task<FetchRun> FetchOnce(SourceSettings source, DateOnly day)
    {
        new TrendLensSettings { Sources = [source] }.Validate();
        using var clients = new FetchClients();
        var fetcher = new ListFetcher(clients.Source(source), Lexicons.Load(Lexicons.FindDirectory()), new FixedClock(Run.Today));
        var runs = await fetcher.FetchAsync(new Database(_tmp.Db), source.ToFetchSource(), [day], "command", CancellationToken.None);
        return Assert.Single(runs);
    }

    private long Count(string sql) => Run.Scalar<long>(_tmp.Db, sql);

    [Fact]
    public async Task HealthyList_IsStoredAndTagged()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 12));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal((FetchRun.Stored, 12, 1), (run.Status, run.EntriesAdded, run.Revision));
        Assert.Equal(12, Count("select count(*) from current_entries where list_date = '2025-02-13'"));
        Assert.Equal(12, Count("select count(*) from paper_families where family = 'Qwen'"));
        Assert.Equal(1, Count("select count(*) from fetch_runs where status = 'stored' and trigger = 'command'"));
        var seen = Assert.Single(_hf.Requests);
        Assert.Equal(100, seen.Limit);
    }

    [Fact]
    public async Task ASourcesQueryParameters_GoWithEveryPage()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 150));
        var source = FastSource(_hf.BaseUrl);
        source.Name = "hf-trending";
        source.Query["sort"] = "trending";

        var run = await FetchOnce(source, Day);

        Assert.Equal((FetchRun.Stored, 150, 2), (run.Status, run.EntriesAdded, run.Pages));
        Assert.All(_hf.Requests, r => Assert.Contains("&sort=trending", r.Query));
        Assert.Equal(150, Count("select count(*) from current_entries where source = 'hf-trending'"));
    }

    [Fact]
    public void AQueryParameterTheFetchSets_IsASettingsError()
    {
        var source = FastSource(_hf.BaseUrl);
        source.Query["limit"] = "5";
        var error = Assert.Throws<SettingsException>(() => new TrendLensSettings { Sources = [source] }.Validate());
        Assert.Contains("TrendLens:Sources:0:Query:limit", error.Message);
    }

    [Fact]
    public async Task ServerErrors_AreRetried_ThenStored()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 5));
        _hf.Script(Day, new FakeHfServer.Reply(500, "oops"), new FakeHfServer.Reply(503, "busy"));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal(FetchRun.Stored, run.Status);
        Assert.Equal(3, _hf.RequestsFor(Day));
        Assert.Equal(5, Count("select count(*) from current_entries"));
    }

    [Fact]
    public async Task TooManyRequests_WaitsForRetryAfter_ThenStores()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 5));
        _hf.Script(Day, new FakeHfServer.Reply(429, "slow down", RetryAfter: "1"));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal(FetchRun.Stored, run.Status);
        var times = _hf.Requests.Select(r => r.At).ToList();
        Assert.Equal(2, times.Count);
        var gap = times[1] - times[0];
        Assert.True(gap >= TimeSpan.FromSeconds(0.9), $"retried after {gap.TotalMilliseconds:0} ms, before Retry-After's 1 s");
    }

    [Fact]
    public async Task SlowAnswer_TimesOut_AndTheRetrySucceeds()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 5));
        _hf.Script(Day, new FakeHfServer.Reply(200, "[]", Delay: TimeSpan.FromSeconds(5)));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        // The slow answer ("[]", no entries) was cut and the list stored from the second attempt.
        Assert.Equal(FetchRun.Stored, run.Status);
        Assert.Equal(5, run.EntriesAdded);
        Assert.Equal(2, _hf.RequestsFor(Day));
    }

    [Fact]
    public async Task AlwaysSlow_IsAFailedRunWithItsReason()
    {
        for (var i = 0; i < 4; i++) _hf.Script(Day, new FakeHfServer.Reply(200, "[]", Delay: TimeSpan.FromSeconds(5)));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("no answer in time", run.Error);
        Assert.Equal(4, _hf.RequestsFor(Day));
        Assert.Equal(0, Count("select count(*) from snapshots"));
        Assert.Equal(1, Count("select count(*) from fetch_runs where status = 'failed' and error like '%no answer in time%'"));
    }

    /// <summary>A body that would take minutes: headers at once, then a byte every 50 ms.</summary>
    private static FakeHfServer.Reply Trickling() => new(200, "[" + new string(' ', 4000) + "]", Trickle: TimeSpan.FromMilliseconds(50));

    [Fact]
    public async Task Attack_TricklingBody_IsCutAtTheAttemptTimeout_AndTheRetryStores()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 5));
        _hf.Script(Day, Trickling());

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        // Read whole, the trickling body is an empty list: five entries mean the retry stored the day.
        Assert.Equal((FetchRun.Stored, 5), (run.Status, run.EntriesAdded));
        Assert.Equal(2, _hf.RequestsFor(Day));
    }

    [Fact]
    public async Task Attack_TricklingEveryAttempt_FailsWithinTheTotalTimeout_AndReleasesTheSource()
    {
        var source = FastSource(_hf.BaseUrl, retries: 10);
        source.TotalTimeoutSeconds = 2;
        for (var i = 0; i < 11; i++) _hf.Script(Day, Trickling());
        var next = Day.AddDays(1);
        _hf.SetList(next, FakeHfServer.List(next, 3));

        var run = await FetchOnce(source, Day);
        var after = await FetchOnce(source, next);

        // The total timeout ended the fetch, not the retries running out.
        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("within 2 s", run.Error);
        Assert.InRange(_hf.RequestsFor(Day), 1, 10);
        Assert.Equal(FetchRun.Stored, after.Status);
        Assert.Equal(0, Count("select count(*) from snapshots where list_date = '2025-02-13'"));
    }

    [Fact]
    public async Task ConnectionRefused_IsAFailedRunWithItsReason()
    {
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var run = await FetchOnce(FastSource(new Uri($"http://127.0.0.1:{port}/"), retries: 1), Day);

        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("connection failed", run.Error);
        Assert.Contains("refused", run.Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, Count("select count(*) from snapshots"));
    }

    [Fact]
    public async Task Attack_HtmlErrorPageWithStatus200_IsQuarantinedVerbatim()
    {
        const string html = "<!doctype html><html><body><h1>We'll be right back</h1></body></html>";
        _hf.Script(Day, new FakeHfServer.Reply(200, html, "text/html"));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal(FetchRun.Quarantined, run.Status);
        Assert.Contains("HTML", run.Error, StringComparison.OrdinalIgnoreCase);
        var kept = Assert.Single(Run.Blobs(_tmp.Db, "select p.content from quarantine q join payload_content p using (payload_id)"));
        Assert.Equal(html, System.Text.Encoding.UTF8.GetString(kept));
        Assert.Equal(0, Count("select count(*) from snapshots"));
        Assert.Equal(0, Count("select count(*) from list_entries"));
    }

    [Fact]
    public async Task Attack_MalformedJson_IsQuarantinedWithThePosition()
    {
        _hf.Script(Day, new FakeHfServer.Reply(200, "[{\"paper\": {\"id\": \"2502.13001\", \"title\": "));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal(FetchRun.Quarantined, run.Status);
        Assert.Matches("line 1|byte|position", run.Error);
        Assert.Equal(1, Count("select count(*) from quarantine"));
        Assert.Equal(0, Count("select count(*) from list_entries"));
    }

    [Fact]
    public async Task PaginatedAnswer_FollowsLinkHeaders_AndStoresEveryPage()
    {
        _hf.LinkHeaders = true;
        _hf.SetList(Day, FakeHfServer.List(Day, 130));
        var source = FastSource(_hf.BaseUrl);
        source.PageSize = 50;

        var run = await FetchOnce(source, Day);

        Assert.Equal((FetchRun.Stored, 130, 3), (run.Status, run.EntriesAdded, run.Pages));
        Assert.Equal([0, 1, 2], _hf.Requests.Select(r => r.Page).Order());
        Assert.Equal(130, Count("select count(distinct paper_id) from current_entries"));
        Assert.Equal(130, Count("select max(rank) from current_entries"));
    }

    [Fact]
    public async Task FullPageWithoutLink_AsksForTheNextPage()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 120));

        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal((FetchRun.Stored, 120, 2), (run.Status, run.EntriesAdded, run.Pages));
        Assert.Equal([0, 1], _hf.Requests.Select(r => r.Page).Order());
    }

    [Fact]
    public async Task EmptyList_IsNoList_NotAFailure()
    {
        var run = await FetchOnce(FastSource(_hf.BaseUrl), Day);

        Assert.Equal(FetchRun.NoList, run.Status);
        Assert.True(run.Succeeded);
        Assert.Equal(0, Count("select count(*) from snapshots"));
        Assert.Equal(1, Count("select count(*) from fetch_runs where status = 'no-list'"));
        Assert.Equal(1, Count("select count(*) from no_lists"));
    }

    [Fact]
    public async Task Attack_EmptyList_AfterAStoredDay_LeavesTheDayAsItWas()
    {
        var source = FastSource(_hf.BaseUrl);
        _hf.SetList(Day, FakeHfServer.List(Day, 4));
        Assert.Equal(FetchRun.Stored, (await FetchOnce(source, Day)).Status);
        _hf.SetList(Day, []);

        var run = await FetchOnce(source, Day);

        Assert.Equal(FetchRun.NoList, run.Status);
        Assert.Equal(1, Count("select count(*) from snapshots"));
        Assert.Equal(4, Count("select count(*) from current_entries"));
        Assert.Equal(1, Count("select count(*) from no_lists n join payload_content p on p.payload_id = n.payload_id where p.content = '[]'::blob"));
    }

    [Fact]
    public async Task Attack_RedirectToAnotherHost_IsNotFollowed_AndNothingIsStored()
    {
        await using var other = await FakeHfServer.StartAsync();
        other.SetList(Day, FakeHfServer.List(Day, 3));
        _hf.Script(Day, new FakeHfServer.Reply(302, "", Location: $"{other.BaseUrl}api/daily_papers?date=2025-02-13&limit=100"));

        var run = await FetchOnce(FastSource(_hf.BaseUrl, retries: 0), Day);

        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("redirected to another host", run.Error);
        Assert.Equal(0, other.RequestsFor(Day));
        Assert.Equal(0, Count("select count(*) from payloads"));
    }

    [Fact]
    public async Task RedirectOnTheSameHost_IsFollowed()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 3));
        _hf.Script(Day, new FakeHfServer.Reply(301, "", Location: "/api/daily_papers?date=2025-02-13&limit=100"));

        var run = await FetchOnce(FastSource(_hf.BaseUrl, retries: 0), Day);

        Assert.Equal((FetchRun.Stored, 3), (run.Status, run.EntriesAdded));
    }

    [Fact]
    public async Task Attack_PagesBeyondTheByteBudget_AreRefusedBeforeTheNextIsRead()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 250));
        var source = FastSource(_hf.BaseUrl, retries: 0);
        new TrendLensSettings { Sources = [source] }.Validate();
        using var clients = new FetchClients();
        var client = clients.For(source);
        var onePage = (await client.GetByteArrayAsync(new Uri(_hf.BaseUrl, "api/daily_papers?date=2025-02-13&limit=100"))).Length;
        var api = new TrendLens.Sources.HfDailyApi(client, maxListBytes: onePage + onePage / 2);

        var error = await Assert.ThrowsAsync<TrendLens.Sources.FetchException>(() => api.FetchAsync(_hf.BaseUrl, Day, 100, CancellationToken.None));

        Assert.Contains("add up to more than", error.Message);
        Assert.Equal(3, _hf.RequestsFor(Day)); // the probe, then pages 0 and 1; page 2 never asked for
    }

    [Fact]
    public async Task SameListTwice_IsUnchanged_AndAChangedListIsARevision()
    {
        var list = FakeHfServer.List(Day, 4);
        _hf.SetList(Day, list);
        var source = FastSource(_hf.BaseUrl);
        Assert.Equal(FetchRun.Stored, (await FetchOnce(source, Day)).Status);

        Assert.Equal(FetchRun.Unchanged, (await FetchOnce(source, Day)).Status);
        _hf.SetList(Day, [.. list, FakeHfServer.Entry("2502.13999", "A Late Paper", "Added later in the day.", 1, Day)]);
        var revised = await FetchOnce(source, Day);

        Assert.Equal((FetchRun.Revised, 2, 5), (revised.Status, revised.Revision, revised.EntriesAdded));
        Assert.Equal(5, Count("select count(*) from current_entries"));

        // The first list again adds nothing, and the run says the later revision stays current.
        _hf.SetList(Day, list);
        var back = await FetchOnce(source, Day);
        Assert.Equal((FetchRun.Unchanged, 1, 2), (back.Status, back.Revision, back.Current));
        Assert.Equal("hf-daily 2025-02-13: unchanged (same as revision 1; revision 2, stored later, stays current)", TrendLens.Cli.Commands.FetchCommand.Describe(back));
        Assert.Equal(5, Count("select count(*) from current_entries"));
    }

    [Fact]
    public async Task FetchCommand_StoresADay_AndSaysWhat()
    {
        _hf.SetList(Day, FakeHfServer.List(Day, 3));

        var result = Run.Cli(_tmp.Db, "fetch", "--date", "2025-02-13", "--base-url", _hf.BaseUrl.AbsoluteUri);

        Assert.Equal(0, result.Code);
        Assert.Contains("hf-daily 2025-02-13: stored (revision 1, 3 entries)", result.Out);
        Assert.Contains("Fetched 1 day(s) from hf-daily", result.Out);
        Assert.Equal(3, Count("select count(*) from current_entries"));
    }

    [Fact]
    public async Task FetchCommand_FailedDay_ExitsOneWithTheReason()
    {
        for (var i = 0; i < 5; i++) _hf.Script(Day, new FakeHfServer.Reply(404, "not here"));

        var result = Run.Cli(_tmp.Db, "fetch", "--date", "2025-02-13", "--base-url", _hf.BaseUrl.AbsoluteUri);

        Assert.Equal(1, result.Code);
        Assert.Contains("hf-daily 2025-02-13: failed:", result.Err);
        Assert.Contains("HTTP 404", result.Err);
        Assert.Equal(1, _hf.RequestsFor(Day));
    }

    [Theory]
    [InlineData("--date", "2025-02-30", "expects a date")]
    [InlineData("--from", "2025-02-10", "give both --from and --to")]
    public void FetchCommand_BadDates_AreUsageErrors(string option, string value, string message)
    {
        var result = Run.Cli(_tmp.Db, "fetch", option, value, "--base-url", _hf.BaseUrl.AbsoluteUri);

        Assert.Equal(2, result.Code);
        Assert.Contains(message, result.Err);
        Assert.Empty(_hf.Requests);
    }
}
