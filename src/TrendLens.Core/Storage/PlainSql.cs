using DuckDB.NET.Data;

namespace TrendLens.Storage;

/// <summary>
/// Commands without Dapper, for the few that run at the start of every command: the import's
/// first steps, and what a read command checks and asks before it answers (the sources stored,
/// the rollups' signature and state, the tag freshness, the shares it prints, the emerging tags,
/// an exported dashboard's panels). Dapper's first
/// calls in a process (its type maps, and a mapper emitted and compiled per row and parameter
/// shape) cost more time than those commands themselves: about 0.2 s of a 2 s import, and
/// 16–27 ms for each new shape of the handful a read command used, when the whole command takes
/// about 0.2 s. Its first use also loads System.Private.Xml and four more assemblies. Everything
/// else runs through Dapper.
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

    /// <summary>Hands the query's reader to <paramref name="read"/>, which reads what it needs (its columns, its rows).</summary>
    public static T Read<T>(this DuckDBConnection connection, string sql, Func<DuckDBDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, null, parameters);
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        return read(reader);
    }

    /// <summary>The one row the query returns (its first, if more).</summary>
    public static T Single<T>(this DuckDBConnection connection, string sql, Func<DuckDBDataReader, T> row, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, null, parameters);
        using var reader = (DuckDBDataReader)command.ExecuteReader();
        if (!reader.Read()) throw new InvalidOperationException("the query returned no row");
        return row(reader);
    }

    public static long? NullableInt64(this DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateOnly? NullableDate(this DuckDBDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateOnly>(ordinal);

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
