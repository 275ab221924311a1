using System.Buffers.Binary;
using System.IO.Compression;
using ScottPlot;
using SkiaSharp;

namespace TrendLens.Charts;

/// <summary>
/// PNG bytes of a rendered chart. Skia's encoder took 24–36 ms per 900×420 panel, most of an
/// uncached panel's time; charts are opaque, so this writes 8-bit RGB rows with the Sub filter
/// through .NET's zlib at its fastest level: 5–8 ms for files about 15 % larger. An image with
/// any transparency goes to Skia's encoder, which keeps the alpha channel.
/// </summary>
public static class PngEncoder
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>The largest image drawn: 16,384 pixels a side and 100 million pixels (400 MB of pixels before encoding).</summary>
    public const int MaxSide = 16_384;
    public const long MaxPixels = 100_000_000;

    /// <summary>Null when an image of this many device pixels can be drawn, else why not.</summary>
    public static string? Refusal(int width, int height) =>
        width > MaxSide || height > MaxSide || (long)width * height > MaxPixels
            ? $"an image of {width:N0} × {height:N0} pixels is too large to draw (at most {MaxSide:N0} a side and {MaxPixels:N0} pixels)"
            : null;

    public static byte[] Encode(Plot plot, int width, int height)
    {
        if (Refusal(width, height) is { } tooLarge) throw new ArgumentOutOfRangeException(nameof(width), tooLarge);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"could not allocate an image of {width:N0} × {height:N0} pixels");
        plot.Render(surface);
        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        return Encode(pixels);
    }

    public static byte[] Encode(SKPixmap pixels)
    {
        if (pixels.ColorType != SKColorType.Rgba8888) throw new ArgumentException("expected RGBA 8888 pixels", nameof(pixels));
        int width = pixels.Width, height = pixels.Height, stride = pixels.RowBytes;
        var source = pixels.GetPixelSpan();
        var rowLength = 1 + width * 3;
        var raw = new byte[height * rowLength];
        for (var y = 0; y < height; y++)
        {
            var row = source.Slice(y * stride, width * 4);
            var outRow = raw.AsSpan(y * rowLength, rowLength);
            outRow[0] = 1; // filter type Sub: each byte minus the same channel of the pixel to its left
            for (var x = 0; x < width; x++)
            {
                if (row[x * 4 + 3] != 255)
                {
                    using var data = pixels.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("Skia could not encode the image as PNG");
                    return data.ToArray();
                }
                outRow[1 + x * 3] = row[x * 4];
                outRow[2 + x * 3] = row[x * 4 + 1];
                outRow[3 + x * 3] = row[x * 4 + 2];
            }
            for (var i = rowLength - 1; i > 3; i--) outRow[i] -= outRow[i - 3];
        }

        var png = new MemoryStream(raw.Length / 8);
        png.Write([137, 80, 78, 71, 13, 10, 26, 10]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bits per channel
        header[9] = 2;  // colour type: RGB
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        Chunk(png, "IHDR", header);
        var compressed = new MemoryStream(raw.Length / 8);
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(raw);
        Chunk(png, "IDAT", compressed.GetBuffer().AsSpan(0, (int)compressed.Length));
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> head = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
        for (var i = 0; i < 4; i++) head[4 + i] = (byte)type[i];
        png.Write(head);
        png.Write(data);
        var crc = Crc(data, Crc(head[4..], 0xFFFFFFFFu)) ^ 0xFFFFFFFFu;
        Span<byte> tail = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tail, crc);
        png.Write(tail);
    }

    private static uint Crc(ReadOnlySpan<byte> bytes, uint crc)
    {
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
