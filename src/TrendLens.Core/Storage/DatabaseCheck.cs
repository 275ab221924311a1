using Dapper;
using DuckDB.NET.Data;

namespace TrendLens.Storage;

/// <summary>
/// A database file DuckDB cannot read as one: truncated, overwritten, or not a DuckDB file at all.
/// The message names the file and the problem, in one line.
/// </summary>
public sealed class DatabaseDamagedException(string path, string problem, Exception? inner = null) : Exception(
    $"the database {path} is damaged: {problem}; restore it from a backup, or move it aside and import the lists again",
    inner)
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;
}

/// <summary>
/// Finds a damaged database before it serves errors: every table's storage is read (the
/// catalog and each column segment's place in the file, not the data itself: 0.1 s for the
/// Daily Papers archive, and it grows with row groups, not rows), one row of every table is read,
/// and the file must be long enough to hold every block the tables use (a truncated file is not).
/// </summary>
public static class DatabaseCheck
{
    // DuckDB's file starts with three 4 KiB headers; blocks follow.
    private const long HeaderBytes = 3 * 4096;

    /// <summary>Throws <see cref="DatabaseDamagedException"/> when a table cannot be read or the file is too short.</summary>
    public static void Verify(Database database, DuckDBConnection connection)
    {
        var table = "(catalog)";
        try
        {
            var tables = connection.Query<string>(SqlCatalog.Get("storage/main_tables")).ToList();
            long lastBlock = -1;
            foreach (var name in tables)
            {
                table = name;
                // Both table functions read their argument as an identifier, which may need quotes.
                var quoted = "\"" + name.Replace("\"", "\"\"") + "\"";
                using (var row = connection.ExecuteReader(SqlCatalog.Get("storage/table_first_row"), new { name = quoted }))
                    row.Read();
                var block = connection.ExecuteScalar<long>(SqlCatalog.Get("storage/table_last_block"), new { name = quoted });
                lastBlock = Math.Max(lastBlock, block);
            }
            if (database.InMemory || lastBlock < 0) return;
            table = "(file)";
            var blockSize = connection.ExecuteScalar<long>(SqlCatalog.Get("storage/block_size"));
            var needed = HeaderBytes + (lastBlock + 1) * blockSize;
            // The file itself, where a symbolic link names it (a link's own length is that of its target's name).
            var length = new FileInfo(Database.FileOf(database.Path)).Length;
            if (length < needed)
                throw new DatabaseDamagedException(database.Path, $"the file is {length:N0} bytes but its tables use {needed:N0} (truncated?)");
        }
        catch (DuckDBException e)
        {
            throw new DatabaseDamagedException(database.Path, $"{(table.StartsWith('(') ? "" : $"table {table}: ")}{OneLine(e.Message)}", e);
        }
    }

    /// <summary>True for DuckDB's errors that mean the file's bytes are wrong, not that it is busy, full or forbidden.</summary>
    public static bool IsDamage(DuckDBException e) =>
        e.Message.Contains("Could not read enough bytes", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Corrupt", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("checksum", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("not a valid DuckDB database file", StringComparison.OrdinalIgnoreCase)
        || e.Message.StartsWith("Serialization Error", StringComparison.OrdinalIgnoreCase);

    /// <summary>A DuckDB message on one line, without the SQL it quotes.</summary>
    public static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        var context = line.IndexOf(" LINE 1:", StringComparison.Ordinal);
        return (context > 0 ? line[..context] : line).Trim();
    }
}
