using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DuckDB.NET.Data;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Snapshots;

public enum DayStatus
{
    /// <summary>First snapshot of this (source, list date).</summary>
    New,
    /// <summary>A different payload for a known (source, list date): a new revision.</summary>
    Revised,
    /// <summary>The same payload was stored before for this key: nothing added.</summary>
    Unchanged,
    /// <summary>The list was empty: its payload is kept and the day recorded as having no list; no revision.</summary>
    NoList,
}

public sealed record DayOutcome(DateOnly ListDate, int Revision, int Entries, DayStatus Status)
{
    /// <summary>
    /// The day's current revision after this payload: <see cref="Revision"/>, except for a payload
    /// that is an older revision again (A, then B, then A), which adds nothing and leaves the later
    /// one current.
    /// </summary>
    public int Current { get; init; } = Revision;
}

/// <summary>What happened to one payload: its days, or the reason it went to quarantine.</summary>
/// <param name="Sha256">Empty when the payload was never read (e.g. an unreadable or oversized file).</param>
public sealed record SnapshotOutcome(
    string Origin,
    string Source,
    string Sha256,
    PayloadFormat? Format,
    IReadOnlyList<DayOutcome> Days,
    string? Error,
    IReadOnlyList<string> Notes)
{
    public bool Failed => Error is not null;
    public bool Quarantined => Error is not null && Sha256.Length > 0;
}

/// <summary>
/// A payload hashed and normalized, ready to stage. Preparing is pure CPU work with no
/// database access, so an import prepares the next files on another core while it writes.
/// </summary>
public sealed record PreparedPayload(
    ReadOnlyMemory<byte> Payload,
    string Sha256,
    string Source,
    PayloadContext Context,
    PayloadFormat Format,
    NormalizedPayload? Normalized,
    string? Error)
{
    /// <summary>
    /// Per list and entry of <see cref="Normalized"/>, the MD5 of the text tags are made from
    /// (<see cref="Tagging.Tagger.TextMd5"/>), stored with the entry so the Tag stage can tell
    /// changed texts without hashing every paper again; empty when the payload did not normalize.
    /// </summary>
    public IReadOnlyList<string[]> TextMd5s { get; private init; } = [];

    public static PreparedPayload From(ReadOnlyMemory<byte> payload, string source, PayloadFormat? format, PayloadContext context)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(payload.Span));
        try
        {
            var normalized = PayloadNormalizer.Normalize(payload, format, context);
            return new PreparedPayload(payload, sha, source, context, normalized.Format, normalized, null)
            {
                TextMd5s = normalized.Lists
                    .Select(l => l.Entries.Select(e => Tagging.Tagger.TextMd5(e.Title, e.Abstract, e.AiKeywords)).ToArray())
                    .ToArray(),
            };
        }
        catch (PayloadException e)
        {
            var detected = format ?? PayloadNormalizer.Detect(payload.Span, context.Origin);
            return new PreparedPayload(payload, sha, source, context, detected, null, e.Describe());
        }
    }
}

/// <summary>
/// A JSON Lines file too large to hold in memory (over <see cref="SnapshotBatch.StreamAbove"/>),
/// hashed and checked in one pass (<see cref="JsonlStream.Check"/>) and stored in another, as it is
/// read (<see cref="SnapshotBatch.AddStreamed"/>).
/// </summary>
public sealed record StreamedPayload(string Path, string Sha256, string Source, PayloadContext Context, PayloadException? Problem)
{
    public static StreamedPayload Check(string path, string source, PayloadContext context)
    {
        var (sha, problem) = JsonlStream.Check(path);
        return new StreamedPayload(path, sha, source, context, problem);
    }
}

/// <summary>
/// Stage 3, Snapshot: stores raw payloads verbatim with their SHA-256 and the normalized
/// entries of each day they hold, keyed by (source, list date). The same payload again adds
/// nothing; a different payload for a stored key adds a revision; a payload that fails to
/// normalize is kept in quarantine with its error. Nothing is updated or deleted.
/// </summary>
public sealed class SnapshotWriter(TimeProvider clock)
{
    public const string DefaultSource = "hf-daily";

    /// <summary>
    /// What an unchanged payload is: "same as revision 1", and when that is not the current
    /// revision, which one stays current (the same payload again adds nothing, docs/cli.md).
    /// </summary>
    public static string SameAs(int revision, int current) =>
        current > revision ? $"same as revision {revision}; revision {current}, stored later, stays current" : $"same as revision {revision}";

    /// <summary>Opens a batch: several payloads in one transaction, each one whole or absent.</summary>
    public SnapshotBatch Begin(Database database, DuckDBConnection connection) => new(database, connection, clock, FlushAppendersBytes);

    /// <summary>How many bytes of a streamed file its batch stores between closing its appenders (<see cref="SnapshotBatch.FlushAppendersBytes"/>; lower in tests).</summary>
    internal long FlushAppendersBytes { get; init; } = SnapshotBatch.FlushAppendersBytes;

    /// <summary>
    /// One payload stored on its own (an API import, a fetched list), then the papers it added or
    /// changed tagged with <paramref name="lexicons"/> (when given). A tagging failure leaves the
    /// snapshot stored and is returned as <c>TagError</c> (`trendlens retag` catches up).
    /// </summary>
    public (SnapshotOutcome Outcome, string? TagError) StoreAndTag(Database database, DuckDBConnection connection,
        ReadOnlyMemory<byte> payload, string source, PayloadFormat? format, PayloadContext context, Tagging.Lexicons? lexicons)
    {
        SnapshotOutcome outcome;
        using (var batch = Begin(database, connection))
        {
            outcome = batch.Add(payload, source, format, context);
            batch.Commit();
        }
        if (outcome.Failed || lexicons is null || outcome.Days.All(d => d.Status == DayStatus.Unchanged)) return (outcome, null);
        try
        {
            new Tagging.Tagger(lexicons, clock).TagPending(database, connection);
            return (outcome, null);
        }
        catch (Exception e) when (e is DuckDBException or InvalidOperationException)
        {
            return (outcome, "stored, but not tagged: " + e.Message);
        }
    }
}

/// <summary>
/// Payloads written in one transaction. Committing per payload costs milliseconds each in
/// DuckDB, so an import groups payloads and commits every <see cref="MaxPayloads"/> payloads
/// or <see cref="MaxBytes"/> bytes; a kill loses only the uncommitted tail, never part of a
/// day. Holds the database's in-process write lock from creation to disposal.
/// </summary>
public sealed class SnapshotBatch : IDisposable
{
    public const int MaxPayloads = 64;
    public const long MaxBytes = 32L * 1024 * 1024;

    /// <summary>JSON Lines files larger than this are stored as they are read (<see cref="AddStreamed"/>), never held whole.</summary>
    public const long StreamAbove = 32L * 1024 * 1024;

    /// <summary>
    /// A streamed file's appenders are closed and opened again after this many bytes of it. One
    /// appender for a whole file handed DuckDB all of its rows on closing, at the commit: a 516 MB
    /// file of 765,359 papers peaked at 2.35 GB while stored, 1.84 GB with this.
    /// </summary>
    public const long FlushAppendersBytes = 64L * 1024 * 1024;

    private readonly DuckDBConnection _connection;
    private readonly long _flushAppendersBytes;
    private readonly TimeProvider _clock;
    private readonly IDisposable _writeLock;
    private readonly Dictionary<(string Source, DateOnly Date), List<(int Revision, string Sha)>> _revisions = [];
    private readonly HashSet<(string Source, DateOnly Date, string Sha)> _noLists = [];
    private readonly Dictionary<string, long> _payloadIds = new(StringComparer.Ordinal);
    private readonly HashSet<(string Sha, string Source, string Error)> _quarantined = [];
    private readonly List<SnapshotOutcome> _pending = [];
    private long _nextPayloadId;
    private long _pendingBytes;
    private DuckDBTransaction? _tx;
    private DuckDBAppender? _payloads, _parts, _snapshots, _entries;
    private bool _broken;

    internal SnapshotBatch(Database database, DuckDBConnection connection, TimeProvider clock, long flushAppendersBytes)
    {
        _connection = connection;
        _clock = clock;
        _flushAppendersBytes = flushAppendersBytes;
        _writeLock = database.AcquireWriteLock();
        try
        {
            Load();
        }
        catch
        {
            _writeLock.Dispose();
            throw;
        }
    }

    public bool ShouldCommit => _pending.Count >= MaxPayloads || _pendingBytes >= MaxBytes;

    /// <summary>SHA-256 of every payload stored when the batch began; safe to read from any thread.</summary>
    public IReadOnlySet<string> StoredBefore { get; private set; } = new HashSet<string>();

    /// <summary>Normalizes one payload and stages its rows. Visible to others only after <see cref="Commit"/>.</summary>
    public SnapshotOutcome Add(ReadOnlyMemory<byte> payload, string source, PayloadFormat? format, PayloadContext context) =>
        Add(PreparedPayload.From(payload, source, format, context));

    /// <inheritdoc cref="Add(ReadOnlyMemory{byte}, string, PayloadFormat?, PayloadContext)"/>
    public SnapshotOutcome Add(PreparedPayload prepared)
    {
        ObjectDisposedException.ThrowIf(_broken, this);
        try
        {
            return Stage(prepared);
        }
        catch
        {
            // A database error leaves staged rows half-written: drop the whole uncommitted batch.
            Break();
            throw;
        }
    }

    private SnapshotOutcome Stage(PreparedPayload prepared)
    {
        var (payload, sha, source, context) = (prepared.Payload, prepared.Sha256, prepared.Source, prepared.Context);
        if (prepared.Normalized is not { } normalized)
        {
            var error = prepared.Error!;
            if (_quarantined.Add((sha, source, error)))
            {
                var id = StagePayload(payload, sha, prepared.Format, context.Origin);
                _connection.Run(SqlCatalog.Get("snapshots/quarantine_insert"), Transaction(),
                    ("id", id), ("source", source), ("date", context.Date ?? PayloadNormalizer.DateFromName(context.Origin)),
                    ("format", prepared.Format.Name), ("error", error), ("now", Now()));
            }
            return Pend(new SnapshotOutcome(context.Origin, source, sha, prepared.Format, [], error, []));
        }

        var days = new List<DayOutcome>(normalized.Lists.Count);
        long? payloadId = null;
        for (var l = 0; l < normalized.Lists.Count; l++)
        {
            var list = normalized.Lists[l];
            var key = (source, list.ListDate);
            if (!_revisions.TryGetValue(key, out var revisions)) _revisions[key] = revisions = [];
            if (list.Entries.Count == 0)
            {
                // An empty answer is no list: kept, never a revision that would hide a stored day.
                if (_noLists.Add((source, list.ListDate, sha)))
                {
                    payloadId ??= StagePayload(payload, sha, normalized.Format, context.Origin);
                    _connection.Run(SqlCatalog.Get("snapshots/no_lists_insert"), Transaction(),
                        ("source", source), ("date", list.ListDate), ("id", payloadId.Value), ("now", Now()));
                }
                days.Add(new DayOutcome(list.ListDate, 0, 0, DayStatus.NoList));
                continue;
            }
            var same = revisions.FindIndex(r => r.Sha == sha);
            if (same >= 0)
            {
                days.Add(new DayOutcome(list.ListDate, revisions[same].Revision, list.Entries.Count, DayStatus.Unchanged)
                {
                    Current = revisions.Max(r => r.Revision),
                });
                continue;
            }

            payloadId ??= StagePayload(payload, sha, normalized.Format, context.Origin);
            var revision = revisions.Count == 0 ? 1 : revisions.Max(r => r.Revision) + 1;
            revisions.Add((revision, sha));
            StageSnapshot(source, list, prepared.TextMd5s[l], revision, payloadId.Value);
            days.Add(new DayOutcome(list.ListDate, revision, list.Entries.Count, revision == 1 ? DayStatus.New : DayStatus.Revised));
        }
        return Pend(new SnapshotOutcome(context.Origin, source, sha, normalized.Format, days, null, normalized.Notes));
    }

    /// <summary>
    /// Stores a large JSON Lines file in a transaction of its own, reading it in blocks: its bytes
    /// go to <c>payload_parts</c> and its entries to <c>list_entries</c> as they are read, so
    /// memory does not grow with the file. A line that does not normalize rolls it all back and
    /// the file is kept in quarantine, as for any payload. Returns the committed outcome; the
    /// batch must have nothing staged.
    /// </summary>
    public SnapshotOutcome AddStreamed(StreamedPayload streamed)
    {
        ObjectDisposedException.ThrowIf(_broken, this);
        if (_tx is not null || _pending.Count > 0) throw new InvalidOperationException("commit the batch before a streamed payload");
        try
        {
            var error = streamed.Problem?.Describe();
            if (error is null)
            {
                try
                {
                    return StageStreamed(streamed);
                }
                catch (PayloadException e)
                {
                    RollBack();
                    error = e.Describe();
                }
            }
            if (_quarantined.Add((streamed.Sha256, streamed.Source, error)))
            {
                var (id, isNew) = _payloadIds.TryGetValue(streamed.Sha256, out var known) ? (known, false) : (_nextPayloadId, true);
                Transaction();
                if (isNew) StageChunkedPayload(id, streamed, storeBlocks: true);
                _connection.Run(SqlCatalog.Get("snapshots/quarantine_insert"), Transaction(),
                    ("id", id), ("source", streamed.Source), ("date", streamed.Context.Date ?? PayloadNormalizer.DateFromName(streamed.Context.Origin)),
                    ("format", PayloadFormat.HfJsonl.Name), ("error", error), ("now", Now()));
                CommitStreamed();
                if (isNew)
                {
                    _payloadIds[streamed.Sha256] = id;
                    _nextPayloadId = id + 1;
                }
            }
            return new SnapshotOutcome(streamed.Context.Origin, streamed.Source, streamed.Sha256, PayloadFormat.HfJsonl, [], error, []);
        }
        catch
        {
            Break();
            throw;
        }
    }

    private SnapshotOutcome StageStreamed(StreamedPayload streamed)
    {
        var (sha, source, context) = (streamed.Sha256, streamed.Source, streamed.Context);
        var (payloadId, isNew) = _payloadIds.TryGetValue(sha, out var known) ? (known, false) : (_nextPayloadId, true);
        var fallback = PayloadNormalizer.JsonlFallbackDate(context);
        // Per list date, constant memory per day: its entries so far, its revision and whether it was stored before (then the current revision).
        var counts = new Dictionary<DateOnly, int>();
        var plan = new SortedDictionary<DateOnly, (int Revision, bool Unchanged, int Current)>();
        Transaction();
        StageChunkedPayload(payloadId, streamed, storeBlocks: isNew, onLine: (number, line) =>
        {
            if (line.Span.Trim(" \t\r"u8).IsEmpty) return;
            var entry = PayloadNormalizer.JsonlEntry(line, number, context, fallback, d => counts.GetValueOrDefault(d) + 1);
            var date = entry.ListDate;
            counts[date] = counts.GetValueOrDefault(date) + 1;
            if (!plan.TryGetValue(date, out var day))
            {
                var revisions = _revisions.GetValueOrDefault((source, date)) ?? [];
                var same = revisions.FindIndex(r => r.Sha == sha);
                var latest = revisions.Count == 0 ? 0 : revisions.Max(r => r.Revision);
                plan[date] = day = same >= 0 ? (revisions[same].Revision, true, latest) : (latest + 1, false, latest + 1);
            }
            if (!day.Unchanged) AppendEntry(source, date, day.Revision, entry, Tagging.Tagger.TextMd5(entry.Title, entry.Abstract, entry.AiKeywords));
        });
        if (plan.Count == 0) throw new PayloadException("no entries: every line is blank");
        CloseAppenders();

        var stored = plan.Where(d => !d.Value.Unchanged).ToList();
        if (stored.Count > 0)
        {
            _connection.Run(SqlCatalog.Get("snapshots/streamed_days_create"), Transaction());
            using (var days = _connection.CreateAppender("streamed_days"))
                foreach (var (date, day) in stored) days.CreateRow().AppendValue(date).AppendValue(day.Revision).EndRow();
            var twice = _connection.Rows(SqlCatalog.Get("snapshots/streamed_rank_repeated"), r => (r.GetFieldValue<DateOnly>(0), r.GetInt32(1)), ("source", source));
            _connection.Run(SqlCatalog.Get("snapshots/streamed_days_drop"), Transaction());
            if (twice.Count > 0) throw RankTwice(streamed, fallback, twice[0].Item1, twice[0].Item2);
            using var snapshots = _connection.CreateAppender("snapshots");
            foreach (var (date, day) in stored)
                snapshots.CreateRow().AppendValue(source).AppendValue(date).AppendValue(day.Revision).AppendValue(payloadId)
                    .AppendValue(counts[date]).AppendValue(Now()).EndRow();
        }
        CommitStreamed();

        if (isNew && stored.Count > 0)
        {
            _payloadIds[sha] = payloadId;
            _nextPayloadId = payloadId + 1;
        }
        foreach (var (date, day) in stored)
        {
            if (!_revisions.TryGetValue((source, date), out var revisions)) _revisions[(source, date)] = revisions = [];
            revisions.Add((day.Revision, sha));
        }
        var outcomes = plan.Select(d => new DayOutcome(d.Key, d.Value.Revision, counts[d.Key],
            d.Value.Unchanged ? DayStatus.Unchanged : d.Value.Revision == 1 ? DayStatus.New : DayStatus.Revised) { Current = d.Value.Current }).ToList();
        return new SnapshotOutcome(context.Origin, source, sha, PayloadFormat.HfJsonl, outcomes, null, []);
    }

    /// <summary>The line that repeats <paramref name="rank"/> on <paramref name="date"/>, found by reading the file again (only when it does).</summary>
    private static PayloadException RankTwice(StreamedPayload streamed, DateOnly? fallback, DateOnly date, int rank)
    {
        var counts = new Dictionary<DateOnly, int>();
        var seen = false;
        PayloadException? found = null;
        using var file = File.OpenRead(streamed.Path);
        JsonlStream.Read(file, null, (number, line) =>
        {
            if (found is not null || line.Span.Trim(" \t\r"u8).IsEmpty) return;
            var entry = PayloadNormalizer.JsonlEntry(line, number, streamed.Context, fallback, d => counts.GetValueOrDefault(d) + 1);
            counts[entry.ListDate] = counts.GetValueOrDefault(entry.ListDate) + 1;
            if (entry.ListDate != date || entry.Rank != rank) return;
            if (seen) found = PayloadNormalizer.RankTwice(entry, number);
            seen = true;
        });
        return found ?? new PayloadException($"rank {rank} appears twice on {PaperIdentity.Format(date)}", null, "rank");
    }

    /// <summary>
    /// Reads the file once: its bytes become <c>payload_parts</c> rows under a new
    /// <c>payloads</c> row when <paramref name="storeBlocks"/>, and each line goes to <paramref name="onLine"/>.
    /// </summary>
    private void StageChunkedPayload(long payloadId, StreamedPayload streamed, bool storeBlocks, Action<int, ReadOnlyMemory<byte>>? onLine = null)
    {
        if (storeBlocks) AppendPayloadRow(payloadId, streamed.Sha256, PayloadFormat.HfJsonl, streamed.Context.Origin, new FileInfo(streamed.Path).Length);
        var (seq, sinceFlush) = (0, 0L);
        using var file = new FileStream(streamed.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        JsonlStream.Read(file, block =>
        {
            if (storeBlocks) seq = PayloadParts.Append(Parts(), payloadId, block, seq);
            sinceFlush += block.Length;
            if (sinceFlush < _flushAppendersBytes) return;
            CloseAppenders(); // the next part or entry opens new ones
            sinceFlush = 0;
        }, onLine ?? ((_, _) => { }));
    }

    private void CommitStreamed()
    {
        CloseAppenders();
        _tx!.Commit();
        _tx.Dispose();
        _tx = null;
    }

    /// <summary>Drops what a streamed payload staged, keeping the batch usable.</summary>
    private void RollBack()
    {
        try
        {
            CloseAppenders();
        }
        catch (DuckDBException)
        {
            // Rolled back below either way.
        }
        _payloads = _parts = _snapshots = _entries = null;
        _tx?.Rollback();
        _tx?.Dispose();
        _tx = null;
    }

    /// <summary>Makes every staged payload durable, all together, and returns their outcomes.</summary>
    public IReadOnlyList<SnapshotOutcome> Commit()
    {
        ObjectDisposedException.ThrowIf(_broken, this);
        try
        {
            CloseAppenders();
            _tx?.Commit();
        }
        catch
        {
            Break();
            throw;
        }
        _tx?.Dispose();
        _tx = null;
        var committed = _pending.ToList();
        _pending.Clear();
        _pendingBytes = 0;
        return committed;
    }

    /// <summary>Rolls back whatever was not committed.</summary>
    public void Dispose()
    {
        if (!_broken && _tx is not null) Break();
        _writeLock.Dispose();
    }

    private void Break()
    {
        _broken = true;
        try
        {
            _payloads?.Dispose();
            _snapshots?.Dispose();
            _entries?.Dispose();
        }
        catch (DuckDBException)
        {
            // The transaction is rolled back below; a failed flush changes nothing.
        }
        // A failed commit has already ended the transaction; the original error is what matters.
        try { _tx?.Rollback(); } catch (Exception e) when (e is DuckDBException or InvalidOperationException) { }
        _tx?.Dispose();
        _tx = null;
    }

    private SnapshotOutcome Pend(SnapshotOutcome outcome)
    {
        _pending.Add(outcome);
        return outcome;
    }

    // Without Dapper: this runs at the start of every import (see Storage/PlainSql).
    private void Load()
    {
        foreach (var (source, listDate, revision, sha) in _connection.Rows(SqlCatalog.Get("snapshots/snapshot_keys"),
                     r => (r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetInt32(2), r.GetString(3))))
        {
            var key = (source, listDate);
            if (!_revisions.TryGetValue(key, out var list)) _revisions[key] = list = [];
            list.Add((revision, sha));
        }
        foreach (var (sha, id) in _connection.Rows(SqlCatalog.Get("snapshots/payload_ids"), r => (r.GetString(0), r.GetInt64(1))))
            _payloadIds.TryAdd(sha, id);
        foreach (var n in _connection.Rows(SqlCatalog.Get("snapshots/no_list_keys"),
                     r => (r.GetString(0), r.GetFieldValue<DateOnly>(1), r.GetString(2))))
            _noLists.Add(n);
        foreach (var q in _connection.Rows(SqlCatalog.Get("snapshots/quarantine_keys"),
                     r => (r.GetString(0), r.GetString(1), r.GetString(2))))
            _quarantined.Add(q);
        _nextPayloadId = _connection.Rows(SqlCatalog.Get("snapshots/next_payload_id"), r => r.GetInt64(0))[0];
        StoredBefore = _payloadIds.Keys.ToFrozenSet(StringComparer.Ordinal);
    }

    private DuckDBTransaction Transaction() => _tx ??= _connection.BeginTransaction();

    private DateTime Now() => _clock.GetUtcNow().UtcDateTime;

    private long StagePayload(ReadOnlyMemory<byte> payload, string sha, PayloadFormat format, string origin)
    {
        if (_payloadIds.TryGetValue(sha, out var existing)) return existing;
        Transaction();
        var id = _nextPayloadId++;
        _payloadIds[sha] = id;
        _pendingBytes += payload.Length;
        AppendPayloadRow(id, sha, format, origin, payload.Length);
        PayloadParts.Append(Parts(), id, payload.Span, 0);
        return id;
    }

    private void AppendPayloadRow(long id, string sha, PayloadFormat format, string origin, long sizeBytes) =>
        (_payloads ??= _connection.CreateAppender("payloads")).CreateRow()
            .AppendValue(id)
            .AppendValue(sha)
            .AppendValue(format.Name)
            .AppendValue(origin)
            .AppendValue(sizeBytes)
            .AppendValue(Now())
            .EndRow();

    private DuckDBAppender Parts() => _parts ??= _connection.CreateAppender("payload_parts");

    private void StageSnapshot(string source, DailyList list, string[] textMd5s, int revision, long payloadId)
    {
        Transaction();
        (_snapshots ??= _connection.CreateAppender("snapshots")).CreateRow()
            .AppendValue(source)
            .AppendValue(list.ListDate)
            .AppendValue(revision)
            .AppendValue(payloadId)
            .AppendValue(list.Entries.Count)
            .AppendValue(Now())
            .EndRow();

        for (var i = 0; i < list.Entries.Count; i++) AppendEntry(source, list.ListDate, revision, list.Entries[i], textMd5s[i]);
    }

    private void AppendEntry(string source, DateOnly listDate, int revision, ListEntry e, string textMd5)
    {
        {
            (_entries ??= _connection.CreateAppender("list_entries")).CreateRow()
                .AppendValue(source)
                .AppendValue(listDate)
                .AppendValue(revision)
                .AppendValue(e.Rank)
                .AppendValue(e.PaperId)
                .AppendValue(e.ArxivId)
                .AppendValue(e.Title)
                .AppendValue(e.Abstract)
                .AppendValue(e.Authors)
                .AppendValue(e.PublishedAt)
                .AppendValue(e.SubmittedAt)
                .AppendValue(e.Upvotes)
                .AppendValue(e.NumComments)
                .AppendValue(e.AiKeywords)
                .AppendValue(e.AiSummary)
                .AppendValue(e.GithubRepo)
                .AppendValue(e.GithubStars)
                .AppendValue(e.ProjectPage)
                .AppendValue(e.Organization)
                .AppendValue(e.OrganizationName)
                .AppendValue(textMd5)
                .EndRow();
        }
    }

    private void CloseAppenders()
    {
        _payloads?.Dispose();
        _parts?.Dispose();
        _snapshots?.Dispose();
        _entries?.Dispose();
        _payloads = _parts = _snapshots = _entries = null;
    }
}
