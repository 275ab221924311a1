using System.Collections.Concurrent;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Web;

/// <summary>What the web endpoints share: the database the process owns, the dashboards, the render cache.</summary>
public sealed class DashboardSite(Database database, DashboardCatalog dashboards, bool demo) : IDisposable
{
    private const int MaxCachedItems = 2_000;

    // Holding one connection open for the server's lifetime keeps the file (and its lock) owned by this process.
    private readonly DuckDBConnection _owner = database.Open();
    private readonly ConcurrentDictionary<string, object> _cache = new();

    public Database Database => database;
    public DashboardCatalog Dashboards => dashboards;
    public bool Demo => demo;

    /// <summary>Changes whenever lists or tags change: part of every cache key, so new data invalidates rendered charts.</summary>
    public string DataVersion(DuckDBConnection connection) => connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"))!;

    public T Cached<T>(string key, Func<T> make) where T : class
    {
        if (_cache.TryGetValue(key, out var hit)) return (T)hit;
        var value = make();
        if (_cache.Count >= MaxCachedItems) _cache.Clear();
        _cache[key] = value;
        return value;
    }

    public (DateOnly? First, DateOnly? Last, long Papers) Extent(DuckDBConnection connection) =>
        connection.QuerySingle<(DateOnly?, DateOnly?, long)>("select min(list_date), max(list_date), count(distinct paper_id) from current_entries");

    public void Dispose() => _owner.Dispose();
}
