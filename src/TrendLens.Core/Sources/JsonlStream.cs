using System.Buffers;
using System.Security.Cryptography;
using System.Text.Unicode;

namespace TrendLens.Sources;

/// <summary>
/// A JSON Lines file read in blocks, never whole: what large imports use, so that memory does
/// not grow with the file. Lines are handed out one at a time (a line is valid until the next);
/// none may be longer than <see cref="MaxLineBytes"/>.
/// </summary>
public static class JsonlStream
{
    public const int MaxLineBytes = 16 * 1024 * 1024;
    private const int BlockBytes = 1024 * 1024;
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Calls <paramref name="onBlock"/> with every block read, in order, and <paramref name="onLine"/> with every line (1-based, without its line feed; a leading BOM dropped).</summary>
    public static void Read(Stream stream, Action<ReadOnlySpan<byte>>? onBlock, Action<int, ReadOnlyMemory<byte>> onLine)
    {
        var block = ArrayPool<byte>.Shared.Rent(BlockBytes);
        var line = ArrayPool<byte>.Shared.Rent(BlockBytes);
        var lineLength = 0;
        var lineNumber = 0;
        var first = true;
        try
        {
            int read;
            while ((read = stream.Read(block, 0, BlockBytes)) > 0)
            {
                onBlock?.Invoke(block.AsSpan(0, read));
                var rest = block.AsSpan(0, read);
                while (!rest.IsEmpty)
                {
                    var newline = rest.IndexOf((byte)'\n');
                    var piece = newline < 0 ? rest : rest[..newline];
                    if (lineLength + piece.Length > MaxLineBytes)
                        throw new PayloadException($"a line is longer than {MaxLineBytes / (1024 * 1024)} MiB", $"line {lineNumber + 1}");
                    if (lineLength + piece.Length > line.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(MaxLineBytes, Math.Max(2 * line.Length, lineLength + piece.Length)));
                        line.AsSpan(0, lineLength).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(line);
                        line = bigger;
                    }
                    piece.CopyTo(line.AsSpan(lineLength));
                    lineLength += piece.Length;
                    if (newline < 0) break;
                    Emit();
                    rest = rest[(newline + 1)..];
                }
            }
            if (lineLength > 0) Emit();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
            ArrayPool<byte>.Shared.Return(line);
        }

        void Emit()
        {
            lineNumber++;
            var start = first && line.AsSpan(0, lineLength).StartsWith(Bom) ? Bom.Length : 0;
            first = false;
            onLine(lineNumber, line.AsMemory(start, lineLength - start));
            lineLength = 0;
        }
    }

    /// <summary>
    /// The file's SHA-256 and, when it cannot be an hf-jsonl payload (empty, white space only, not
    /// UTF-8, a line too long), why not: one pass, in blocks.
    /// </summary>
    public static (string Sha256, PayloadException? Problem) Check(string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        PayloadException? problem = null;
        var blank = true;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            try
            {
                Read(file, block => hash.AppendData(block), (number, line) =>
                {
                    if (problem is not null) return;
                    var span = line.Span;
                    if (!span.Trim(" \t\r"u8).IsEmpty) blank = false;
                    if (!Utf8.IsValid(span))
                    {
                        var offset = PayloadText.FirstInvalidUtf8(span);
                        problem = new PayloadException($"invalid UTF-8 (byte 0x{span[offset]:X2}); the payload must be UTF-8 text", $"line {number}, byte {offset + 1}");
                    }
                });
            }
            catch (PayloadException e)
            {
                // A line too long: the rest of the file is still hashed, for the quarantine.
                problem = e;
                file.Position = 0;
                hash.Dispose();
                using var again = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = ArrayPool<byte>.Shared.Rent(BlockBytes);
                try
                {
                    int n;
                    while ((n = file.Read(buffer, 0, BlockBytes)) > 0) again.AppendData(buffer, 0, n);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
                return (Convert.ToHexStringLower(again.GetHashAndReset()), problem);
            }
        }
        problem ??= blank ? new PayloadException(new FileInfo(path).Length == 0 ? "the file is empty" : "no entries: every line is blank") : null;
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), problem);
    }
}
