using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrendLens.Charts;
using TrendLens.Cli.Commands;
using TrendLens.Cli.Web.Components;
using TrendLens.Cli.Web.Pages;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Web;

/// <summary>Dashboard pages (Razor components, Pages/) and every panel as PNG, SVG, CSV and JSON, from one renderer.</summary>
public static class DashboardEndpoints
{
    // Styles come from the site's stylesheet only; no script from anywhere.
    private const string Csp = "default-src 'none'; img-src 'self'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>
    /// For the HTML of a review archived before numbers were kept, served as it was archived: it
    /// carries its styles inline. Still no script.
    /// </summary>
    internal const string ArchivedPageCsp = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapTrendLens(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health);
        app.MapGet("/", () => Results.Redirect("/d/overview"));
        app.MapGet("/d/{dashboard}.png", Export);
        app.MapGet("/d/{dashboard}", Page);
        app.MapGet("/papers", Papers);
        app.MapGet("/explore", Explore);
        app.MapGet("/explore.png", (HttpContext http, DashboardSite site) => ExploreChart(http, site, "png"));
        app.MapGet("/explore.csv", (HttpContext http, DashboardSite site) => ExploreChart(http, site, "csv"));
        app.MapGet("/d/{dashboard}/{file}", Panel);
        return app;
    }

    public static void UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.Headers.ContentSecurityPolicy = Csp;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        await next();
    });

    /// <summary>
    /// A request that fails answers with a line of text, never an empty 500: 503 when the database
    /// cannot be read (damaged under the running server), 503 with <c>Retry-After</c> when DuckDB
    /// ran out of its memory limit for it (other requests and imports hold the rest; it passes
    /// when they finish), 500 otherwise; the log has the details.
    /// </summary>
    public static void UseFailureAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next();
        }
        catch (DuckDB.NET.Data.DuckDBException e) when (e.ErrorType == DuckDB.NET.Native.DuckDBErrorType.OutOfMemory
                                                        && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            Log(context).LogWarning(e, "{Method} {Path}: DuckDB ran out of memory; answered 503, try again", context.Request.Method, context.Request.Path.Value);
            context.Response.Headers.RetryAfter = "5";
            await Answer(context, 503, "Service busy: the database ran out of memory for this request while other work held it; " +
                "try again in a few seconds (the limit is the setting DatabaseMemoryMegabytes).\n");
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var site = context.RequestServices.GetRequiredService<DashboardSite>();
            var problem = DatabaseProblem(e) is { } p ? site.WithoutDirectory(p) : null;
            if (problem is not null) site.ReportDamage(problem);
            Log(context).LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            await Answer(context, problem is null ? 500 : 503, problem is null
                ? "Internal error: the request failed; the server's log has the details.\n"
                : $"Service unavailable: the database cannot be read ({problem}); see /healthz.\n");
        }
    });

    private static ILogger Log(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("TrendLens.Web");

    private static Task Answer(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text);
    }

    /// <summary>The problem, when <paramref name="e"/> says the database file cannot be read; else null.</summary>
    private static string? DatabaseProblem(Exception e) => e switch
    {
        DatabaseDamagedException d => d.Problem,
        DuckDB.NET.Data.DuckDBException d when DatabaseCheck.IsDamage(d) => DatabaseCheck.OneLine(d.Message),
        _ => null,
    };

    private static IResult Health(DashboardSite site)
    {
        DashboardSite.DataState state;
        try
        {
            site.VerifyStorage();
            using var connection = site.Database.Open();
            state = site.State(connection);
        }
        catch (Exception e) when (DatabaseProblem(e) is { } problem)
        {
            return Results.Json(new { status = "unavailable", database = Path.GetFileName(site.Database.Path), reason = site.WithoutDirectory(problem) }, statusCode: 503);
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return Results.Json(new
        {
            // The file's name only: where it lives on the server is nobody's business.
            status = "ok", database = Path.GetFileName(site.Database.Path), demo = site.Demo, papers = state.Papers, first_list = state.First, latest_list = state.Last,
            working_set_mb = process.WorkingSet64 / (1024 * 1024), managed_heap_mb = GC.GetTotalMemory(false) / (1024 * 1024),
            cache_mb = site.CacheBytes.Used / (1024 * 1024), cache_limit_mb = site.CacheBytes.Limit / (1024 * 1024),
        });
    }

    internal static IResult BadRequest(string message) => Results.Text($"Bad request: {message}\n", "text/plain; charset=utf-8", statusCode: 400);

    internal static IResult NotFound(string message) => Results.Text($"Not found: {message}\n", "text/plain; charset=utf-8", statusCode: 404);

    private static IResult Panel(string dashboard, string file, HttpContext http, DashboardSite site)
    {
        var definition = site.Dashboards.Find(dashboard);
        if (definition is null) return NotFound($"no dashboard '{dashboard}'");
        var dot = file.LastIndexOf('.');
        if (dot <= 0) return NotFound("a panel URL ends in .png, .svg, .csv or .json");
        var (panelId, ext) = (file[..dot], file[(dot + 1)..]);
        var panel = definition.Panels.FirstOrDefault(p => p.Id == panelId);
        if (panel is null) return NotFound($"no panel '{panelId}' on dashboard '{dashboard}'");
        if (ext is not ("png" or "svg" or "csv" or "json")) return NotFound($"a panel comes as .png, .svg, .csv or .json, not .{ext}");

        using var request = site.OpenRequest();
        var connection = request.Connection;
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, state, site, connection, out var p, out var error)) return BadRequest(error);
        if (!TrySize(http.Request.Query, out var width, out var height, out error)) return BadRequest(error);

        var key = $"{dashboard}/{panel.Id}.{ext}|{p.Panel.CacheKey}|{p.SeriesKey}|{width}x{height}|{state.Version}";
        var asked = Asked(http);
        switch (ext)
        {
            case "png":
                return Results.Bytes(Drawn(site, connection, dashboard, panel, p, state.Version, width, height, asked, request).Png, "image/png");
            case "svg":
                return Results.Text(site.Cached(key, () =>
                {
                    var data = Shown(site, connection, panel, p, state.Version);
                    return PanelRenderer.Svg(panel, data, Footer(site, connection, p, data), width, height, p.From, p.To);
                }, asked, request), "image/svg+xml");
            case "csv":
                return Results.Text(site.Cached(key, () => Tabular(Shown(site, connection, panel, p, state.Version), OutputFormat.Csv), asked, request), "text/csv; charset=utf-8");
            default:
                return Results.Text(site.Cached(key, () => Tabular(Shown(site, connection, panel, p, state.Version), OutputFormat.Json), asked, request), "application/json; charset=utf-8");
        }
    }

    /// <summary>A panel drawn with the page's series choice: the PNG and where its marks are, made once for the image and the page.</summary>
    private static DrawnPanel Drawn(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, string dashboard, PanelDefinition panel, PageParameters p, string version,
        int width = PanelRenderer.DefaultWidth, int height = PanelRenderer.DefaultHeight, string? asked = null, RequestConnection? request = null) =>
        site.Cached($"drawn:{dashboard}/{panel.Id}|{p.Panel.CacheKey}|{p.SeriesKey}|{width}x{height}|{version}",
            () =>
            {
                var data = Shown(site, connection, panel, p, version);
                return PanelRenderer.Draw(panel, data, Footer(site, connection, p, data), width, height, 1, p.From, p.To);
            }, asked, request);

    /// <summary>The request as its client sent it: what <see cref="DashboardSite.Cached"/> may answer from the previous data when busy.</summary>
    /// <summary>The days a paper was listed, as "first – last", or the one day when it was listed once.</summary>
    internal static string ListedSpan(string first, string last) => first == last ? first : $"{first} – {last}";

    private static string Asked(HttpContext http) => http.Request.Path.Value + http.Request.QueryString.Value;

    /// <summary>A panel's rows for the series the page shows (<c>only=</c>, <c>hide=</c>).</summary>
    private static PanelData Shown(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, PanelDefinition panel, PageParameters p, string version)
    {
        var data = Data(site, connection, panel, p, version);
        if (p.ShowsAll) return data;
        var shown = p.ForSeries(data.SeriesNames(panel));
        return shown.ShowsAll ? data : data.WithSeries(panel, shown.Shows);
    }

    private static bool TrySize(IQueryCollection query, out int width, out int height, out string error)
    {
        (width, height, error) = (PanelRenderer.DefaultWidth, PanelRenderer.DefaultHeight, "");
        foreach (var (key, min, max) in new[] { ("width", 200, 4000), ("height", 150, 3000) })
        {
            var text = query[key].FirstOrDefault();
            if (text is null) continue;
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            {
                error = $"{key} must be a whole number of pixels from {min} to {max}";
                return false;
            }
            if (key == "width") width = v; else height = v;
        }
        return true;
    }

    private static string Footer(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, PageParameters p, PanelData data) =>
        ChartFooter.Of(site.Database, connection, p.Panel, data, site.Demo);

    /// <summary>A panel's rows, computed once per (panel, parameters, data version) for the page, its images and alternates.</summary>
    private static PanelData Data(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, PanelDefinition panel, PageParameters p, string version) =>
        site.Cached($"data:{panel.Id}|{panel.Query}|{panel.Top}|{panel.Of}|{panel.WindowDays}|{panel.Words}|{p.Panel.CacheKey}|{version}",
            () => PanelRunner.Run(site.Database, connection, panel, p.Panel));

    private static string Tabular(PanelData data, OutputFormat format)
    {
        var writer = new StringWriter();
        TabularWriter.Write(writer, format, data.Columns, data.Rows);
        return writer.ToString();
    }

    private static IResult Export(string dashboard, HttpContext http, DashboardSite site)
    {
        var definition = site.Dashboards.Find(dashboard);
        if (definition is null) return NotFound($"no dashboard '{dashboard}'");
        using var request = site.OpenRequest();
        var connection = request.Connection;
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, state, site, connection, out var p, out var error)) return BadRequest(error);
        if (http.Request.Query.ContainsKey("width") || http.Request.Query.ContainsKey("height"))
            return BadRequest("a dashboard's image is laid out from its panels: width and height apply to one panel (/d/{dashboard}/{panel}.png)");
        var png = site.Cached($"export:{dashboard}|{p.Panel.CacheKey}|{state.Version}",
            () => DashboardExporter.Render(site.Database, connection, definition, p.Panel, site.Demo), Asked(http), request);
        return Results.Bytes(png, "image/png");
    }

    private static IResult Page(string dashboard, HttpContext http, DashboardSite site, TimeProvider clock)
    {
        var definition = site.Dashboards.Find(dashboard);
        if (definition is null) return NotFound($"no dashboard '{dashboard}'");
        using var request = site.OpenRequest();
        var connection = request.Connection;
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, state, site, connection, out var p, out var error)) return BadRequest(error);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // The page is rendered once per parameters, data version and day (it may say how old the data is).
        var html = site.Cached($"page:{dashboard}|{p.Panel.CacheKey}|{p.SeriesKey}|{p.Range}|{state.Version}|{today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", () =>
        {
            var panels = definition.Panels.Select(panel =>
            {
                var data = Data(site, connection, panel, p, state.Version);
                if (DashboardCatalog.Kind(panel) == ChartKind.Table) return new DashboardPage.PanelView(panel, data, []);
                var drawn = Drawn(site, connection, dashboard, panel, p, state.Version);
                return new DashboardPage.PanelView(panel, null, PapersBehind(panel, data, p))
                {
                    Figure = FigureOf($"/d/{dashboard}", panel.Id, panel, data, drawn, p),
                    // Two sources compared over fewer days than the page's range: which, said under the chart too.
                    Notice = data.Rows.Count == 0 ? data.Note : data.Compared?.Cut is { } cut ? char.ToUpperInvariant(cut[0]) + cut[1..] + "." : null,
                    Empty = data.Rows.Count == 0,
                };
            }).ToList();
            return HtmlPages.Render<DashboardPage>(site.Services ?? http.RequestServices, new
            {
                Dashboard = definition, Parameters = p, Panels = panels, ChartFooter.Read(site.Database, connection, p.Panel).Listed, DataAsOf = state.Last,
                FirstList = state.First, state.Sources,
            });
        }, Asked(http), request);
        return Results.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>What a page lays over and under a drawn chart: its marks to hover and click, and its legend's links.</summary>
    public sealed record Figure(IReadOnlyList<PanelFigure.MarkLink> Marks, IReadOnlyList<PanelFigure.LegendEntry> Legend, bool AllShown, string ShowAll);

    private static Figure FigureOf(string path, string fragment, PanelDefinition panel, PanelData data, DrawnPanel drawn, PageParameters p)
    {
        string Link(IReadOnlyList<string> only, IReadOnlyList<string> hide) => $"{path}?{p.QueryWith(only, hide)}#{fragment}";
        var shown = p.ForSeries(data.SeriesNames(panel));
        var legend = PanelRenderer.Legend(panel, data).Select(l => new PanelFigure.LegendEntry(l.Series, l.Color.ToHex(), shown.Shows(l.Series),
            Link([l.Series], []),
            shown.Shows(l.Series) ? Link(p.Only.Where(o => o != l.Series).ToList(), [.. p.Hide, l.Series]) : Link(p.Only, p.Hide.Where(h => h != l.Series).ToList()))).ToList();
        return new Figure(MarkLinks(panel, drawn, p), legend, shown.ShowsAll, Link([], []));
    }

    /// <summary>Each mark of a drawn chart with what it says on hover and, for a chart of tags, the papers behind it.</summary>
    private static IReadOnlyList<PanelFigure.MarkLink> MarkLinks(PanelDefinition panel, DrawnPanel drawn, PageParameters p)
    {
        var kind = PanelRunner.KindOf(panel) is { } k ? PageParameters.ParameterOf(k) : null;
        return drawn.Marks.Select(m => new PanelFigure.MarkLink(m, kind is null || m.Papers == 0 ? null : (p with { From = m.From, To = m.To, Source = m.Source ?? p.Source }).PapersOf(kind, m.Series))).ToList();
    }

    /// <summary>
    /// Under a chart: each series or bar, linked to the papers behind it in the range the panel
    /// counts: the page's, or an emerging list's recent window.
    /// </summary>
    private static IReadOnlyList<PageLink> PapersBehind(PanelDefinition panel, PanelData data, PageParameters p)
    {
        var kind = PanelRunner.KindOf(panel) is { } k ? PageParameters.ParameterOf(k) : null;
        if (kind is null) return [];
        if (data.Window is { } window) p = p with { From = window.From, To = window.To };
        var column = DashboardCatalog.Kind(panel) == ChartKind.HorizontalBar ? panel.Y! : panel.Series!;
        return data.Rows.Select(r => r[data.Column(column)] as string).OfType<string>().Distinct().Take(panel.Top)
            .Select(name => new PageLink(name, p.PapersOf(kind, name))).ToList();
    }

    /// <summary>Papers per page of <c>/papers</c>.</summary>
    public const int PapersPerPage = 100;

    private static IResult Papers(HttpContext http, DashboardSite site)
    {
        var overview = site.Dashboards.Dashboards[0];
        using var connection = site.Database.Open();
        var state = site.State(connection);
        // q (words of the title) and page are this page's own; the rest are every page's parameters.
        var query = http.Request.Query;
        var q = query["q"].ToString().Trim();
        if (query["q"].Count > 1 || q.Length > 200 || q.Any(char.IsControl)) return BadRequest("q is one search of at most 200 characters, without control characters");
        var pageText = query["page"].ToString();
        var page = 1;
        if (query["page"].Count > 1 || (pageText.Length > 0 && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > 100_000)))
            return BadRequest("page is a whole number from 1 to 100000");
        var sort = query["sort"].ToString();
        if (query["sort"].Count > 1 || sort is not ("" or "date" or "rank" or "upvotes")) return BadRequest("sort is date, rank or upvotes");
        var rest = new Microsoft.AspNetCore.Http.QueryCollection(query.Where(kv => kv.Key is not ("q" or "page" or "sort")).ToDictionary(kv => kv.Key, kv => kv.Value));
        if (!PageParameters.TryParse(rest, overview, state, site, connection, out var p, out var error)) return BadRequest(error);
        // A search without a range looks at every date.
        if (q.Length > 0 && !rest.ContainsKey("from") && !rest.ContainsKey("range") && state.First is { } first) p = p with { From = first };
        var (kind, names) = (p.KindParameter, p.Typed);
        List<IDictionary<string, object?>> Read(long offset, long size) => Dapper.SqlMapper.Query(connection, Storage.SqlCatalog.Get("papers/papers_with_tags"),
            new
            {
                from = p.From, to = p.To, kind = Rollup.TagKinds.Column(p.Kind), names = string.Join('\u001f', p.Names), source = p.ReadFrom,
                q, sort = sort.Length == 0 ? "date" : sort, offset, page_size = size,
            }).Cast<IDictionary<string, object?>>().ToList();
        var rows = Read((long)(page - 1) * PapersPerPage, PapersPerPage);
        // Past the last page the page is empty, and its total is read from the first row.
        var counted = rows.Count > 0 || page == 1 ? rows : Read(0, 1);
        var total = counted.Count > 0 ? Convert.ToInt64(counted[0]["total"], CultureInfo.InvariantCulture) : 0;

        var papers = rows.Select(r => new PaperRow((string)r["paper_id"]!, (string?)r["title"], Convert.ToInt64(r["days_listed"], CultureInfo.InvariantCulture),
            Convert.ToInt32(r["best_rank"], CultureInfo.InvariantCulture), r["max_upvotes"] is { } u ? Convert.ToInt64(u, CultureInfo.InvariantCulture) : null)
        {
            Listed = ListedSpan(TabularWriter.Text(r["first_listed"]), TabularWriter.Text(r["last_listed"])),
            Matched = (string?)r["tags"],
        }).ToList();
        string? whyNote = null;
        if (p.Kind == Rollup.TagKind.Topics && p.Names.Count > 0 && site.Lexicons is { } lexicons && papers.Count > 0)
        {
            papers = WithTopicReasons(connection, lexicons, papers, p.Names);
            whyNote = (lexicons.Reader is { } reader
                ? $"the topic reader's probability for the topic and the words that raised it most (a paper has the topic at {reader.Threshold.ToString("0.##", CultureInfo.InvariantCulture)}, "
                  + $"or at {reader.WithRulesThreshold.ToString("0.##", CultureInfo.InvariantCulture)} when the topic's rules give it too), and "
                : "") + "the phrases of the topic's rules in topics.json that the paper says, where, and how often";
        }
        var kept = rest.SelectMany(kv => kv.Value.Select(v => KeyValuePair.Create(kv.Key, v ?? ""))).ToList();
        var search = (q.Length > 0 ? [KeyValuePair.Create("q", q)] : Array.Empty<KeyValuePair<string, string>>())
            .Concat(sort.Length > 0 ? [KeyValuePair.Create("sort", sort)] : Array.Empty<KeyValuePair<string, string>>()).ToList();
        string PageUrl(int n) => "/papers?" + string.Join('&', kept.Concat(search).Append(KeyValuePair.Create("page", n.ToString(CultureInfo.InvariantCulture)))
            .Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value)));
        var shown = (long)(page - 1) * PapersPerPage + rows.Count;
        return HtmlPages.Page<PapersPage>(http, new
        {
            Parameters = p, Search = q, Sort = sort.Length == 0 ? "date" : sort, Papers = papers, Page = page, PageSize = PapersPerPage, Total = total,
            Kept = kept, WhyNote = whyNote, FirstList = state.First, LastList = state.Last,
            Previous = page > 1 ? PageUrl(page - 1) : null,
            Next = shown < total ? PageUrl(page + 1) : null,
        });
    }

    /// <summary>
    /// The papers of a topic page, each with why it has the topics asked for (the phrases of the
    /// topic's rules it says, the topic reader's probability and words), so a reader of the topic
    /// chart can check the tags behind it.
    /// </summary>
    private static List<PaperRow> WithTopicReasons(DuckDB.NET.Data.DuckDBConnection connection, Tagging.Lexicons lexicons, List<PaperRow> papers, IReadOnlyList<string> topics)
    {
        var texts = connection.Rows(Storage.SqlCatalog.Get("papers/texts_by_id"), r => (Id: r.GetString(0), Title: r.GetString(1), Abstract: r.GetString(2)),
                ("ids", string.Join('\u001f', papers.Select(x => x.Id))))
            .DistinctBy(t => t.Id).ToDictionary(t => t.Id, t => (t.Title, t.Abstract), StringComparer.Ordinal);
        var tagger = new Tagging.Tagger(lexicons, TimeProvider.System);
        return papers.Select(paper => texts.TryGetValue(paper.Id, out var text)
            ? paper with { Why = string.Join(" | ", topics.Select(t => (topics.Count > 1 ? t + ": " : "") + tagger.ExplainTopic(text.Title, text.Abstract, t).Describe())) }
            : paper).ToList();
    }

    /// <summary>The chart that compares the names asked for: their shares per period, titled by them.</summary>
    private static PanelDefinition ExplorePanel(PageParameters p) => new()
    {
        Id = "explore",
        Title = p.Kind switch { Rollup.TagKind.Families => "Model families", Rollup.TagKind.Topics => "Topics", _ => "Keywords" }
            + ", share of papers listed: " + string.Join(", ", p.Typed),
        Query = p.Kind switch { Rollup.TagKind.Families => "rollup/family_share_by_period", Rollup.TagKind.Topics => "rollup/topic_share_by_period", _ => "rollup/term_share_by_period" },
        Chart = "line",
        X = "period",
        Y = "share",
        Series = p.KindParameter,
        Top = 8,
        Words = "all",
    };

    private static IResult ExploreChart(HttpContext http, DashboardSite site, string ext)
    {
        var overview = site.Dashboards.Dashboards[0];
        using var request = site.OpenRequest();
        var connection = request.Connection;
        var state = site.State(connection);
        if (!PageParameters.TryParse(ResolvedKind(http.Request.Query, site), overview, state, site, connection, out var p, out var error)) return BadRequest(error);
        if (p.Names.Count == 0) return BadRequest("name at least one term, family or topic to compare");
        if (!TrySize(http.Request.Query, out var width, out var height, out error)) return BadRequest(error);
        p = ExploreDefaults(p, http.Request.Query);
        var panel = ExplorePanel(p);
        var key = $"explore.{ext}|{p.Panel.CacheKey}|{p.SeriesKey}|{string.Join('\u001f', p.Typed)}|{width}x{height}|{state.Version}";
        return ext == "png"
            ? Results.Bytes(Drawn(site, connection, "explore:" + string.Join('\u001f', p.Typed), panel, p, state.Version, width, height, Asked(http), request).Png, "image/png")
            : Results.Text(site.Cached(key, () => Tabular(Shown(site, connection, panel, p, state.Version), OutputFormat.Csv), Asked(http), request), "text/csv; charset=utf-8");
    }

    /// <summary>Explore shades bursts unless told not to (<c>bursts=0</c>).</summary>
    private static PageParameters ExploreDefaults(PageParameters p, IQueryCollection query) =>
        query.ContainsKey("bursts") ? p : p with { Bursts = true };

    /// <summary>
    /// Explore's boxes are sent as <c>term=</c>: names that are all model families (by name or
    /// alias) are compared as families, names that are all topics as topics, anything else as keywords.
    /// </summary>
    private static IQueryCollection ResolvedKind(IQueryCollection query, DashboardSite site)
    {
        var names = query["term"].Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()).ToList();
        if (names.Count == 0 || query.ContainsKey("family") || query.ContainsKey("topic") || site.Lexicons is not { } lexicons) return query;
        var (families, topics) = NamesOf(lexicons);
        var kind = names.All(families.Contains) ? "family" : names.All(topics.Contains) ? "topic" : null;
        if (kind is null) return query;
        var moved = query.ToDictionary(kv => kv.Key == "term" ? kind : kv.Key, kv => kv.Value);
        return new Microsoft.AspNetCore.Http.QueryCollection(moved);
    }

    /// <summary>The names (and aliases) of the lexicons' model families and topics, in any case.</summary>
    private static (HashSet<string> Families, HashSet<string> Topics) NamesOf(Tagging.Lexicons lexicons) => (
        lexicons.Families.Families.SelectMany(f => f.Aliases.Prepend(f.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase),
        lexicons.Topics.Topics.SelectMany(t => t.Aliases.Prepend(t.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase));

    /// <summary>
    /// When names of families or topics are compared as keywords beside other names, what that
    /// counts: the papers that write the name itself, not every paper the family or topic tags.
    /// </summary>
    internal static string? KindNote(PageParameters p, DashboardSite site)
    {
        if (p.Kind != Rollup.TagKind.Terms || site.Lexicons is not { } lexicons) return null;
        var (families, topics) = NamesOf(lexicons);
        var named = p.Typed.Where(n => families.Contains(n) || topics.Contains(n)).ToList();
        if (named.Count == 0) return null;
        var list = string.Join(", ", named);
        return $"{list} {(named.Count == 1 ? "is" : "are")} compared here as {(named.Count == 1 ? "a keyword" : "keywords")}: the papers that write "
            + $"{(named.Count == 1 ? "it" : "each")} as such, fewer than the model family or topic counts. Compare model families alone, or topics alone, to see theirs.";
    }

    private static IResult Explore(HttpContext http, DashboardSite site)
    {
        var overview = site.Dashboards.Dashboards[0];
        using var connection = site.Database.Open();
        var state = site.State(connection);
        string? notice = null;
        if (!PageParameters.TryParse(ResolvedKind(http.Request.Query, site), overview, state, site, connection, out var p, out var error))
        {
            // A name that resolves to nothing: the form again, with the reason and the nearest names.
            if (p is null) return BadRequest(error);
            notice = error;
        }
        p = ExploreDefaults(p, http.Request.Query);
        PanelData? bursts = null;
        Figure? figure = null;
        if (p.Names.Count > 0 && notice is null)
        {
            var panel = ExplorePanel(p);
            var drawn = Drawn(site, connection, "explore:" + string.Join('\u001f', p.Typed), panel, p, state.Version);
            figure = FigureOf("/explore", "explore", panel, Data(site, connection, panel, p, state.Version), drawn, p);
        }
        if (p.Names.Count > 0)
        {
            var found = Rollup.Bursts.Detect(site.Database, connection, p.Kind,
                new Rollup.BurstOptions { From = p.From, To = p.To, Names = p.Names, MinPapers = 1, Source = p.ReadFrom, Words = Rollup.RankedWords.All });
            bursts = new PanelData(["term", "start", "end", "weight"], found.Select(b => new object?[] { b.Display, b.Start, b.End, b.Weight }).ToList());
        }
        return HtmlPages.Page<ExplorePage>(http, new
        {
            Parameters = p, Sources = state.Sources, Notice = notice, Bursts = bursts, Figure = figure, KindNote = KindNote(p, site),
            Papers = p.Typed.Select(name => new PageLink(name, p.PapersOf(p.KindParameter, name))).ToList(),
        });
    }
}
