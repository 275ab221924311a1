using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TrendLens.Charts;
using TrendLens.Cli.Commands;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Web;

/// <summary>Dashboard pages and every panel as PNG, SVG, CSV and JSON, from one renderer.</summary>
public static class DashboardEndpoints
{
    private const string Csp = "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
    /// cannot be read (damaged under the running server), 500 otherwise; the log has the details.
    /// </summary>
    public static void UseFailureAnswers(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next();
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var site = context.RequestServices.GetRequiredService<DashboardSite>();
            var problem = DatabaseProblem(e) is { } p ? site.WithoutDirectory(p) : null;
            if (problem is not null) site.ReportDamage(problem);
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("TrendLens.Web")
                .LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path.Value);
            context.Response.StatusCode = problem is null ? 500 : 503;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(problem is null
                ? "Internal error: the request failed; the server's log has the details.\n"
                : $"Service unavailable: the database cannot be read ({problem}); see /healthz.\n");
        }
    });

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

        using var connection = site.Database.Open();
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, state, site, connection, out var p, out var error)) return BadRequest(error);
        if (!TrySize(http.Request.Query, out var width, out var height, out error)) return BadRequest(error);

        var key = $"{dashboard}/{panel.Id}.{ext}|{p.Panel.CacheKey}|{width}x{height}|{state.Version}";
        switch (ext)
        {
            case "png":
                return Results.Bytes(site.Cached(key, () => PanelRenderer.Png(panel, Data(site, connection, panel, p, state.Version), Footer(site, connection, p), width, height)), "image/png");
            case "svg":
                return Results.Text(site.Cached(key, () => PanelRenderer.Svg(panel, Data(site, connection, panel, p, state.Version), Footer(site, connection, p), width, height)), "image/svg+xml");
            case "csv":
                return Results.Text(site.Cached(key, () => Tabular(Data(site, connection, panel, p, state.Version), OutputFormat.Csv)), "text/csv; charset=utf-8");
            default:
                return Results.Text(site.Cached(key, () => Tabular(Data(site, connection, panel, p, state.Version), OutputFormat.Json)), "application/json; charset=utf-8");
        }
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

    private static string Footer(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, PageParameters p) =>
        ChartFooter.Text(p.Panel, ChartFooter.Read(site.Database, connection, p.Panel), site.Demo);

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
        using var connection = site.Database.Open();
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, state, site, connection, out var p, out var error)) return BadRequest(error);
        if (http.Request.Query.ContainsKey("width") || http.Request.Query.ContainsKey("height"))
            return BadRequest("a dashboard's image is laid out from its panels: width and height apply to one panel (/d/{dashboard}/{panel}.png)");
        var png = site.Cached($"export:{dashboard}|{p.Panel.CacheKey}|{state.Version}",
            () => DashboardExporter.Render(site.Database, connection, definition, p.Panel, site.Demo));
        return Results.Bytes(png, "image/png");
    }

    /// <summary>Data whose newest list is more days old than this gets a notice on every dashboard.</summary>
    public const int StaleAfterDays = 3;

    private static IResult Page(string dashboard, HttpContext http, DashboardSite site, TimeProvider clock)
    {
        var definition = site.Dashboards.Find(dashboard);
        if (definition is null) return NotFound($"no dashboard '{dashboard}'");
        using var connection = site.Database.Open();
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, state, site, connection, out var p, out var error)) return BadRequest(error);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var stale = !site.Demo && state.Last is { } last && today.DayNumber - last.DayNumber > StaleAfterDays
            ? $"The newest list stored is from {last:yyyy-MM-dd}, {today.DayNumber - last.DayNumber} days before today: nothing has arrived since. " +
              "See the fetch runs on the Runs page; days older than a source's catch-up window are not fetched by themselves (trendlens fetch --from … --to … fetches them)."
            : null;
        var html = site.Cached($"page:{dashboard}|{p.Panel.CacheKey}|{p.Range}|{state.Version}|{(stale is null ? "" : today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}",
            () => RenderPage(site, connection, definition, p, ChartFooter.Read(site.Database, connection, p.Panel).Listed, state, stale));
        return Results.Text(html, "text/html; charset=utf-8");
    }

    internal static string E(string? s) => HtmlEncoder.Default.Encode(s ?? "");

    private static string SourceQuery(PageParameters p) => p.Source.Length > 0 ? "&amp;source=" + E(Uri.EscapeDataString(p.Source)) : "";

    private static string RenderPage(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, DashboardDefinition d, PageParameters p, long listed, DashboardSite.DataState state, string? stale)
    {
        var q = p.Query();
        var html = new StringBuilder();
        Shell(html, site, d.Title, d.Id, q);
        if (stale is not null) html.Append($"<p class=\"stale\" role=\"alert\"><strong>Old data.</strong> {E(stale)} <a href=\"/admin/runs\">Runs</a></p>");
        AppendDashboardBody(html, site, connection, d, p, listed, state, q);
        return html.ToString();
    }

    /// <summary>The head, styles, navigation and demo banner every page shares.</summary>
    internal static void Shell(StringBuilder html, DashboardSite site, string title, string? current, string q)
    {
        html.Append($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} · TrendLens</title>
            <link rel="stylesheet" href="{Stylesheet.Path}">
            </head><body>
            <header><h1>TrendLens</h1><nav aria-label="Dashboards">
            """);
        foreach (var other in site.Dashboards.Dashboards)
            html.Append($"<a href=\"/d/{E(other.Id)}?{E(q)}\"{(other.Id == current ? " aria-current=\"page\"" : "")}>{E(other.Title)}</a>");
        html.Append($"<a href=\"/explore?{E(q)}\"{(current == "explore" ? " aria-current=\"page\"" : "")}>Explore</a>");
        html.Append($"<a href=\"/reviews\"{(current == "reviews" ? " aria-current=\"page\"" : "")}>Reviews</a>");
        html.Append($"<a href=\"/admin/runs\"{(current == "runs" ? " aria-current=\"page\"" : "")}>Runs</a>");
        html.Append("</nav></header>");
        if (site.Demo)
            html.Append("<p class=\"demo\" role=\"note\"><strong>Synthetic demo data.</strong> These lists were generated by <code>trendlens generate</code>; nothing here describes real papers.</p>");
    }

    private static void AppendDashboardBody(StringBuilder html, DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, DashboardDefinition d, PageParameters p, long listed, DashboardSite.DataState state, string q)
    {
        var (last, version) = (state.Last, state.Version);
        html.Append($"""
            <main><h2>{E(d.Title)}</h2><p>{E(d.Description)}</p>
            <form method="get" action="/d/{E(d.Id)}" aria-label="Range and grain">
            <label>Range <select name="range">
            """);
        foreach (var (value, text) in new[] { ("4w", "4 weeks"), ("12w", "12 weeks"), ("1y", "1 year"), ("all", "all") })
            html.Append($"<option value=\"{value}\"{(p.Range == value ? " selected" : "")}>{text}</option>");
        html.Append("</select></label><label>Grain <select name=\"grain\">");
        foreach (var g in DashboardCatalog.Grains)
            html.Append($"<option value=\"{g}\"{(p.Grain == g ? " selected" : "")}>{g}</option>");
        html.Append("</select></label>");
        AppendSourceSelect(html, state, p);
        html.Append($"""
            <button type="submit">Show</button>
            <span>{p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd} · {listed:N0} papers listed · data as of {last?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}</span>
            </form><div class="panels">
            """);
        foreach (var panel in d.Panels)
        {
            var baseUrl = $"/d/{d.Id}/{panel.Id}";
            html.Append($"<figure id=\"{E(panel.Id)}\"{(DashboardCatalog.Kind(panel) == ChartKind.Table ? " class=\"wide\"" : "")}>");
            if (DashboardCatalog.Kind(panel) == ChartKind.Table)
            {
                html.Append($"<h3>{E(panel.Title)}</h3>");
                AppendTable(html, Data(site, connection, panel, p, version));
            }
            else
            {
                html.Append($"<img src=\"{E(baseUrl)}.png?{E(q)}\" alt=\"{E(panel.Title)}, {p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd}\" width=\"{PanelRenderer.DefaultWidth}\" height=\"{PanelRenderer.DefaultHeight}\">");
            }
            html.Append($"<figcaption>Download: <a href=\"{E(baseUrl)}.png?{E(q)}\" download>PNG</a> · <a href=\"{E(baseUrl)}.svg?{E(q)}\">SVG</a> · <a href=\"{E(baseUrl)}.csv?{E(q)}\">CSV</a> · <a href=\"{E(baseUrl)}.json?{E(q)}\">JSON</a>");
            AppendDrillDown(html, panel, Data(site, connection, panel, p, version), p);
            html.Append("</figcaption></figure>");
        }
        html.Append("</div></main>");
        Close(html);
    }

    /// <summary>The source filter: every source, or one of those with stored lists.</summary>
    private static void AppendSourceSelect(StringBuilder html, DashboardSite.DataState state, PageParameters p)
    {
        html.Append("<label>Source <select name=\"source\"><option value=\"\">all sources</option>");
        foreach (var source in state.Sources)
            html.Append($"<option value=\"{E(source)}\"{(p.Source == source ? " selected" : "")}>{E(source)}</option>");
        html.Append("</select></label>");
    }

    internal static void Close(StringBuilder html) =>
        html.Append("<footer><small>TrendLens · shares are papers carrying a tag over the distinct papers listed in the period; weeks start on Monday.</small></footer></body></html>");

    /// <summary>Under a chart: each series or bar links to the papers behind it in the page's range.</summary>
    private static void AppendDrillDown(StringBuilder html, PanelDefinition panel, PanelData data, PageParameters p)
    {
        var kind = DashboardCatalog.Kind(panel);
        if (kind == ChartKind.Table) return;
        var tagKind = PanelRunner.KindOf(panel) switch
        {
            Rollup.TagKind.Families => "family",
            Rollup.TagKind.Topics => "topic",
            Rollup.TagKind.Terms => "term",
            _ => null,
        };
        if (tagKind is null) return;
        var column = kind == ChartKind.HorizontalBar ? panel.Y! : panel.Series!;
        var names = data.Rows.Select(r => r[data.Column(column)] as string).Where(n => n is not null).Distinct().Take(panel.Top).ToList();
        if (names.Count == 0) return;
        html.Append("<br>Papers behind it: ");
        html.Append(string.Join(" · ", names.Select(n =>
            $"<a href=\"/papers?{tagKind}={E(Uri.EscapeDataString(n!))}&amp;from={p.From:yyyy-MM-dd}&amp;to={p.To:yyyy-MM-dd}{SourceQuery(p)}\">{E(n)}</a>")));
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
        var rest = new Microsoft.AspNetCore.Http.QueryCollection(query.Where(kv => kv.Key is not ("q" or "page")).ToDictionary(kv => kv.Key, kv => kv.Value));
        if (!PageParameters.TryParse(rest, overview, state, site, connection, out var p, out var error)) return BadRequest(error);
        var (kind, names) = (p.KindParameter, p.Typed);
        var rows = Dapper.SqlMapper.Query(connection, Storage.SqlCatalog.Get("papers/papers_with_tags"),
            new
            {
                from = p.From, to = p.To, kind = Rollup.TagKinds.Column(p.Kind), names = string.Join('\u001f', p.Names), source = p.Source,
                q, offset = (long)(page - 1) * PapersPerPage, page_size = (long)PapersPerPage,
            }).Cast<IDictionary<string, object?>>().ToList();
        var total = rows.Count > 0 ? Convert.ToInt64(rows[0]["total"], CultureInfo.InvariantCulture) : 0;

        var html = new StringBuilder();
        Shell(html, site, "Papers", null, p.Query());
        var what = E(names.Count == 0 ? "all papers" : $"papers with {kind} {string.Join(" or ", names)}") + (q.Length > 0 ? $" whose title contains <q>{E(q)}</q>" : "");
        var first = (long)(page - 1) * PapersPerPage + 1;
        html.Append($"<main><h2>Papers</h2><p>{what}, listed {p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd}: " +
            (rows.Count == 0 ? (page == 1 ? "none" : $"none on page {page}") : $"{first:N0}–{first + rows.Count - 1:N0} of {total:N0}") + ".</p>");
        html.Append("<form method=\"get\" action=\"/papers\" aria-label=\"Search titles\">");
        foreach (var (key, values) in rest)
            foreach (var value in values)
                html.Append($"<input type=\"hidden\" name=\"{E(key)}\" value=\"{E(value)}\">");
        html.Append($"<label>Title contains <input type=\"search\" name=\"q\" value=\"{E(q)}\" maxlength=\"200\"></label> <button type=\"submit\">Search</button></form>");
        var keep = string.Join("&amp;", rest.SelectMany(kv => kv.Value.Select(v => $"{E(Uri.EscapeDataString(kv.Key))}={E(Uri.EscapeDataString(v ?? ""))}"))
            .Append(q.Length > 0 ? "q=" + E(Uri.EscapeDataString(q)) : "").Where(x => x.Length > 0));
        var pager = new List<string>();
        if (page > 1) pager.Add($"<a href=\"/papers?{keep}{(keep.Length > 0 ? "&amp;" : "")}page={page - 1}\" rel=\"prev\">← previous {PapersPerPage}</a>");
        if (first - 1 + rows.Count < total) pager.Add($"<a href=\"/papers?{keep}{(keep.Length > 0 ? "&amp;" : "")}page={page + 1}\" rel=\"next\">next {PapersPerPage} →</a>");
        html.Append("<table><thead><tr><th scope=\"col\">paper</th><th scope=\"col\">title</th><th scope=\"col\">listed</th><th scope=\"col\">days</th><th scope=\"col\">best rank</th><th scope=\"col\">upvotes</th><th scope=\"col\">matched</th></tr></thead><tbody>");
        foreach (var r in rows)
        {
            var id = (string)r["paper_id"]!;
            var link = id.StartsWith("title:", StringComparison.Ordinal)
                ? E(id)
                : $"<a href=\"https://arxiv.org/abs/{E(Uri.EscapeDataString(id))}\">arXiv {E(id)}</a> · <a href=\"https://huggingface.co/papers/{E(Uri.EscapeDataString(id))}\">HF</a>";
            html.Append($"<tr><td>{link}</td><td>{E((string?)r["title"])}</td><td>{E(TabularWriter.Text(r["first_listed"]))} – {E(TabularWriter.Text(r["last_listed"]))}</td><td>{E(TabularWriter.Text(r["days_listed"]))}</td><td>{E(TabularWriter.Text(r["best_rank"]))}</td><td>{E(TabularWriter.Text(r["max_upvotes"]))}</td><td>{E((string?)r["tags"])}</td></tr>");
        }
        html.Append("</tbody></table>");
        if (pager.Count > 0) html.Append("<nav class=\"pager\" aria-label=\"Pages\">" + string.Join(" · ", pager) + "</nav>");
        html.Append("</main>");
        Close(html);
        return Results.Text(html.ToString(), "text/html; charset=utf-8");
    }

    /// <summary>The chart that compares the names asked for: their shares per period, titled by them.</summary>
    private static PanelDefinition ExplorePanel(PageParameters p) => new()
    {
        Id = "explore",
        Title = "Share of papers listed: " + string.Join(", ", p.Typed),
        Query = p.Kind switch { Rollup.TagKind.Families => "rollup/family_share_by_period", Rollup.TagKind.Topics => "rollup/topic_share_by_period", _ => "rollup/term_share_by_period" },
        Chart = "line",
        X = "period",
        Y = "share",
        Series = p.Kind switch { Rollup.TagKind.Families => "family", Rollup.TagKind.Topics => "topic", _ => "term" },
        Top = 8,
        Words = "all",
    };

    private static IResult ExploreChart(HttpContext http, DashboardSite site, string ext)
    {
        var overview = site.Dashboards.Dashboards[0];
        using var connection = site.Database.Open();
        var state = site.State(connection);
        if (!PageParameters.TryParse(http.Request.Query, overview, state, site, connection, out var p, out var error)) return BadRequest(error);
        if (p.Names.Count == 0) return BadRequest("name at least one term, family or topic to compare");
        if (!TrySize(http.Request.Query, out var width, out var height, out error)) return BadRequest(error);
        var panel = ExplorePanel(p);
        var key = $"explore.{ext}|{p.Panel.CacheKey}|{string.Join('\u001f', p.Typed)}|{width}x{height}|{state.Version}";
        return ext == "png"
            ? Results.Bytes(site.Cached(key, () => PanelRenderer.Png(panel, Data(site, connection, panel, p, state.Version), Footer(site, connection, p), width, height)), "image/png")
            : Results.Text(site.Cached(key, () => Tabular(Data(site, connection, panel, p, state.Version), OutputFormat.Csv)), "text/csv; charset=utf-8");
    }

    private static IResult Explore(HttpContext http, DashboardSite site)
    {
        var overview = site.Dashboards.Dashboards[0];
        using var connection = site.Database.Open();
        var state = site.State(connection);
        string? notice = null;
        if (!PageParameters.TryParse(http.Request.Query, overview, state, site, connection, out var p, out var error))
        {
            // A name that resolves to nothing: the form again, with the reason and the nearest names.
            if (p is null) return BadRequest(error);
            notice = error;
        }
        var families = p.Kind == Rollup.TagKind.Families;
        var q = p.Query();
        var html = new StringBuilder();
        Shell(html, site, "Explore", "explore", q);
        html.Append($"""
            <main><h2>Explore</h2><p>Compare up to 8 keywords, or up to 8 model families, over time. Shaded panels below list their bursts.</p>
            <form method="get" action="/explore" aria-label="Compare">
            <label>{(families ? "Model families" : "Keywords")} (one per box)
            """);
        for (var i = 0; i < 4; i++)
            html.Append($"<input name=\"{p.KindParameter}\" value=\"{E(i < p.Typed.Count ? p.Typed[i] : "")}\" aria-label=\"name {i + 1}\">");
        html.Append("</label><label>Range <select name=\"range\">");
        foreach (var (value, text) in new[] { ("4w", "4 weeks"), ("12w", "12 weeks"), ("1y", "1 year"), ("all", "all") })
            html.Append($"<option value=\"{value}\"{(p.Range == value ? " selected" : "")}>{text}</option>");
        html.Append("</select></label><label>Grain <select name=\"grain\">");
        foreach (var g in DashboardCatalog.Grains)
            html.Append($"<option value=\"{g}\"{(p.Grain == g ? " selected" : "")}>{g}</option>");
        html.Append("</select></label>");
        AppendSourceSelect(html, state, p);
        html.Append("<button type=\"submit\">Compare</button></form>");
        if (notice is not null) html.Append($"<p role=\"alert\"><strong>{E(notice)}</strong></p>");
        if (p.Names.Count > 0)
        {
            var chart = "/explore";
            html.Append($"<div class=\"panels\"><figure><img src=\"{E(chart)}.png?{E(q)}\" alt=\"{E(string.Join(", ", p.Typed))} over time\" width=\"{PanelRenderer.DefaultWidth}\" height=\"{PanelRenderer.DefaultHeight}\">");
            html.Append($"<figcaption><a href=\"{E(chart)}.png?{E(q)}\" download>PNG</a> · <a href=\"{E(chart)}.csv?{E(q)}\">CSV</a><br>Papers behind it: ");
            html.Append(string.Join(" · ", p.Typed.Select(n => $"<a href=\"/papers?{p.KindParameter}={E(Uri.EscapeDataString(n))}&amp;from={p.From:yyyy-MM-dd}&amp;to={p.To:yyyy-MM-dd}{SourceQuery(p)}\">{E(n)}</a>")));
            html.Append("</figcaption></figure><figure><h3>Bursts</h3>");
            var bursts = Rollup.Bursts.Detect(site.Database, connection, p.Kind,
                new Rollup.BurstOptions { From = p.From, To = p.To, Names = p.Names, MinPapers = 1, Source = p.Source, Words = Rollup.RankedWords.All });
            AppendTable(html, new PanelData(["term", "start", "end", "weight"], bursts.Select(b => new object?[] { b.Display, b.Start, b.End, b.Weight }).ToList()));
            html.Append("</figure></div>");
        }
        html.Append("</main>");
        Close(html);
        return Results.Text(html.ToString(), "text/html; charset=utf-8");
    }

    private static void AppendTable(StringBuilder html, PanelData data)
    {
        html.Append("<table><thead><tr>");
        foreach (var c in data.Columns) html.Append($"<th scope=\"col\">{E(c)}</th>");
        html.Append("</tr></thead><tbody>");
        var idColumn = data.Columns.ToList().IndexOf("paper_id");
        foreach (var row in data.Rows)
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
            {
                var text = TabularWriter.Text(row[i] is double f ? Math.Round(f, 3) : row[i]);
                if (i == idColumn && row[i] is string id && !id.StartsWith("title:", StringComparison.Ordinal))
                    html.Append($"<td><a href=\"https://arxiv.org/abs/{E(Uri.EscapeDataString(id))}\">{E(id)}</a> · <a href=\"https://huggingface.co/papers/{E(Uri.EscapeDataString(id))}\">HF</a></td>");
                else
                    html.Append($"<td>{E(text)}</td>");
            }
            html.Append("</tr>");
        }
        if (data.Rows.Count == 0) html.Append($"<tr><td colspan=\"{data.Columns.Count}\">No rows in this range.</td></tr>");
        html.Append("</tbody></table>");
    }
}
