using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using DuckDB.NET.Data;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Web;

/// <summary>What the web endpoints share: the server's data, the dashboards, the render cache.</summary>
public sealed class DashboardSite(ServerData data, DashboardCatalog dashboards, long cacheBytes = DashboardSite.DefaultCacheBytes) : IDisposable
{
    public const long DefaultCacheBytes = 256L * 1024 * 1024;

    /// <summary>How long a request waits for the first rollup build of a server that never had one.</summary>
    private static readonly TimeSpan FirstBuildWait = TimeSpan.FromMinutes(5);

    private readonly Database database = data.Database;

    // Rendered charts, pages and panel rows, bounded by their estimated size in bytes: when an
    // entry would pass the bound it is not kept, and a quarter of the entries (least recently
    // used first) are dropped in the background. An entry nobody asked for in CacheIdle is
    // dropped too (see Trim), so a burst of one-off requests does not hold memory for good.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = cacheBytes, CompactionPercentage = 0.25, TrackStatistics = true });

    /// <summary>How long a cached value lives without being asked for.</summary>
    public static readonly TimeSpan CacheIdle = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan TrimEvery = TimeSpan.FromSeconds(10);
    private const long CollectAfterDroppedBytes = 32L * 1024 * 1024;
    private Timer? _trim;
    private long _trimmedSize;

    /// <summary>Trimming starts with the first cached value.</summary>
    private void StartTrimming()
    {
        if (Volatile.Read(ref _trim) is not null) return;
        var timer = new Timer(static state => ((DashboardSite)state!).Trim(), this, Timeout.Infinite, Timeout.Infinite);
        if (Interlocked.CompareExchange(ref _trim, timer, null) is null) timer.Change(TrimEvery, TrimEvery);
        else timer.Dispose();
    }

    /// <summary>
    /// Drops the entries idle for <see cref="CacheIdle"/>; when that freed a lot, collects the heap
    /// at once and gives the memory back to the system. Without this the server kept every
    /// one-off chart of a burst, and the heap that held them, until the next burst (a flood of
    /// 3,000 distinct panels left the working set 576 MB above its level before, a minute later).
    /// </summary>
    private void Trim()
    {
        try
        {
            _cache.Compact(0); // removes expired entries only
            var size = CacheBytes.Used;
            if (_trimmedSize - size >= CollectAfterDroppedBytes && !CommandLine.InBatchWork)
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            _trimmedSize = size;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    // Values being made: requests for one of them wait for it instead of making it again.
    private readonly ConcurrentDictionary<string, Lazy<object>> _making = new();

    /// <summary>The cache's bound and its current estimated size, in bytes.</summary>
    public (long Limit, long Used) CacheBytes => (cacheBytes, _cache.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0);

    public ServerData Data => data;

    /// <summary>
    /// The newest list's day when it is stale: more than the sources' LagDays + 3 weekdays before
    /// <paramref name="today"/> (from the data as the last request read it), else null.
    /// </summary>
    public DateOnly? StaleSince(DateOnly today, TrendLensSettings settings)
    {
        if (Demo || _state?.State.Last is not { } last) return null;
        var lag = settings.Sources.Count == 0 ? 1 : settings.Sources.Max(s => s.Lag());
        return WeekdaysAfter(last, today) > lag + 3 ? last : null;
    }

    /// <summary>Monday to Friday days after <paramref name="last"/>, up to and including <paramref name="today"/>.</summary>
    public static int WeekdaysAfter(DateOnly last, DateOnly today)
    {
        var count = 0;
        for (var d = last.AddDays(1); d <= today && count < 10_000; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) count++;
        return count;
    }
    public Database Database => database;

    /// <summary>A connection for one request (see <see cref="RequestConnection"/>).</summary>
    public RequestConnection OpenRequest() => new(database.Open());

    public DashboardCatalog Dashboards => dashboards;
    public bool Demo => data.Demo;

    /// <summary>The source pages read when they name none (see <see cref="Rollup.ReadSource"/>): the demo's, or the first configured one.</summary>
    public string? PrimarySource { get; init; }

    /// <summary>The configured <c>arxiv</c> sources, in order, among which lift finds its base (<see cref="Rollup.Lift.BaseOf"/>).</summary>
    public IReadOnlyList<string> BaseSources { get; init; } = [];

    /// <summary>
    /// The application's services, which outlive a request: a page still being drawn after its
    /// request was answered (see <see cref="Cached"/>) renders with these, not the request's.
    /// </summary>
    public IServiceProvider? Services { get; init; }
    public TrendLens.Tagging.Lexicons? Lexicons => data.Lexicons;

    /// <summary>What every request needs before it can use the cache: the data's version and extent.</summary>
    public sealed record DataState(string Version, DateOnly? First, DateOnly? Last, long Papers, IReadOnlyList<string> Sources);

    private static readonly TimeSpan StateLifetime = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan VersionHold = TimeSpan.FromSeconds(5);
    private DateTime _versionAdopted = DateTime.MinValue;

    /// <summary>A state as read, when, and the write generation it was read at (-1: read again after <see cref="StateLifetime"/>).</summary>
    private sealed record StateRead(DataState State, DateTime At, long Generation);

    private volatile StateRead? _state;

    /// <summary>
    /// The data version (changes whenever lists or tags change; part of every cache key, so new
    /// data invalidates rendered charts) and extent. They are read from the database again only
    /// after a write in this process (the server owns the file, so nothing else writes it):
    /// counting a million papers' distinct ids took 0.1–0.3 s, which, once a second, was most of
    /// the slowest uncached requests.
    /// </summary>
    public DataState State(DuckDBConnection connection)
    {
        var now = DateTime.UtcNow;
        var generation = database.WriteGeneration;
        if (Current(_state, generation, now) is { } current) return current;
        // A busy server reads the new state in the background and answers from the previous one
        // meanwhile: under load at a million papers, the request that read it waited up to 1.5 s.
        if (_state is { } stale && Busy)
        {
            ReadStateInBackground();
            return stale.State;
        }
        // One request reads the new state; the others keep the previous one meanwhile. Every
        // request reading it at once after each write (an import commits several times) stalled
        // all of them for seconds at a million papers.
        var reading = false;
        try
        {
            if (_state is null) Monitor.Enter(_stateReading, ref reading);
            else if (!(reading = Monitor.TryEnter(_stateReading))) return _state.State;
            if (Current(_state, generation, now) is { } readMeanwhile) return readMeanwhile;
            return ReadState(connection, generation, now);
        }
        finally
        {
            if (reading) Monitor.Exit(_stateReading);
        }
    }

    private readonly object _stateReading = new();
    private int _readingInBackground;

    private void ReadStateInBackground()
    {
        if (Interlocked.Exchange(ref _readingInBackground, 1) == 1) return;
        Task.Run(() =>
        {
            try
            {
                lock (_stateReading)
                {
                    var (generation, now) = (database.WriteGeneration, DateTime.UtcNow);
                    if (Current(_state, generation, now) is not null) return;
                    using var connection = database.Open();
                    ReadState(connection, generation, now);
                }
            }
            catch (Exception)
            {
                // Read again by the next request that finds the state old; a quiet server's
                // request reads it itself and meets the failure.
            }
            finally
            {
                Volatile.Write(ref _readingInBackground, 0);
            }
        });
    }

    /// <summary>Other answers are being drawn, or lists written or rolled up.</summary>
    private bool Busy => Volatile.Read(ref _answersMaking) > 0 || database.Writing || data.Rollups.Behind;

    private static DataState? Current(StateRead? read, long generation, DateTime now) =>
        read is not null && (read.Generation == generation || now - read.At < StateLifetime) ? read.State : null;

    private DataState ReadState(DuckDBConnection connection, long generation, DateTime now)
    {
        var (first, last, papers) = connection.QuerySingle<(DateOnly?, DateOnly?, long)>(
            SqlCatalog.Get("snapshots/data_extent"));
        // The version is that of the rollups the charts read: while new data is being rolled up in
        // the background, pages keep the previous (whole) version and its cached charts. Only a
        // database never rolled up waits, once, for the refresher's first build.
        if (!data.Rollups.Built.IsCompleted && TrendLens.Rollup.RollupTables.BuiltSignature(connection) is null)
            data.Rollups.Built.Wait(FirstBuildWait);
        var version = TrendLens.Rollup.RollupTables.BuiltSignature(connection) ?? connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"))!;
        var state = new DataState(version, first, last, papers, TrendLens.Rollup.RollupTables.Sources(connection));
        if (_state is { } previous && previous.State.Version != version)
        {
            // While data keeps arriving (an import every second), a new version is taken at most
            // every few seconds: each one costs every chart drawn again, and pages may lag by that much.
            if (now - _versionAdopted < VersionHold)
            {
                _state = new StateRead(previous.State, now, -1);
                return previous.State;
            }
            // The previous version's values stay until they idle out: a busy server still answers
            // from them while it draws the new ones (see Cached).
            _versionAdopted = now;
        }
        _state = new StateRead(state, now, generation);
        return state;
    }

    /// <summary>How many answers a request may draw at once before the others are answered from the previous data.</summary>
    public static int DrawingAtOnce { get; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>
    /// <see cref="DrawingAtOnce"/>, less one while lists are being written or rolled up: that work
    /// takes a core of its own, and on two cores two answers drawn beside it took over a second
    /// each (the load test at a million papers).
    /// </summary>
    internal int DrawingLimit => database.Writing || data.Rollups.Behind ? DrawingAtOnce - 1 : DrawingAtOnce;

    // Answers being made for requests (not the values they are made of), and whether this thread is making one.
    private int _answersMaking;
    [ThreadStatic] private static int t_making;

    /// <summary>
    /// The value for <paramref name="key"/> (which names the data version), made once: requests
    /// that ask for it while it is being made wait for that one result instead of each making it.
    /// A failure is not cached.
    /// <para>
    /// <paramref name="asked"/> names the request as its client sent it (path and query). When new
    /// data has come and <see cref="DrawingLimit"/> answers are being drawn already, or this one is,
    /// a request asked before is answered as it was last time, from the previous data, and a later
    /// request draws it anew. Without this every chart of every page was drawn again at once after
    /// each import, and requests waited seconds for the cores. With nothing else drawing, every
    /// request gets the current data. A request of a busy server that draws anew and has
    /// <paramref name="reads"/>, the connection <paramref name="make"/> reads with, waits at most
    /// <see cref="AnswerDeadline"/> before it too is answered as last time.
    /// </para>
    /// </summary>
    public T Cached<T>(string key, Func<T> make, string? asked = null, RequestConnection? reads = null) where T : class
    {
        if (_cache.TryGetValue(key, out var hit)) return Answered((T)hit!, asked);
        StartTrimming();
        var answering = asked is not null && t_making == 0;
        var before = answering && _cache.TryGetValue(AnsweredKey(asked!), out var previous) && previous is T ? (T)previous : null;
        if (before is not null && (Volatile.Read(ref _answersMaking) >= DrawingLimit || _making.ContainsKey(key)))
            return before;
        var busy = Busy; // as the check was made, before this answer counts as drawing
        var lazy = _making.GetOrAdd(key, _ => new Lazy<object>(() =>
        {
            var outermost = t_making++ == 0;
            if (outermost) Interlocked.Increment(ref _answersMaking);
            try
            {
                var value = make();
                _cache.Set(key, (object)value, Entry(value));
                return value;
            }
            finally
            {
                t_making--;
                if (outermost) Interlocked.Decrement(ref _answersMaking);
            }
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        if (before is not null && busy && reads is not null) return WithinDeadline(key, lazy, before, asked!, reads);
        try
        {
            return Answered((T)lazy.Value, answering ? asked : null);
        }
        finally
        {
            _making.TryRemove(new KeyValuePair<string, Lazy<object>>(key, lazy));
        }
    }

    /// <summary>
    /// How long a busy server lets a request asked before wait for its answer of the new data
    /// before it answers as last time. Under load at a million papers, answers drawn beside an
    /// import's rollup took 1–3 s; the client gets the previous answer instead, and the answer
    /// goes on being drawn for the next request.
    /// </summary>
    public static readonly TimeSpan AnswerDeadline = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Draws <paramref name="lazy"/> on the thread pool and waits up to <see cref="AnswerDeadline"/>
    /// for it; when it takes longer, answers <paramref name="before"/> and lets the drawing finish
    /// into the cache, keeping the request's connection (<paramref name="reads"/>) open until then.
    /// </summary>
    private T WithinDeadline<T>(string key, Lazy<object> lazy, T before, string asked, RequestConnection reads) where T : class
    {
        reads.Hold();
        var drawing = Task.Run(() => lazy.Value);
        drawing.ContinueWith(done =>
        {
            _ = done.Exception; // a failure is not cached; the next request meets it again
            _making.TryRemove(new KeyValuePair<string, Lazy<object>>(key, lazy));
            reads.Dispose();
        }, TaskScheduler.Default);
        if (Task.WaitAny([drawing], AnswerDeadline) < 0) return before;
        return Answered((T)drawing.GetAwaiter().GetResult(), asked);
    }

    private T Answered<T>(T value, string? asked) where T : class
    {
        if (asked is not null && !(_cache.TryGetValue(AnsweredKey(asked), out var last) && ReferenceEquals(last, value)))
            _cache.Set(AnsweredKey(asked), (object)value, Entry(value));
        return value;
    }

    private static string AnsweredKey(string asked) => "answered:" + asked;

    private static MemoryCacheEntryOptions Entry(object value) => new() { Size = SizeOf(value), SlidingExpiration = CacheIdle };

    /// <summary>What a cached value holds on the heap, roughly: its bytes, characters or cells.</summary>
    internal static long SizeOf(object value) => value switch
    {
        byte[] bytes => bytes.Length + 32,
        TrendLens.Charts.DrawnPanel drawn => drawn.Png.Length + 32 + drawn.Marks.Sum(m => 96 + 2L * (m.Title.Length + m.Series.Length)),
        string text => 2L * text.Length + 32,
        PanelData data => 64 + data.Rows.Sum(row => 32 + 8L * row.Length + row.Sum(cell => cell switch
        {
            null => 0,
            string text => 2L * text.Length + 32,
            _ => 24L,
        })),
        _ => 1024,
    };


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

    public void Dispose()
    {
        _trim?.Dispose();
        _cache.Dispose();
    }
}

/// <summary>
/// The connection a web request reads with. It closes when the request is done with it and so is
/// any answer the request left drawing (<see cref="DashboardSite.Cached"/> answers a busy request
/// from the previous data and lets its new answer finish drawing with this connection).
/// </summary>
public sealed class RequestConnection(DuckDBConnection connection) : IDisposable
{
    private int _holders = 1;

    public DuckDBConnection Connection => connection;

    /// <summary>One more user: the connection stays open until each has disposed of it.</summary>
    internal void Hold() => Interlocked.Increment(ref _holders);

    public void Dispose()
    {
        if (Interlocked.Decrement(ref _holders) == 0) connection.Dispose();
    }
}
