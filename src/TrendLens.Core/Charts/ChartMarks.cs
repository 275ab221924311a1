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

    /// <summary>
    /// The 95 % interval of the difference of two shares, <paramref name="papers1"/>/<paramref name="listed1"/>
    /// minus <paramref name="papers2"/>/<paramref name="listed2"/>, by Newcombe's hybrid score method
    /// (from the two Wilson intervals; Newcombe 1998, method 10): sound for the few papers of a week.
    /// </summary>
    public static (double Low, double High) Difference(long papers1, long listed1, long papers2, long listed2, double z = 1.96)
    {
        var p1 = listed1 > 0 ? (double)papers1 / listed1 : 0;
        var p2 = listed2 > 0 ? (double)papers2 / listed2 : 0;
        var (l1, u1) = Wilson(papers1, listed1, z);
        var (l2, u2) = Wilson(papers2, listed2, z);
        var d = p1 - p2;
        return (d - Math.Sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2)), d + Math.Sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2)));
    }
}
