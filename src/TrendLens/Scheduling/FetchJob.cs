using Microsoft.Extensions.Logging;
using Quartz;
using TrendLens.Snapshots;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// The daily fetch of one source (job data <c>source</c>): fetches the days the source still
/// lacks in its catch-up window — normally yesterday's list, after downtime every missed day.
/// The same job runs at start-up, so missed days are caught up once the server is back.
/// </summary>
[DisallowConcurrentExecution]
public sealed class FetchJob(ServerData data, TrendLensSettings settings, FetchClients clients, TimeProvider clock, ILogger<FetchJob> log) : IJob
{
    public const string Group = "fetch";
    public const string StartupTrigger = "start-up";
    public const string ScheduleTrigger = "schedule";

    public static JobKey KeyFor(string source) => new(source, Group);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancel)
    {
        var name = context.MergedJobDataMap.GetString("source");
        var source = settings.Find(name) ?? throw new JobExecutionException($"no source '{name}' is configured");
        var triggerName = context.Trigger.Key.Name;
        var trigger = triggerName.StartsWith(StartupTrigger + ":", StringComparison.Ordinal) ? StartupTrigger
            : triggerName.StartsWith(ScheduleTrigger + ":", StringComparison.Ordinal) ? ScheduleTrigger
            : "manual";
        var fetcher = new ListFetcher(clients.Source(source), data.Lexicons, clock);
        await fetcher.CatchUpAsync(data.Database, source.ToFetchSource(), source.CatchUpDays, source.Lag(), trigger, cancel, source.BackfillDays, (done, of, run) =>
        {
            var day = run.ListDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            if (run.Succeeded)
                log.LogInformation("Fetch {Source} {ListDate}: {Status}, {Entries} entries added ({Trigger}; day {Done} of {Days})", run.Source, day, run.Status, run.EntriesAdded, run.Trigger, done, of);
            else
                log.LogWarning("Fetch {Source} {ListDate}: {Status}: {Error} ({Trigger}; day {Done} of {Days})", run.Source, day, run.Status, run.Error, run.Trigger, done, of);
        });
    }
}
