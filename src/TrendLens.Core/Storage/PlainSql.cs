using DuckDB.NET.Data;

namespace TrendLens.Storage;

/// <summary>
/// Commands without Dapper, for the few that run at the start of every import: Dapper's first
/// calls in a process (its type maps, and a mapper emitted and compiled per row and parameter
/// shape) cost more time than those commands themselves — about 0.2 s of a 2 s import; its
/// first use also loads System.Private.Xml and four more assemblies. Everything else runs
/// through Dapper.
/// </summary>
public static class PlainSql
{
    public static int Run(this DuckDBConnection connection, string sql, DuckDBTransaction? tx = null, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, tx, parameters);
        return command.ExecuteNonQuery();
    }

    public static List<T> Rows<T>(this DuckDBConnection connection, string sql, Func<DuckDBDataReader, T> row, params (string Name, object? Value)[] parameters)
    {
        var rows = new List<T>();
        connection.Each(sql, reader => rows.Add(row(reader)), parameters);
        return rows;
    }

    /// <summary>Calls <paramref name="row"/> with each row, while the reader is on it.</summary>
    public static void Each(this DuckDBConnection connection, string sql, Action<DuckDBDataReader> row, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, null, parameters);
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        while (reader.Read()) row(reader);
    }

    public static string? NullableString(this DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DuckDBCommand Command(DuckDBConnection connection, string sql, DuckDBTransaction? tx, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.Add(new DuckDBParameter(name, value));
        return command;
    }
}
