using Microsoft.Extensions.DependencyInjection;
using TrendLens.Cli.Web.Pages;
using TrendLens.Reviews;

namespace TrendLens.Cli.Web;

/// <summary>
/// A review's offline page, review.html, rendered outside any request from the components that
/// draw it on the site (<see cref="ReviewDocument"/>): archived with the review and written beside its images.
/// </summary>
public static class OfflineReview
{
    public static string Html(WeeklyReview review, DateTimeOffset generated)
    {
        using var services = new ServiceCollection().BuildServiceProvider();
        return HtmlPages.Render<ReviewDocument>(services, new { Review = review, Generated = generated });
    }
}
