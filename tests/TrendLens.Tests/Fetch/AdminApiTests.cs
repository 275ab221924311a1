using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using TrendLens.Cli;
using TrendLens.Cli.Commands;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Fetch;

/// <summary>POST /api/fetch behind the admin token, and the run history at /admin/runs, on a real Kestrel.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2025, 2, 13);
    private readonly TempDir _tmp = new();
    private FakeHfServer _hf = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _hf = await FakeHfServer.StartAsync();
        _hf.SetList(Day, FakeHfServer.List(Day, 4));
        var settings = new TrendLensSettings { Scheduler = false, AdminToken = "s3cret", Sources = [FetchTests.FastSource(_hf.BaseUrl)] }.Validate();
        _app = ServeCommand.Create(new Database(_tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", settings, new FixedClock(Run.Today));
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.DisposeAsync();
        await _hf.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<HttpResponseMessage> Post(string url, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Fetch_WithTheToken_StoresTheDayAndReportsTheRun()
    {
        var response = await Post("/api/fetch?date=2025-02-13", "s3cret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var run = Assert.Single(doc.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("2025-02-13", run.GetProperty("list_date").GetString());
        Assert.Equal("stored", run.GetProperty("status").GetString());
        Assert.Equal(4, run.GetProperty("entries_added").GetInt32());
        Assert.Equal(4, Run.Scalar<long>(_tmp.Db, "select count(*) from current_entries"));

        var page = await _http.GetStringAsync("/admin/runs");
        Assert.Contains("<td class=\"status stored\">stored</td>", page);
        Assert.Contains("class=\"day present\"", page);
        Assert.Contains("2025-02-13 (Thursday): present, 1 run(s)", page);
        Assert.Contains("<span class=\"month\" aria-hidden=\"true\">Mar 2025</span>", page); // the calendar names its months
        Assert.Contains("<span class=\"day missing\"></span> never fetched", page);
        using var json = JsonDocument.Parse(await _http.GetStringAsync("/admin/runs.json"));
        Assert.Equal("api", json.RootElement.GetProperty("runs")[0].GetProperty("trigger").GetString());
    }

    [Fact]
    public async Task Retag_WithTheToken_TagsEveryPaperAgain_AndTheRunsPageOffersIt()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/fetch?date=2025-02-13", "s3cret")).StatusCode);
        Run.Scalar<long>(_tmp.Db, "update tag_state set lexicon_version = 'old' returning 1");

        var response = await Post("/api/retag", "s3cret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(4, doc.RootElement.GetProperty("papers").GetInt32());
        var version = Lexicons.Load(Lexicons.FindDirectory()).Version;
        Assert.Equal(version, doc.RootElement.GetProperty("lexicon_version").GetString());
        Assert.Equal(0L, Run.Scalar<long>(_tmp.Db, $"select count(*) from tag_state where lexicon_version <> '{version}'"));
        Assert.Contains("<form method=\"post\" action=\"/api/retag\">", await _http.GetStringAsync("/admin/runs"));

        using var form = new FormUrlEncodedContent([new("token", "s3cret")]);
        var page = await _http.PostAsync("/api/retag", form);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("4 papers tagged again", await page.Content.ReadAsStringAsync());
        using var wrong = new FormUrlEncodedContent([new("token", "guess")]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.PostAsync("/api/retag", wrong)).StatusCode);
    }

    [Fact]
    public async Task NewData_ReachesTheChartsAfterTheBackgroundRollup()
    {
        var before = await _http.GetStringAsync("/d/overview/coverage.csv?from=2025-02-10&to=2025-02-16&grain=week");
        Assert.DoesNotContain("2025-02-10,", before);
        Assert.Equal(HttpStatusCode.OK, (await Post("/api/fetch?date=2025-02-13", "s3cret")).StatusCode);

        string after = before;
        for (var i = 0; i < 100 && !after.Contains("2025-02-10,4,1,", StringComparison.Ordinal); i++)
        {
            after = await _http.GetStringAsync("/d/overview/coverage.csv?from=2025-02-10&to=2025-02-16&grain=week");
            await Task.Delay(100);
        }

        Assert.Contains("2025-02-10,4,1,", after);
    }

    [Fact]
    public async Task Attack_Fetch_FromATricklingUpstream_AnswersAFailedRun_AndTheSourceIsFreeAgain()
    {
        for (var i = 0; i < 4; i++)
            _hf.Script(Day, new FakeHfServer.Reply(200, "[" + new string(' ', 4000) + "]", Trickle: TimeSpan.FromMilliseconds(50)));
        var next = Day.AddDays(1);
        _hf.SetList(next, FakeHfServer.List(next, 2));
        _http.Timeout = TimeSpan.FromSeconds(30);

        var stuck = Post("/api/fetch?date=2025-02-13", "s3cret");
        await Task.Delay(200);
        var second = Post("/api/fetch?date=2025-02-14", "s3cret");
        var first = await stuck;
        var then = await second;

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var doc = JsonDocument.Parse(await first.Content.ReadAsStringAsync());
        var run = Assert.Single(doc.RootElement.GetProperty("runs").EnumerateArray());
        Assert.Equal("failed", run.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, then.StatusCode);
        Assert.Contains("\"stored\"", await then.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized, "needs Authorization: Bearer")]
    [InlineData("wrong", HttpStatusCode.Unauthorized, "the admin token is wrong")]
    [InlineData("s3cret-and-more", HttpStatusCode.Unauthorized, "the admin token is wrong")]
    public async Task Attack_Fetch_WithoutTheRightToken_IsRefusedAndFetchesNothing(string? token, HttpStatusCode status, string message)
    {
        var response = await Post("/api/fetch?date=2025-02-13", token);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(_hf.Requests);
        Assert.Equal(0, Run.Scalar<long>(_tmp.Db, "select count(*) from fetch_runs"));
    }

    [Theory]
    [InlineData("/api/fetch?date=2025-13-01", "date must be a date")]
    [InlineData("/api/fetch?from=2025-01-01", "give both from and to")]
    [InlineData("/api/fetch?from=2025-01-01&to=2025-03-01", "at most 31 days")]
    [InlineData("/api/fetch?date=2025-02-13&from=2025-02-13&to=2025-02-13", "not both")]
    [InlineData("/api/fetch?source=other", "no source 'other'")]
    [InlineData("/api/fetch?date=2025-02-13&date=2025-02-14", "given 2 times")]
    [InlineData("/api/fetch?date=2025-02-13;drop%20table%20snapshots", "date must be a date")]
    [InlineData("/api/fetch?limit=5", "unknown parameter 'limit'")]
    public async Task Fetch_BadParameters_Are400(string url, string message)
    {
        var response = await Post(url, "s3cret");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
        Assert.Empty(_hf.Requests);
    }

    private async Task<HttpResponseMessage> PostBody(string url, byte[] body, string? token = "s3cret")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task Import_StoresAPayload_ThenUnchanged_AndQuarantinesAnHtmlPage()
    {
        var payload = File.ReadAllBytes(Fixture.Path("hf-jsonl/list-2025-02-10.jsonl"));

        var first = await PostBody("/api/import?name=list-2025-02-10.jsonl", payload);
        var again = await PostBody("/api/import?name=list-2025-02-10.jsonl", payload);
        var html = await PostBody("/api/import?date=2025-02-11&format=hf-json", "<html><body>502</body></html>"u8.ToArray());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using (var doc = JsonDocument.Parse(await first.Content.ReadAsStringAsync()))
        {
            var day = Assert.Single(doc.RootElement.GetProperty("days").EnumerateArray());
            Assert.Equal(("2025-02-10", "new"), (day.GetProperty("list_date").GetString(), day.GetProperty("status").GetString()));
        }
        Assert.Contains("\"unchanged\"", await again.Content.ReadAsStringAsync());
        Assert.Equal((HttpStatusCode)422, html.StatusCode);
        Assert.Contains("HTML", await html.Content.ReadAsStringAsync());
        Assert.Equal(1, Run.Scalar<long>(_tmp.Db, "select count(*) from quarantine"));
        Assert.True(Run.Scalar<long>(_tmp.Db, "select count(*) from paper_terms") > 0);
    }

    [Fact]
    public async Task Import_AnAtomFeed_UnderTheDailyPapersSource_IsQuarantined()
    {
        var feed = System.Text.Encoding.UTF8.GetBytes(FakeArxivServer.Feed(FakeArxivServer.Papers(new DateOnly(2025, 2, 13), 2), 2));

        var response = await PostBody("/api/import?name=feed.xml", feed);

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        Assert.Contains("is a list of source kind 'arxiv'", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, Run.Scalar<long>(_tmp.Db, "select count(*) from quarantine"));
        Assert.Equal(0, Run.Scalar<long>(_tmp.Db, "select count(*) from snapshots"));
    }

    [Theory]
    [InlineData("/api/import?format=xml", "format must be one of")]
    [InlineData("/api/import?name=../../etc/passwd", "name must be a file name")]
    [InlineData("/api/import?source=a%20b", "source must be")]
    [InlineData("/api/import?date=yesterday", "date must be a date")]
    [InlineData("/api/import?name=a.jsonl&name=b.jsonl", "parameter 'name' is given 2 times")]
    [InlineData("/api/import?path=/etc/passwd", "unknown parameter 'path'")]
    public async Task Import_BadParameters_Are400(string url, string message)
    {
        var response = await PostBody(url, "[]"u8.ToArray());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Attack_Import_OversizedBody_Is413_AndMissingToken_Is401()
    {
        var huge = await PostBody("/api/import", new byte[26 * 1024 * 1024]);
        var anonymous = await PostBody("/api/import", "[]"u8.ToArray(), token: null);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, Run.Scalar<long>(_tmp.Db, "select count(*) from payloads"));
    }

    [Fact]
    public async Task Attack_Writes_WithoutAConfiguredToken_AreRefused()
    {
        var settings = new TrendLensSettings { Scheduler = false, Sources = [FetchTests.FastSource(_hf.BaseUrl)] }.Validate();
        using var other = new TempDir();
        await using var app = ServeCommand.Create(new Database(other.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", settings);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/fetch?date=2025-02-13");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "");

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("no admin token is configured", await response.Content.ReadAsStringAsync());
        Assert.Empty(_hf.Requests);
    }
}
