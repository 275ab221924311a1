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
        var archived = new Option<bool>("--archived") { Description = "write the files of the week's latest archived review, without generating it again" };
        var command = new Command("review", "Write the weekly trend review of an ISO week (Markdown, HTML, PNGs) and archive it.") { week, output, force, archived };
        command.Validators.Add(result =>
        {
            if (result.GetValue(force) && result.GetValue(archived)) result.AddError("--force generates the review again and --archived writes it as archived: give one");
        });
        command.SetAction(parse => cli.Guard(() =>
        {
            if (!IsoWeek.TryParse(parse.GetValue(week), out var isoWeek, out var error))
            {
                cli.Error.WriteLine($"trendlens: {error}");
                return CommandLine.Usage;
            }
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (parse.GetValue(archived))
            {
                if (ReviewArchive.Find(connection, isoWeek) is not { } stored)
                {
                    cli.Error.WriteLine($"trendlens: no review of {isoWeek} is archived; without --archived it is generated and archived");
                    return CommandLine.Failed;
                }
                var written = ReviewArchive.WriteFiles(connection, isoWeek, stored, parse.GetValue(output)!);
                cli.Output.WriteLine($"Review of {isoWeek} ({isoWeek.Monday:yyyy-MM-dd} to {isoWeek.Sunday:yyyy-MM-dd}), version {stored.Version} as archived " +
                    $"{stored.Generated.UtcDateTime:yyyy-MM-dd HH:mm} UTC (data as of {(stored.DataAsOf is { } asOf ? Days.Text(asOf) : "—")}):");
                foreach (var f in written) cli.Output.WriteLine($"  {f}");
                return CommandLine.Ok;
            }
            var watch = Stopwatch.StartNew();
            GeneratedReview review;
            try
            {
                review = ReviewArchive.Generate(new RollupRefresher(database), connection, isoWeek, cli.Clock, parse.GetValue(force), Web.OfflineReview.Html,
                    TrendLens.Dashboards.DemoData.IsDemo(connection), primary: cli.PrimarySource(), baseSources: cli.BaseSources());
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
