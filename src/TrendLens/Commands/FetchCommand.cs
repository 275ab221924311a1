using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using TrendLens.Cli.Scheduling;
using TrendLens.Snapshots;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

/// <summary>Fetches lists from a live source now: given days, or the days missing in its catch-up window.</summary>
public static class FetchCommand
{
    public const int MaxDays = 3660;

    public static Command Build(CommandLine cli)
    {
        var source = new Option<string>("--source") { Description = "the configured source to fetch (default: the first one)", HelpName = "NAME" };
        var date = CommandLine.DateOption("--date", "the one list date to fetch");
        var from = CommandLine.DateOption("--from", "first list date to fetch (with --to)");
        var to = CommandLine.DateOption("--to", "last list date to fetch, inclusive");
        var baseUrl = new Option<string>("--base-url") { Description = "use this base URL instead of the source's configured one", HelpName = "URL" };
        var refetch = new Option<bool>("--refetch") { Description = "fetch days already stored again (a source whose lists are final, like arxiv, otherwise skips them, so a backfill resumes)" };
        var command = new Command("fetch", "Fetch daily lists from a live source into the snapshot store (without dates: the days missing in the source's catch-up window).")
            { source, date, from, to, baseUrl, refetch };
        command.SetAction(parse => cli.Guard(() =>
        {
            var d = parse.GetValue(date);
            var (f, t) = (parse.GetValue(from), parse.GetValue(to));
            if (d is not null && (f is not null || t is not null))
            {
                cli.Error.WriteLine("trendlens: give --date, or --from and --to, not both");
                return CommandLine.Usage;
            }
            if ((f is null) != (t is null))
            {
                cli.Error.WriteLine("trendlens: give both --from and --to");
                return CommandLine.Usage;
            }
            if (f > t)
            {
                cli.Error.WriteLine("trendlens: --from is after --to");
                return CommandLine.Usage;
            }
            if (f is not null && t!.Value.DayNumber - f.Value.DayNumber + 1 > MaxDays)
            {
                cli.Error.WriteLine($"trendlens: at most {MaxDays} days at a time");
                return CommandLine.Usage;
            }

            var settings = TrendLensSettings.Load();
            var name = parse.GetValue(source);
            var configured = settings.Find(name) ?? (name is null || name == SnapshotWriter.DefaultSource ? new SourceSettings() : null);
            if (configured is null)
            {
                cli.Error.WriteLine($"trendlens: no source '{name}' is configured; configured: {(settings.Sources.Count == 0 ? "none" : string.Join(", ", settings.Sources.Select(s => s.Name)))}");
                return CommandLine.Failed;
            }
            if (parse.GetValue(baseUrl) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                {
                    cli.Error.WriteLine($"trendlens: --base-url must be an absolute http or https URL, not '{url}'");
                    return CommandLine.Usage;
                }
                configured.BaseUrl = url;
            }
            var sourceSettings = new TrendLensSettings { Sources = [configured] }.Validate().Sources[0];

            var database = cli.Database(parse);
            // Held for the whole command: the file is ours until the last day is stored.
            DuckDB.NET.Data.DuckDBConnection owner;
            try
            {
                owner = database.Open();
            }
            catch (DatabaseBusyException e)
            {
                cli.Error.WriteLine($"trendlens: {e.Message}. If `trendlens serve` owns it, ask the server to fetch: " +
                    "curl -X POST -H \"Authorization: Bearer $TRENDLENS_ADMIN_TOKEN\" \"<the server's address>/api/fetch?" +
                    (d is { } one ? $"date={one:yyyy-MM-dd}" : f is not null ? $"from={f:yyyy-MM-dd}&to={t:yyyy-MM-dd}" : "") + "\"");
                return CommandLine.Failed;
            }
            using (owner)
            {
                DatabaseNotWritableException.ThrowIfReadOnly(owner);
                TrendLens.Dashboards.DemoData.ThrowIfDemo(owner, database.Path);
                using var clients = new FetchClients();
                Lexicons? lexicons = null;
                try
                {
                    lexicons = cli.Lexicons(parse);
                }
                catch (LexiconException e)
                {
                    cli.Error.WriteLine($"trendlens: warning: fetched papers will not be tagged: {e.Message}");
                }
                var fetcher = new ListFetcher(clients.Source(sourceSettings), lexicons, cli.Clock);
                var fetchSource = sourceSettings.ToFetchSource();
                IReadOnlyList<DateOnly> days = d is { } single ? [single]
                    : f is not null ? Enumerable.Range(0, t!.Value.DayNumber - f.Value.DayNumber + 1).Select(i => f.Value.AddDays(i)).ToList()
                    : ListFetcher.DaysToFetch(owner, sourceSettings.Name, DateOnly.FromDateTime(cli.Clock.GetUtcNow().UtcDateTime), sourceSettings.CatchUpDays, sourceSettings.Lag(), sourceSettings.BackfillDays);
                if (days.Count == 0)
                {
                    cli.Output.WriteLine($"Nothing to fetch: {sourceSettings.Name} has every day of its {sourceSettings.CatchUpDays}-day window.");
                    return CommandLine.Ok;
                }
                // Made on the first day fetched: the fetcher says how many days it fetches (stored final lists are skipped).
                ProgressBar? progress = null;
                var runs = fetcher.FetchAsync(database, fetchSource, days, "command", CancellationToken.None, (done, of, run) =>
                {
                    progress ??= new ProgressBar(cli.Error, of, cli.Interactive && of >= 5);
                    progress.Clear();
                    cli.Output.WriteLine(Describe(run));
                    progress.Report(done, $"{run.ListDate:yyyy-MM-dd}");
                }, parse.GetValue(refetch)).GetAwaiter().GetResult();
                progress?.Clear();
                if (runs.Count < days.Count)
                    cli.Output.WriteLine($"Skipped {days.Count - runs.Count} day(s) already stored: {sourceSettings.Name} lists do not change once stored (--refetch fetches them again).");
                var failed = runs.Count(r => !r.Succeeded);
                cli.Output.WriteLine($"Fetched {runs.Count} day(s) from {sourceSettings.Name} ({sourceSettings.BaseUrl}): " +
                    $"{runs.Count(r => r.Status == FetchRun.Stored)} new, {runs.Count(r => r.Status == FetchRun.Revised)} revised, " +
                    $"{runs.Count(r => r.Status == FetchRun.Unchanged)} unchanged, {runs.Count(r => r.Status == FetchRun.NoList)} without a list, " +
                    $"{failed} failed; {runs.Sum(r => r.EntriesAdded):N0} list entries added.");
                foreach (var run in runs.Where(r => !r.Succeeded))
                    cli.Error.WriteLine($"trendlens: {run.Source} {run.ListDate:yyyy-MM-dd}: {run.Status}: {run.Error}");
                return failed > 0 ? CommandLine.Failed : CommandLine.Ok;
            }
        }));
        return command;
    }

    public static string Describe(FetchRun run) =>
        $"{run.Source} {run.ListDate:yyyy-MM-dd}: " + run.Status switch
        {
            FetchRun.Stored => $"stored (revision {run.Revision}, {run.EntriesAdded} entries{Pages(run)})",
            FetchRun.Revised => $"new revision {run.Revision} ({run.EntriesAdded} entries{Pages(run)})",
            FetchRun.Unchanged => $"unchanged ({SnapshotWriter.SameAs(run.Revision ?? 0, run.Current ?? run.Revision ?? 0)})",
            FetchRun.NoList => "no list that day",
            _ => $"{run.Status}: {run.Error}",
        };

    private static string Pages(FetchRun run) => run.Pages is > 1 ? $", {run.Pages} pages" : "";
}
