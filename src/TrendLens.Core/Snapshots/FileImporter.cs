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
        using var prepared = new BlockingCollection<(string File, PreparedPayload? Payload, SnapshotOutcome? Unreadable)>(boundedCapacity: 16);
        // Reading and normalizing run one file ahead on another core; staging and commits stay on this thread.
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var file in files)
                {
                    var (bytes, unreadable) = Read(file, source, format);
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
