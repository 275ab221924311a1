using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>
/// Keeps <c>tag_first_seen</c> (the first list date of every tag) in step with the lists and
/// tags. Finding it on demand means unnesting every paper's terms (≈ 0.2 s on the archive), so
/// it is rebuilt once after the data changed, by the first query that needs it.
/// </summary>
public static class FirstSeen
{
    private const string Name = "tag_first_seen";

    public static void EnsureFresh(Database database, DuckDBConnection connection)
    {
        var signature = connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"));
        if (Stored(connection) == signature) return;
        using var writeLock = database.AcquireWriteLock();
        if (Stored(connection) == signature) return;
        using var tx = connection.BeginTransaction();
        connection.Execute(SqlCatalog.Get("rollup/tag_first_seen_rebuild"), transaction: tx);
        connection.Execute(
            "insert or replace into rollup_state values ($name, $signature, now()::timestamp)",
            new { name = Name, signature }, tx);
        tx.Commit();
    }

    private static string? Stored(DuckDBConnection connection) =>
        connection.ExecuteScalar<string?>("select signature from rollup_state where name = $name", new { name = Name });
}
