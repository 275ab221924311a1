using DuckDB.NET.Data;

namespace TrendLens.Storage;

/// <summary>
/// Opens a command's database on another thread while the command line is built and parsed. A
/// process's first DuckDB database costs 30–60 ms (the library's own start-up) and the file about
/// 10 ms more, most of a read command's wait before its first query. <see cref="Start"/> opens the
/// file when it exists (else an empty database in memory, which still starts the library) and
/// holds its connection until the next <see cref="Database.Open"/>: of the same path, DuckDB.NET
/// gives that open the database already open (it shares one native database per data source in a
/// process); of another path, the held connection is closed first, so that a file is never open
/// in two databases of the process. <see cref="Release"/> closes it if no open comes. Best effort:
/// a failure here is left for the real open to report.
/// </summary>
public static class WarmOpen
{
    private sealed record Held(string Path, DuckDBConnection Connection);

    private static readonly object Gate = new();
    private static Task? _warming;
    private static Held? _held;

    /// <summary>Starts the warm-up of <paramref name="path"/>; does nothing while one runs or holds its connection.</summary>
    public static Task Start(string path)
    {
        lock (Gate)
        {
            if (_warming is { IsCompleted: false } || _held is not null) return _warming ?? Task.CompletedTask;
            return _warming = Task.Run(() =>
            {
                // Only a file that can be a database: never one that does not exist (DuckDB would
                // create it), nor a FIFO or a device, which report no length and whose open can
                // wait forever. DuckDB's headers alone take 12 KB.
                var file = path != ":memory:" && new FileInfo(path) is { Exists: true, Length: >= 12 * 1024 };
                var connection = new DuckDBConnection(Database.ConnectionString(file ? path : ":memory:"));
                try
                {
                    connection.Open();
                    if (file)
                    {
                        lock (Gate) _held = new Held(path, connection);
                        return;
                    }
                }
                catch (Exception)
                {
                    // The open of the file says what is wrong, with its message and exit code.
                }
                connection.Dispose();
            });
        }
    }

    /// <summary>Waits for the warm-up and closes the connection it holds, if no open took it.</summary>
    public static void Release()
    {
        _warming?.Wait();
        lock (Gate)
        {
            _held?.Connection.Dispose();
            _held = null;
        }
    }

    /// <summary>The path whose connection the warm-up holds, if any.</summary>
    internal static string? HeldPath
    {
        get
        {
            lock (Gate) return _held?.Path;
        }
    }

    /// <summary>
    /// The connection the warm-up holds, once it is done, for <see cref="Database.Open"/> to close:
    /// after opening its own when <paramref name="samePath"/>, else before.
    /// </summary>
    internal static DuckDBConnection? Take(string path, out bool samePath)
    {
        samePath = false;
        // The case of every open but a command's first: nothing warming, nothing held.
        if (Volatile.Read(ref _warming) is null or { IsCompleted: true } && Volatile.Read(ref _held) is null) return null;
        _warming?.Wait();
        lock (Gate)
        {
            var held = _held;
            _held = null;
            // One file however its path is written, as Database.ConnectionString names it.
            samePath = held is not null && Path.GetFullPath(held.Path) == Path.GetFullPath(path);
            return held?.Connection;
        }
    }
}
