using System.Collections.Concurrent;
using DuckDB.NET.Data;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Snapshots;

/// <summary>A file that was looked at but not imported, and why.</summary>
public sealed record SkippedPath(string Path, string Reason);

/// <summary>The files an import will read, in date order, and what it passed over.</summary>
public sealed record ImportPlan(IReadOnlyList<string> Files, IReadOnlyList<SkippedPath> Skipped, IReadOnlyList<string> Missing);

/// <summary>
/// Imports files and directories through the Snapshot stage, one transaction per file. A
/// directory contributes its data files (the extensions of the payload formats: <c>.json</c>,
/// <c>.jsonl</c>, <c>.txt</c>, <c>.xml</c>, …), not its subdirectories, in list-date order.
/// </summary>
public sealed class FileImporter(SnapshotWriter writer)
{
    public static readonly IReadOnlySet<string> DataExtensions =
        PayloadFormats.All.SelectMany(f => f.Extensions).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static readonly string NotData = "not " + string.Join(", ", PayloadFormats.All.SelectMany(f => f.Extensions));

    /// <summary>
    /// Larger files are refused before they are read (no daily list comes near this), except JSON
    /// Lines, which over <see cref="SnapshotBatch.StreamAbove"/> are stored as they are read.
    /// </summary>
    public const long MaxPayloadBytes = 256L * 1024 * 1024;

    public static ImportPlan Plan(IEnumerable<string> paths)
    {
        var files = new List<string>();
        var skipped = new List<SkippedPath>();
        var missing = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var inDir = new List<string>();
                foreach (var entry in Directory.EnumerateFileSystemEntries(path).Order(StringComparer.Ordinal))
                {
                    var name = Path.GetFileName(entry);
                    if (Directory.Exists(entry))
                        skipped.Add(new SkippedPath(entry, "a directory; directories are not searched"));
                    else if (name.StartsWith('.'))
                        skipped.Add(new SkippedPath(entry, "hidden file"));
                    else if (!DataExtensions.Contains(Path.GetExtension(entry)))
                        skipped.Add(new SkippedPath(entry, NotData));
                    else
                        inDir.Add(entry);
                }
                files.AddRange(inDir
                    .OrderBy(f => PayloadNormalizer.DateFromName(f) ?? DateOnly.MaxValue)
                    .ThenBy(f => f, StringComparer.Ordinal));
            }
            else
            {
                missing.Add(path);
            }
        }
        return new ImportPlan(files, skipped, missing);
    }

    /// <summary>
    /// Starts reading and normalizing <paramref name="files"/>, in order, on another core, up to
    /// <see cref="ReadAheadBytes"/> ahead of the thread that stores them. Needs no database, so an
    /// import starts it before opening one (see <see cref="PayloadQueue"/>).
    /// </summary>
    /// <param name="streamAbove">JSON Lines files larger than this are stored as they are read (<see cref="SnapshotBatch.AddStreamed"/>).</param>
    /// <param name="kind">The kind of the configured source named <paramref name="source"/>, if it is one (<see cref="PayloadContext.SourceKind"/>).</param>
    public static PayloadQueue Read(IReadOnlyList<string> files, string source, PayloadFormat? format, DateOnly? date, DateOnly today,
        long streamAbove = SnapshotBatch.StreamAbove, SourceKind? kind = null) =>
        new(files, source, format, date, today, streamAbove, kind);

    /// <summary>
    /// Imports files in order, committing in batches. <paramref name="onProgress"/> hears of each
    /// file as it is read; <paramref name="onCommitted"/> hears of each outcome once it is durable
    /// (or, for an unreadable file, once it is known); <paramref name="onNormalized"/>, when given,
    /// hears of each normalized payload not stored before, on the reading thread, before this
    /// returns (see Tagging/TagAhead).
    /// </summary>
    public void Import(
        Database database,
        DuckDBConnection connection,
        IReadOnlyList<string> files,
        string source,
        PayloadFormat? format,
        DateOnly? date,
        DateOnly today,
        Action<int, string>? onProgress,
        Action<SnapshotOutcome> onCommitted,
        Action<PreparedPayload>? onNormalized = null)
    {
        using var queue = Read(files, source, format, date, today);
        Import(database, connection, queue, onProgress, onCommitted, onNormalized);
    }

    /// <inheritdoc cref="Import(Database, DuckDBConnection, IReadOnlyList{string}, string, PayloadFormat?, DateOnly?, DateOnly, Action{int, string}?, Action{SnapshotOutcome}, Action{PreparedPayload}?)"/>
    public void Import(
        Database database,
        DuckDBConnection connection,
        PayloadQueue files,
        Action<int, string>? onProgress,
        Action<SnapshotOutcome> onCommitted,
        Action<PreparedPayload>? onNormalized = null)
    {
        using var batch = writer.Begin(database, connection);
        files.HandOver(batch.StoredBefore, onNormalized);
        var done = 0;
        foreach (var (file, payload, unreadable, streamed) in files.Prepared())
        {
            onProgress?.Invoke(done++, file);
            if (streamed is not null)
            {
                foreach (var outcome in batch.Commit()) onCommitted(outcome);
                onCommitted(batch.AddStreamed(streamed));
                continue;
            }
            if (unreadable is not null)
            {
                onCommitted(unreadable);
                continue;
            }
            batch.Add(payload!);
            if (batch.ShouldCommit)
                foreach (var outcome in batch.Commit()) onCommitted(outcome);
        }
        foreach (var outcome in batch.Commit()) onCommitted(outcome);
        onProgress?.Invoke(files.Count, "");
        files.Finish();
    }

    /// <summary>
    /// Files read and normalized on another core, in order, for one thread to store. Reading starts
    /// at once, before the database is open: the files of a new database's first import are read
    /// while it opens and applies its migrations (0.2 s). Normalized payloads wait for
    /// <see cref="HandOver"/> to learn which were stored before and who tags the others ahead.
    /// Disposing stops the reading.
    /// </summary>
    public sealed class PayloadQueue : IDisposable
    {
        private readonly BlockingCollection<(string File, PreparedPayload? Payload, SnapshotOutcome? Unreadable, StreamedPayload? Streamed)> _prepared = new(boundedCapacity: 4096);
        private readonly CancellationTokenSource _cancel = new();
        // Ahead by bytes, not by files: while the storing thread checkpoints (0.2 s at a time), the
        // reader goes on feeding the taggers from small files, and big ones cannot pile up.
        private readonly ReadAhead _budget = new(ReadAheadBytes);
        private readonly TaskCompletionSource<(IReadOnlySet<string> StoredBefore, Action<PreparedPayload>? OnNormalized)> _handOver =
            new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _reader;

        internal PayloadQueue(IReadOnlyList<string> files, string source, PayloadFormat? format, DateOnly? date, DateOnly today, long streamAbove,
            SourceKind? kind)
        {
            Count = files.Count;
            _reader = Task.Run(() => ReadAll(files, source, format, date, today, streamAbove, kind), _cancel.Token);
        }

        public int Count { get; }

        /// <summary>Says which payloads were stored before (by SHA-256) and who hears of the others.</summary>
        internal void HandOver(IReadOnlySet<string> storedBefore, Action<PreparedPayload>? onNormalized) =>
            _handOver.TrySetResult((storedBefore, onNormalized));

        /// <summary>Each file as it is ready, in order, until the last.</summary>
        internal IEnumerable<(string File, PreparedPayload? Payload, SnapshotOutcome? Unreadable, StreamedPayload? Streamed)> Prepared()
        {
            foreach (var item in _prepared.GetConsumingEnumerable(_cancel.Token))
            {
                _budget.Return(item.Payload?.Payload.Length ?? 0);
                yield return item;
            }
        }

        /// <summary>Waits for the reader to end; an error of its own is thrown here.</summary>
        internal void Finish() => _reader.Wait();

        private void ReadAll(IReadOnlyList<string> files, string source, PayloadFormat? format, DateOnly? date, DateOnly today, long streamAbove,
            SourceKind? kind)
        {
            var waiting = new List<PreparedPayload>();
            try
            {
                foreach (var file in files)
                {
                    var context = new PayloadContext(Path.GetFullPath(file), date, today) { SourceKind = kind };
                    if (Streams(file, format, streamAbove))
                    {
                        try
                        {
                            _prepared.Add((file, null, null, StreamedPayload.Check(file, source, context)), _cancel.Token);
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                        {
                            _prepared.Add((file, null, new SnapshotOutcome(context.Origin, source, "", format, [], $"cannot read: {e.Message}", []), null), _cancel.Token);
                        }
                        continue;
                    }
                    var (bytes, unreadable) = ReadFile(file, source, format);
                    _budget.Take(bytes.Length, _cancel.Token);
                    var payload = unreadable is null ? PreparedPayload.From(bytes, source, format, context) : null;
                    if (payload?.Normalized is not null)
                    {
                        waiting.Add(payload);
                        if (_handOver.Task.IsCompleted) HandOverWaiting(waiting);
                    }
                    _prepared.Add((file, payload, unreadable, null), _cancel.Token);
                }
                // The storing thread may finish before the tagging threads have heard of everything.
                _prepared.CompleteAdding();
                if (waiting.Count > 0)
                {
                    _handOver.Task.Wait(_cancel.Token);
                    HandOverWaiting(waiting);
                }
            }
            finally
            {
                _prepared.CompleteAdding();
            }
        }

        private void HandOverWaiting(List<PreparedPayload> waiting)
        {
            var (storedBefore, onNormalized) = _handOver.Task.Result;
            if (onNormalized is not null)
                foreach (var payload in waiting)
                    if (!storedBefore.Contains(payload.Sha256)) onNormalized(payload);
            waiting.Clear();
        }

        public void Dispose()
        {
            _cancel.Cancel();
            try
            {
                _reader.Wait();
            }
            catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
            {
            }
            _cancel.Dispose();
            _prepared.Dispose();
        }
    }

    /// <summary>How many bytes of files read may wait for this thread at once.</summary>
    public const long ReadAheadBytes = 32L * 1024 * 1024;

    /// <summary>A budget of bytes read but not yet stored; a file bigger than the whole budget waits until nothing else is pending.</summary>
    internal sealed class ReadAhead(long budget)
    {
        private readonly object _gate = new();
        private long _pending;
        private int _waiting;

        /// <summary>How many readers wait for stored bytes to be returned.</summary>
        public int Waiting => Volatile.Read(ref _waiting);

        public void Take(long bytes, CancellationToken cancel)
        {
            lock (_gate)
            {
                _waiting++;
                try
                {
                    while (_pending > 0 && _pending + bytes > budget)
                    {
                        cancel.ThrowIfCancellationRequested();
                        Monitor.Wait(_gate, 50);
                    }
                }
                finally
                {
                    _waiting--;
                }
                _pending += bytes;
            }
        }

        public void Return(long bytes)
        {
            lock (_gate)
            {
                _pending -= bytes;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>A JSON Lines file over <paramref name="streamAbove"/> bytes: stored as it is read, not held whole.</summary>
    private static bool Streams(string file, PayloadFormat? format, long streamAbove)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists || info.Length <= streamAbove) return false;
            if (format is { } f) return f == PayloadFormat.HfJsonl;
            var head = new byte[64 * 1024];
            int read;
            using (var stream = File.OpenRead(file)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            return PayloadNormalizer.Detect(head.AsSpan(0, read), file) == PayloadFormat.HfJsonl;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // ReadFile says why
        }
    }

    /// <summary>The file's bytes, or an outcome saying why it cannot be read.</summary>
    private static (byte[] Bytes, SnapshotOutcome? Failure) ReadFile(string file, string source, PayloadFormat? format)
    {
        var origin = Path.GetFullPath(file);
        try
        {
            var length = new FileInfo(file).Length;
            if (length > MaxPayloadBytes)
                return ([], new SnapshotOutcome(origin, source, "", format, [],
                    $"the file is {length:N0} bytes, over the {MaxPayloadBytes:N0}-byte limit for one payload; nothing stored", []));
            return (File.ReadAllBytes(file), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], new SnapshotOutcome(origin, source, "", format, [], $"cannot read: {e.Message}", []));
        }
    }
}
