using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TrendLens.Cli.Web.Pages;
using TrendLens.Reviews;

using static TrendLens.Cli.Web.DashboardEndpoints;

namespace TrendLens.Cli.Web;

/// <summary>The archive of weekly reviews: a list, each review as a page, PNG and Markdown, and its section images.</summary>
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
        switch (ext)
        {
            case "png":
                return Results.Bytes(ReviewArchive.Image(connection, week, review.Version, GeneratedReview.Composite)!, "image/png", $"trendlens-review-{week}.png");
            case "md":
                return Results.Text(review.Markdown, "text/markdown; charset=utf-8");
        }
        if (review.Numbers is null) return Archived(http, review);
        // The archived weeks on either side, for links to them.
        var weeks = ReviewArchive.List(connection).Select(r => r.Week).Distinct().Order(StringComparer.Ordinal).ToList();
        var at = weeks.IndexOf(review.Week);
        return HtmlPages.Page<ReviewPage>(http, new
        {
            Review = ReviewNumbers.Read(review.Numbers), review.Generated, review.Version,
            Previous = at > 0 ? weeks[at - 1] : null,
            Next = at >= 0 && at + 1 < weeks.Count ? weeks[at + 1] : null,
        });
    }

    /// <summary>
    /// A review archived before its numbers were kept: its HTML as archived, with its images at
    /// their addresses. The page carries its own styles, so its policy allows inline ones.
    /// </summary>
    private static IResult Archived(HttpContext http, ArchivedReview review)
    {
        http.Response.Headers.ContentSecurityPolicy = ArchivedPageCsp;
        // Only the token inside a src="…" attribute is ours: list text was HTML-encoded, so it never holds a quote.
        var html = review.Html.Replace("src=\"" + ReviewRenderer.ImagesToken, $"src=\"/reviews/{review.Week}/", StringComparison.Ordinal)
            .Replace(".png\"", $".png?version={review.Version}\"", StringComparison.Ordinal);
        return Results.Text(html, "text/html; charset=utf-8");
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
