using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>
/// Owns the freshness of a database's rollup tables (see <see cref="RollupTables"/>): it is the
/// one thing that builds them. A command calls <see cref="Refresh"/> once before it reads; the
/// server runs <see cref="RunAsync"/> in the background, which rolls up after every write, while
/// requests read the previous build, whole and consistent. Readers (panels, footers, emergence,
/// bursts, reviews) never start a build.
/// </summary>
public sealed class RollupRefresher(Database database)
{
    private readonly object _building = new();
    private readonly TaskCompletionSource _built = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // The database's write generation at which the rollups were last found to match the data.
    private long _freshAt = -1;

    /// <summary>How often the background loop looks for writes (a read of a counter; no query).</summary>
    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);

    public Database Database => database;

    /// <summary>Whether data was written since the rollups last matched it: a build is due or under way.</summary>
    public bool Behind => Volatile.Read(ref _freshAt) != database.WriteGeneration;

    /// <summary>Completes once the rollups have been built (or found built) at least once.</summary>
    public Task Built => _built.Task;

    /// <summary>
    /// Rolls up what changed since the last build, if anything; returns when the rollups match the
    /// data, with what it built. <paramref name="progress"/> hears of each step of a build.
    /// </summary>
    public RollupBuild Refresh(DuckDBConnection? connection = null, Action<RollupProgress>? progress = null)
    {
        if (Volatile.Read(ref _freshAt) == database.WriteGeneration) return RollupBuild.None;
        lock (_building)
        {
            if (_freshAt == database.WriteGeneration) return RollupBuild.None;
            RollupBuild built;
            if (connection is null)
            {
                using var own = database.Open();
                Volatile.Write(ref _freshAt, RollupTables.BringUpToDate(database, own, out built, progress));
            }
            else
            {
                Volatile.Write(ref _freshAt, RollupTables.BringUpToDate(database, connection, out built, progress));
            }
            _built.TrySetResult();
            return built;
        }
    }

    /// <summary>
    /// The server's loop: rolls up at start and after every write made in this process (the
    /// process owns the file, so no other writes happen), until <paramref name="stop"/>. A failed
    /// build is reported to <paramref name="failed"/> and tried again after a pause.
    /// </summary>
    public async Task RunAsync(Action<Exception> failed, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var pause = PollEvery;
            try
            {
                if (Volatile.Read(ref _freshAt) != database.WriteGeneration) await Task.Run(() => Refresh(), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failed(e);
                pause = TimeSpan.FromSeconds(10);
            }
            try
            {
                await Task.Delay(pause, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
