using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace TrendLens.Sources;

/// <summary>Checks common to every format: not empty, valid UTF-8, optional BOM dropped.</summary>
internal static class PayloadText
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static ReadOnlyMemory<byte> ValidUtf8(ReadOnlyMemory<byte> payload)
    {
        var span = payload.Span;
        if (span.StartsWith(Bom)) payload = payload[Bom.Length..];
        span = payload.Span;
        if (span.Trim(" \t\r\n"u8).IsEmpty)
            throw new PayloadException(span.IsEmpty ? "the file is empty" : "the file holds only white space");

        if (!Utf8.IsValid(span))
        {
            var offset = FirstInvalidUtf8(span);
            var (line, column) = LineAndColumn(span, offset);
            throw new PayloadException(
                $"invalid UTF-8 (byte 0x{span[offset]:X2} at offset {offset}); the payload must be UTF-8 text",
                $"line {line}, byte {column}");
        }
        return payload;
    }

    public static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var buffer = ArrayPool<char>.Shared.Rent(4096);
        try
        {
            var consumed = 0;
            while (consumed < bytes.Length)
            {
                var status = Utf8.ToUtf16(bytes[consumed..], buffer, out var read, out _, replaceInvalidSequences: false, isFinalBlock: true);
                consumed += read;
                if (status == OperationStatus.InvalidData || status == OperationStatus.NeedMoreData) return consumed;
                if (status == OperationStatus.Done) break;
            }
            return -1;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>1-based line and byte column of a byte offset.</summary>
    public static (int Line, int Column) LineAndColumn(ReadOnlySpan<byte> bytes, int offset)
    {
        var before = bytes[..offset];
        var line = before.Count((byte)'\n') + 1;
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (line, offset - lastNewline);
    }

    public static string Preview(string text, int max = 60)
    {
        var clean = PaperIdentity.CleanText(text);
        return clean.Length <= max ? clean : clean[..(max - 1)] + "…";
    }
}
