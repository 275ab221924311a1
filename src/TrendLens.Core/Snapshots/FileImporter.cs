using DuckDB.NET.Data;
using TrendLens.Sources;

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

    public SnapshotOutcome Import(DuckDBConnection connection, string file, string source, PayloadFormat? format, DateOnly? date, DateOnly today)
    {
        var context = new PayloadContext(Path.GetFullPath(file), date, today);
        var length = new FileInfo(file).Length;
        if (length > MaxPayloadBytes)
            return new SnapshotOutcome(file, source, "", format, [],
                $"the file is {length:N0} bytes, over the {MaxPayloadBytes:N0}-byte limit for one payload; nothing stored", []);
        var bytes = File.ReadAllBytes(file);
        return writer.Write(connection, bytes, source, format, context);
    }
}
