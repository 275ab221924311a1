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
/// directory contributes its data files (<c>.json</c>, <c>.jsonl</c>, <c>.txt</c>), not its
/// subdirectories, in list-date order.
/// </summary>
public sealed class FileImporter(SnapshotWriter writer)
{
    public static readonly IReadOnlySet<string> DataExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".json", ".jsonl", ".ndjson", ".txt" };

    /// <summary>Larger files are refused before they are read: no daily list comes near this.</summary>
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
                        skipped.Add(new SkippedPath(entry, "not .json, .jsonl or .txt"));
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
    /// Imports files in order, committing in batches. <paramref name="onProgress"/> hears of each
    /// file as it is read; <paramref name="onCommitted"/> hears of each outcome once it is durable
    /// (or, for an unreadable file, once it is known); <paramref name="onNormalized"/>, when given,
    /// hears of each normalized payload not stored before, on the reading thread, before it is stored
    /// (see Tagging/TagAhead).
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
        using var batch = writer.Begin(database, connection);
        var storedBefore = batch.StoredBefore;
        using var cancel = new CancellationTokenSource();
        using var prepared = new BlockingCollection<(string File, PreparedPayload? Payload, SnapshotOutcome? Unreadable)>(boundedCapacity: 4096);
        // Reading and normalizing run ahead on another core; staging and commits stay on this thread.
        // Ahead by bytes, not by files: while this thread checkpoints (0.2 s at a time), the reader
        // goes on feeding the taggers (onNormalized) from small files, and big ones cannot pile up.
        var readAhead = new ReadAhead(ReadAheadBytes);
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var file in files)
                {
                    var (bytes, unreadable) = Read(file, source, format);
                    readAhead.Take(bytes.Length, cancel.Token);
                    var payload = unreadable is null ? PreparedPayload.From(bytes, source, format, new PayloadContext(Path.GetFullPath(file), date, today)) : null;
                    if (payload?.Normalized is not null && !storedBefore.Contains(payload.Sha256)) onNormalized?.Invoke(payload);
                    prepared.Add((file, payload, unreadable), cancel.Token);
                }
            }
            finally
            {
                prepared.CompleteAdding();
            }
        }, cancel.Token);

        try
        {
            var done = 0;
            foreach (var (file, payload, unreadable) in prepared.GetConsumingEnumerable())
            {
                readAhead.Return(payload?.Payload.Length ?? 0);
                onProgress?.Invoke(done++, file);
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
        }
        finally
        {
            cancel.Cancel();
            try { producer.Wait(); } catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException)) { }
        }
    }

    /// <summary>How many bytes of files read may wait for this thread at once.</summary>
    public const long ReadAheadBytes = 32L * 1024 * 1024;

    /// <summary>A budget of bytes read but not yet stored; a file bigger than the whole budget waits until nothing else is pending.</summary>
    internal sealed class ReadAhead(long budget)
    {
        private readonly object _gate = new();
        private long _pending;

        public void Take(long bytes, CancellationToken cancel)
        {
            lock (_gate)
            {
                while (_pending > 0 && _pending + bytes > budget)
                {
                    cancel.ThrowIfCancellationRequested();
                    Monitor.Wait(_gate, 50);
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

    /// <summary>The file's bytes, or an outcome saying why it cannot be read.</summary>
    private static (byte[] Bytes, SnapshotOutcome? Failure) Read(string file, string source, PayloadFormat? format)
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
