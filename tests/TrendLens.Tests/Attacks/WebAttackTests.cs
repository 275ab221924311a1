using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TrendLens.Cli;
using TrendLens.Cli.Commands;
using TrendLens.Cli.Web;
using TrendLens.Dashboards;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Attacks;

/// <summary>
/// A server on loopback over lists whose every text field is hostile, with an admin token and a
/// small render cache. The attacks come from outside, as a browser, a script or a scraper would.
/// </summary>
public sealed class HostileServer : IAsyncLifetime
{
    public const string Token = "attack-suite-token";
    public const int CacheMegabytes = 1;
    private readonly TempDir _tmp = new();

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public Uri BaseUrl => Client.BaseAddress!;
    public string Db => _tmp.Db;
    public string Directory => _tmp.Path;

    /// <summary>What the lists carry: markup, script URLs, spreadsheet formulas, terminal escapes, our own placeholders.</summary>
    public static readonly string[] Payloads =
    [
        "<script>alert('xss')</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg onload=alert(2)>",
        "</table><h1>owned</h1>",
        "[x](javascript:alert(3))",
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        "+cmd|' /C calc'!A0",
        "\u001b[31mred\u001b[0m {{images}}",
    ];

    public async Task InitializeAsync()
    {
        var lines = Payloads.Select((p, i) => JsonSerializer.Serialize(new
        {
            date = "2025-02-14",
            rank = i + 1,
            id = $"2502.0900{i}",
            title = $"{p} GPT-4o study {i}",
            summary = $"We study {p} with Llama-3 and reinforcement learning: a reinforcement learning recipe. {p}",
            authors = new[] { p, "Plain Author" },
            ai_keywords = new[] { p, "reinforcement learning" },
            githubRepo = "javascript:alert(4)",
            projectPage = "javascript:alert(5)",
            organization = new { _id = "o1", name = p, fullname = p },
        }));
        var hostile = _tmp.File("hostile/2025-02-14.jsonl", string.Join("\n", lines) + "\n");
        var import = Run.Cli(_tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"), hostile);
        Assert.True(import.Code == 0, import.Err);
        var review = Run.Cli(_tmp.Db, "review", "2025-W07", "--out", Path.Combine(_tmp.Path, "review"));
        Assert.True(review.Code == 0, review.Err);

        var settings = new TrendLensSettings { Scheduler = false, AdminToken = Token, RenderCacheMegabytes = CacheMegabytes }.Validate();
        App = ServeCommand.Create(new Database(_tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", settings, new FixedClock(Run.Today));
        await App.StartAsync();
        Client = new HttpClient { BaseAddress = new Uri(App.Urls.First()), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        _tmp.Dispose();
    }
}

/// <summary>
/// Attacks on the server: every test here is named <c>Attack_…</c> so that CI counts them
/// (".ci/run" prints "attacks: N tried, M held").
/// </summary>
public class WebAttackTests(HostileServer server) : IClassFixture<HostileServer>
{
    private static readonly DashboardCatalog Dashboards = DashboardCatalog.Load(Lexicons.FindDirectory());

    /// <summary>Every page, and every panel in every format, over the week of the hostile list.</summary>
    public static IEnumerable<object[]> Surfaces()
    {
        const string range = "from=2025-02-10&to=2025-02-16";
        foreach (var d in Dashboards.Dashboards)
        {
            yield return [$"/d/{d.Id}?{range}&grain=day"];
            foreach (var p in d.Panels)
                foreach (var ext in new[] { "svg", "csv", "json" })
                    yield return [$"/d/{d.Id}/{p.Id}.{ext}?{range}&grain=day"];
        }
        foreach (var page in new[]
        {
            $"/papers?family=GPT&{range}", $"/papers?family=Llama&{range}", "/papers?term=reinforcement%20learning&" + range,
            "/papers?topic=Reinforcement%20learning&" + range, "/explore?term=reinforcement%20learning&" + range, "/explore.csv?term=reinforcement%20learning&" + range,
            "/papers?range=all&q=%3Cscript%3Ealert(", "/reviews", "/reviews/2025-W07", "/reviews/2025-W07.md", "/admin/runs", "/admin/runs.json", "/healthz",
        })
            yield return [page];
    }

    [Theory]
    [MemberData(nameof(Surfaces))]
    public async Task Attack_HostileText_StaysText(string url)
    {
        using var response = await server.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        if (url.StartsWith("/papers", StringComparison.Ordinal)) Assert.Contains("&lt;script&gt;alert(", body); // the attack reached the page
        var type = response.Content.Headers.ContentType?.MediaType ?? "";
        if (type is "text/html" or "image/svg+xml")
        {
            foreach (var raw in new[] { "<script", "<img src=x", "<svg onload", "<h1>owned", "href=\"javascript:", "src=\"javascript:" })
                Assert.DoesNotContain(raw, body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\u001b", body);
        }
        else if (type == "application/json")
        {
            using var _ = JsonDocument.Parse(body);
        }
        else if (type == "text/csv")
        {
            foreach (var line in body.Split('\n'))
                foreach (var cell in line.Split(','))
                    Assert.False(cell.TrimStart('"').Length > 0 && "=+@".Contains(cell.TrimStart('"')[0]), $"{url}: a cell starts a formula: {cell}");
        }
        else if (url.EndsWith(".md", StringComparison.Ordinal))
        {
            foreach (var raw in new[] { "<script", "<img", "</table>", "<h1>" }) Assert.DoesNotContain(raw, body);
            Assert.DoesNotMatch(@"(?<!\\)\]\(javascript:", body);
        }
        // No script runs whatever slips through: the policy's default is none, and it allows no script source.
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.DoesNotContain("script-src", policy);
    }

    /// <summary>Every POST endpoint the server maps, found from its routes, so a new one is covered when it is added.</summary>
    public static IEnumerable<object[]> Writes() =>
        [["no token", null!], ["wrong token", "not-" + HostileServer.Token], ["the token's prefix", HostileServer.Token[..^1]], ["the token and more", HostileServer.Token + "x"]];

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Attack_EveryWrite_WithoutTheToken_IsRefusedAndChangesNothing(string attempt, string? token)
    {
        var posts = server.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods.Contains("POST") == true)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .ToList();
        Assert.Contains("/api/fetch", posts);
        Assert.Contains("/api/import", posts);
        var before = Run.Scalar<long>(server.Db, "select count(*) from payloads");

        foreach (var path in posts)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path.Replace("{", "x").Replace("}", "") + "?date=2025-02-15")
            {
                Content = new StringContent("[]", Encoding.UTF8, "application/json"),
            };
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await server.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{attempt} on {path}: {(int)response.StatusCode}");
        }
        Assert.Equal(before, Run.Scalar<long>(server.Db, "select count(*) from payloads"));
    }

    [Fact]
    public async Task Attack_OversizedImport_Chunked_Is413AndStoresNothing()
    {
        var before = Run.Scalar<long>(server.Db, "select count(*) from payloads");
        var chunk = Encoding.UTF8.GetBytes(new string(' ', 1024 * 1024));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/import?date=2025-02-20")
        {
            // No Content-Length: the body is refused as it passes the limit, not on a header's word.
            Content = new PushContent(async stream =>
            {
                for (var i = 0; i < 40; i++) await stream.WriteAsync(chunk);
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HostileServer.Token);
        HttpStatusCode status;
        try
        {
            using var response = await server.Client.SendAsync(request);
            status = response.StatusCode;
        }
        catch (HttpRequestException)
        {
            status = HttpStatusCode.RequestEntityTooLarge; // the server answered and closed while the body was still being sent
        }
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(before, Run.Scalar<long>(server.Db, "select count(*) from payloads"));
    }

    [Fact]
    public async Task Attack_DeeplyNestedJson_IsQuarantinedNotA500()
    {
        var body = new string('[', 100_000) + new string(']', 100_000);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/import?date=2025-02-21&name=nested.json")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HostileServer.Token);
        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("depth", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Attack_SlowClients_DoNotStopOthers()
    {
        // Sixty connections that send half a request line and then nothing, and one upload that
        // trickles: the server keeps answering everyone else.
        var port = server.BaseUrl.Port;
        var sockets = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 60; i++)
            {
                var socket = new TcpClient();
                await socket.ConnectAsync(IPAddress.Loopback, port);
                await socket.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /d/overview HTTP/1.1\r\nHost: x\r\nX-Slow: "));
                sockets.Add(socket);
            }
            var upload = new TcpClient();
            sockets.Add(upload);
            await upload.ConnectAsync(IPAddress.Loopback, port);
            await upload.GetStream().WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/import?date=2025-02-22 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {HostileServer.Token}\r\nContent-Length: 1000000\r\n\r\n["));

            // Answered at all (the client gives up after a minute): no thread or connection slot is held by the slow ones.
            for (var i = 0; i < 20; i++)
            {
                using var response = await server.Client.GetAsync($"/d/overview/topics.csv?from=2024-12-{i + 1:00}&to=2025-02-16");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    public static IEnumerable<object[]> EdgeInputs() =>
        new[]
        {
            "/d/overview?to=0001-01-01", "/d/overview?from=0001-01-01&to=0001-01-02", "/d/keywords?from=9999-12-30&to=9999-12-31",
            "/d/overview/topics.png?to=0001-01-01", "/d/overview/families.json?from=0001-01-01&to=0001-01-02", "/explore?term=x&to=0001-01-01",
            "/papers?family=GPT&from=0001-01-01&to=0001-01-01", "/d/overview?from=2025-02-30", "/d/overview?range=99999w",
            "/explore.png?term=a%1Fb%1Fc%1Fd%1Fe%1Ff%1Fg%1Fh%1Fi", "/papers?term=%1F", "/d/overview.png?width=100000&height=100000",
            "/d/overview/topics.png?width=-1", "/d/overview?grain=%00", "/d/overview?source=" + new string('a', 5000),
        }.Select(u => new object[] { u });

    [Theory]
    [MemberData(nameof(EdgeInputs))]
    public async Task Attack_EdgeInput_IsA400WithAReason(string url)
    {
        using var response = await server.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
        Assert.False(string.IsNullOrWhiteSpace(body));
    }

    [Fact]
    public async Task Attack_HealthzTellsNoDirectory()
    {
        var body = await server.Client.GetStringAsync("/healthz");

        Assert.DoesNotContain(server.Directory, body);
        Assert.Contains("test.duckdb", body);
    }

    [Fact]
    public async Task Attack_FloodOfDistinctPanels_CacheStaysWithinItsBytes()
    {
        var site = server.App.Services.GetRequiredService<DashboardSite>();
        var panels = Dashboards.Dashboards.SelectMany(d => d.Panels.Select(p => $"/d/{d.Id}/{p.Id}")).ToList();
        var urls = Enumerable.Range(0, 240).Select(i =>
        {
            var from = new DateOnly(2025, 1, 1).AddDays(i % 40);
            return $"{panels[i % panels.Count]}.{(i % 2 == 0 ? "png" : "json")}?from={from:yyyy-MM-dd}&to=2025-02-16&grain=day";
        }).ToList();
        var peak = 0L;

        await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (url, ct) =>
        {
            using var response = await server.Client.GetAsync(url, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var used = site.CacheBytes.Used;
            long seen;
            while ((seen = Interlocked.Read(ref peak)) < used && Interlocked.CompareExchange(ref peak, used, seen) != seen) { }
        });

        Assert.Equal(HostileServer.CacheMegabytes * 1024L * 1024, site.CacheBytes.Limit);
        Assert.True(peak <= site.CacheBytes.Limit, $"the cache held {peak:N0} bytes, over its {site.CacheBytes.Limit:N0}");
        Assert.True(peak > 0, "the flood was cached at all");
    }

    /// <summary>A request body written as it is sent, without a Content-Length.</summary>
    private sealed class PushContent(Func<Stream, Task> write) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => write(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
