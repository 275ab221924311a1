using ScottPlot;
using SkiaSharp;

namespace TrendLens.Charts;

/// <summary>
/// PNG bytes of a rendered chart, by Skia's encoder at its fastest settings: the Sub filter
/// alone and zlib level 1. On the 14 panels of the dashboards (900×420) that takes a median
/// 2 ms a panel for files of about 54 KiB, where Skia's defaults (every filter, level 6) take
/// 12 ms for 49 KiB (`trendlens-bench png`, docs/benchmarks.md).
/// </summary>
public static class PngEncoder
{
    private static readonly SKPngEncoderOptions Fastest = new(SKPngEncoderFilterFlags.Sub, 1);

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
        using var image = Render(plot, width, height);
        using var pixels = image.PeekPixels();
        return Encode(pixels);
    }

    /// <summary>The plot drawn on an image of <paramref name="width"/> × <paramref name="height"/> device pixels.</summary>
    public static SKImage Render(Plot plot, int width, int height)
    {
        if (Refusal(width, height) is { } tooLarge) throw new ArgumentOutOfRangeException(nameof(width), tooLarge);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"could not allocate an image of {width:N0} × {height:N0} pixels");
        plot.Render(surface);
        return surface.Snapshot();
    }

    public static byte[] Encode(SKPixmap pixels)
    {
        using var data = pixels.Encode(Fastest) ?? throw new InvalidOperationException("Skia could not encode the image as PNG");
        return data.ToArray();
    }
}
