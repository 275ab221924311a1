using System.CommandLine;
using System.Diagnostics;
using TrendLens.Reviews;
using TrendLens.Rollup;

namespace TrendLens.Cli.Commands;

/// <summary>Generates and archives the weekly trend review of an ISO week, and writes its files.</summary>
public static class ReviewCommand
{
    public static Command Build(CommandLine cli)
    {
        var week = new Argument<string>("WEEK") { Description = "ISO week, like 2025-W07 (2025-W01 starts on 2024-12-30)" };
        var output = new Option<string>("--out") { Description = "folder for review.md, review.html and the PNGs", Required = true, HelpName = "DIR" };
        var force = new Option<bool>("--force") { Description = "generate again a week already reviewed (the previous version is kept)" };
        var command = new Command("review", "Write the weekly trend review of an ISO week (Markdown, HTML, PNGs) and archive it.") { week, output, force };
        command.SetAction(parse => cli.Guard(() =>
        {
            if (!IsoWeek.TryParse(parse.GetValue(week), out var isoWeek, out var error))
            {
                cli.Error.WriteLine($"trendlens: {error}");
                return CommandLine.Usage;
            }
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            var watch = Stopwatch.StartNew();
            GeneratedReview review;
            try
            {
                review = ReviewArchive.Generate(new RollupRefresher(database), connection, isoWeek, cli.Clock, parse.GetValue(force), Web.OfflineReview.Html,
                    primary: cli.PrimarySource());
            }
            catch (ReviewException e)
            {
                cli.Error.WriteLine($"trendlens: {e.Message}");
                return CommandLine.Failed;
            }
            var files = ReviewArchive.WriteFiles(review, parse.GetValue(output)!);
            var r = review.Review;
            cli.Output.WriteLine($"Review of {isoWeek} ({isoWeek.Monday:yyyy-MM-dd} to {isoWeek.Sunday:yyyy-MM-dd}), version {review.Version}, in {watch.Elapsed.TotalSeconds:0.00} s: " +
                $"{r.Listed:N0} papers listed ({r.NewPapers:N0} new), {r.Topics.Count} topics, {r.Emerging.Count} emerging keywords, " +
                $"{r.MoversUp.Count + r.MoversDown.Count} family movers, {r.Bursts.Count} bursts, {r.TopPapers.Count} top papers.");
            foreach (var f in files) cli.Output.WriteLine($"  {f}");
            return CommandLine.Ok;
        }));
        return command;
    }
}
