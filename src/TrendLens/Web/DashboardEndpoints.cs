using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TrendLens.Charts;
using TrendLens.Cli.Commands;
using TrendLens.Dashboards;

namespace TrendLens.Cli.Web;

/// <summary>Dashboard pages and every panel as PNG, SVG, CSV and JSON, from one renderer.</summary>
public static class DashboardEndpoints
{
    private const string Csp = "default-src 'none'; img-src 'self'; style-src 'self' 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    public static IEndpointRouteBuilder MapTrendLens(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", Health);
        app.MapGet("/", () => Results.Redirect("/d/overview"));
        app.MapGet("/d/{dashboard}", Page);
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

    private static IResult Health(DashboardSite site)
    {
        using var connection = site.Database.Open();
        var (first, last, papers) = site.Extent(connection);
        return Results.Json(new { status = "ok", database = site.Database.Path, demo = site.Demo, papers, first_list = first, latest_list = last });
    }

    private static IResult BadRequest(string message) => Results.Text($"Bad request: {message}\n", "text/plain; charset=utf-8", statusCode: 400);

    private static IResult NotFound(string message) => Results.Text($"Not found: {message}\n", "text/plain; charset=utf-8", statusCode: 404);

    private static string Footer(DashboardSite site, PageParameters p, long papers, DateOnly? last) =>
        $"{p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd} · {p.Grain}" +
        (p.Names.Count > 0 ? " · " + string.Join(", ", p.Names) : "") +
        $" · n = {papers:N0} papers listed · data as of {last?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}" +
        (site.Demo ? " · SYNTHETIC DEMO DATA" : "");

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
        var (first, last, _) = site.Extent(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, first, last, out var p, out var error)) return BadRequest(error);
        if (!TrySize(http.Request.Query, out var width, out var height, out error)) return BadRequest(error);

        var key = $"{dashboard}/{panel.Id}.{ext}|{p.Panel.CacheKey}|{width}x{height}|{site.DataVersion(connection)}";
        switch (ext)
        {
            case "png":
                return Results.Bytes(site.Cached(key, () => PanelRenderer.Png(panel, Data(site, connection, panel, p), Footer(site, p, Listed(connection, p), last), width, height)), "image/png");
            case "svg":
                return Results.Text(site.Cached(key, () => PanelRenderer.Svg(panel, Data(site, connection, panel, p), Footer(site, p, Listed(connection, p), last), width, height)), "image/svg+xml");
            case "csv":
                return Results.Text(site.Cached(key, () => Tabular(Data(site, connection, panel, p), OutputFormat.Csv)), "text/csv; charset=utf-8");
            default:
                return Results.Text(site.Cached(key, () => Tabular(Data(site, connection, panel, p), OutputFormat.Json)), "application/json; charset=utf-8");
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

    private static PanelData Data(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, PanelDefinition panel, PageParameters p) =>
        PanelRunner.Run(site.Database, connection, panel, p.Panel);

    private static long Listed(DuckDB.NET.Data.DuckDBConnection connection, PageParameters p) =>
        Dapper.SqlMapper.ExecuteScalar<long>(connection, "select count(distinct paper_id) from current_entries where list_date between $from and $to", new { from = p.From, to = p.To });

    private static string Tabular(PanelData data, OutputFormat format)
    {
        var writer = new StringWriter();
        TabularWriter.Write(writer, format, data.Columns, data.Rows);
        return writer.ToString();
    }

    private static IResult Page(string dashboard, HttpContext http, DashboardSite site)
    {
        var definition = site.Dashboards.Find(dashboard);
        if (definition is null) return NotFound($"no dashboard '{dashboard}'");
        using var connection = site.Database.Open();
        var (first, last, _) = site.Extent(connection);
        if (!PageParameters.TryParse(http.Request.Query, definition, first, last, out var p, out var error)) return BadRequest(error);
        var html = site.Cached($"page:{dashboard}|{p.Panel.CacheKey}|{p.Range}|{site.DataVersion(connection)}",
            () => RenderPage(site, connection, definition, p, Listed(connection, p), last));
        return Results.Text(html, "text/html; charset=utf-8");
    }

    private static string E(string? s) => HtmlEncoder.Default.Encode(s ?? "");

    private static string RenderPage(DashboardSite site, DuckDB.NET.Data.DuckDBConnection connection, DashboardDefinition d, PageParameters p, long listed, DateOnly? last)
    {
        var q = p.Query();
        var html = new StringBuilder();
        html.Append($"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(d.Title)} · TrendLens</title>
            <style>
            body {"{"} font-family: system-ui, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; {"}"}
            header, main, footer {"{"} max-width: 1280px; margin: 0 auto; padding: 0.6rem 1.2rem; {"}"}
            header {"{"} display: flex; gap: 1.5rem; align-items: baseline; flex-wrap: wrap; {"}"}
            header h1 {"{"} font-size: 1.3rem; margin: 0; {"}"}
            nav a {"{"} margin-right: 1rem; {"}"} nav a[aria-current] {"{"} font-weight: 700; {"}"}
            .demo {"{"} background: #fff3cd; border: 1px solid #e0c36c; padding: 0.5rem 1rem; max-width: 1240px; margin: 0.5rem auto; {"}"}
            form {"{"} display: flex; gap: 0.8rem; align-items: end; flex-wrap: wrap; background: #fff; padding: 0.6rem 1rem; border: 1px solid #d0d7de; border-radius: 6px; {"}"}
            label {"{"} display: flex; flex-direction: column; font-size: 0.85rem; {"}"}
            .panels {"{"} display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; margin-top: 1rem; {"}"}
            figure {"{"} margin: 0; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5rem; {"}"}
            figure img {"{"} width: 100%; height: auto; {"}"}
            figcaption {"{"} font-size: 0.8rem; color: #57606a; {"}"}
            table {"{"} border-collapse: collapse; width: 100%; font-size: 0.85rem; {"}"} th, td {"{"} text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #eaeef2; {"}"}
            </style></head><body>
            <header><h1>TrendLens</h1><nav aria-label="Dashboards">
            """);
        foreach (var other in site.Dashboards.Dashboards)
            html.Append($"<a href=\"/d/{E(other.Id)}?{E(q)}\"{(other.Id == d.Id ? " aria-current=\"page\"" : "")}>{E(other.Title)}</a>");
        html.Append("</nav></header>");
        if (site.Demo)
            html.Append("<p class=\"demo\" role=\"note\"><strong>Synthetic demo data.</strong> These lists were generated by <code>trendlens generate</code>; nothing here describes real papers.</p>");
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
        html.Append($"""
            </select></label>
            <button type="submit">Show</button>
            <span>{p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd} · {listed:N0} papers listed · data as of {last?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}</span>
            </form><div class="panels">
            """);
        foreach (var panel in d.Panels)
        {
            var baseUrl = $"/d/{d.Id}/{panel.Id}";
            html.Append($"<figure id=\"{E(panel.Id)}\">");
            if (DashboardCatalog.Kind(panel) == ChartKind.Table)
            {
                html.Append($"<h3>{E(panel.Title)}</h3>");
                AppendTable(html, PanelRunner.Run(site.Database, connection, panel, p.Panel));
            }
            else
            {
                html.Append($"<img src=\"{E(baseUrl)}.png?{E(q)}\" alt=\"{E(panel.Title)}, {p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd}\" width=\"{PanelRenderer.DefaultWidth}\" height=\"{PanelRenderer.DefaultHeight}\">");
            }
            html.Append($"<figcaption>Download: <a href=\"{E(baseUrl)}.png?{E(q)}\" download>PNG</a> · <a href=\"{E(baseUrl)}.svg?{E(q)}\">SVG</a> · <a href=\"{E(baseUrl)}.csv?{E(q)}\">CSV</a> · <a href=\"{E(baseUrl)}.json?{E(q)}\">JSON</a></figcaption></figure>");
        }
        html.Append("</div></main><footer><small>TrendLens · shares are papers carrying a tag over the distinct papers listed in the period; weeks start on Monday.</small></footer></body></html>");
        return html.ToString();
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
