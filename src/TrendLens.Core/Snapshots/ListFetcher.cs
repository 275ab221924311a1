using System.Collections.Concurrent;
using System.Diagnostics;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Snapshots;

/// <summary>A live source as the fetcher needs it.</summary>
/// <param name="TotalTimeout">The longest one list date's fetch may take, every page, retry and wait included.</param>
public sealed record FetchSource(string Name, TimeSpan TotalTimeout);

/// <summary>One fetch of one list date, as recorded in <c>fetch_runs</c>.</summary>
public sealed record FetchRun(
    string Source,
    DateOnly ListDate,
    string Trigger,
    DateTimeOffset StartedAt,
    long DurationMs,
    string Status,
    int EntriesAdded,
    int? Revision,
    int? Pages,
    string? Error)
{
    public const string Stored = "stored";
    public const string Revised = "revised";
    public const string Unchanged = "unchanged";
    public const string NoList = "no-list";
    public const string Quarantined = "quarantined";
    public const string Failed = "failed";

    public bool Succeeded => Status is Stored or Revised or Unchanged or NoList;

    /// <summary>For an unchanged list, the day's current revision (a later one when the list is an older revision again); not recorded.</summary>
    public int? Current { get; init; }
}

/// <summary>
/// Fetch → Normalize → Snapshot → Tag for live sources: each list date fetched is stored through
/// the same Snapshot stage as an import (raw kept, idempotent, revisions, quarantine), its new
/// papers tagged, and the attempt recorded in <c>fetch_runs</c>. Fetches of one source never
/// overlap in this process, whoever asks (the schedule, the API, the command line). What the
/// source is (Daily Papers, arXiv, …) is its <see cref="IListSource"/>'s business.
/// </summary>
public sealed class ListFetcher(IListSource list, Lexicons? lexicons, TimeProvider clock)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> SourceLocks = new();

    /// <summary>
    /// The list days a source lacks in the window that ends <paramref name="lagDays"/> days before
    /// today (in UTC) and spans <paramref name="windowDays"/> days: never fetched, or failed before.
    /// With <paramref name="backfillDays"/>, also every day after the source's last stored list
    /// within that many days, so a server that was down for months fills the gap by itself.
    /// </summary>
    public static IReadOnlyList<DateOnly> DaysToFetch(DuckDBConnection connection, string source, DateOnly today, int windowDays, int lagDays, int backfillDays = 0)
    {
        var to = today.AddDays(-lagDays);
        var from = windowDays > 0 ? to.AddDays(1 - windowDays) : to.AddDays(1);
        if (backfillDays > 0 && connection.ExecuteScalar<DateTime?>(SqlCatalog.Get("fetch/last_list_date"), new { source }) is { } last)
        {
            var afterLast = DateOnly.FromDateTime(last).AddDays(1);
            var earliest = to.AddDays(1 - backfillDays);
            var backfillFrom = afterLast > earliest ? afterLast : earliest;
            if (backfillFrom < from) from = backfillFrom;
        }
        if (from > to) return [];
        return connection.Query<DateTime>(SqlCatalog.Get("fetch/days_to_fetch"), new { source, from, to })
            .Select(DateOnly.FromDateTime).ToList();
    }

    /// <summary>
    /// Fetches the days the source lacks in its window and, with <paramref name="backfillDays"/>,
    /// after its last stored list (see <see cref="DaysToFetch"/>); <paramref name="progress"/> hears
    /// of each day as it ends, with how many of how many.
    /// </summary>
    public async Task<IReadOnlyList<FetchRun>> CatchUpAsync(Database database, FetchSource source, int windowDays, int lagDays, string trigger, CancellationToken cancel,
        int backfillDays = 0, Action<int, int, FetchRun>? progress = null)
    {
        var gate = Gate(database, source);
        await gate.WaitAsync(cancel);
        try
        {
            IReadOnlyList<DateOnly> days;
            using (var connection = database.Open())
                days = DaysToFetch(connection, source.Name, Today(), windowDays, lagDays, backfillDays);
            var runs = new List<FetchRun>();
            foreach (var day in days)
            {
                runs.Add(await FetchOneAsync(database, source, day, trigger, cancel));
                progress?.Invoke(runs.Count, days.Count, runs[^1]);
            }
            return runs;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The days of <paramref name="days"/> the source still lacks (see <see cref="DaysToFetch"/>):
    /// where a range fetch of a source whose lists are final (<see cref="SourceKind.ListsAreFinal"/>)
    /// resumes after an interruption.
    /// </summary>
    public static IReadOnlyList<DateOnly> NotStored(DuckDBConnection connection, string source, IReadOnlyList<DateOnly> days)
    {
        if (days.Count == 0) return days;
        var missing = connection.Query<DateTime>(SqlCatalog.Get("fetch/days_to_fetch"), new { source, from = days.Min(), to = days.Max() })
            .Select(DateOnly.FromDateTime).ToHashSet();
        return days.Where(missing.Contains).ToList();
    }

    /// <summary>
    /// Fetches the given days, whether or not they are stored (a changed list becomes a revision);
    /// for a source whose lists are final (<see cref="SourceKind.ListsAreFinal"/>), only the days
    /// not stored yet unless <paramref name="refetch"/>, so a long backfill resumes where it stopped.
    /// <paramref name="progress"/> hears of each day fetched, with how many of how many.
    /// </summary>
    public async Task<IReadOnlyList<FetchRun>> FetchAsync(Database database, FetchSource source, IReadOnlyList<DateOnly> days, string trigger,
        CancellationToken cancel, Action<int, int, FetchRun>? progress = null, bool refetch = false)
    {
        var gate = Gate(database, source);
        await gate.WaitAsync(cancel);
        try
        {
            if (list.Kind.ListsAreFinal && !refetch)
                using (var connection = database.Open())
                    days = NotStored(connection, source.Name, days);
            var runs = new List<FetchRun>();
            foreach (var day in days)
            {
                runs.Add(await FetchOneAsync(database, source, day, trigger, cancel));
                progress?.Invoke(runs.Count, days.Count, runs[^1]);
            }
            return runs;
        }
        finally
        {
            gate.Release();
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private static SemaphoreSlim Gate(Database database, FetchSource source) =>
        SourceLocks.GetOrAdd((database.InMemory ? database.GetHashCode().ToString() : Path.GetFullPath(database.Path)) + "|" + source.Name, _ => new SemaphoreSlim(1, 1));

    private async Task<FetchRun> FetchOneAsync(Database database, FetchSource source, DateOnly day, string trigger, CancellationToken cancel)
    {
        var started = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        FetchRun Run(string status, int entries = 0, int? revision = null, int? pages = null, string? error = null) =>
            new(source.Name, day, trigger, started, watch.ElapsedMilliseconds, status, entries, revision, pages, error);

        FetchedList fetched;
        // Real time, whatever clock the scheduler is given: this bounds waiting on the network.
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel))
        {
            deadline.CancelAfter(source.TotalTimeout);
            try
            {
                fetched = await list.FetchAsync(day, deadline.Token);
            }
            catch (FetchException e)
            {
                return Record(database, Run(FetchRun.Failed, error: e.Message));
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                return Record(database, Run(FetchRun.Failed, error: $"no complete answer within {source.TotalTimeout.TotalSeconds:0.###} s (the source's total timeout)"));
            }
        }

        using var connection = database.Open();
        var (outcome, tagError) = new SnapshotWriter(clock).StoreAndTag(database, connection, fetched.Payload, source.Name, fetched.Format,
            new PayloadContext(fetched.Url, day, Today()), lexicons);
        if (outcome.Failed)
            return Record(database, Run(FetchRun.Quarantined, pages: fetched.Pages, error: outcome.Error));

        var stored = outcome.Days.FirstOrDefault(d => d.ListDate == day) ?? outcome.Days.FirstOrDefault();
        // An empty list is kept by the Snapshot stage as "no list", never as a revision.
        if (stored is null || stored.Status == DayStatus.NoList) return Record(database, Run(FetchRun.NoList, pages: fetched.Pages));
        var status = stored.Status switch { DayStatus.New => FetchRun.Stored, DayStatus.Revised => FetchRun.Revised, _ => FetchRun.Unchanged };
        var added = stored.Status == DayStatus.Unchanged ? 0 : stored.Entries;
        return Record(database, Run(status, added, stored.Revision, fetched.Pages, tagError) with { Current = stored.Current });
    }

    private static FetchRun Record(Database database, FetchRun run)
    {
        using var connection = database.Open();
        using var writeLock = database.AcquireWriteLock();
        connection.Execute(SqlCatalog.Get("fetch/fetch_runs_insert"), new
        {
            source = run.Source,
            list_date = run.ListDate,
            trigger = run.Trigger,
            started_at = run.StartedAt.UtcDateTime,
            duration_ms = run.DurationMs,
            status = run.Status,
            entries_added = run.EntriesAdded,
            revision = run.Revision,
            pages = run.Pages,
            error = run.Error,
        });
        return run;
    }
}
