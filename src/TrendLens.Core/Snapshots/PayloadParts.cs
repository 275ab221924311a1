using System.Runtime.InteropServices;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Snapshots;

/// <summary>
/// A payload's bytes as rows of <c>payload_parts</c> (sql/schema/025): parts of at most
/// <see cref="PartBytes"/> bytes, read back in the order of <c>seq</c> (the view
/// <c>payload_content</c> joins them). Whole payloads in one column made every checkpoint after an
/// import rewrite all of them (see the migration); small rows append without that.
/// </summary>
public static class PayloadParts
{
    public const int PartBytes = 4000;

    /// <summary>
    /// Appends <paramref name="bytes"/> as parts of payload <paramref name="payloadId"/> numbered
    /// from <paramref name="seq"/> on, and returns the number after the last.
    /// </summary>
    public static int Append(DuckDBAppender parts, long payloadId, ReadOnlySpan<byte> bytes, int seq)
    {
        for (var at = 0; at < bytes.Length; at += PartBytes)
        {
            var part = bytes.Slice(at, Math.Min(PartBytes, bytes.Length - at));
            parts.CreateRow()
                .AppendValue(payloadId)
                .AppendValue(seq++)
                .AppendValue(MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(part), part.Length)) // the appender copies it
                .EndRow();
        }
        return seq;
    }

    /// <summary>
    /// Part of migration 025: moves the bytes stored before it (a payload's whole content in
    /// <c>payloads</c>, or a streamed payload's blocks in <c>payload_chunks</c>) into parts. Read
    /// in runs of payloads of about <see cref="MoveBytes"/> (or one larger payload), so memory
    /// never holds the table, and copied a part at a time; each run is one scan (one scan per
    /// payload took 85 ms each at a million papers).
    /// </summary>
    internal static void MoveStored(DuckDBConnection connection)
    {
        var sizes = connection.Rows(SqlCatalog.Get("snapshots/payload_sizes_before_parts"), r => (Id: r.GetInt64(0), Bytes: r.GetInt64(1)));
        using var parts = connection.CreateAppender("payload_parts");
        var part = new byte[PartBytes];
        for (var next = 0; next < sizes.Count;)
        {
            var (first, bytes) = (sizes[next].Id, 0L);
            do bytes += sizes[next++].Bytes;
            while (next < sizes.Count && bytes + sizes[next].Bytes <= MoveBytes);
            var (payload, seq) = (-1L, 0);
            connection.Each(SqlCatalog.Get("snapshots/payload_bytes_before_parts"), row =>
            {
                var id = row.GetInt64(0);
                if (id != payload) (payload, seq) = (id, 0);
                using var content = row.GetStream(1);
                int read;
                while ((read = content.ReadAtLeast(part, PartBytes, throwOnEndOfStream: false)) > 0)
                    seq = Append(parts, id, part.AsSpan(0, read), seq);
            }, ("first", first), ("last", sizes[next - 1].Id));
        }
    }

    private const long MoveBytes = 32L * 1024 * 1024;
}
