using System.Collections.Concurrent;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Web;

/// <summary>What the web endpoints share: the database the process owns, the dashboards, the render cache.</summary>
public sealed class DashboardSite(Database database, DashboardCatalog dashboards, bool demo, TrendLens.Tagging.Lexicons? lexicons = null) : IDisposable
{
    private const int MaxCachedItems = 2_000;

    // Holding one connection open for the server's lifetime keeps the file (and its lock) owned by this process.
    private readonly DuckDBConnection _owner = OpenOwned(database);

    private static DuckDBConnection OpenOwned(Database database)
    {
        database.RollupsInBackground = true;
        return database.Open();
    }
    private readonly ConcurrentDictionary<string, Lazy<object>> _cache = new();

    public Database Database => database;
    public DashboardCatalog Dashboards => dashboards;
    public bool Demo => demo;

    /// <summary>The lexicons new papers are tagged with (fetches, imports through the API); null when they failed to load.</summary>
    public TrendLens.Tagging.Lexicons? Lexicons => lexicons;

    /// <summary>What every request needs before it can use the cache: the data's version and extent.</summary>
    public sealed record DataState(string Version, DateOnly? First, DateOnly? Last, long Papers, IReadOnlyList<string> Sources);

    private static readonly TimeSpan StateLifetime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VersionHold = TimeSpan.FromSeconds(5);
    private DateTime _versionAdopted = DateTime.MinValue;
    private (DataState State, DateTime At)? _state;

    /// <summary>
    /// The data version (changes whenever lists or tags change; part of every cache key, so new
    /// data invalidates rendered charts) and extent, read from the database at most once a second:
    /// reading them took longer than answering from the cache.
    /// </summary>
    public DataState State(DuckDBConnection connection)
    {
        var now = DateTime.UtcNow;
        if (_state is { } s && now - s.At < StateLifetime) return s.State;
        var (first, last, papers) = connection.QuerySingle<(DateOnly?, DateOnly?, long)>(
            "select min(list_date), max(list_date), count(distinct paper_id) from current_entries");
        // The version is that of the rollups the charts read: while new data is being rolled up in
        // the background, pages keep the previous (whole) version and its cached charts.
        TrendLens.Rollup.RollupTables.EnsureFresh(database, connection);
        var version = TrendLens.Rollup.RollupTables.BuiltSignature(connection) ?? connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"))!;
        var state = new DataState(version, first, last, papers, TrendLens.Rollup.RollupTables.Sources(connection));
        if (_state is { } previous && previous.State.Version != version)
        {
            // While data keeps arriving (an import every second), a new version is taken at most
            // every few seconds: each one costs every chart drawn again, and pages may lag by that much.
            if (now - _versionAdopted < VersionHold)
            {
                _state = (previous.State, now);
                return previous.State;
            }
            // Everything cached belongs to one version (keys carry it): drop the old ones at once.
            _cache.Clear();
            _versionAdopted = now;
        }
        _state = (state, now);
        return state;
    }

    /// <summary>
    /// The value for <paramref name="key"/>, made once: requests that ask for it while it is being
    /// made wait for that one result instead of each making it (after new data, every client asks
    /// for the same few charts at once). A failure is not cached.
    /// </summary>
    public T Cached<T>(string key, Func<T> make) where T : class
    {
        if (_cache.Count >= MaxCachedItems) _cache.Clear();
        var lazy = _cache.GetOrAdd(key, _ => new Lazy<object>(() => make(), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return (T)lazy.Value;
        }
        catch
        {
            _cache.TryRemove(new KeyValuePair<string, Lazy<object>>(key, lazy));
            throw;
        }
    }


    /// <summary>A message about the database with the file's directory left out (it is nobody's business who asks over HTTP).</summary>
    public string WithoutDirectory(string message)
    {
        if (database.InMemory) return message;
        var name = Path.GetFileName(database.Path);
        return message.Replace(Path.GetFullPath(database.Path), name, StringComparison.Ordinal).Replace(database.Path, name, StringComparison.Ordinal);
    }

    private volatile string? _readFailure;

    /// <summary>A request's read found the file damaged: /healthz reports it from now on (damage does not heal by itself).</summary>
    public void ReportDamage(string problem) => _readFailure = problem;

    private static readonly TimeSpan StorageCheckLifetime = TimeSpan.FromSeconds(10);
    private (DateTime At, Exception? Failure)? _storageCheck;

    /// <summary>
    /// Reads every table's storage (<see cref="DatabaseCheck"/>) at most every 10 s, and throws
    /// what that found until a later check passes.
    /// </summary>
    public void VerifyStorage()
    {
        var now = DateTime.UtcNow;
        if (_storageCheck is not { } last || now - last.At >= StorageCheckLifetime)
        {
            Exception? failure = null;
            try
            {
                using var connection = database.Open();
                DatabaseCheck.Verify(database, connection);
            }
            catch (Exception e) when (e is DatabaseDamagedException or DuckDBException)
            {
                failure = e;
            }
            _storageCheck = last = (now, failure);
        }
        if (last.Failure is not null) throw last.Failure;
        if (_readFailure is { } problem) throw new DatabaseDamagedException(database.Path, "a read failed: " + problem);
    }

    public void Dispose() => _owner.Dispose();
}
