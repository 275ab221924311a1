using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Dapper;
using DuckDB.NET.Data;

namespace TrendLens.Storage;

/// <summary>
/// The one place that opens connections to a TrendLens DuckDB file. The first open of a path
/// in this process applies any pending migrations from <c>sql/schema/</c>.
/// </summary>
public sealed class Database
{
    private static readonly ConcurrentDictionary<string, byte> Migrated = new();

    static Database()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    public Database(string path)
    {
        Path = path;
    }

    /// <summary>
    /// The full path of the file <paramref name="path"/> names, with the symbolic links among it
    /// and its folders followed: two spellings of one database are one path here. A part that does
    /// not exist (yet) is kept as written, as is a loop of links. The file a server owns is found by
    /// it (ServerLink), and the file whose length and existence the checks read.
    /// </summary>
    public static string FileOf(string path) => Followed(System.IO.Path.GetFullPath(path), 0);

    private static string Followed(string full, int depth)
    {
        if (depth > 32) return full;
        var root = System.IO.Path.GetPathRoot(full) ?? "";
        var followed = root;
        foreach (var part in full[root.Length..].Split(System.IO.Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = System.IO.Path.Combine(followed, part);
            try
            {
                // A relative target is relative to the link's folder, which is followed already.
                if (new FileInfo(next).LinkTarget is { } target) next = Followed(System.IO.Path.GetFullPath(target, followed), depth + 1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable: kept as written.
            }
            followed = next;
        }
        return followed;
    }

    /// <summary>A file path, or <c>:memory:</c> (which lives as long as the connection).</summary>
    public string Path { get; }

    public bool InMemory => Path == ":memory:";

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> WriteLocks = new();
    private readonly SemaphoreSlim _memoryWriteLock = new(1, 1);

    // Bumped whenever a writer in this process releases the write lock of a path.
    private static readonly ConcurrentDictionary<string, StrongBox<long>> Generations = new();
    private readonly StrongBox<long> _memoryGeneration = new(0);

    private StrongBox<long> Generation => InMemory ? _memoryGeneration : Generations.GetOrAdd(System.IO.Path.GetFullPath(Path), _ => new StrongBox<long>(0));

    /// <summary>
    /// How many times a writer in this process has released this file's write lock. While this
    /// process holds the file open no other process can write it, so an unchanged generation
    /// means unchanged data (see Rollup/RollupRefresher).
    /// </summary>
    public long WriteGeneration => Interlocked.Read(ref Generation.Value);

    private SemaphoreSlim? _writeLock;

    private SemaphoreSlim WriteLock => _writeLock ??= InMemory ? _memoryWriteLock : WriteLocks.GetOrAdd(System.IO.Path.GetFullPath(Path), _ => new SemaphoreSlim(1, 1));

    /// <summary>Whether a writer in this process holds the write lock now.</summary>
    public bool Writing => WriteLock.CurrentCount == 0;

    /// <summary>
    /// Serializes writers inside this process (DuckDB's file lock keeps other processes out):
    /// snapshot batches assign payload ids and revisions from what they read at the start.
    /// </summary>
    public IDisposable AcquireWriteLock()
    {
        var semaphore = WriteLock;
        if (!semaphore.Wait(SayWaitingAfter))
        {
            WaitingForWriter.Value?.Invoke();
            semaphore.Wait();
        }
        return new Release(semaphore, Generation);
    }

    /// <summary>How long a write waits for another writer of this process before <see cref="WaitingForWriter"/> hears of it.</summary>
    public static readonly TimeSpan SayWaitingAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Told, once per wait, when a write of this flow of work waits longer than
    /// <see cref="SayWaitingAfter"/> for another writer in this process: a command run inside the
    /// server says so on its stderr instead of waiting in silence behind the server's import.
    /// </summary>
    public static readonly AsyncLocal<Action?> WaitingForWriter = new();

    private sealed class Release(SemaphoreSlim semaphore, StrongBox<long> generation) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0) return;
            Interlocked.Increment(ref generation.Value);
            semaphore.Release();
        }
    }

    /// <summary>
    /// No FSST compression of strings: each checkpoint tried it on every text column (abstracts,
    /// authors, the joined terms), which cost 0.2 s of a 2.3 s archive import, for a file 13%
    /// smaller (65 vs 75 MB for the Daily Papers archive). Dictionary compression stays, except on
    /// the long text columns written by the million, declared uncompressed (sql/schema/041). A global
    /// setting of the native database, which DuckDB.NET opens with the first connection to a path
    /// and closes with the last; as a connection-string option it is ignored, and set on every open
    /// it cost 0.1–0.5 ms per request, so it is set when the first connection opens.
    /// </summary>
    /// <remarks>
    /// DuckDB's memory limit is set here too (its default is 80 % of the machine's memory): with
    /// it, a large import or rollup spills to a temporary file instead of growing the process.
    /// The server has its own setting (<c>DatabaseMemoryMegabytes</c>). Without insertion order kept
    /// for statements that do not ask for an order, and with the full rollup counting tags by
    /// ranges of days (RollupTables.RebuildAll), the rollup of a million papers fits in 1 GiB:
    /// 178 s and a 1.44 GB process, against 141 s and 2.60 GB with 2 GiB; panels read as fast
    /// either way. Every query that needs an order says <c>order by</c>.
    /// </remarks>
    private static void ApplyStorageSettings(DuckDBConnection connection)
    {
        connection.Run(SqlCatalog.Get("storage/storage_settings"));
        SetMemoryLimit(connection, DefaultMemoryMegabytes);
    }

    /// <summary>DuckDB's memory limit for the native database of <paramref name="connection"/>, until set again or closed.</summary>
    public static void SetMemoryLimit(DuckDBConnection connection, int megabytes) =>
        connection.Run(SqlCatalog.Get("storage/memory_limit"), null, ("megabytes", megabytes));

    /// <summary>DuckDB's memory limit in a command, which does one job at a time.</summary>
    public const int DefaultMemoryMegabytes = 1024;

    /// <summary>
    /// The default of the server's limit (the setting <c>DatabaseMemoryMegabytes</c>): a
    /// command's. Under load at a million papers, with lists imported meanwhile, the server
    /// answered as fast with 1 GiB as with 2 GiB (2,559–2,587 against 2,578–2,734 requests/s) and
    /// peaked at 1.62 GB instead of 2.02–2.06 GB.
    /// </summary>
    public const int ServerMemoryMegabytes = DefaultMemoryMegabytes;

    private static readonly Dictionary<string, int> OpenConnections = new(StringComparer.Ordinal);

    /// <summary>Counts the connection until it closes; true when no other connection to the file is open.</summary>
    private static bool FirstOpenConnection(DuckDBConnection connection, string path)
    {
        lock (OpenConnections)
        {
            OpenConnections[path] = OpenConnections.GetValueOrDefault(path) + 1;
            connection.StateChange += (_, e) =>
            {
                if (e.CurrentState != System.Data.ConnectionState.Closed) return;
                lock (OpenConnections)
                    if (--OpenConnections[path] == 0) OpenConnections.Remove(path);
            };
            return OpenConnections[path] == 1;
        }
    }

    /// <summary>
    /// How long an open waits for another process to let go of the file (DuckDB lets one process
    /// hold it) before it fails with <see cref="DatabaseBusyException"/>; zero fails at once.
    /// Commands wait (CommandLine.BusyWait): a script's parallel queries then take turns.
    /// </summary>
    public TimeSpan BusyWait { get; init; }

    /// <summary>Told once per open that has waited <see cref="SayWaitingAfter"/> for another process.</summary>
    public Action? WaitingForProcess { get; init; }

    private static bool IsLockConflict(DuckDBException e) =>
        e.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Conflicting lock", StringComparison.OrdinalIgnoreCase);

    private static bool IsNotWritable(DuckDBException e) =>
        e.Message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase)
        || e.Message.Contains("Operation not permitted", StringComparison.OrdinalIgnoreCase);

    private static string ReadOnlyConnectionString(string path)
    {
        var builder = new DuckDBConnectionStringBuilder { DataSource = System.IO.Path.GetFullPath(path) };
        builder["ACCESS_MODE"] = "READ_ONLY";
        return builder.ConnectionString;
    }

    /// <summary>A connection to the file, tried again every 50 ms while another process holds it, up to <see cref="BusyWait"/>.</summary>
    private DuckDBConnection OpenWhenFree(out bool readOnly)
    {
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        var said = false;
        readOnly = false;
        while (true)
        {
            var connection = new DuckDBConnection(ConnectionString(Path));
            try
            {
                connection.Open();
                return connection;
            }
            catch (DuckDBException e)
            {
                connection.Dispose();
                var busy = e;
                if (IsNotWritable(e) && !InMemory && File.Exists(Path))
                {
                    // A file this process may read but not write (a database shared read-only, or on a
                    // read-only file system) is opened read-only: what reads it works, and a write fails
                    // with DuckDB's "read-only mode" error (see CommandLine.StorageError).
                    var reading = new DuckDBConnection(ReadOnlyConnectionString(Path));
                    try
                    {
                        reading.Open();
                        readOnly = true;
                        return reading;
                    }
                    catch (DuckDBException r)
                    {
                        reading.Dispose();
                        if (!IsLockConflict(r)) throw;
                        busy = r; // held by another process: wait for it as for any file
                    }
                }
                if (!IsLockConflict(busy)) throw;
                if (waiting.Elapsed >= BusyWait) throw new DatabaseBusyException(Path, busy);
                if (!said && waiting.Elapsed >= SayWaitingAfter)
                {
                    WaitingForProcess?.Invoke();
                    said = true;
                }
                Thread.Sleep(50);
            }
        }
    }

    /// <summary>
    /// The connection string naming <paramref name="path"/> alone: by its full path, since
    /// DuckDB.NET shares one native database per data source as written, and two databases of one
    /// file in one process would each write it as their own (a server given a relative --db runs
    /// forwarded commands that name it by its full path); quoted by the builder, so that a ';' or
    /// '=' in a file name is part of the name, not another setting.
    /// </summary>
    internal static string ConnectionString(string path) =>
        new DuckDBConnectionStringBuilder { DataSource = path == ":memory:" ? path : System.IO.Path.GetFullPath(path) }.ConnectionString;

    public DuckDBConnection Open()
    {
        if (!InMemory)
        {
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }

        var warm = WarmOpen.Take(Path, out var warmedHere);
        if (!warmedHere) warm?.Dispose();
        DuckDBConnection connection;
        bool readOnly;
        try
        {
            connection = OpenWhenFree(out readOnly);
        }
        catch (DuckDBException e) when (DatabaseCheck.IsDamage(e))
        {
            throw new DatabaseDamagedException(Path, DatabaseCheck.OneLine(e.Message), e);
        }
        finally
        {
            if (warmedHere) warm?.Dispose();
        }

        // The first connection to the file makes the settings; the first open in this process migrates.
        var fullPath = InMemory ? Path : System.IO.Path.GetFullPath(Path);
        var migrating = false;
        try
        {
            if (InMemory || FirstOpenConnection(connection, fullPath)) ApplyStorageSettings(connection);
            migrating = InMemory || Migrated.TryAdd(fullPath, 0);
            if (migrating) Migrator.Apply(connection, readOnly ? Path : null);
        }
        catch (Exception e)
        {
            if (migrating && !InMemory) Migrated.TryRemove(fullPath, out _);
            connection.Dispose();
            if (e is DuckDBException d && DatabaseCheck.IsDamage(d)) throw new DatabaseDamagedException(Path, DatabaseCheck.OneLine(d.Message), d);
            throw;
        }
        return connection;
    }
}

/// <summary>A command that writes was given a database this process may only read (opened read-only by <see cref="Database"/>).</summary>
public sealed class DatabaseNotWritableException() : Exception(Line)
{
    public const string Line = "the database can be read here but not written (its file or file system is read-only): queries, charts and exports work; " +
        "to import, fetch, retag, archive a review, or bring rollups older than its data up to date, point --db at a writable copy";

    /// <summary>Throws before a command that writes begins, rather than after it has read and said what it would do.</summary>
    public static void ThrowIfReadOnly(DuckDB.NET.Data.DuckDBConnection connection)
    {
        if (string.Equals(connection.Single(SqlCatalog.Get("storage/access_mode"), r => r.GetString(0)), "read_only", StringComparison.OrdinalIgnoreCase))
            throw new DatabaseNotWritableException();
    }
}

/// <summary>A database this process may only read was made by an older version and needs its schema brought up to date.</summary>
public sealed class DatabaseReadOnlyException(string path) : Exception(
    $"{path} was made by an older trendlens and can be read here but not written: it needs an upgrade first (any command run once where it can be written does it), or point --db at a writable copy");

/// <summary>Another process holds the write lock on the database file.</summary>
public sealed class DatabaseBusyException(string path, Exception inner) : Exception(
    $"the database {path} is in use by another process (another trendlens command such as an import, or a running `trendlens serve`, which owns it while it runs); " +
    "wait for it or stop it and try again, or use another --db",
    inner)
{
    public string Path { get; } = path;
}

internal static class Migrator
{
    /// <summary>
    /// The steps of a migration that SQL alone does badly, run right after the SQL file of the
    /// same number, in the same transaction.
    /// </summary>
    private static readonly Dictionary<int, Action<DuckDBConnection>> AfterSql = new()
    {
        [25] = Snapshots.PayloadParts.MoveStored,
    };

    // Without Dapper, like the rest of the import's first steps (see PlainSql).
    /// <summary>Applies the pending migrations; of a database opened read-only (<paramref name="readOnlyPath"/>), says that it needs them instead.</summary>
    public static void Apply(DuckDBConnection connection, string? readOnlyPath = null)
    {
        if (readOnlyPath is null) connection.Run(SqlCatalog.Get("storage/schema_migrations_create"));
        var applied = connection.Rows(SqlCatalog.Get("storage/schema_migrations_applied"), r => r.GetInt32(0)).ToHashSet();
        var pending = Pending(applied).ToList();
        if (pending.Count == 0) return;
        if (readOnlyPath is not null) throw new DatabaseReadOnlyException(readOnlyPath);

        // All pending migrations in one transaction: a new database is one commit instead of one
        // per migration, and a failing migration leaves the file as it was.
        using var tx = connection.BeginTransaction();
        foreach (var (version, name) in pending)
        {
            connection.Run(SqlCatalog.Get(name), tx);
            if (AfterSql.TryGetValue(version, out var step)) step(connection);
            connection.Run(SqlCatalog.Get("storage/schema_migrations_insert"), tx, ("version", version), ("name", name));
        }
        tx.Commit();
    }

    /// <summary>
    /// Whether every migration is applied, the case of every open but a database's first after an
    /// upgrade: checked in one pass over the names, which takes a read command 8 ms less than
    /// ordering them (<see cref="All"/>, which also checks their names, runs otherwise).
    /// </summary>
    private static bool AllApplied(HashSet<int> applied)
    {
        foreach (var name in SqlCatalog.Names)
        {
            if (!name.StartsWith("schema/", StringComparison.Ordinal)) continue;
            var number = name.AsSpan("schema/".Length);
            var underscore = number.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(number[..underscore], out var version) || !applied.Contains(version)) return false;
        }
        return true;
    }

    /// <summary>Migrations are <c>schema/NNN_name</c>; NNN orders them and must be unique.</summary>
    internal static IEnumerable<(int Version, string Name)> All()
    {
        var all = SqlCatalog.Names
            .Where(n => n.StartsWith("schema/", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n["schema/".Length..];
                var underscore = file.IndexOf('_');
                if (underscore <= 0 || !int.TryParse(file[..underscore], out var version))
                    throw new InvalidOperationException($"Migration 'sql/{n}.sql' is not named NNN_name.sql");
                return (version, n);
            })
            .OrderBy(m => m.version)
            .ToList();
        var dup = all.GroupBy(m => m.version).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new InvalidOperationException($"Two migrations share number {dup.Key}: {string.Join(", ", dup.Select(d => d.n))}");
        return all;
    }

    private static IEnumerable<(int, string)> Pending(HashSet<int> applied) =>
        All().Where(m => !applied.Contains(m.Version));
}
