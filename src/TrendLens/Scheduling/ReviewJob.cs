using Microsoft.Extensions.Logging;
using Quartz;
using TrendLens.Reviews;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// The weekly review of the ISO week just ended (Mondays 07:00 UTC by default), archived once:
/// a week already reviewed is left alone, and a week without lists is skipped.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ReviewJob(ServerData data, TrendLensSettings settings, TimeProvider clock, ILogger<ReviewJob> log) : IJob
{
    public static readonly JobKey Key = new("weekly-review", "review");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancel)
    {
        var week = IsoWeek.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Previous;
        using var connection = data.Database.Open();
        if (ReviewArchive.LatestVersion(connection, week) is { } version)
        {
            log.LogInformation("Review {Week}: already archived (version {Version})", week, version);
            return ValueTask.CompletedTask;
        }
        try
        {
            var review = ReviewArchive.Generate(data.Rollups, connection, week, clock, force: false, Web.OfflineReview.Html, data.Demo,
                data.Demo ? TrendLens.Dashboards.DemoData.Source : settings.Sources.FirstOrDefault()?.Name,
                data.Demo ? [TrendLens.Dashboards.DemoData.BaseSource] : settings.BaseSources());
            if (settings.ReviewFolder.Length > 0) ReviewArchive.WriteFiles(review, Path.Combine(settings.ReviewFolder, week.ToString()));
            log.LogInformation("Review {Week}: version {Version}, {Papers} papers listed", week, review.Version, review.Review.Listed);
        }
        catch (ReviewException e)
        {
            log.LogInformation("Review {Week}: not generated: {Reason}", week, e.Message);
        }
        return ValueTask.CompletedTask;
    }
}
