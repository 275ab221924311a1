namespace TrendLens.Charts;

public enum ChartMarkShape
{
    /// <summary>A point of a line: centre at (X, Y), Width the diameter.</summary>
    Circle,

    /// <summary>A bar, a stacked segment or a heatmap cell: top left at (X, Y).</summary>
    Rect,
}

/// <summary>
/// One mark of a drawn chart: where it is in the image (layout pixels from the top left, the
/// image's width and height at scale 1) and what it stands for — the series and the dates it
/// counts, and a line a reader can hover ("Qwen, 2025-02-10 to 2025-02-16: 12.5% (9 of 72 papers)").
/// The browser lays links over the image with these, so a mark leads to the papers behind it.
/// </summary>
public sealed record ChartMark(ChartMarkShape Shape, double X, double Y, double Width, double Height, string Title, string Series, DateOnly From, DateOnly To)
{
    /// <summary>The papers the mark counts, when the rows say (a share's numerator); a mark of none has nothing to click through to.</summary>
    public long? Papers { get; init; }

    /// <summary>The source whose papers the mark counts when the chart compares sources; null: the page's.</summary>
    public string? Source { get; init; }
}

/// <summary>A panel drawn as a PNG, with its marks.</summary>
public sealed record DrawnPanel(byte[] Png, IReadOnlyList<ChartMark> Marks);

/// <summary>Binomial 95 % intervals for a share (Wilson's score interval, which stays inside 0–1 for small n).</summary>
public static class ShareInterval
{
    /// <summary>Below this many papers listed in a period, its share's interval is drawn.</summary>
    public const long SmallPeriod = 50;

    public static (double Low, double High) Wilson(long papers, long listed, double z = 1.96)
    {
        if (listed <= 0) return (0, 1);
        var p = (double)papers / listed;
        var n = (double)listed;
        var centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        var half = z / (1 + z * z / n) * Math.Sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
