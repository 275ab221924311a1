using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>
/// Keeps the derived rollup tables (<c>current_listings</c>, <c>listed_daily</c>, <c>tags</c>,
/// <c>tag_daily</c>) in step with the lists and tags. Building them means unnesting every
/// paper's terms (2.7 s on the Daily Papers archive, 12 s on 125,775 generated papers), so they are rebuilt once after the data
/// changed, by the first query that needs them, and queries then read daily counts.
/// </summary>
public static class RollupTables
{
    private const string Name = "daily";

    /// <summary>
    /// Makes the rollups match the data. With <see cref="Database.RollupsInBackground"/> (the
    /// server) and rollups built before, a stale state starts one rebuild in the background and
    /// returns at once: queries read the previous build, which is whole and consistent, for the
    /// seconds a rebuild takes, instead of a request waiting for it. <paramref name="wait"/> always
    /// rebuilds before returning (reviews, command-line queries).
    /// </summary>
    public static void EnsureFresh(Database database, DuckDBConnection connection, bool wait = false)
    {
        // Nothing written since this instance last found the rollups fresh: skip the 4–5 ms signature query.
        var generation = database.WriteGeneration;
        if (database.RollupsFreshAt == generation) return;
        var signature = connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"));
        var stored = Stored(connection);
        if (stored == signature)
        {
            database.RollupsFreshAt = generation;
            return;
        }
        if (!wait && database.RollupsInBackground && stored is not null)
        {
            RebuildInBackground(database);
            return;
        }
        Rebuild(database, connection);
    }

    /// <summary>The signature of the data the rollups were last built from (the version of what queries read), or null.</summary>
    public static string? BuiltSignature(DuckDBConnection connection) => Stored(connection);

    private static void RebuildInBackground(Database database)
    {
        if (!database.TryStartRollupRebuild()) return;
        Task.Run(() =>
        {
            try
            {
                using var connection = database.Open();
                Rebuild(database, connection);
            }
            finally
            {
                database.EndRollupRebuild();
            }
        });
    }

    private static void Rebuild(Database database, DuckDBConnection connection)
    {
        long rebuiltAt;
        string? signature;
        using (database.AcquireWriteLock())
        {
            // Inside the lock no other writer runs: the generation after this lock's release is ours + 1.
            rebuiltAt = database.WriteGeneration + 1;
            signature = connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"));
            if (Stored(connection) != signature)
            {
                using var tx = connection.BeginTransaction();
                connection.Execute(SqlCatalog.Get("rollup/rollup_tables_rebuild"), transaction: tx);
                connection.Execute(
                    "insert or replace into rollup_state values ($name, $signature, now()::timestamp)",
                    new { name = Name, signature }, tx);
                tx.Commit();
            }
        }
        database.RollupsFreshAt = rebuiltAt;
    }

    /// <summary>The sources with stored lists, for validating a source filter.</summary>
    public static IReadOnlyList<string> Sources(DuckDBConnection connection) =>
        connection.Query<string>("select distinct source from snapshots order by source").ToList();

    private static string? Stored(DuckDBConnection connection) =>
        connection.ExecuteScalar<string?>("select signature from rollup_state where name = $name", new { name = Name });
}
