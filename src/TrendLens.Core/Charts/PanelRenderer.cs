using System.Globalization;
using ScottPlot;
using SkiaSharp;
using TrendLens.Dashboards;

namespace TrendLens.Charts;

/// <summary>
/// Stage 6, Render: one panel's rows drawn by ScottPlot, the same code for the browser's
/// images and for every export. Colours come from the series name, so a family keeps its
/// colour on every panel.
/// </summary>
public static class PanelRenderer
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 420;

    /// <summary>
    /// The colours a series can get: the first 12 of ScottPlot's Tsitsulin palette, Tsitsulin's
    /// colour-blind-aware 12 (its other 13 are pale tints, pale yellow among them, that a line
    /// barely shows on the white background).
    /// </summary>
    internal static readonly Color[] SeriesColors = new ScottPlot.Palettes.Tsitsulin().Colors[..12];

    /// <summary>A PNG of <paramref name="width"/> × <paramref name="height"/> layout pixels, drawn at <paramref name="scale"/> device pixels each.</summary>
    public static byte[] Png(PanelDefinition panel, PanelData data, string footer, int width = DefaultWidth, int height = DefaultHeight, double scale = 1,
        DateOnly? rangeFrom = null, DateOnly? rangeTo = null) =>
        Draw(panel, data, footer, width, height, scale, rangeFrom, rangeTo).Png;

    /// <summary>The panel as <see cref="Png"/> draws it, as an image: for composing into a larger image without encoding it.</summary>
    public static SKImage Image(PanelDefinition panel, PanelData data, string footer, int width = DefaultWidth, int height = DefaultHeight, double scale = 1,
        DateOnly? rangeFrom = null, DateOnly? rangeTo = null)
    {
        var plot = Build(panel, data, footer, [], rangeFrom, rangeTo, width);
        plot.ScaleFactor = (float)scale;
        return PngEncoder.Render(plot, (int)Math.Round(width * scale), (int)Math.Round(height * scale));
    }

    /// <summary>
    /// The PNG and where its marks are (points, bars, stacked segments, cells), from the plot's own
    /// mapping of data to pixels after it was drawn. The range is what a bar counts, and its end
    /// ends the last period.
    /// </summary>
    public static DrawnPanel Draw(PanelDefinition panel, PanelData data, string footer, int width = DefaultWidth, int height = DefaultHeight, double scale = 1,
        DateOnly? rangeFrom = null, DateOnly? rangeTo = null)
    {
        var pending = new List<PendingMark>();
        var plot = Build(panel, data, footer, pending, rangeFrom, rangeTo, width);
        plot.ScaleFactor = (float)scale;
        var png = PngEncoder.Encode(plot, (int)Math.Round(width * scale), (int)Math.Round(height * scale));
        var marks = new List<ChartMark>(pending.Count);
        // Marks are cut to the data area: a period's segment may reach past the axis.
        var area = plot.LastRender.DataRect;
        foreach (var m in pending)
        {
            var a = plot.GetPixel(new Coordinates(m.X1, m.Y1));
            var b = plot.GetPixel(new Coordinates(m.X2, m.Y2));
            double x1 = Math.Max(area.Left, Math.Min(a.X, b.X)) / scale, x2 = Math.Min(area.Right, Math.Max(a.X, b.X)) / scale,
                y1 = Math.Max(area.Top, Math.Min(a.Y, b.Y)) / scale, y2 = Math.Min(area.Bottom, Math.Max(a.Y, b.Y)) / scale;
            if (x2 < x1 || y2 < y1) continue;
            if (!double.IsFinite(x1) || !double.IsFinite(y1) || !double.IsFinite(x2) || !double.IsFinite(y2)) continue;
            marks.Add((m.Point
                ? new ChartMark(ChartMarkShape.Circle, x1, y1, PointDiameter, PointDiameter, m.Title, m.Series, m.From, m.To)
                : new ChartMark(ChartMarkShape.Rect, x1, y1, Math.Max(1, x2 - x1), Math.Max(1, y2 - y1), m.Title, m.Series, m.From, m.To)) with { Papers = m.Papers, Source = m.Source });
        }
        return new DrawnPanel(png, marks);
    }

    /// <summary>
    /// The series of a line or stacked-area panel in the order drawn, with the colour each is
    /// drawn in: for a legend outside the image that matches its lines. Empty for other charts.
    /// </summary>
    public static IReadOnlyList<(string Series, Color Color)> Legend(PanelDefinition panel, PanelData data)
    {
        if (DashboardCatalog.Kind(panel) is not (ChartKind.Line or ChartKind.StackedArea) || panel.Series is null || !data.Columns.Contains(panel.Series)) return [];
        var s = data.Column(panel.Series);
        var colours = SeriesColours(data, s);
        return data.Rows.Select(r => r[s]).OfType<string>().Distinct().Select(name => (name, colours[name])).ToList();
    }

    /// <summary>
    /// The colour of each series of a chart: <see cref="ColorOf"/> over every series of the
    /// panel's rows in their order, including those a page hid (<see cref="PanelData.AllSeries"/>),
    /// so the chart, its legend and the same chart with a series hidden agree.
    /// </summary>
    private static Dictionary<string, Color> SeriesColours(PanelData data, int s)
    {
        var taken = new HashSet<int>();
        var names = (data.AllSeries ?? []).Concat(data.Rows.Select(r => r[s]).OfType<string>());
        var colours = new Dictionary<string, Color>(StringComparer.Ordinal);
        foreach (var name in names)
            if (!colours.ContainsKey(name)) colours[name] = ColorOf(name, taken);
        return colours;
    }

    /// <summary>How large a point's hover and click target is, in layout pixels.</summary>
    public const double PointDiameter = 12;

    /// <summary>A mark in data coordinates, placed in pixels once the plot is laid out.</summary>
    private sealed record PendingMark(bool Point, double X1, double Y1, double X2, double Y2, string Title, string Series, DateOnly From, DateOnly To)
    {
        public long? Papers { get; init; }
        public string? Source { get; init; }
    }

    /// <summary>A row's paper count, when it has one.</summary>
    private static long? PapersOf(PanelData data, object?[] row) =>
        data.Columns.Contains("papers") && row[data.Column("papers")] is { } n ? Convert.ToInt64(n, CultureInfo.InvariantCulture) : null;

    public static string Svg(PanelDefinition panel, PanelData data, string footer, int width = DefaultWidth, int height = DefaultHeight,
        DateOnly? rangeFrom = null, DateOnly? rangeTo = null) =>
        Build(panel, data, footer, [], rangeFrom, rangeTo, width).GetSvgXml(width, height);

    /// <summary>
    /// The colour of a series: from a stable hash of its name, so it is the same on every panel
    /// and every export; if another series of the same chart already has it, or one hard to tell
    /// from it (<see cref="AlikeWithin"/>: two blues), the next free one unlike those taken, else
    /// the free one least like them.
    /// </summary>
    public static Color ColorOf(string series, ISet<int>? taken = null)
    {
        // FNV-1a: stable across processes, unlike string.GetHashCode.
        var hash = 2166136261u;
        foreach (var c in series) hash = (hash ^ c) * 16777619u;
        var index = (int)(hash % (uint)SeriesColors.Length);
        if (taken is not null)
        {
            var order = Enumerable.Range(0, SeriesColors.Length).Select(i => (index + i) % SeriesColors.Length).Where(i => !taken.Contains(i)).ToList();
            // The first free colour unlike every one taken; when none is left, the one least like them.
            if (order.Count > 0)
                index = order.FirstOrDefault(i => taken.All(t => Distances[i, t] >= AlikeWithin), -1) is var unlike and >= 0 ? unlike
                    : order.MaxBy(i => taken.Select(t => Distances[i, t]).DefaultIfEmpty(double.MaxValue).Min());
            taken.Add(index);
        }
        return SeriesColors[index];
    }

    /// <summary>
    /// Colours of <see cref="SeriesColors"/> closer than this in CIELAB (ΔE*ab) are alike: thin
    /// lines of the two are easily taken for one another (#008cf9 and #5954d6, #00bbad and #00a76c).
    /// </summary>
    private const double AlikeWithin = 46;

    /// <summary>The CIELAB distance between every two of <see cref="SeriesColors"/>.</summary>
    private static readonly double[,] Distances = ColourDistances();

    private static double[,] ColourDistances()
    {
        var lab = SeriesColors.Select(Lab).ToArray();
        var distances = new double[lab.Length, lab.Length];
        for (var i = 0; i < lab.Length; i++)
            for (var j = 0; j < lab.Length; j++)
                distances[i, j] = Math.Sqrt(Math.Pow(lab[i].L - lab[j].L, 2) + Math.Pow(lab[i].A - lab[j].A, 2) + Math.Pow(lab[i].B - lab[j].B, 2));
        return distances;
    }

    /// <summary>sRGB to CIELAB (D65).</summary>
    private static (double L, double A, double B) Lab(Color c)
    {
        static double Linear(byte v) => v / 255.0 is var x && x <= 0.04045 ? x / 12.92 : Math.Pow((v / 255.0 + 0.055) / 1.055, 2.4);
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : 7.787 * t + 16.0 / 116;
        double r = Linear(c.R), g = Linear(c.G), b = Linear(c.B);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b, z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        return (116 * F(y) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z)));
    }

    public static Plot Build(PanelDefinition panel, PanelData data, string footer) => Build(panel, data, footer, [], null, null, DefaultWidth);

    private static Plot Build(PanelDefinition panel, PanelData data, string footer, List<PendingMark> marks, DateOnly? rangeFrom, DateOnly? rangeTo, int width)
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        plot.Title(panel.Title, size: 15);
        var periods = Periods(panel, data, rangeTo);
        switch (DashboardCatalog.Kind(panel))
        {
            case ChartKind.Line: Line(plot, panel, data, marks, periods, (rangeFrom, rangeTo)); break;
            case ChartKind.StackedArea: StackedArea(plot, panel, data, marks, periods, (rangeFrom, rangeTo)); break;
            case ChartKind.HorizontalBar: HorizontalBar(plot, panel, data, marks, rangeFrom, rangeTo); break;
            case ChartKind.Heatmap: Heatmap(plot, panel, data, marks, periods, (rangeFrom, rangeTo)); break;
            default: Table(plot, data); break;
        }
        if (data.Rows.Count == 0)
        {
            plot.HideGrid();
            plot.Axes.Left.TickLabelStyle.IsVisible = false;
            plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
            // An empty list is a finding ("nothing rose significantly"), not a failure to find data.
            var said = data.Note is { } n && n.Contains(": ", StringComparison.Ordinal) ? n[(n.LastIndexOf(": ", StringComparison.Ordinal) + 2)..] : null;
            // In lines of at most EmptyLineLength characters (about 600 pixels at this size), so a long reason stays inside the chart.
            var empty = plot.Add.Annotation(said is null ? "No data in this range" : ChartFooter.Fit(char.ToUpperInvariant(said[0]) + said[1..], s => s.Length, EmptyLineLength),
                Alignment.MiddleCenter);
            empty.LabelFontSize = 16;
            empty.LabelBackgroundColor = Colors.White;
        }
        if (data.Note is { } note) Note(plot, note);
        // The footer sits under the chart, as the last lines of the bottom axis label, centred under
        // the data: wrapped between its parts so a long one (a demo's, a filtered one) stays inside.
        var label = plot.Axes.Bottom.Label.Text;
        var wrapped = ChartFooter.Wrap(footer);
        plot.Axes.Bottom.Label.Text = string.IsNullOrEmpty(label) ? wrapped : label + "\n" + wrapped;
        plot.Axes.Bottom.Label.FontSize = 11;
        plot.Axes.Bottom.Label.Bold = false;
        FitBottomLabel(plot, width);
        FitTitle(plot, width, panel.Series is { } series && data.Columns.Contains(series) ? data.Rows.Select(r => r[data.Column(series)]).OfType<string>().Distinct() : []);
        return plot;
    }

    /// <summary>The names of a bar chart's or heatmap's rows on the left axis, the first row on top; kept for measuring.</summary>
    private sealed class RowLabels(string[] labels)
        : ScottPlot.TickGenerators.NumericManual(labels.Select((label, i) => new Tick(labels.Length - 1 - i, label, true)).ToArray())
    {
        public string[] Labels { get; } = labels;
    }

    /// <summary>The fonts measured by <see cref="FitBottomLabel"/>, looked up once per process rather than per panel.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, SKTypeface> Typefaces = new();

    /// <summary>
    /// Breaks the lines under the chart that would run past the image's right edge. They are centred
    /// under the data area, which long labels on the left (a bar chart's tags) push right, so a
    /// line may be as wide as the image less the left axis.
    /// </summary>
    private static void FitBottomLabel(Plot plot, int width)
    {
        var typeface = Typefaces.GetOrAdd(plot.Axes.Bottom.Label.FontName, name => SKTypeface.FromFamilyName(name));
        using var labelFont = new SKFont(typeface, plot.Axes.Bottom.Label.FontSize);
        plot.Axes.Bottom.Label.Text = ChartFooter.Fit(plot.Axes.Bottom.Label.Text, s => labelFont.MeasureText(s), width - LeftAxisWidth(plot) - 30);
    }

    /// <summary>About how wide the left axis is: its tick labels (a bar chart's or heatmap's row names, else short numbers) and its label.</summary>
    private static float LeftAxisWidth(Plot plot)
    {
        var typeface = Typefaces.GetOrAdd(plot.Axes.Bottom.Label.FontName, name => SKTypeface.FromFamilyName(name));
        using var tickFont = new SKFont(typeface, plot.Axes.Left.TickLabelStyle.FontSize);
        var tickWidth = plot.Axes.Left.TickGenerator is RowLabels { Labels.Length: > 0 } rows
            ? rows.Labels.Max(l => tickFont.MeasureText(l))
            : tickFont.MeasureText("100.0");
        return tickWidth + (string.IsNullOrEmpty(plot.Axes.Left.Label.Text) ? 0 : plot.Axes.Left.Label.FontSize + 10) + 20;
    }

    /// <summary>
    /// Breaks a title too long for one line between its words (Explore's, naming eight families):
    /// it is centred over the data area, between the left axis and the legend of
    /// <paramref name="series"/> on the right, and a line wider than twice the room on its
    /// narrower side ran past the image's edge.
    /// </summary>
    private static void FitTitle(Plot plot, int width, IEnumerable<string> series)
    {
        var title = plot.Axes.Title.Label;
        using var bold = SKTypeface.FromFamilyName(title.FontName, title.Bold ? SKFontStyle.Bold : SKFontStyle.Normal);
        using var font = new SKFont(bold, title.FontSize);
        using var legendFont = new SKFont(Typefaces.GetOrAdd(title.FontName, name => SKTypeface.FromFamilyName(name)), plot.Legend.FontSize ?? 12);
        var legend = series.Select(s => legendFont.MeasureText(s)).DefaultIfEmpty(-60).Max() + 60;
        var middle = (LeftAxisWidth(plot) + width - legend) / 2;
        title.Text = ChartFooter.Fit(title.Text, s => font.MeasureText(s), 2 * Math.Min(middle, width - middle) - 40);
    }

    private static bool IsShare(string? column) => column == "share";

    /// <summary>Each period's last day: the day before the next period starts; the last period as long as the one before, to the range's end at most.</summary>
    private static Dictionary<DateOnly, DateOnly> Periods(PanelDefinition panel, PanelData data, DateOnly? rangeTo)
    {
        if (panel.X is null || !data.Columns.Contains(panel.X)) return [];
        var x = data.Column(panel.X);
        var starts = data.Rows.Where(r => r[x] is DateOnly).Select(r => (DateOnly)r[x]!).Distinct().Order().ToArray();
        var ends = new Dictionary<DateOnly, DateOnly>();
        for (var i = 0; i < starts.Length; i++)
        {
            var end = i + 1 < starts.Length ? starts[i + 1].AddDays(-1)
                : i > 0 ? starts[i].AddDays(starts[i].DayNumber - starts[i - 1].DayNumber - 1) : starts[i];
            if (rangeTo is { } to && end > to && to >= starts[i]) end = to;
            ends[starts[i]] = end;
        }
        return ends;
    }

    /// <summary>What a mark says on hover: the series, the dates, the value and, for a share, its papers and n.</summary>
    private static string MarkTitle(PanelDefinition panel, PanelData data, object?[] row, string series, DateOnly from, DateOnly to, string valueColumn)
    {
        var dates = from == to ? from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : $"{from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
        var value = Convert.ToDouble(row[data.Column(valueColumn)], CultureInfo.InvariantCulture);
        string said;
        if (IsShare(valueColumn))
        {
            said = Rollup.Lift.PercentText(value) + "%";
            if (data.Columns.Contains("papers") && data.Columns.Contains("listed"))
                said += $" ({Convert.ToInt64(row[data.Column("papers")], CultureInfo.InvariantCulture):N0} of {Convert.ToInt64(row[data.Column("listed")], CultureInfo.InvariantCulture):N0} papers)";
        }
        else
        {
            said = $"{value.ToString("N0", CultureInfo.InvariantCulture)} {YLabel(valueColumn)}";
        }
        // A chart of one unnamed series (papers listed per week) is named by its axis: no column name before the dates.
        return series == valueColumn ? $"{dates}: {said}" : $"{series}, {dates}: {said}";
    }

    private static string YLabel(string? column) => column switch
    {
        "share" => "share of papers listed (%)",
        "papers_listed" => "papers listed",
        "papers" => "papers",
        _ => column ?? "",
    };

    /// <summary>
    /// Where each period's point is drawn: the middle of the period (from its start to the next
    /// period's start; the last one as long as the one before), so a month's point sits inside its
    /// month on the date axis instead of on its first day, where it reads as the month before.
    /// </summary>
    private static Func<DateOnly, double> PeriodMiddle(IEnumerable<DateOnly> starts)
    {
        var periods = starts.Distinct().Order().ToArray();
        var middle = new Dictionary<DateOnly, double>();
        for (var i = 0; i < periods.Length; i++)
        {
            var start = periods[i].ToDateTime(TimeOnly.MinValue).ToOADate();
            var length = i + 1 < periods.Length ? periods[i + 1].DayNumber - periods[i].DayNumber
                : i > 0 ? periods[i].DayNumber - periods[i - 1].DayNumber : 0;
            middle[periods[i]] = start + length / 2.0;
        }
        return d => middle.TryGetValue(d, out var m) ? m : d.ToDateTime(TimeOnly.MinValue).ToOADate();
    }

    private static void Line(Plot plot, PanelDefinition panel, PanelData data, List<PendingMark> marks, Dictionary<DateOnly, DateOnly> periods, (DateOnly? From, DateOnly? To) range)
    {
        int x = data.Column(panel.X!), y = data.Column(panel.Y!);
        // Nothing to draw: the chart says so (Build); a date axis and a legend of nothing left the image blank.
        if (data.Rows.Count == 0) return;
        var at = PeriodMiddle(data.Rows.Where(r => r[x] is DateOnly).Select(r => (DateOnly)r[x]!));
        var s = panel.Series is null ? -1 : data.Column(panel.Series);
        var scale = IsShare(panel.Y) ? 100.0 : 1.0;
        var groups = data.Rows.GroupBy(r => s < 0 ? panel.Y! : (string)r[s]!);
        var palette = s < 0 ? new Dictionary<string, Color>() : SeriesColours(data, s);
        var colors = new Dictionary<string, Color>();
        var lines = new Dictionary<string, (double[] Xs, double[] Ys)>();
        var whiskers = 0.0;
        var withoutWhiskers = 0;
        foreach (var group in groups)
        {
            // Every series takes its colour, drawn or not, so the colours match PanelRenderer.Legend.
            var color = colors[group.Key] = s < 0 ? Colors.SteelBlue : palette[group.Key];
            var points = group.Where(r => r[x] is DateOnly && r[y] is not null).OrderBy(r => (DateOnly)r[x]!).ToArray();
            if (points.Length == 0) continue;
            var xs = points.Select(r => at((DateOnly)r[x]!)).ToArray();
            var ys = points.Select(r => Convert.ToDouble(r[y], CultureInfo.InvariantCulture) * scale).ToArray();
            lines[group.Key] = (xs, ys);
            var line = plot.Add.Scatter(xs, ys);
            if (s >= 0) line.LegendText = group.Key; // one unnamed series needs no legend
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = points.Length > 60 ? 0 : 5;
            var (highest, omitted) = Whiskers(plot, data, points, xs, ys, line.Color, IsShare(panel.Y));
            whiskers = Math.Max(whiskers, highest);
            withoutWhiskers += omitted;
            for (var i = 0; i < points.Length; i++)
            {
                var from = (DateOnly)points[i][x]!;
                var to = periods.GetValueOrDefault(from, from);
                marks.Add(new PendingMark(true, xs[i], ys[i], xs[i], ys[i], MarkTitle(panel, data, points[i], group.Key, from, to, panel.Y!), group.Key, from, to) { Papers = PapersOf(data, points[i]) });
            }
        }
        // The date axis replaces the bottom axis: set it before the notes that go in its label.
        DateAxis(plot, data.Rows.Where(r => r[x] is DateOnly).Select(r => (DateOnly)r[x]!), at);
        if (whiskers > 0) Note(plot, $"whiskers: 95% interval of a share from fewer than {ShareInterval.SmallPeriod} papers listed");
        if (withoutWhiskers > 0)
            Note(plot, $"no whiskers: over {MaxWhiskersOnALongLine} periods of a line have fewer than {ShareInterval.SmallPeriod} papers; a coarser grain draws them");
        DrawBursts(plot, data, colors, lines);
        ShadeIncompletePeriods(plot, panel, data, range);
        plot.YLabel(YLabel(panel.Y));
        plot.Axes.Margins(bottom: 0);
        // Shares and counts start at zero, so a small change is not drawn as a large one.
        var top = Math.Max(whiskers, data.Rows.Where(r => r[y] is not null).Select(r => Convert.ToDouble(r[y], CultureInfo.InvariantCulture) * scale).DefaultIfEmpty(0).Max());
        if (top > 0) plot.Axes.SetLimitsY(0, top * 1.08);
        if (s >= 0) plot.ShowLegend(Edge.Right); // beside the data, not on its first points
    }

    /// <summary>Series stacked on each other; the periods are aligned because the share queries fill zeros.</summary>
    private static void StackedArea(Plot plot, PanelDefinition panel, PanelData data, List<PendingMark> marks, Dictionary<DateOnly, DateOnly> ends, (DateOnly? From, DateOnly? To) range)
    {
        int x = data.Column(panel.X!), y = data.Column(panel.Y!), s = data.Column(panel.Series!);
        var scale = IsShare(panel.Y) ? 100.0 : 1.0;
        var periods = data.Rows.Select(r => (DateOnly)r[x]!).Distinct().Order().ToArray();
        if (periods.Length == 0) return;
        var at = PeriodMiddle(periods);
        var xs = periods.Select(at).ToArray();
        var index = periods.Select((d, i) => (d, i)).ToDictionary(t => t.d, t => t.i);
        var baseline = new double[periods.Length];
        var palette = SeriesColours(data, s);
        foreach (var group in data.Rows.GroupBy(r => (string)r[s]!))
        {
            var top = (double[])baseline.Clone();
            foreach (var r in group) top[index[(DateOnly)r[x]!]] += Convert.ToDouble(r[y], CultureInfo.InvariantCulture) * scale;
            foreach (var r in group)
            {
                var i = index[(DateOnly)r[x]!];
                var half = (i + 1 < xs.Length ? xs[i + 1] - xs[i] : i > 0 ? xs[i] - xs[i - 1] : 1) / 2;
                var from = periods[i];
                var to = ends.GetValueOrDefault(from, from);
                if (top[i] > baseline[i]) marks.Add(new PendingMark(false, xs[i] - half, baseline[i], xs[i] + half, top[i], MarkTitle(panel, data, r, group.Key, from, to, panel.Y!), group.Key, from, to) { Papers = PapersOf(data, r) });
            }
            var fill = plot.Add.FillY(xs, baseline, top);
            var color = palette[group.Key];
            fill.FillColor = color.WithAlpha(0.75);
            fill.LineColor = color;
            fill.LegendText = group.Key;
            baseline = top;
        }
        DateAxis(plot, periods, at);
        ShadeIncompletePeriods(plot, panel, data, range);
        plot.YLabel(YLabel(panel.Y) + (IsShare(panel.Y) ? ", stacked" : ""));
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Edge.Right);
    }

    /// <summary>
    /// The time axis: each period's point (<paramref name="at"/>, the middle of the period) is
    /// labelled with the period's first day (a week's Monday, a month's first), as the CSV's
    /// <c>period</c> column names it, at most eight labels; dates chosen by ScottPlot when the
    /// chart has fewer than two periods. Dates as 2025-02-14 on every chart, whatever the
    /// machine's culture.
    /// </summary>
    private static void DateAxis(Plot plot, IEnumerable<DateOnly> drawn, Func<DateOnly, double> at)
    {
        var periods = drawn.Distinct().Order().ToArray();
        if (periods.Length >= 2)
        {
            var step = Math.Max(1, (periods.Length + 7) / 8);
            var ticks = periods.Where((_, i) => i % step == 0).ToArray();
            var format = periods.All(d => d.Day == 1) && periods[1].DayNumber - periods[0].DayNumber >= 28 ? "yyyy-MM" : "yyyy-MM-dd";
            plot.Axes.Bottom.SetTicks(ticks.Select(at).ToArray(),
                ticks.Select(d => d.ToString(format, CultureInfo.InvariantCulture)).ToArray());
            return;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.DateTimeAutomatic
        {
            LabelFormatter = d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The most characters of a line of the message over an empty chart (16 points).</summary>
    private const int EmptyLineLength = 70;

    /// <summary>A line of explanation under the chart, above the footer, where it cannot cover the data.</summary>
    private static void Note(Plot plot, string text)
    {
        var label = plot.Axes.Bottom.Label.Text;
        var lastLine = label[(label.LastIndexOf('\n') + 1)..];
        // Notes share a line while it stays short enough to fit under a 900-pixel chart.
        plot.Axes.Bottom.Label.Text = string.IsNullOrEmpty(label) ? text : label + (lastLine.Length + text.Length > 120 ? "\n" : " · ") + text;
    }

    /// <summary>A line of more points than this gets whiskers only where at most <see cref="MaxWhiskersOnALongLine"/> periods need them.</summary>
    private const int LongLine = 60;

    /// <summary>More whiskers than this on a long line would hide it (a year by day: every day's list is small).</summary>
    private const int MaxWhiskersOnALongLine = 15;

    /// <summary>
    /// Whiskers for the 95 % interval of each share from fewer than <see cref="ShareInterval.SmallPeriod"/>
    /// papers listed, in the line's colour. A line of more than <see cref="LongLine"/> points gets
    /// them only when at most <see cref="MaxWhiskersOnALongLine"/> of its periods need them, where
    /// they would not hide the line. Returns the highest whisker's top (0 when none was drawn) and
    /// how many periods needed one that was not drawn.
    /// </summary>
    private static (double Highest, int Omitted) Whiskers(Plot plot, PanelData data, object?[][] points, double[] xs, double[] ys, Color color, bool share)
    {
        if (!share || !data.Columns.Contains("papers") || !data.Columns.Contains("listed")) return (0, 0);
        int papers = data.Column("papers"), listed = data.Column("listed");
        if (points.Length > LongLine)
        {
            var small = points.Count(p => Convert.ToInt64(p[listed], CultureInfo.InvariantCulture) is > 0 and < ShareInterval.SmallPeriod);
            if (small > MaxWhiskersOnALongLine) return (0, small);
        }
        var below = new double[points.Length];
        var above = new double[points.Length];
        var highest = 0.0;
        for (var i = 0; i < points.Length; i++)
        {
            var n = Convert.ToInt64(points[i][listed], CultureInfo.InvariantCulture);
            if (n >= ShareInterval.SmallPeriod || n <= 0) continue;
            var (low, high) = ShareInterval.Wilson(Convert.ToInt64(points[i][papers], CultureInfo.InvariantCulture), n);
            below[i] = Math.Max(0, ys[i] - low * 100);
            above[i] = Math.Max(0, high * 100 - ys[i]);
            highest = Math.Max(highest, high * 100);
        }
        if (highest == 0) return (0, 0);
        var bars = plot.Add.ErrorBar(xs, ys, above);
        bars.YErrorNegative = below;
        bars.YErrorPositive = above;
        bars.Color = color.WithAlpha(0.6);
        bars.LineWidth = 1;
        return (highest, 0);
    }

    /// <summary>
    /// Each series' bursts (when asked for) as its line drawn thick over the burst's periods, in
    /// its colour, labelled with the series where the burst starts. Bands over the whole height
    /// blended into a tint where bursts overlapped, which could pass for the grey bands of
    /// periods with missing lists.
    /// </summary>
    private static void DrawBursts(Plot plot, PanelData data, IReadOnlyDictionary<string, Color> colors, IReadOnlyDictionary<string, (double[] Xs, double[] Ys)> lines)
    {
        var drawn = 0;
        foreach (var burst in data.Bursts)
        {
            if (!lines.TryGetValue(burst.Display, out var line)) continue;
            var color = colors.TryGetValue(burst.Display, out var c) ? c : ColorOf(burst.Display);
            double start = burst.Start.ToDateTime(TimeOnly.MinValue).ToOADate(), end = burst.End.AddDays(1).ToDateTime(TimeOnly.MinValue).ToOADate();
            var inside = Enumerable.Range(0, line.Xs.Length).Where(i => line.Xs[i] >= start && line.Xs[i] < end).ToArray();
            if (inside.Length == 0) continue;
            var stretch = plot.Add.Scatter(inside.Select(i => line.Xs[i]).ToArray(), inside.Select(i => line.Ys[i]).ToArray());
            stretch.Color = color.WithAlpha(0.45);
            stretch.LineWidth = 8;
            stretch.MarkerSize = 12;
            stretch.LegendText = "";
            var label = plot.Add.Text(burst.Display, line.Xs[inside[0]], line.Ys[inside[0]]);
            // Dark text on a white box edged in the series' colour: the colour alone, over its own thick line, was hard to read.
            label.LabelFontSize = 10;
            label.LabelFontColor = Color.FromHex("#24292f");
            label.LabelBackgroundColor = Colors.White.WithAlpha(0.85);
            label.LabelBorderColor = color;
            label.LabelBorderWidth = 1;
            label.LabelPadding = 2;
            label.LabelAlignment = Alignment.LowerLeft;
            label.OffsetX = 4;
            label.OffsetY = -6;
            drawn++;
        }
        if (drawn > 0) Note(plot, "thick stretches: bursts, each labelled with its series");
    }

    /// <summary>
    /// Periods in which some weekdays had no list, and periods the range cuts (a week that starts
    /// before the range's first day, a month that ends after its last): a grey band, so a dip
    /// there is read with care.
    /// </summary>
    private static void ShadeIncompletePeriods(Plot plot, PanelDefinition panel, PanelData data, (DateOnly? From, DateOnly? To) range)
    {
        var shaded = false;
        foreach (var (first, last) in IncompletePeriods(panel, data, range))
        {
            shaded = true;
            var span = plot.Add.HorizontalSpan(first.ToDateTime(TimeOnly.MinValue).ToOADate(), last.AddDays(1).ToDateTime(TimeOnly.MinValue).ToOADate());
            span.FillStyle.Color = Colors.Gray.WithAlpha(0.15);
            span.LineStyle.Width = 0;
        }
        if (shaded) Note(plot, "grey bands: periods in which some weekdays had no list, or that the range cuts");
    }

    /// <summary>
    /// The first and last day of each period of <paramref name="data"/> in which some weekdays had
    /// no list, or that the range cuts; none when the query does not say how many days it listed.
    /// </summary>
    private static IEnumerable<(DateOnly First, DateOnly Last)> IncompletePeriods(PanelDefinition panel, PanelData data, (DateOnly? From, DateOnly? To) range)
    {
        if (!data.Columns.Contains("days_listed") || !data.Columns.Contains("days_expected")) yield break;
        int x = data.Column(panel.X!), listed = data.Column("days_listed"), expected = data.Column("days_expected");
        var periods = data.Rows
            .Select(r => (Start: (DateOnly)r[x]!, Listed: Convert.ToInt64(r[listed], CultureInfo.InvariantCulture), Expected: Convert.ToInt64(r[expected], CultureInfo.InvariantCulture)))
            .Distinct().OrderBy(p => p.Start).ToArray();
        var months = periods.Length > 1 && periods.All(p => p.Start.Day == 1) && periods[1].Start.DayNumber - periods[0].Start.DayNumber >= 28;
        var step = periods.Length > 1 ? periods[1].Start.DayNumber - periods[0].Start.DayNumber : 1;
        foreach (var (first, count, due) in periods)
        {
            var last = months ? first.AddMonths(1).AddDays(-1) : first.AddDays(step - 1);
            if (count < due || Cuts(range, first, last)) yield return (first, last);
        }
    }

    /// <summary>Whether the range leaves out a weekday of the period <paramref name="first"/> – <paramref name="last"/> (<see cref="Days.HasWeekday"/>).</summary>
    private static bool Cuts((DateOnly? From, DateOnly? To) range, DateOnly first, DateOnly last) =>
        range.From is { } from && Days.HasWeekday(first, from.AddDays(-1)) || range.To is { } to && Days.HasWeekday(to.AddDays(1), last);

    private static void HorizontalBar(Plot plot, PanelDefinition panel, PanelData data, List<PendingMark> marks, DateOnly? rangeFrom, DateOnly? rangeTo)
    {
        // A bar's papers are those of the days the rows count: an emerging list's window, the days two sources both cover.
        (rangeFrom, rangeTo) = data.Window is { } window ? (window.From, window.To) : (rangeFrom, rangeTo);
        if (panel.X == "lift")
        {
            LiftBars(plot, panel, data, marks, rangeFrom, rangeTo);
            return;
        }
        if (panel.Series is not null && data.Columns.Contains(panel.Series))
        {
            GroupedBars(plot, panel, data, marks, rangeFrom, rangeTo);
            return;
        }
        int x = data.Column(panel.X!), y = data.Column(panel.Y!);
        var isNew = data.Columns.Contains("new") ? data.Column("new") : -1;
        // A change in points with its 95 % interval (the review's movers): the interval is drawn
        // across the bar, and a bar whose interval includes 0 is pale, as a lift's that includes 1×.
        var (low, high) = panel.X == "change_pp" && data.Columns.Contains("change_low") && data.Columns.Contains("change_high")
            ? (data.Column("change_low"), data.Column("change_high")) : (-1, -1);
        var intervals = new List<IPlottable>();
        var rows = data.Rows.Take(panel.Top).ToArray();
        // A rate ratio's bar starts at 1×, no change: its length is the rise, as a lift's is.
        var origin = panel.X == "ratio_low" ? 1.0 : 0.0;
        var bars = new List<Bar>();
        var labels = new string[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            // First row on top.
            var position = rows.Length - 1 - i;
            // A row without a value (a ratio that is not finite) has no bar, only its label.
            var value = rows[i][x] is null ? origin : Convert.ToDouble(rows[i][x], CultureInfo.InvariantCulture) * (IsShare(panel.X) ? 100 : 1);
            var fresh = isNew >= 0 && rows[i][isNew] is true;
            var fill = fresh ? Colors.DarkOrange : panel.X == "change_pp" ? (value < 0 ? Colors.FireBrick : Colors.SeaGreen) : Colors.SteelBlue;
            if (low >= 0 && rows[i][low] is { } lo && rows[i][high] is { } hi)
            {
                double l = Convert.ToDouble(lo, CultureInfo.InvariantCulture), h = Convert.ToDouble(hi, CultureInfo.InvariantCulture);
                if (l <= 0 && h >= 0) fill = fill.WithAlpha(0.35);
                var line = plot.Add.Line(l, position, h, position);
                line.Color = Colors.Black;
                line.LineWidth = 1.5f;
                intervals.Add(line);
            }
            bars.Add(new Bar { Position = position, ValueBase = origin, Value = value, FillColor = fill, Orientation = Orientation.Horizontal });
            labels[i] = (string)rows[i][y]! + (fresh ? " (new)" : "");
            if (rangeFrom is { } from && rangeTo is { } to)
            {
                var shown = IsShare(panel.X) ? Rollup.Lift.PercentText(value / 100) + "%" : value.ToString("0.##", CultureInfo.InvariantCulture);
                marks.Add(new PendingMark(false, Math.Min(origin, value), position - BarHalf, Math.Max(origin, value), position + BarHalf,
                    $"{(string)rows[i][y]!}{(fresh ? " (new)" : "")}: {shown} ({XLabel(panel.X)})", (string)rows[i][y]!, from, to));
            }
        }
        plot.Add.Bars(bars);
        // Over the bars: a solid bar would hide the part of its interval inside it.
        foreach (var interval in intervals) plot.MoveToFront(interval);
        // A few bars keep a bar's thickness and hang from the top, rather than one bar filling the panel.
        if (rows.Length is > 0 and < MinBarSlots) plot.Axes.SetLimitsY(rows.Length - 0.5 - MinBarSlots, rows.Length - 0.5);
        plot.Axes.Left.TickGenerator = new RowLabels(labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.XLabel(XLabel(panel.X) + (panel.X is "score" or "ratio_low" ? " (orange: first listed in the window)" : ""));
        if (origin != 0 && rows.Length > 0)
        {
            Note(plot, "bars start at 1×, the same share as before");
            plot.Axes.SetLimitsX(origin, Math.Max(origin + 1, bars.Max(b => b.Value)) * 1.05);
        }
        else if (intervals.Count > 0)
        {
            Note(plot, "lines: 95% interval; pale bars: the interval includes 0");
            // Every interval whole, ends included: they run past the bars on both sides of 0.
            var ends = rows.SelectMany(r => new[] { r[low], r[high] }).OfType<object>().Select(v => Convert.ToDouble(v, CultureInfo.InvariantCulture))
                .Concat(bars.Select(b => b.Value)).Append(0).ToList();
            var pad = (ends.Max() - ends.Min()) * 0.03;
            plot.Axes.SetLimitsX(ends.Min() - pad, ends.Max() + pad);
        }
        else plot.Axes.Margins(left: 0);
    }

    /// <summary>The slots a bar chart of few rows is laid out in, so that its bars keep a bar's thickness.</summary>
    private const int MinBarSlots = 6;

    /// <summary>Half the thickness of a bar (ScottPlot's default bar size is 0.8 of a slot).</summary>
    private const double BarHalf = 0.4;

    private static double? Number(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    /// <summary>
    /// Lift per row (<c>lift</c>, <c>low</c>, <c>high</c>): a bar from 1 to the lift on a log axis,
    /// so half and twice are as far from 1, with the 95 % interval as a line across it and a
    /// dashed line at 1. Green above 1, red below; pale when the interval includes 1. A lift of 0
    /// (no paper of the source has the tag) has no bar, only its interval from the axis's left end
    /// and its upper bound in the label; a row without a lift (none in the base) has its label only.
    /// The axis reaches a decade past the lifts at most, so one tag seen once cannot squash the rest.
    /// </summary>
    private static void LiftBars(Plot plot, PanelDefinition panel, PanelData data, List<PendingMark> marks, DateOnly? rangeFrom, DateOnly? rangeTo)
    {
        int x = data.Column("lift"), y = data.Column(panel.Y!), lowColumn = data.Column("low"), highColumn = data.Column("high");
        var rows = data.Rows.Take(panel.Top).ToArray();
        var (source, against) = data.Columns.Contains("source") && rows.Length > 0
            ? ((string?)rows[0][data.Column("source")] ?? "the source", (string?)rows[0][data.Column("base")] ?? "the base")
            : ("the source", "the base");
        var lifts = rows.Select(r => Number(r[x])).Where(v => v > 0).Select(v => Math.Log10(v!.Value)).DefaultIfEmpty(0).ToList();
        var bounds = rows.SelectMany(r => new[] { Number(r[lowColumn]), Number(r[highColumn]) }).Where(v => v > 0).Select(v => Math.Log10(v!.Value)).DefaultIfEmpty(0).ToList();
        var min = Math.Min(-0.3, Math.Max(bounds.Min(), lifts.Min() - 1));
        var max = Math.Max(0.3, Math.Min(bounds.Max(), lifts.Max() + 1));
        var floor = min - 0.08 * (max - min);
        var bars = new List<Bar>();
        var whiskers = new List<IPlottable>();
        var labels = new string[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var position = rows.Length - 1 - i;
            var name = (string)rows[i][y]!;
            var (lift, low, high) = (Number(rows[i][x]), Number(rows[i][lowColumn]), Number(rows[i][highColumn]));
            labels[i] = name + (lift is null ? $" (none in {against})" : lift == 0 ? $" (none in {source}; ≤ {Rollup.Lift.Text(high ?? 0)})" : "");
            if (lift is not { } l || low is not { } lo || high is not { } hi) continue;
            var at = l > 0 ? Math.Log10(l) : floor;
            var color = at >= 0 ? Colors.SeaGreen : Colors.FireBrick;
            if (l > 0) bars.Add(new Bar { Position = position, ValueBase = 0, Value = at, FillColor = lo > 1 || hi < 1 ? color : color.WithAlpha(0.35), Orientation = Orientation.Horizontal });
            var whisker = plot.Add.Line(lo > 0 ? Math.Log10(lo) : floor, position, Math.Log10(hi), position);
            // A tag the list lacks is a line from 0 to its upper bound: as pale as a bar when that bound passes 1×.
            whisker.Color = l > 0 ? Colors.Black : hi < 1 ? color : color.WithAlpha(0.35);
            whisker.LineWidth = l > 0 ? 1.5f : 3f;
            whiskers.Add(whisker);
            if (Math.Log10(hi) > max)
            {
                // The interval runs past the axis: where it ends, at the edge it leaves by.
                var end = plot.Add.Text($"to {Rollup.Lift.Text(hi)} →", max + 0.05 * (max - floor), position);
                end.LabelFontSize = 10;
                end.LabelFontColor = Colors.Black;
                end.LabelAlignment = Alignment.LowerRight;
            }
            if (rangeFrom is { } from && rangeTo is { } to)
                marks.Add(new PendingMark(false, Math.Min(0, at), position - BarHalf, Math.Max(0, at), position + BarHalf,
                    $"{name}: lift {Rollup.Lift.Text(l)} (95% interval {Rollup.Lift.Text(lo)} to {Rollup.Lift.Text(hi)}); {Counted(rows[i], data, "papers", "listed", "share")} of {source}'s papers, {Counted(rows[i], data, "base_papers", "base_listed", "base_share")} of {against}'s",
                    name, from, to) { Papers = PapersOf(data, rows[i]), Source = source });
        }
        plot.Add.Bars(bars);
        // Over the bars: a solid bar would hide the part of its interval inside it.
        foreach (var whisker in whiskers) plot.MoveToFront(whisker);
        var one = plot.Add.VerticalLine(0);
        one.Color = Colors.Black;
        one.LineWidth = 1;
        one.LinePattern = LinePattern.Dashed;
        double[] steps = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
        // A narrow axis (lifts between half and twice, say) gets the steps between as well, so a bar can be read off it.
        double[] fine = [0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 7, 10];
        var ticks = steps.Where(t => Math.Log10(t) >= floor && Math.Log10(t) <= max).ToArray();
        if (ticks.Length < 5) ticks = fine.Where(t => Math.Log10(t) >= floor && Math.Log10(t) <= max).ToArray();
        plot.Axes.Bottom.SetTicks(ticks.Select(Math.Log10).ToArray(), ticks.Select(Rollup.Lift.Text).ToArray());
        plot.Axes.SetLimitsX(floor - 0.02 * (max - floor), max + 0.05 * (max - floor));
        plot.Axes.Left.TickGenerator = new RowLabels(labels);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.XLabel($"lift: share of {source}'s papers ÷ share of {against}'s (log scale; 1× = the same share)");
        if (rows.Length > 0) Note(plot, "lines: 95% interval; pale bars: the interval includes 1×");
    }

    /// <summary>"146 of 1,724 (8.5%)": a share with the counts it divides, so a lift can be checked by hand; the share alone without them.</summary>
    private static string Counted(object?[] row, PanelData data, string papers, string listed, string share) =>
        data.Columns.Contains(papers) && data.Columns.Contains(listed) && Number(row[data.Column(papers)]) is { } k && Number(row[data.Column(listed)]) is { } n
            ? $"{k.ToString("N0", CultureInfo.InvariantCulture)} of {n.ToString("N0", CultureInfo.InvariantCulture)} ({Percent(row, data, share)})"
            : Percent(row, data, share);

    private static string Percent(object?[] row, PanelData data, string column) =>
        data.Columns.Contains(column) && Number(row[data.Column(column)]) is { } v ? Rollup.Lift.PercentText(v) + "%" : "—";

    /// <summary>
    /// Bars with a series column: one bar per series in each row's slot, side by side, each series
    /// in its colour (the two sources' shares of each topic, say). Rows keep their first order.
    /// </summary>
    private static void GroupedBars(Plot plot, PanelDefinition panel, PanelData data, List<PendingMark> marks, DateOnly? rangeFrom, DateOnly? rangeTo)
    {
        int x = data.Column(panel.X!), y = data.Column(panel.Y!), s = data.Column(panel.Series!);
        var names = data.Rows.Select(r => (string)r[y]!).Distinct().Take(panel.Top).ToArray();
        var series = data.Rows.Select(r => (string)r[s]!).Distinct().ToArray();
        var slot = names.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => names.Length - 1 - t.i);
        var width = 2 * BarHalf / Math.Max(1, series.Length);
        var palette = SeriesColours(data, s);
        for (var j = 0; j < series.Length; j++)
        {
            var color = palette[series[j]];
            var bars = new List<Bar>();
            foreach (var row in data.Rows.Where(r => (string)r[s]! == series[j] && slot.ContainsKey((string)r[y]!)))
            {
                // The first series on top in its slot, as the legend lists it.
                var position = slot[(string)row[y]!] + BarHalf - (j + 0.5) * width;
                var value = Convert.ToDouble(row[x], CultureInfo.InvariantCulture) * (IsShare(panel.X) ? 100 : 1);
                bars.Add(new Bar { Position = position, Value = value, Size = width * 0.92, FillColor = color, Orientation = Orientation.Horizontal });
                if (rangeFrom is { } from && rangeTo is { } to)
                {
                    var shown = IsShare(panel.X) ? Rollup.Lift.PercentText(value / 100) + "%" : value.ToString("0.##", CultureInfo.InvariantCulture);
                    marks.Add(new PendingMark(false, Math.Min(0, value), position - width / 2, Math.Max(0, value), position + width / 2,
                        $"{(string)row[y]!}, {series[j]}: {shown} ({XLabel(panel.X)})", (string)row[y]!, from, to)
                        { Papers = PapersOf(data, row), Source = panel.Series == "source" ? series[j] : null });
                }
            }
            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = series[j];
        }
        plot.Axes.Left.TickGenerator = new RowLabels(names);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.XLabel(XLabel(panel.X));
        plot.Axes.Margins(left: 0);
        if (series.Length > 1) plot.ShowLegend(Edge.Right);
    }

    private static string XLabel(string? column) => column switch
    {
        "score" => "emergence score (z)",
        "ratio_low" => "rise in share: rate ratio, 95% lower bound",
        "change_pp" => "change in share of papers listed (percentage points)",
        _ => YLabel(column),
    };

    private static void Heatmap(Plot plot, PanelDefinition panel, PanelData data, List<PendingMark> marks, Dictionary<DateOnly, DateOnly> ends,
        (DateOnly? From, DateOnly? To) range)
    {
        int x = data.Column(panel.X!), y = data.Column(panel.Y!), s = data.Column(panel.Series!);
        var periods = data.Rows.Select(r => (DateOnly)r[x]!).Distinct().Order().ToArray();
        var series = data.Rows.GroupBy(r => (string)r[s]!)
            .OrderByDescending(g => g.Sum(r => Convert.ToDouble(r[y], CultureInfo.InvariantCulture)))
            .Select(g => g.Key).Take(panel.Top).ToArray();
        if (periods.Length == 0 || series.Length == 0) return;
        var values = new double[series.Length, periods.Length];
        for (var i = 0; i < series.Length; i++)
            for (var j = 0; j < periods.Length; j++)
                values[i, j] = double.NaN;
        var periodIndex = periods.Select((p, j) => (p, j)).ToDictionary(t => t.p, t => t.j);
        var seriesIndex = series.Select((n, i) => (n, i)).ToDictionary(t => t.n, t => t.i);
        foreach (var r in data.Rows)
            if (seriesIndex.TryGetValue((string)r[s]!, out var i))
            {
                var from = (DateOnly)r[x]!;
                var j = periodIndex[from];
                values[i, j] = Convert.ToDouble(r[y], CultureInfo.InvariantCulture) * (IsShare(panel.Y) ? 100 : 1);
                var to = ends.GetValueOrDefault(from, from);
                var row = series.Length - 1 - i;
                marks.Add(new PendingMark(false, j - 0.5, row - 0.5, j + 0.5, row + 0.5, MarkTitle(panel, data, r, series[i], from, to, panel.Y!), series[i], from, to) { Papers = PapersOf(data, r) });
            }
        // Each row on its own scale: one large series (a topic on a third of all papers) would
        // otherwise leave every other row dark. The row's highest value is in its label, taken
        // over the whole periods: a period of a few days (the first month of all the lists, cut
        // by the range) would otherwise set the peak by its small n and darken the rest of the row.
        var partial = IncompletePeriods(panel, data, range).Select(p => p.First).ToHashSet();
        var whole = Enumerable.Range(0, periods.Length).Where(j => !partial.Contains(periods[j])).ToList();
        if (whole.Count == 0) whole = [.. Enumerable.Range(0, periods.Length)];
        var labels = new string[series.Length];
        for (var i = 0; i < series.Length; i++)
        {
            var max = whole.Select(j => values[i, j]).Where(v => !double.IsNaN(v)).DefaultIfEmpty(0).Max();
            // A row seen only in cut periods (a topic of one paper, listed in the range's first
            // days) is scaled to its peak there and says so, rather than reading "peak 0.0%".
            var cutOnly = max == 0 && Enumerable.Range(0, periods.Length).Any(j => values[i, j] > 0);
            if (cutOnly) max = Enumerable.Range(0, periods.Length).Select(j => values[i, j]).Where(v => !double.IsNaN(v)).Max();
            labels[i] = $"{series[i]} (peak {max.ToString(max < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)}{(IsShare(panel.Y) ? "%" : "")}" +
                (cutOnly ? ", in a cut period)" : ")");
            for (var j = 0; j < periods.Length; j++)
                if (!double.IsNaN(values[i, j])) values[i, j] = max > 0 ? Math.Min(1, values[i, j] / max) : 0;
        }
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        var bar = plot.Add.ColorBar(heatmap);
        bar.Label = "share relative to the row's peak (1 = peak)";
        plot.Axes.Left.TickGenerator = new RowLabels(labels);
        Note(plot, "colour: each row on its own scale, from 0 to its peak over whole periods (in the row's label); the CSV has the shares");
        // A period with weekdays missing or cut by the range is veiled in grey, as the line charts
        // shade it: its shares rest on fewer days.
        var veiled = false;
        foreach (var (first, _) in IncompletePeriods(panel, data, range))
        {
            if (!periodIndex.TryGetValue(first, out var j)) continue;
            var veil = plot.Add.Rectangle(j - 0.5, j + 0.5, -0.5, series.Length - 0.5);
            veil.FillStyle.Color = Colors.Gray.WithAlpha(0.55);
            veil.LineStyle.Width = 0;
            veiled = true;
        }
        if (veiled) Note(plot, "grey columns: periods in which some weekdays had no list, or that the range cuts");
        var step = Math.Max(1, (periods.Length + 5) / 6);
        var ticks = Enumerable.Range(0, periods.Length).Where(j => j % step == 0).ToArray();
        var format = periods.All(d => d.Day == 1) ? "yyyy-MM" : "yyyy-MM-dd";
        plot.Axes.Bottom.SetTicks(ticks.Select(j => (double)j).ToArray(), ticks.Select(j => periods[j].ToString(format, CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.Left.MajorTickStyle.Length = 0;
    }

    /// <summary>Rows a table panel shows, and the most characters of a text cell.</summary>
    private const int TableRows = 20;
    private const int TableTextWidth = 48;
    private const string TableFont = "DejaVu Sans";
    private const float TableFontSize = 12;

    private static string Shorten(string text, int width) => text.Length > width ? text[..(width - 1)] + "…" : text;

    private static void Table(Plot plot, PanelData data)
    {
        // No axes for a table, but keep the title above and the footer below.
        plot.HideGrid();
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.TickLabelStyle.IsVisible = false;
            axis.MajorTickStyle.Length = 0;
            axis.MinorTickStyle.Length = 0;
            axis.FrameLineStyle.Width = 0;
        }
        // One text per column, all rows in it, so rows line up across columns (every column has the
        // same line height); columns placed by the measured width of their widest cell, numbers
        // right-aligned. The axes span 0–1 and the texts hang from the top left of the data area.
        plot.Axes.SetLimits(0, 1, 0, 1);
        var cells = data.Rows.Take(TableRows).Select(r => r.Select(v => v switch
        {
            null => "",
            DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            double f => f.ToString("0.##", CultureInfo.InvariantCulture),
            bool b => b ? "yes" : "", // a flag column ("new") reads as a mark, not as True/False
            string t => Shorten(string.Join(' ', t.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), TableTextWidth),
            _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? "",
        }).ToArray()).ToList();
        var header = data.Columns.Select(c => c.Replace('_', ' ')).ToArray();
        using var typeface = SkiaSharp.SKTypeface.FromFamilyName(TableFont);
        using var font = new SkiaSharp.SKFont(typeface, TableFontSize);
        var left = 8.0;
        for (var i = 0; i < header.Length; i++)
        {
            var column = cells.Select(r => r[i]).Prepend(header[i]).ToArray();
            var width = column.Max(c => font.MeasureText(c));
            var numeric = data.Rows.Take(TableRows).All(r => r[i] is null or long or int or double);
            var text = plot.Add.Text(string.Join('\n', column), 0, 1);
            text.LabelFontName = TableFont;
            text.LabelFontSize = TableFontSize;
            text.LabelAlignment = numeric ? Alignment.UpperRight : Alignment.UpperLeft;
            text.OffsetX = (float)(numeric ? left + width : left);
            text.OffsetY = 6;
            left += width + 12;
        }
    }
}
