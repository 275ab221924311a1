using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TrendLens.Cli.Web.Pages;
using TrendLens.Reviews;

using static TrendLens.Cli.Web.DashboardEndpoints;

namespace TrendLens.Cli.Web;

/// <summary>The archive of weekly reviews: a list, each review as HTML, PNG and Markdown, and its section images.</summary>
public static class ReviewEndpoints
{
    public static IEndpointRouteBuilder MapTrendLensReviews(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reviews", List);
        app.MapGet("/reviews/{file}", Review);
        app.MapGet("/reviews/{week}/{image}", Image);
        return app;
    }

    private static IResult List(HttpContext http, DashboardSite site)
    {
        using var connection = site.Database.Open();
        return HtmlPages.Page<ReviewsPage>(http, new { Reviews = ReviewArchive.List(connection) });
    }

    /// <summary>Parses WEEK and ?version=N; anything else is a 400.</summary>
    private static bool TryWeek(string text, HttpContext http, out IsoWeek week, out int? version, out string error)
    {
        version = null;
        if (!IsoWeek.TryParse(text, out week, out error)) return false;
        foreach (var key in http.Request.Query.Keys)
            if (key != "version") { error = $"unknown parameter '{key}'"; return false; }
        if (http.Request.Query["version"] is { Count: > 0 } v)
        {
            if (v.Count > 1 || !int.TryParse(v[0], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            {
                error = "version must be a whole number from 1";
                return false;
            }
            version = n;
        }
        return true;
    }

    private static IResult Review(string file, HttpContext http, DashboardSite site)
    {
        var (name, ext) = file.EndsWith(".png", StringComparison.Ordinal) ? (file[..^4], "png")
            : file.EndsWith(".md", StringComparison.Ordinal) ? (file[..^3], "md")
            : (file, "html");
        if (!TryWeek(name, http, out var week, out var version, out var error)) return BadRequest(error);
        using var connection = site.Database.Open();
        var review = ReviewArchive.Find(connection, week, version);
        if (review is null) return NotFound(version is null ? $"no review of {week} yet" : $"no version {version} of the review of {week}");
        return ext switch
        {
            "png" => Results.Bytes(ReviewArchive.Image(connection, week, review.Version, GeneratedReview.Composite)!, "image/png", $"trendlens-review-{week}.png"),
            "md" => Results.Text(review.Markdown, "text/markdown; charset=utf-8"),
            _ => Results.Text(WithNavigation(ReviewRenderer.WithImagesAt(review.Html, $"/reviews/{week}/")
                .Replace(".png\"", $".png?version={review.Version}\"", StringComparison.Ordinal), connection, week.ToString()), "text/html; charset=utf-8"),
        };
    }

    /// <summary>Links from a served review to the list and to the reviews of the weeks before and after it.</summary>
    private static string WithNavigation(string html, DuckDB.NET.Data.DuckDBConnection connection, string week)
    {
        var weeks = ReviewArchive.List(connection).Select(r => r.Week).Distinct().Order(StringComparer.Ordinal).ToList();
        var at = weeks.IndexOf(week);
        var links = new List<string> { "<a href=\"/reviews\">All reviews</a>" };
        if (at > 0) links.Add($"<a href=\"/reviews/{E(weeks[at - 1])}\" rel=\"prev\">← {E(weeks[at - 1])}</a>");
        if (at >= 0 && at + 1 < weeks.Count) links.Add($"<a href=\"/reviews/{E(weeks[at + 1])}\" rel=\"next\">{E(weeks[at + 1])} →</a>");
        var nav = "<nav class=\"review-nav\">" + string.Join(" · ", links) + "</nav>";
        var body = html.IndexOf("<body>", StringComparison.Ordinal);
        return body < 0 ? html : html.Insert(body + "<body>".Length, nav);
    }

    private static IResult Image(string week, string image, HttpContext http, DashboardSite site)
    {
        if (!TryWeek(week, http, out var w, out var version, out var error)) return BadRequest(error);
        var name = image.EndsWith(".png", StringComparison.Ordinal) ? image[..^4] : "";
        if (name != GeneratedReview.Composite && !ReviewRenderer.Sections.Contains(name))
            return NotFound($"a review's images are {string.Join(", ", ReviewRenderer.Sections.Select(s => s + ".png"))} and review.png");
        using var connection = site.Database.Open();
        var review = ReviewArchive.Find(connection, w, version);
        if (review is null) return NotFound($"no review of {w}");
        return Results.Bytes(ReviewArchive.Image(connection, w, review.Version, name)!, "image/png");
    }
}
