using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using TrendLens.Cli.Commands;
using TrendLens.Dashboards;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Web;

/// <summary>A real Kestrel on a loopback port over a database seeded from the fixtures.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;
    public string Db => _tmp.Db;

    public async Task InitializeAsync()
    {
        var hostile = _tmp.File("2025-02-14.jsonl",
            """{"date":"2025-02-14","rank":1,"id":"2502.06666","title":"<script>alert(1)</script>","summary":"An abstract with <b>markup</b> & GPT-4o.","authors":[]}""" + "\n");
        var import = Run.Cli(_tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"), hostile);
        Assert.True(import.Code == 0, import.Err);
        // A second source lists one day again: the same paper, counted once unless a source is chosen.
        var mirror = Run.Cli(_tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-12.jsonl"), "--source", "mirror");
        Assert.True(mirror.Code == 0, mirror.Err);
        _app = ServeCommand.Create(new Database(_tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        _tmp.Dispose();
    }
}

public class WebTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static readonly DashboardCatalog Dashboards = DashboardCatalog.Load(Lexicons.FindDirectory());

    public static IEnumerable<object[]> Panels() =>
        Dashboards.Dashboards.SelectMany(d => d.Panels.SelectMany(p => new[] { "png", "svg", "csv", "json" }.Select(ext => new object[] { d.Id, p.Id, ext })));

    public static IEnumerable<object[]> DashboardIds() => Dashboards.Dashboards.Select(d => new object[] { d.Id });

    [Theory]
    [MemberData(nameof(DashboardIds))]
    public async Task Dashboard_Page_ListsEveryPanel(string dashboard)
    {
        var response = await server.Client.GetAsync($"/d/{dashboard}?range=all&grain=day");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        foreach (var panel in Dashboards.Find(dashboard)!.Panels)
            Assert.Contains($"/d/{dashboard}/{panel.Id}.png?", html);
    }

    [Theory]
    [MemberData(nameof(Panels))]
    public async Task Panel_EveryAlternate_Renders(string dashboard, string panel, string ext)
    {
        var response = await server.Client.GetAsync($"/d/{dashboard}/{panel}.{ext}?range=all&grain=day");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        switch (ext)
        {
            case "png":
                Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
                var (width, height) = PngSize(body);
                Assert.Equal((900, 420), (width, height));
                break;
            case "svg":
                Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(body));
                break;
            case "csv":
                Assert.Contains(",", System.Text.Encoding.UTF8.GetString(body).Split('\n')[0]);
                break;
            default:
                Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(body).RootElement.ValueKind);
                break;
        }
    }

    [Fact]
    public async Task Panel_Png_HonoursSizeAndIsNotBlank()
    {
        var body = await server.Client.GetByteArrayAsync("/d/overview/families.png?range=all&grain=day&width=640&height=360");

        Assert.Equal((640, 360), PngSize(body));
        // A blank white 640×360 PNG compresses to well under 2 KB; a chart with text and lines does not.
        Assert.True(body.Length > 8_000, $"PNG of {body.Length} bytes looks blank");
    }

    [Fact]
    public async Task Panel_Csv_HasTheQueryColumnsAndSharesOfPapersListed()
    {
        var csv = await server.Client.GetStringAsync("/d/models/families.csv?from=2025-02-10&to=2025-02-16&grain=week");

        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("period,family,papers,share,listed,days_listed,days_expected", lines[0]);
        Assert.Contains("2025-02-10,GPT,2,0.25,8,5,5", lines);
    }

    [Fact]
    public async Task OnlyAndHide_ApplyToTheChartsThatDrawThoseSeries_AndANameNoChartHasBlanksNone()
    {
        const string range = "/d/overview/{0}.csv?from=2025-02-10&to=2025-02-16&grain=week";
        async Task<string[]> Rows(string panel, string series = "") =>
            (await server.Client.GetStringAsync(string.Format(range, panel) + series)).TrimEnd('\n').Split('\n');
        var families = await Rows("families");
        var topics = await Rows("topics");
        Assert.Contains(families, l => l.StartsWith("2025-02-10,GPT,"));
        Assert.Contains(families, l => !l.StartsWith("period,") && !l.Contains(",GPT,"));

        // A legend's "only" link puts only=GPT on the whole page: the families chart shows GPT alone,
        // the topics chart (which has no series GPT) stays whole.
        var gptAlone = await Rows("families", "&only=GPT");
        Assert.All(gptAlone.Skip(1), l => Assert.Contains(",GPT,", l));
        Assert.NotEmpty(gptAlone.Skip(1));
        Assert.Equal(topics, await Rows("topics", "&only=GPT"));
        Assert.DoesNotContain(await Rows("families", "&hide=GPT"), l => l.Contains(",GPT,"));

        // A mistyped name hides nothing, rather than drawing an empty chart as if there were no data.
        Assert.Equal(families, await Rows("families", "&only=Nope"));
        Assert.Equal(gptAlone, await Rows("families", "&only=Nope&only=GPT"));

        // The legend says what the chart draws, and its "hide" link hides: with only=Nope, GPT is drawn.
        var page = await server.Client.GetStringAsync("/d/overview?from=2025-02-10&to=2025-02-16&grain=week&only=Nope");
        var hide = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"]*)\" title=\"hide GPT\"");
        Assert.True(hide.Success, "the families legend offers no 'hide GPT'");
        Assert.Contains("hide=GPT", hide.Groups[1].Value);
    }

    [Fact]
    public async Task SourceFilter_CountsOnlyThatSourcesLists()
    {
        var all = (await server.Client.GetStringAsync("/d/overview/topics.csv?from=2025-02-10&to=2025-02-16&grain=week")).Split('\n');
        var mirror = (await server.Client.GetStringAsync("/d/overview/topics.csv?from=2025-02-10&to=2025-02-16&grain=week&source=mirror")).Split('\n');
        var page = await server.Client.GetStringAsync("/d/overview?from=2025-02-10&to=2025-02-16&grain=week&source=mirror");

        Assert.Contains("2025-02-10,Diffusion models,1,0.125,8,5,5", all);
        Assert.Contains("2025-02-10,Diffusion models,1,1,1,1,1", mirror);
        Assert.DoesNotContain(mirror, l => l.Contains(",8,"));
        Assert.Contains("<option value=\"mirror\" selected>mirror</option>", page);
        Assert.Contains("/d/overview/families.png?from=2025-02-10&amp;to=2025-02-16&amp;grain=week&amp;source=mirror", page);
    }

    [Theory]
    [InlineData("/d/overview")]
    [InlineData("/d/overview/families.png?range=all")]
    [InlineData("/healthz")]
    public async Task Head_IsAnsweredAsGetIs_WithoutABody(string url)
    {
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        using var get = await server.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.NotEmpty(await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Client.PostAsync(url, null)).StatusCode);
    }

    [Fact]
    public async Task AFormOnAPageOfDates_KeepsThemWhenOnlyTheGrainChanges()
    {
        var ofDates = await server.Client.GetStringAsync("/d/overview?from=2025-02-10&to=2025-02-16&grain=week");
        var ofPreset = await server.Client.GetStringAsync("/d/overview?range=all&grain=week");
        // What the form sends for the dates shown, with another grain.
        var resent = await server.Client.GetStringAsync("/d/overview?range=2025-02-10..2025-02-16&grain=day");

        Assert.Contains("<option value=\"2025-02-10..2025-02-16\" selected>2025-02-10 to 2025-02-16</option>", ofDates);
        Assert.DoesNotContain("<option value=\"all\" selected", ofDates);
        Assert.Contains("<option value=\"all\" selected>all</option>", ofPreset);
        Assert.DoesNotContain("..", ofPreset.Split("name=\"range\"")[1].Split("</select>")[0]);
        Assert.Contains("/d/overview/families.png?from=2025-02-10&amp;to=2025-02-16&amp;grain=day", resent);
        Assert.Contains("<option value=\"2025-02-10..2025-02-16\" selected>", resent);
    }

    [Theory]
    [InlineData("/d/overview?from=2025-13-01", "from must be a date")]
    [InlineData("/d/overview?grain=year", "grain must be day, week or month")]
    [InlineData("/d/overview?range=5y", "range must be 4w, 12w, 1y, all or FROM..TO")]
    [InlineData("/d/overview?range=2025-02-30..2025-03-01", "range's first date must be a date")]
    [InlineData("/d/overview?range=2025-03-01..2025-02-01", "from is after to")]
    [InlineData("/d/overview?from=2025-03-01&to=2025-02-01", "from is after to")]
    [InlineData("/d/overview?from=2030-01-01", "from 2030-01-01 is after the latest list stored (2025-")]
    [InlineData("/d/overview?colour=red", "unknown parameter 'colour'")]
    [InlineData("/admin/runs.json?x=1", "unknown parameter 'x'")]
    [InlineData("/admin/runs?x=1", "unknown parameter 'x'")]
    [InlineData("/d/overview/families.png?width=abc", "width must be a whole number")]
    [InlineData("/d/overview/families.png?height=99999", "height must be a whole number")]
    [InlineData("/d/overview/families.csv?grain=day&grain=week", "given 2 times")]
    [InlineData("/d/overview/families.csv?term=a&term=b&term=c&term=d&term=e&term=f&term=g&term=h&term=i", "at most 8")]
    [InlineData("/d/overview?from=2025-01-01'%20or%201=1--", "from must be a date")]
    [InlineData("/d/overview?source=nope", "source must be one of the stored sources (hf-daily, mirror, or all), not 'nope'")]
    [InlineData("/d/overview?source=a&source=b", "parameter 'source' is given 2 times")]
    public async Task BadParameters_Are400WithAMessage(string url, string message)
    {
        var response = await server.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ThePagesRefusals_AreText_TheApisAreJson()
    {
        var page = await server.Client.GetAsync("/admin/runs?x=1");
        var api = await server.Client.GetAsync("/admin/runs.json?x=1");

        Assert.Equal("text/plain", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/json", api.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/d/nope")]
    [InlineData("/d/overview/nope.png")]
    [InlineData("/d/overview/families.gif")]
    [InlineData("/d/overview/families")]
    [InlineData("/d/..%2F..%2Fetc%2Fpasswd")]
    public async Task UnknownThings_Are404(string url)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Dashboard_Png_IsOneCompositeImage()
    {
        var response = await server.Client.GetAsync("/d/models.png?range=all&grain=week");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var (width, height) = PngSize(body);
        Assert.Equal(24 * 3 + 900 * 2, width);
        Assert.True(height > 420 * 2, $"height {height}");
    }

    [Fact]
    public async Task PaperTitles_AreHtmlEscaped()
    {
        var html = await server.Client.GetStringAsync("/d/overview?range=all");

        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("https://arxiv.org/abs/2502.06666", html);
        Assert.Contains("https://huggingface.co/papers/2502.06666", html);
    }

    [Fact]
    public async Task Healthz_ReportsTheDatabase()
    {
        using var doc = JsonDocument.Parse(await server.Client.GetStringAsync("/healthz"));

        Assert.Equal("ok", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(8, doc.RootElement.GetProperty("papers").GetInt32());
        Assert.Equal("2025-02-14", doc.RootElement.GetProperty("latest_list").GetString());
        Assert.Equal(Path.GetFileName(server.Db), doc.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public async Task Dashboard_OfOldData_SaysHowOld_AndFreshDataSaysNothing()
    {
        // The fixture's newest list is of 2025-02-14; this server's clock reads today.
        var page = await server.Client.GetStringAsync("/d/overview");
        Assert.Contains("<strong>Stale data.</strong> The newest list stored is from 2025-02-14", page);
        Assert.Contains("<a href=\"/admin/runs\">Runs</a> shows what was fetched and how to fill the gap", page);
        Assert.Contains("Stale data", await server.Client.GetStringAsync("/papers"));

        await using var fresh = ServeCommand.Create(new Database(server.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0",
            clock: new FixedClock(new DateTimeOffset(2025, 2, 16, 12, 0, 0, TimeSpan.Zero)));
        await fresh.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(fresh.Urls.First()) };
        // Friday's list on Sunday: no weekday has passed.
        Assert.DoesNotContain("Stale data", await http.GetStringAsync("/d/overview"));
    }

    [Fact]
    public async Task Pages_TakeTheirStylesFromTheSiteStylesheet_AndThePolicyAllowsNoOther()
    {
        var page = await server.Client.GetAsync("/d/overview?range=all");
        var html = await page.Content.ReadAsStringAsync();
        var css = await server.Client.GetAsync("/trendlens.css");

        Assert.Contains("<link rel=\"stylesheet\" href=\"/trendlens.css\"", html);
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain(" style=", html);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".panels {", await css.Content.ReadAsStringAsync());
        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("style-src 'self';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
    }

    [Fact]
    public async Task Root_RedirectsToTheOverview()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/d/overview", response.Headers.Location?.ToString());
    }

    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 24 && png[0] == 0x89 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "not a PNG");
        int Read(int at) => (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
        return (Read(16), Read(20));
    }
}

public class DemoTests
{
    [Fact]
    public async Task Demo_BuildsOnceAndEveryPageSaysItIsSynthetic()
    {
        using var tmp = new TempDir();
        var database = new Database(tmp.Db);
        var lexicons = Lexicons.Load(Lexicons.FindDirectory());

        Assert.True(DemoData.EnsureBuilt(database, lexicons, TimeProvider.System));
        Assert.False(DemoData.EnsureBuilt(database, lexicons, TimeProvider.System));
        Assert.True(Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots") > 200);
        Assert.True(Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_state") > 5_000);
        // Two sources, the daily list a biased pick of the base: lift differs from 1, both ways.
        var lift = Run.Cli(tmp.Db, "query", "lift", "--of", "topics", "--grain", "all", "--format", "csv");
        Assert.True(lift.Code == 0, lift.Err);
        var topics = lift.Out.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')).Where(f => f[4].Length > 0)
            .ToDictionary(f => f[1], f => (Low: double.Parse(f[5], System.Globalization.CultureInfo.InvariantCulture), High: double.Parse(f[6], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(topics["Reasoning"].Low > 1, lift.Out);
        Assert.True(topics["State-space models"].High < 1, lift.Out);

        await using var app = ServeCommand.Create(database, Lexicons.FindDirectory(), demo: true, "http://127.0.0.1:0");
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        foreach (var dashboard in DashboardCatalog.Load(Lexicons.FindDirectory()).Dashboards)
            Assert.Contains("Synthetic demo data", await client.GetStringAsync($"/d/{dashboard.Id}"));
        Assert.DoesNotContain("class=\"notice\"", await client.GetStringAsync("/d/sources"));
        var emerging = await client.GetStringAsync("/d/keywords/emerging.csv?range=1y");
        Assert.StartsWith("term,score,papers,baseline_papers,first_seen", emerging);
        // The papers behind an emerging list are those of the 4 weeks it ranks, not the page's year.
        var keywords = await client.GetStringAsync("/d/keywords?range=1y");
        var figure = System.Text.RegularExpressions.Regex.Match(keywords, "<figure[^>]*id=\"emerging\".*?</figure>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        var behind = figure[figure.IndexOf("Papers behind it", StringComparison.Ordinal)..];
        var spans = System.Text.RegularExpressions.Regex.Matches(behind, "from=(\\d{4}-\\d{2}-\\d{2})&amp;to=(\\d{4}-\\d{2}-\\d{2})")
            .Select(m => (From: DateOnly.Parse(m.Groups[1].Value), To: DateOnly.Parse(m.Groups[2].Value))).ToList();
        Assert.NotEmpty(spans);
        Assert.All(spans, s => Assert.Equal(27, s.To.DayNumber - s.From.DayNumber));
        await app.StopAsync();
        await app.DisposeAsync(); // lets go of the file, for the server process below

        // The file says it holds demo lists: a command given it with --db marks its charts, and a
        // server started on it again (not empty now) still serves it as synthetic.
        var chart = Run.Cli(tmp.Db, "chart", "overview/topics", "--out", Path.Combine(tmp.Path, "topics.svg"));
        Assert.True(chart.Code == 0, chart.Err);
        Assert.Contains("SYNTHETIC DEMO DATA", File.ReadAllText(Path.Combine(tmp.Path, "topics.svg")));
        using (var server = ServerProcess.Start(tmp.Db))
        {
            Assert.Contains("Synthetic demo data", await server.Http.GetStringAsync("/d/overview"));
            // The line follows the server's start: give it a moment after the first answers.
            for (var i = 0; i < 100 && !server.Output.Contains("TrendLens serving"); i++) await Task.Delay(100);
            Assert.Contains($"serving {tmp.Db} (synthetic demo data)", server.Output);
        }
        Assert.False(File.Exists(Path.Combine(tmp.Path, "demo.duckdb")), "no second demo database beside it");
    }

    [Fact]
    public void Chart_OfImportedLists_IsNotMarkedSynthetic()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);

        var chart = Run.Cli(tmp.Db, "chart", "overview/topics", "--out", Path.Combine(tmp.Path, "topics.svg"));

        Assert.True(chart.Code == 0, chart.Err);
        Assert.DoesNotContain("SYNTHETIC DEMO DATA", File.ReadAllText(Path.Combine(tmp.Path, "topics.svg")));
    }
}

public class DrillDownTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Papers_ForAFamily_ListsThePapersWithLinks()
    {
        var html = await server.Client.GetStringAsync("/papers?family=GPT&from=2025-02-10&to=2025-02-14");

        Assert.Contains("papers with family GPT", html);
        // Typed in another case or by an alias, a family is named as its rows name it.
        Assert.Contains("papers with family GPT", await server.Client.GetStringAsync("/papers?family=chatgpt&from=2025-02-10&to=2025-02-14"));
        Assert.Contains("https://arxiv.org/abs/2502.01001", html);
        Assert.Contains("https://arxiv.org/abs/2502.06666", html);
        Assert.DoesNotContain("2502.02001", html);
        Assert.Contains("&lt;script&gt;", html);
    }

    [Fact]
    public async Task Papers_ForATopic_SayWhyEachPaperHasIt_AndOtherPapersPagesDoNot()
    {
        var html = await server.Client.GetStringAsync("/papers?topic=Agents&range=all");

        Assert.Contains("https://arxiv.org/abs/2502.02001", html);
        Assert.Contains("<th scope=\"col\">why</th>", html);
        Assert.Contains("the phrases of the topic", html);
        // "Agents" in the title and "agent framework" in the abstract are phrases of the topic's rules.
        Assert.Matches(@"<td class=""why"">[^<]*phrases: [^<]*in the title", html);

        var family = await server.Client.GetStringAsync("/papers?family=GPT&range=all");
        Assert.DoesNotContain("<th scope=\"col\">why</th>", family);
    }

    [Fact]
    public async Task Explore_TakesFamilyNamesAsFamilies_AndOtherNamesAsKeywords()
    {
        var families = await server.Client.GetStringAsync("/explore?term=qwen&term=GPT&range=all");
        Assert.Contains("/explore.png?", families);
        Assert.Contains("family=qwen", families);
        Assert.Contains("now compared as model families", families);
        var chart = await server.Client.GetStringAsync("/explore.csv?term=qwen&term=GPT&range=all");
        Assert.StartsWith("period,family,", chart);

        var keywords = await server.Client.GetStringAsync("/explore?term=KV%20cache&range=all");
        Assert.Contains("now compared as keywords", keywords);
        Assert.Contains("term=KV%20cache", keywords);
        Assert.DoesNotContain("compared here as", families + keywords);

        // A family's name beside a keyword is counted as the keyword: the page says so.
        var mixed = await server.Client.GetStringAsync("/explore?term=Qwen&term=KV%20cache&range=all");
        Assert.Contains("now compared as keywords", mixed);
        Assert.Contains("Qwen is compared here as a keyword: the papers that write it as such, fewer than the model family or topic counts.", mixed);
    }

    [Fact]
    public async Task Papers_SearchTitles_AndPageThroughThem()
    {
        var all = await server.Client.GetStringAsync("/papers?range=all");
        Assert.Matches(@"all papers, listed [0-9-]+ to [0-9-]+ in [^:]+ lists: 1–(\d+) of \1\.", all);
        Assert.Contains("Sparse Widgets", all);
        Assert.DoesNotContain("rel=\"next\"", all);
        // A paper listed on one day shows that day, not a range from it to itself.
        Assert.DoesNotMatch(@"(\d{4}-\d{2}-\d{2}) – \1", all);

        var found = await server.Client.GetStringAsync("/papers?range=all&q=WIDGETS");
        Assert.Contains("whose title or abstract contains <q>WIDGETS</q>", found);
        Assert.Contains("1–1 of 1.", found);
        Assert.Contains("Sparse Widgets", found);
        Assert.Contains("<input type=\"hidden\" name=\"range\" value=\"all\"", found); // the search keeps the other parameters

        // Abstracts are searched too, over every date when no range is given.
        var inAbstract = await server.Client.GetStringAsync("/papers?q=MARKUP");
        Assert.Contains("1–1 of 1.", inAbstract);
        Assert.Contains("https://arxiv.org/abs/2502.06666", inAbstract);

        // Sorted by upvotes, most first; an unknown order is a 400.
        var byUpvotes = await server.Client.GetStringAsync("/papers?range=all&sort=upvotes");
        var upvotes = System.Text.RegularExpressions.Regex.Matches(byUpvotes, @"<td class=""n"">\d+</td><td class=""n"">\d+</td><td class=""n"">(\d+)</td>").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.True(upvotes.Count >= 3, $"{upvotes.Count} upvote counts found");
        Assert.Equal(upvotes.OrderByDescending(u => u), upvotes);
        Assert.Contains("<option value=\"upvotes\" selected", byUpvotes);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await server.Client.GetAsync("/papers?sort=bogus")).StatusCode);

        var beyond = await server.Client.GetStringAsync("/papers?range=all&page=2");
        var listed = System.Text.RegularExpressions.Regex.Match(await server.Client.GetStringAsync("/papers?range=all"), @"1–\d+ of (\d+)").Groups[1].Value;
        Assert.Contains($"none on page 2; the {listed} papers fill 1 page", beyond);
        Assert.Contains("rel=\"prev\"", beyond);
        Assert.Contains("page=1", beyond);
    }

    [Fact]
    public async Task Dashboard_ChartsLinkToThePapersBehindThem()
    {
        var html = await server.Client.GetStringAsync("/d/models?range=all&grain=week");

        Assert.Contains("/papers?family=Qwen&amp;from=", html);
    }

    [Fact]
    public async Task DashboardAndPapers_ARangeOutsideTheLists_SaysWhereTheListsAre()
    {
        var before = await server.Client.GetStringAsync("/d/overview?from=2000-01-03&to=2000-02-01");
        var inside = await server.Client.GetStringAsync("/d/overview?range=all");

        var papers = await server.Client.GetStringAsync("/papers?family=Qwen&from=2000-01-03&to=2000-02-01");

        Assert.Matches("No list from 2000-01-03 to 2000-02-01; the lists stored run from 20[0-9]{2}-[0-9]{2}-[0-9]{2} to 20[0-9]{2}-[0-9]{2}-[0-9]{2}\\.", before);
        Assert.Matches("No list from 2000-01-03 to 2000-02-01; the lists stored run from 20[0-9]{2}-[0-9]{2}-[0-9]{2} to 20[0-9]{2}-[0-9]{2}-[0-9]{2}\\.", papers);
        Assert.DoesNotContain("No list from", inside);
        Assert.DoesNotContain("No list from", await server.Client.GetStringAsync("/papers?family=Qwen&range=all"));
    }

    [Fact]
    public async Task Dashboard_NamesOfAKindNoPanelDraws_AreSaidToChangeNothing()
    {
        var models = await server.Client.GetStringAsync("/d/models?range=all&topic=Agents");
        var families = await server.Client.GetStringAsync("/d/models?range=all&family=Qwen");

        Assert.Contains("No panel of Model families draws topics: topic=Agents changes nothing on this page.", models);
        Assert.Matches("<a href=\"/explore\\?[^\"]*topic=Agents[^\"]*\">Compare them on Explore</a>", models);
        Assert.DoesNotContain("changes nothing on this page", families);
    }

    [Fact]
    public async Task Explore_TwoTerms_ChartAndBursts()
    {
        var html = await server.Client.GetStringAsync("/explore?term=KV%20cache&term=agent&range=all&grain=day");

        Assert.Contains("/explore.png?from=", html);
        Assert.Contains("term=KV%20cache&amp;term=agent", html);
        Assert.Contains("<h3>Bursts</h3>", html);
        var png = await server.Client.GetAsync("/explore.png?from=2025-02-10&to=2025-02-14&grain=day&term=KV%20cache&term=agent");
        Assert.Equal(System.Net.HttpStatusCode.OK, png.StatusCode);
        var csv = await server.Client.GetStringAsync("/explore.csv?from=2025-02-10&to=2025-02-14&grain=day&term=kv-cache&term=Agents");
        Assert.Contains(",KV cache,", csv);
        Assert.Contains(",agent,", csv);
    }

    [Fact]
    public async Task Explore_AnUnknownName_IsANoticeWithTheNearestNames_AndPanelsRefuseIt()
    {
        var html = await server.Client.GetStringAsync("/explore?term=KV%20cashe&range=all");
        var panel = await server.Client.GetAsync("/d/keywords/changed.png?term=KV%20cashe");
        var family = await server.Client.GetAsync("/papers?family=Qwne");

        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("no keyword &#x27;KV cashe&#x27; in the stored lists; nearest: KV cache", html);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, panel.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, family.StatusCode);
        Assert.Contains("nearest: Qwen", await family.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/papers?term=a&family=b")]
    [InlineData("/papers?from=yesterday")]
    [InlineData("/papers?page=0")]
    [InlineData("/papers?page=two")]
    [InlineData("/papers?q=a&q=b")]
    [InlineData("/papers?q=%1B%5B31m")]
    [InlineData("/explore?grain=hour")]
    [InlineData("/d/overview?to=0001-01-01")]
    [InlineData("/d/overview?from=0001-01-01&to=0001-01-02")]
    [InlineData("/d/overview/families.png?from=9999-12-30&to=9999-12-31")]
    [InlineData("/d/keywords/emerging.json?to=0001-01-01")]
    [InlineData("/explore.png?term=agents&from=0001-01-01&to=0001-01-02")]
    [InlineData("/explore.csv?term=agents%1Fdiffusion%1Freasoning")]
    [InlineData("/papers?to=0001-01-01")]
    [InlineData("/d/overview.png?width=2000")]
    public async Task DrillDown_BadParameters_Are400(string url)
    {
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await server.Client.GetAsync(url)).StatusCode);
    }
}

public class RendererTests
{
    private static PanelDefinition Panel(string chart) => new()
    {
        Id = "p", Title = "Test panel", Query = "rollup/family_share_by_period", Chart = chart, X = "period", Y = "share", Series = "family",
    };

    private static PanelData Shares(bool gap) => new(
        ["period", "family", "papers", "share", "listed", "days_listed", "days_expected"],
        [
            [new DateOnly(2025, 2, 3), "GPT", 2L, 0.2, 10L, 5L, 5L],
            [new DateOnly(2025, 2, 3), "Qwen", 1L, 0.1, 10L, 5L, 5L],
            [new DateOnly(2025, 2, 10), "GPT", 1L, 0.1, 10L, gap ? 3L : 5L, 5L],
            [new DateOnly(2025, 2, 10), "Qwen", 3L, 0.3, 10L, gap ? 3L : 5L, 5L],
            [new DateOnly(2025, 2, 17), "GPT", 2L, 0.2, 10L, 5L, 5L],
            [new DateOnly(2025, 2, 17), "Qwen", 4L, 0.4, 10L, 5L, 5L],
        ]);

    [Fact]
    public void PngEncoder_WritesExactlyTheRenderedPixels()
    {
        var plot = TrendLens.Charts.PanelRenderer.Build(Panel("line"), Shares(gap: true), "footer");
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(640, 320, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul));
        plot.Render(surface);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();

        var png = TrendLens.Charts.PngEncoder.Encode(pixels);

        using var decoded = SkiaSharp.SKBitmap.Decode(png);
        Assert.NotNull(decoded);
        Assert.Equal((640, 320), (decoded.Width, decoded.Height));
        var differing = 0;
        for (var y = 0; y < 320; y++)
            for (var x = 0; x < 640; x++)
            {
                var want = pixels.GetPixelColor(x, y);
                var got = decoded.GetPixel(x, y);
                if (want != got) differing++;
            }
        Assert.Equal(0, differing);
        Assert.True(png.Length > 5_000, $"{png.Length} bytes looks blank");
    }

    [Fact]
    public void PngEncoder_KeepsTransparency()
    {
        using var surface = SkiaSharp.SKSurface.Create(new SkiaSharp.SKImageInfo(50, 40, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul));
        surface.Canvas.Clear(SkiaSharp.SKColors.Transparent);
        using (var paint = new SkiaSharp.SKPaint { Color = SkiaSharp.SKColors.Red })
            surface.Canvas.DrawRect(0, 0, 10, 10, paint);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();

        using var decoded = SkiaSharp.SKBitmap.Decode(TrendLens.Charts.PngEncoder.Encode(pixels));

        Assert.Equal(SkiaSharp.SKColors.Red, decoded.GetPixel(5, 5));
        Assert.Equal(0, decoded.GetPixel(30, 30).Alpha);
    }

    [Theory]
    [InlineData("line")]
    [InlineData("stacked-area")]
    [InlineData("heatmap")]
    [InlineData("table")]
    public void EveryChartKind_RendersPngAndSvg(string chart)
    {
        var png = TrendLens.Charts.PanelRenderer.Png(Panel(chart), Shares(gap: false), "footer", 640, 320);
        var svg = TrendLens.Charts.PanelRenderer.Svg(Panel(chart), Shares(gap: false), "footer", 640, 320);

        Assert.Equal((byte)'P', png[1]);
        Assert.True(png.Length > 5_000, $"{chart}: {png.Length} bytes looks blank");
        Assert.Contains("<svg", svg);
    }

    [Fact]
    public void HorizontalBar_MarksNewTerms()
    {
        var panel = new PanelDefinition { Id = "e", Title = "Emerging", Query = "emerging", Chart = "hbar", X = "score", Y = "term" };
        var data = new PanelData(["term", "score", "papers", "baseline_papers", "first_seen", "new"],
            [["alpha", 4.0, 9L, 0L, new DateOnly(2025, 2, 10), true], ["beta", 2.0, 7L, 3L, new DateOnly(2024, 1, 1), false]]);

        var svg = TrendLens.Charts.PanelRenderer.Svg(panel, data, "footer");

        Assert.Contains("alpha (new)", svg);
        Assert.DoesNotContain("beta (new)", svg);
    }

    [Fact]
    public void DataTable_FlagColumn_ReadsAsTheTablesPngDoes()
    {
        // The versions table's "new": a mark, not True/False (PanelRenderer draws "yes" and nothing).
        var data = new PanelData(["version", "papers", "new"], [["Qwen3", 4L, true], ["Llama-3.1", 7L, false]]);
        using var services = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(new Microsoft.Extensions.DependencyInjection.ServiceCollection());

        var html = TrendLens.Cli.Web.HtmlPages.Render<TrendLens.Cli.Web.Components.DataTable>(services, new { Data = data });

        Assert.Contains("<td>Qwen3</td><td class=\"n\">4</td><td>yes</td>", html);
        Assert.Contains("<td>Llama-3.1</td><td class=\"n\">7</td><td></td>", html);
        Assert.DoesNotContain("True", html);
    }

    [Fact]
    public void DataTable_Headings_ReadAsWords_AsTheTablesPngDoes()
    {
        var data = new PanelData(["paper_id", "days_listed", "max_upvotes"], [["2502.00001", 3L, 41L]]);
        using var services = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(new Microsoft.Extensions.DependencyInjection.ServiceCollection());

        var html = TrendLens.Cli.Web.HtmlPages.Render<TrendLens.Cli.Web.Components.DataTable>(services, new { Data = data });

        Assert.Contains(">days listed</th>", html);
        Assert.Contains(">max upvotes</th>", html);
        Assert.DoesNotContain("max_upvotes", html);
    }

    [Fact]
    public void IncompletePeriods_AreMarked()
    {
        Assert.Contains("some weekdays had no list", TrendLens.Charts.PanelRenderer.Svg(Panel("line"), Shares(gap: true), "footer"));
        Assert.DoesNotContain("some weekdays had no list", TrendLens.Charts.PanelRenderer.Svg(Panel("line"), Shares(gap: false), "footer"));
    }

    [Fact]
    public void SeriesColours_AreStableAcrossCharts()
    {
        Assert.Equal(TrendLens.Charts.PanelRenderer.ColorOf("Qwen"), TrendLens.Charts.PanelRenderer.ColorOf("Qwen"));
        var taken = new HashSet<int>();
        Assert.NotEqual(TrendLens.Charts.PanelRenderer.ColorOf("Qwen", taken), TrendLens.Charts.PanelRenderer.ColorOf("Qwen", taken));
    }
}

public class RangeTests
{
    [Theory]
    [InlineData("1y", "week", "2026-08-21", "2025-08-25")]   // 364 days back is a Friday: the Monday after
    [InlineData("12w", "week", "2026-08-21", "2026-06-01")]
    [InlineData("1y", "month", "2026-08-21", "2025-09-01")]  // 2025-08-22: the 1st of the next month
    [InlineData("4w", "month", "2026-08-21", "2026-08-01")]  // from the 1st, not a week of July drawn as a month
    [InlineData("1y", "day", "2026-08-21", "2025-08-22")]
    [InlineData("all", "week", "2026-08-21", "2024-05-29")]
    public void RangePresets_StartWithAWholePeriod(string range, string grain, string end, string expected)
    {
        var start = DashboardCatalog.RangeStart(range, DateOnly.Parse(end), new DateOnly(2024, 5, 29), grain);

        Assert.Equal(DateOnly.Parse(expected), start);
        if (grain == "week" && range != "all") Assert.Equal(DayOfWeek.Monday, start.DayOfWeek);
    }
}

/// <summary>The data's version and extent that every request starts from, as the server keeps them.</summary>
public class DataStateTests
{
    [Fact]
    public async Task DataState_IsReadAgainAfterAWrite_AndNotWithoutOne()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await using var _ = app;
        await app.StartAsync();
        var site = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<TrendLens.Cli.Web.DashboardSite>(app.Services);
        await site.Data.Rollups.Built.WaitAsync(TimeSpan.FromSeconds(60));
        using var connection = site.Database.Open();

        var first = site.State(connection);
        await Task.Delay(1100); // past the one second within which a state is never read again
        Assert.Same(first, site.State(connection)); // nothing written: not read again

        var day = tmp.File("2025-02-17.jsonl",
            """{"date":"2025-02-17","rank":1,"id":"2502.09999","title":"A New Day","summary":"Widgets again.","authors":[]}""" + "\n");
        Assert.Equal(0, Run.Cli(tmp.Db, "import", day).Code);
        await Task.Delay(1100);
        var after = site.State(connection);
        Assert.Equal(first.Papers + 1, after.Papers);
        Assert.Equal(new DateOnly(2025, 2, 17), after.Last);
    }
}
