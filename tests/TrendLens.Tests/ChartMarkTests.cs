using SkiaSharp;
using TrendLens.Charts;
using TrendLens.Dashboards;

namespace TrendLens.Tests;

/// <summary>
/// Where a drawn chart's marks are (the targets the browser lays over the image for hover and
/// click): from the plot's own pixel mapping, on the drawn marks, with what each stands for.
/// </summary>
public class ChartMarkTests
{
    private static PanelDefinition Panel(string chart, string x = "period", string y = "share", string? series = "family") => new()
    {
        Id = "p", Title = "Test panel", Query = "rollup/family_share_by_period", Chart = chart, X = x, Y = y, Series = series, Top = 10,
    };

    /// <summary>Two families over three weeks; <paramref name="listed"/> papers listed each week.</summary>
    private static PanelData Shares(long listed) => new(
        ["period", "family", "papers", "share", "listed", "days_listed", "days_expected"],
        [
            [new DateOnly(2025, 2, 3), "GPT", listed / 5, 0.2, listed, 5L, 5L],
            [new DateOnly(2025, 2, 3), "Qwen", listed / 10, 0.1, listed, 5L, 5L],
            [new DateOnly(2025, 2, 10), "GPT", listed / 10, 0.1, listed, 5L, 5L],
            [new DateOnly(2025, 2, 10), "Qwen", 3 * listed / 10, 0.3, listed, 5L, 5L],
            [new DateOnly(2025, 2, 17), "GPT", listed / 5, 0.2, listed, 5L, 5L],
            [new DateOnly(2025, 2, 17), "Qwen", 2 * listed / 5, 0.4, listed, 5L, 5L],
        ]);

    [Fact]
    public void LinePoints_SitOnTheDrawnPoints_WithSeriesPeriodShareAndN()
    {
        var drawn = PanelRenderer.Draw(Panel("line"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 21));

        Assert.Equal(6, drawn.Marks.Count);
        Assert.All(drawn.Marks, m => Assert.Equal(ChartMarkShape.Circle, m.Shape));
        var qwen = drawn.Marks.Where(m => m.Series == "Qwen").OrderBy(m => m.From).ToList();
        Assert.Equal([new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 10), new DateOnly(2025, 2, 17)], qwen.Select(m => m.From));
        Assert.Equal([new DateOnly(2025, 2, 9), new DateOnly(2025, 2, 16), new DateOnly(2025, 2, 21)], qwen.Select(m => m.To));
        Assert.Equal("Qwen, 2025-02-10 to 2025-02-16: 30.0% (30 of 100 papers)", qwen[1].Title);
        // Later weeks to the right; a larger share higher up (smaller y).
        Assert.True(qwen[0].X < qwen[1].X && qwen[1].X < qwen[2].X);
        Assert.True(qwen[2].Y < qwen[1].Y && qwen[1].Y < qwen[0].Y);

        // Each mark is on its series' line in the image: the pixel under it has the series' colour.
        using var image = SKBitmap.Decode(drawn.Png);
        foreach (var mark in drawn.Marks)
        {
            var expected = PanelRenderer.ColorOf(mark.Series, mark.Series == "GPT" ? null : new HashSet<int> { ColourIndex("GPT") });
            var pixel = image.GetPixel((int)Math.Round(mark.X), (int)Math.Round(mark.Y));
            Assert.True(Near(pixel, expected), $"{mark.Title}: pixel {pixel} at ({mark.X:0}, {mark.Y:0}), series colour {expected}");
        }
    }

    [Fact]
    public void AChartOfOneUnnamedSeries_SaysItsDatesAndValue_WithoutAColumnName()
    {
        var panel = Panel("line", y: "papers_listed", series: null);
        var data = new PanelData(["period", "papers_listed", "days_listed", "days_expected"],
            [[new DateOnly(2025, 2, 3), 152L, 5L, 5L], [new DateOnly(2025, 2, 10), 168L, 5L, 5L]]);

        var drawn = PanelRenderer.Draw(panel, data, "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 16));

        Assert.Contains(drawn.Marks, m => m.Title == "2025-02-03 to 2025-02-09: 152 papers listed");
        Assert.DoesNotContain(drawn.Marks, m => m.Title.Contains("papers_listed"));
    }

    [Fact]
    public void HidingASeries_LeavesTheOthersInTheColoursTheLegendShows()
    {
        // A name whose colour by its hash is GPT's: beside GPT it takes the next free colour, and keeps it when GPT is hidden.
        var twin = Enumerable.Range(0, 1000).Select(i => "family " + i).First(n => ColourIndex(n) == ColourIndex("GPT"));
        var data = new PanelData(["period", "family", "papers", "share", "listed", "days_listed", "days_expected"],
        [
            [new DateOnly(2025, 2, 3), "GPT", 20L, 0.2, 100L, 5L, 5L],
            [new DateOnly(2025, 2, 3), twin, 10L, 0.1, 100L, 5L, 5L],
            [new DateOnly(2025, 2, 10), "GPT", 10L, 0.1, 100L, 5L, 5L],
            [new DateOnly(2025, 2, 10), twin, 30L, 0.3, 100L, 5L, 5L],
        ]);
        var legend = PanelRenderer.Legend(Panel("line"), data).ToDictionary(l => l.Series, l => l.Color);
        Assert.NotEqual(legend["GPT"], legend[twin]);

        var shown = data.WithSeries(Panel("line"), name => name != "GPT");
        var drawn = PanelRenderer.Draw(Panel("line"), shown, "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 16));

        using var image = SKBitmap.Decode(drawn.Png);
        Assert.NotEmpty(drawn.Marks);
        foreach (var mark in drawn.Marks)
        {
            var pixel = image.GetPixel((int)Math.Round(mark.X), (int)Math.Round(mark.Y));
            Assert.True(Near(pixel, legend[twin]), $"{mark.Title}: pixel {pixel}, legend colour {legend[twin]}");
        }
    }

    [Fact]
    public void ABurst_IsItsSeriesLineDrawnThick_NotABandOverTheWholeHeight()
    {
        var range = (From: new DateOnly(2025, 2, 3), To: new DateOnly(2025, 2, 21));
        var plain = PanelRenderer.Draw(Panel("line"), Shares(100), "footer", rangeFrom: range.From, rangeTo: range.To);
        var burst = Shares(100) with { Bursts = [new TrendLens.Rollup.Burst("Qwen", new DateOnly(2025, 2, 10), new DateOnly(2025, 2, 21), 1)] };
        var shaded = PanelRenderer.Draw(Panel("line"), burst, "footer", rangeFrom: range.From, rangeTo: range.To);

        using var before = SKBitmap.Decode(plain.Png);
        using var after = SKBitmap.Decode(shaded.Png);
        int Inked(SKBitmap image, ChartMark at) => (from dx in Enumerable.Range(-8, 17) from dy in Enumerable.Range(-8, 17)
            let p = image.GetPixel((int)at.X + dx, (int)at.Y + dy) where p.Red + p.Green + p.Blue < 700 select 1).Count();
        // Each image's own marks: the note under the shaded chart makes its plot a little lower.
        List<(ChartMark Before, ChartMark After)> Points(string series) => plain.Marks.Where(m => m.Series == series).OrderBy(m => m.From)
            .Zip(shaded.Marks.Where(m => m.Series == series).OrderBy(m => m.From)).ToList();

        // Qwen's points in the burst gain ink around them; the week before, and GPT's points, do not.
        var qwen = Points("Qwen");
        Assert.All(qwen.Skip(1), p => Assert.True(Inked(after, p.After) > Inked(before, p.Before) * 1.3, $"{p.Before.Title}: {Inked(before, p.Before)} -> {Inked(after, p.After)}"));
        Assert.InRange(Inked(after, qwen[0].After), Inked(before, qwen[0].Before) - 10, Inked(before, qwen[0].Before) + 10);
        Assert.All(Points("GPT"), p => Assert.InRange(Inked(after, p.After), Inked(before, p.Before) - 10, Inked(before, p.Before) + 10));
        Assert.Contains("thick stretches: bursts", PanelRenderer.Svg(Panel("line"), burst, "footer"));
    }

    [Fact]
    public void ALongTitle_IsBrokenIntoLines_InsideTheImage()
    {
        string[] families = ["GPT", "Qwen", "Llama", "DeepSeek", "Gemini", "Claude", "Mistral", "Transformer"];
        var data = new PanelData(["period", "family", "papers", "share", "listed", "days_listed", "days_expected"],
            families.SelectMany(f => new[] { new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 10) }.Select(d => new object?[] { d, f, 10L, 0.1, 100L, 5L, 5L })).ToList());
        var panel = Panel("line") with { Title = "Model families, share of papers listed: " + string.Join(", ", families) };

        using var image = SKBitmap.Decode(PanelRenderer.Png(panel, data, "footer"));

        // No ink at the image's left and right edges above the data: the title stays inside.
        int Inked(int x0, int x1) => (from x in Enumerable.Range(x0, x1 - x0) from y in Enumerable.Range(0, 40)
            let p = image.GetPixel(x, y) where p.Red + p.Green + p.Blue < 384 select 1).Count();
        Assert.Equal(0, Inked(0, 6));
        Assert.Equal(0, Inked(image.Width - 6, image.Width));
        Assert.True(Inked(0, image.Width) > 200, "the title is drawn");
        // A title that fits keeps its one line.
        Assert.DoesNotContain("\n", PanelRenderer.Build(Panel("line"), data, "footer").Axes.Title.Label.Text);
    }

    [Fact]
    public void SharesFromFewPapers_GetWhiskers_AndManyDoNot()
    {
        Assert.Contains("whiskers: 95% interval", PanelRenderer.Svg(Panel("line"), Shares(20), "footer"));
        Assert.DoesNotContain("whiskers", PanelRenderer.Svg(Panel("line"), Shares(100), "footer"));
    }

    /// <summary>One series over <paramref name="weeks"/> weeks, <paramref name="small"/> of them (the first) from 20 papers, the rest from 200.</summary>
    private static PanelData LongShares(int weeks, int small) => new(
        ["period", "family", "papers", "share", "listed", "days_listed", "days_expected"],
        Enumerable.Range(0, weeks).Select(w => new object?[]
        {
            new DateOnly(2024, 1, 1).AddDays(7 * w), "Qwen", w < small ? 4L : 40L, 0.2, w < small ? 20L : 200L, 5L, 5L,
        }).ToList());

    [Fact]
    public void ALongLine_GetsWhiskersWhereFewPeriodsNeedThem_AndSaysWhyWhenManyDo()
    {
        // 80 weeks, 5 of them small: drawn, as on a short line.
        Assert.Contains("whiskers: 95% interval", PanelRenderer.Svg(Panel("line"), LongShares(80, 5), "footer"));
        // 80 weeks, 40 of them small: not drawn, and the chart says so.
        var many = PanelRenderer.Svg(Panel("line"), LongShares(80, 40), "footer");
        Assert.DoesNotContain("whiskers: 95% interval", many);
        Assert.Contains("no whiskers: over 15 periods of a line have fewer than 50 papers", many);
        Assert.DoesNotContain("no whiskers", PanelRenderer.Svg(Panel("line"), LongShares(80, 0), "footer"));
    }

    [Fact]
    public void PeriodsTheRangeCuts_AreMarkedLikeIncompleteOnes()
    {
        const string note = "grey bands: periods in which some weekdays had no list, or that the range cuts";
        // Whole weeks: Monday 2025-02-03 to Sunday 2025-02-23.
        Assert.DoesNotContain(note, PanelRenderer.Svg(Panel("line"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 23)));
        // From a Wednesday: the first week is cut; to a Thursday: the last one is.
        Assert.Contains(note, PanelRenderer.Svg(Panel("line"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 5), rangeTo: new DateOnly(2025, 2, 23)));
        Assert.Contains(note, PanelRenderer.Svg(Panel("stacked-area"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 20)));
        // To a Friday: only the last weekend is left out, when no list is expected, so the last week is whole.
        Assert.DoesNotContain(note, PanelRenderer.Svg(Panel("line"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 21)));
    }

    [Fact]
    public void AHeatmapRowsPeak_IsTakenOverWholePeriods_NotAPeriodTheRangeCuts()
    {
        // Qwen's shares: 10 %, 30 %, then 40 % in the week of 2025-02-17, which a range to Wednesday 2025-02-19 cuts.
        var whole = PanelRenderer.Svg(Panel("heatmap"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 23));
        var cut = PanelRenderer.Svg(Panel("heatmap"), Shares(100), "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 19));

        Assert.Contains("Qwen (peak 40%)", whole);
        Assert.Contains("Qwen (peak 30%)", cut);

        // A row seen only in the cut week is scaled to it and says so, not "peak 0.0%".
        var late = Shares(100) with { Rows = [.. Shares(100).Rows, [new DateOnly(2025, 2, 17), "Mamba", 2L, 0.02, 100L, 5L, 5L]] };
        Assert.Contains("Mamba (peak 2.0%, in a cut period)", PanelRenderer.Svg(Panel("heatmap"), late, "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 19)));
        Assert.Contains("Mamba (peak 2.0%)", PanelRenderer.Svg(Panel("heatmap"), late, "footer", rangeFrom: new DateOnly(2025, 2, 3), rangeTo: new DateOnly(2025, 2, 23)));
    }

    [Fact]
    public void AHeatmapVeilsTheColumnsOfIncompletePeriods_AndSaysSo()
    {
        const string note = "grey columns: periods in which some weekdays had no list, or that the range cuts";
        var whole = (From: new DateOnly(2025, 2, 3), To: new DateOnly(2025, 2, 23));
        var cut = (From: new DateOnly(2025, 2, 5), To: new DateOnly(2025, 2, 23)); // from a Wednesday: the first week is cut
        Assert.DoesNotContain(note, PanelRenderer.Svg(Panel("heatmap"), Shares(100), "footer", rangeFrom: whole.From, rangeTo: whole.To));
        Assert.Contains(note, PanelRenderer.Svg(Panel("heatmap"), Shares(100), "footer", rangeFrom: cut.From, rangeTo: cut.To));

        // The cut week's cells are drawn greyer; the whole weeks' cells are the colours they were.
        var plain = PanelRenderer.Draw(Panel("heatmap"), Shares(100), "footer", rangeFrom: whole.From, rangeTo: whole.To);
        var veiled = PanelRenderer.Draw(Panel("heatmap"), Shares(100), "footer", rangeFrom: cut.From, rangeTo: cut.To);
        using var before = SKBitmap.Decode(plain.Png);
        using var after = SKBitmap.Decode(veiled.Png);
        Assert.Equal(6, veiled.Marks.Count);
        foreach (var mark in plain.Marks)
        {
            // The note takes a line under the chart, so the cells move: each image's own marks say where.
            var same = veiled.Marks.Single(m => m.Series == mark.Series && m.From == mark.From);
            var (was, now) = (Centre(before, mark), Centre(after, same));
            if (mark.From == whole.From) Assert.True(Saturation(now) < Saturation(was) - 0.1, $"{mark.Title}: {was} veiled as {now}");
            else Assert.True(Math.Abs(now.Red - was.Red) + Math.Abs(now.Green - was.Green) + Math.Abs(now.Blue - was.Blue) < 30, $"{mark.Title}: {was} drawn as {now}");
        }
    }

    private static SKColor Centre(SKBitmap image, ChartMark mark) =>
        image.GetPixel((int)Math.Round(mark.X + mark.Width / 2), (int)Math.Round(mark.Y + mark.Height / 2));

    private static double Saturation(SKColor c)
    {
        c.ToHsv(out _, out var s, out _);
        return s / 100.0;
    }

    [Fact]
    public void Wilson_StaysInsideZeroAndOne_AndNarrowsWithN()
    {
        var (low, high) = ShareInterval.Wilson(0, 10);
        Assert.Equal(0, low);
        Assert.InRange(high, 0.25, 0.35);
        var small = ShareInterval.Wilson(5, 20);
        var large = ShareInterval.Wilson(50, 200);
        Assert.True(large.High - large.Low < small.High - small.Low);
        Assert.InRange(0.25, large.Low, large.High);
    }

    [Fact]
    public void StackedSegments_HeatmapCells_AndBars_AreRectanglesInTheImage()
    {
        var range = (From: new DateOnly(2025, 2, 3), To: new DateOnly(2025, 2, 23));
        var area = PanelRenderer.Draw(Panel("stacked-area"), Shares(100), "footer", rangeFrom: range.From, rangeTo: range.To);
        Assert.Equal(6, area.Marks.Count);
        Assert.All(area.Marks, m => Assert.Equal(ChartMarkShape.Rect, m.Shape));
        // In each week the segment stacked second sits above the first.
        foreach (var week in area.Marks.GroupBy(m => m.From))
            Assert.True(week.Single(m => m.Series == "GPT").Y != week.Single(m => m.Series == "Qwen").Y);

        var heatmap = PanelRenderer.Draw(Panel("heatmap"), Shares(100), "footer", rangeFrom: range.From, rangeTo: range.To);
        Assert.Equal(6, heatmap.Marks.Count);
        Assert.Equal(3, heatmap.Marks.Select(m => Math.Round(m.X)).Distinct().Count());
        Assert.Equal(2, heatmap.Marks.Select(m => Math.Round(m.Y)).Distinct().Count());

        var bars = new PanelData(["term", "score", "new"], [["agents", 5.5, false], ["world model", 3.0, true]]);
        var drawn = PanelRenderer.Draw(Panel("hbar", x: "score", y: "term", series: null), bars, "footer", rangeFrom: range.From, rangeTo: range.To);
        Assert.Equal(["agents", "world model"], drawn.Marks.Select(m => m.Series));
        Assert.True(drawn.Marks[0].Y < drawn.Marks[1].Y, "the first row is drawn on top");
        Assert.True(drawn.Marks[0].Width > drawn.Marks[1].Width, "a larger score is a longer bar");
        Assert.Equal("world model (new): 3 (emergence score (z))", drawn.Marks[1].Title);
        Assert.All(drawn.Marks, m => Assert.Equal((range.From, range.To), (m.From, m.To)));

        // An emerging list ranks its recent window: its bars stand for the papers listed then.
        var window = (From: new DateOnly(2025, 2, 10), To: range.To);
        var emerging = PanelRenderer.Draw(Panel("hbar", x: "score", y: "term", series: null), bars with { Window = window }, "footer", rangeFrom: range.From, rangeTo: range.To);
        Assert.All(emerging.Marks, m => Assert.Equal(window, (m.From, m.To)));
    }

    [Theory]
    [InlineData("line")]
    [InlineData("stacked-area")]
    [InlineData("heatmap")]
    [InlineData("hbar")]
    public void AChartWithNoRows_StillHasItsTitle_AndSaysWhy(string chart)
    {
        var empty = new PanelData(["period", "family", "papers", "share", "listed", "days_listed", "days_expected"], [])
        {
            Note = "2026-06-01 – 2026-08-21: no keyphrase rose or fell significantly",
        };
        var panel = chart == "hbar" ? Panel("hbar", x: "share", y: "family", series: null) : Panel(chart);
        var svg = PanelRenderer.Svg(panel, empty, "footer", rangeFrom: new DateOnly(2026, 6, 1), rangeTo: new DateOnly(2026, 8, 21));
        Assert.Contains("Test panel", svg);
        Assert.Contains("No keyphrase rose or fell significantly", svg);
        // And the PNG is not blank: the title's dark pixels are drawn.
        using var image = SKBitmap.Decode(PanelRenderer.Png(panel, empty, "footer", rangeFrom: new DateOnly(2026, 6, 1), rangeTo: new DateOnly(2026, 8, 21)));
        var dark = 0;
        for (var x = 0; x < image.Width; x += 2)
            for (var y = 0; y < 40; y++)
                if (image.GetPixel(x, y).Red < 100) dark++;
        Assert.True(dark > 20, $"{chart}: the title area has {dark} dark pixels");
    }

    [Theory]
    [InlineData("line")]
    [InlineData("stacked-area")]
    public void TheTimeAxis_IsLabelledAtThePeriodsFirstDays_AsTheCsvNamesThem(string chart)
    {
        var svg = PanelRenderer.Svg(Panel(chart), Shares(100), "footer");
        // Weeks start on Mondays 2025-02-03, 02-10 and 02-17; no Sunday (the automatic ticks' choice) is a label.
        var labels = System.Text.RegularExpressions.Regex.Matches(svg, @">\s*(\d{4}-\d{2}-\d{2})\s*<").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["2025-02-03", "2025-02-10", "2025-02-17"], labels);
    }

    [Fact]
    public void RateRatioBars_StartAt1x_SoTheirLengthIsTheRise()
    {
        var range = (From: new DateOnly(2025, 2, 3), To: new DateOnly(2025, 2, 23));
        var ratios = new PanelData(["term", "ratio_low", "new"], [["agents", 3.0, false], ["world model", 2.0, false]]);
        var drawn = PanelRenderer.Draw(Panel("hbar", x: "ratio_low", y: "term", series: null), ratios, "footer", rangeFrom: range.From, rangeTo: range.To);
        var (three, two) = (drawn.Marks[0], drawn.Marks[1]);
        // Both bars start at the same x, 1×; a rise of 3× is twice as long as a rise of 2×.
        Assert.Equal(three.X, two.X, 1);
        Assert.Equal(2.0, three.Width / two.Width, 1);
        Assert.Equal("agents: 3 (rise in share: rate ratio, 95% lower bound)", three.Title);
    }

    [Fact]
    public void Legend_ListsTheSeriesInTheColoursTheyAreDrawnIn_AndSeriesCanBeHiddenOrIsolated()
    {
        var panel = Panel("line");
        var legend = PanelRenderer.Legend(panel, Shares(100));
        Assert.Equal(["GPT", "Qwen"], legend.Select(l => l.Series));
        var drawn = PanelRenderer.Draw(panel, Shares(100), "footer");
        using var image = SKBitmap.Decode(drawn.Png);
        foreach (var (series, color) in legend)
        {
            var point = drawn.Marks.First(m => m.Series == series);
            Assert.True(Near(image.GetPixel((int)Math.Round(point.X), (int)Math.Round(point.Y)), color), $"{series} is drawn in its legend colour");
        }

        var only = Shares(100).WithSeries(panel, s => s == "Qwen");
        Assert.Equal(3, only.Rows.Count);
        Assert.All(PanelRenderer.Draw(panel, only, "footer").Marks, m => Assert.Equal("Qwen", m.Series));
        Assert.Equal(3, Shares(100).WithSeries(panel, s => s != "Qwen").Rows.Count);
        Assert.Empty(PanelRenderer.Legend(Panel("heatmap"), Shares(100)));
    }

    [Fact]
    public void AllMarks_AreInsideTheImage()
    {
        foreach (var chart in new[] { "line", "stacked-area", "heatmap" })
            foreach (var mark in PanelRenderer.Draw(Panel(chart), Shares(100), "footer").Marks)
            {
                Assert.InRange(mark.X, 0, PanelRenderer.DefaultWidth);
                Assert.InRange(mark.Y, 0, PanelRenderer.DefaultHeight);
            }
    }

    private static int ColourIndex(string series)
    {
        var taken = new HashSet<int>();
        PanelRenderer.ColorOf(series, taken);
        return taken.Single();
    }

    private static bool Near(SKColor pixel, ScottPlot.Color expected) =>
        Math.Abs(pixel.Red - expected.R) + Math.Abs(pixel.Green - expected.G) + Math.Abs(pixel.Blue - expected.B) < 60;
}

/// <summary>The footer under every chart stays inside it: long ones break between their parts.</summary>
public class ChartFooterTests
{
    [Fact]
    public void ALongFooter_BreaksBetweenItsParts_IntoLinesThatFit()
    {
        var footer = "2026-09-14 to 2026-12-01 · week · GPT, Qwen, Llama · source hf-daily · n = 1,472 papers listed · data as of 2026-12-01 · SYNTHETIC DEMO DATA";

        var lines = TrendLens.Charts.ChartFooter.Wrap(footer).Split('\n');

        Assert.True(lines.Length >= 2, string.Join(" | ", lines));
        Assert.All(lines, l => Assert.True(l.Length <= TrendLens.Charts.ChartFooter.LineLength, l));
        Assert.Equal(footer, string.Join(" · ", lines));
    }

    [Fact]
    public void UnderABarChartWithLongLabels_NoLineRunsPastTheImage()
    {
        // Long tags push the data area right, and the lines under it are centred under the data.
        var panel = new PanelDefinition { Id = "p", Title = "Bars", Query = "rollup/family_share_by_period", Chart = "hbar", X = "share", Y = "family", Top = 10 };
        var data = new PanelData(["family", "share"],
        [
            ["Retrieval-augmented generation (none in hf-daily; ≤ 14×)", 0.3],
            ["Mixture-of-experts (none in hf-daily; ≤ 89×)", 0.2],
        ]);
        var footer = "2026-09-14 to 2026-12-03 · week · source hf-daily · n = 1,782 papers listed · data as of 2026-12-03 · SYNTHETIC DEMO DATA";

        using var image = SKBitmap.Decode(PanelRenderer.Png(panel, data, footer));

        // The lines under the chart: dark text in the bottom rows, none in the last columns.
        var bottom = Enumerable.Range(image.Height - 70, 70).ToList();
        bool Dark(int x, int y) => image.GetPixel(x, y) is var p && p.Red + p.Green + p.Blue < 300;
        Assert.Contains(bottom, y => Enumerable.Range(0, image.Width).Any(x => Dark(x, y)));
        var edge = bottom.SelectMany(y => Enumerable.Range(image.Width - 4, 4).Where(x => Dark(x, y)).Select(x => (x, y))).ToList();
        Assert.True(edge.Count == 0, $"text at the right edge: {string.Join(", ", edge.Take(5))}");
    }

    [Fact]
    public void AShortFooter_StaysOneLine()
    {
        const string footer = "2025-02-10 to 2025-02-16 · week · n = 8 papers listed · data as of 2025-02-14";
        Assert.Equal(footer, TrendLens.Charts.ChartFooter.Wrap(footer));
    }
}

/// <summary>Every colour a series can be drawn in shows on the chart's white background.</summary>
public class SeriesColorTests
{
    /// <summary>WCAG's relative luminance of a colour: 0 for black, 1 for white.</summary>
    private static double Luminance(ScottPlot.Color c)
    {
        static double Linear(byte v) => v / 255.0 <= 0.03928 ? v / 255.0 / 12.92 : Math.Pow((v / 255.0 + 0.055) / 1.055, 2.4);
        return 0.2126 * Linear(c.R) + 0.7152 * Linear(c.G) + 0.0722 * Linear(c.B);
    }

    [Fact]
    public void EverySeriesColour_ContrastsWithWhite_AtLeastTwoToOne()
    {
        // Enough names to hash to every colour a series can get.
        var colours = Enumerable.Range(0, 500).Select(i => PanelRenderer.ColorOf("series " + i)).Distinct().ToList();

        Assert.Equal(PanelRenderer.SeriesColors.Length, colours.Count);
        // Contrast ratio with white: 1.05 / (L + 0.05). Tsitsulin's pale tints (#f6da9c, #fffc43) are about 1.3.
        Assert.All(colours, c => Assert.True(1.05 / (Luminance(c) + 0.05) >= 2.0, $"#{c.R:x2}{c.G:x2}{c.B:x2} is too pale on white"));
    }

    [Fact]
    public void ASeriesWhoseColourIsLikeOneTaken_GetsAnother()
    {
        static string Hex(ScottPlot.Color c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";
        // Names whose own colours are a blue and the indigo next to it, then the cyan.
        var names = Enumerable.Range(0, 500).Select(i => "term " + i).ToList();
        var blue = names.First(n => Hex(PanelRenderer.ColorOf(n)) == "#008cf9");
        var indigo = names.First(n => Hex(PanelRenderer.ColorOf(n)) == "#5954d6");
        var cyan = names.First(n => Hex(PanelRenderer.ColorOf(n)) == "#00c6f8");

        var taken = new HashSet<int>();
        Assert.Equal("#008cf9", Hex(PanelRenderer.ColorOf(blue, taken)));
        var second = Hex(PanelRenderer.ColorOf(indigo, taken));
        var third = Hex(PanelRenderer.ColorOf(cyan, taken));

        Assert.DoesNotContain(second, new[] { "#008cf9", "#5954d6", "#00c6f8" });
        Assert.DoesNotContain(third, new[] { "#008cf9", "#5954d6", "#00c6f8", second });
        // With eight series (more than the palette has unlike colours), the blue and the cyan still do not meet.
        string[] families = ["GPT", "Qwen", "Llama", "DeepSeek", "Gemini", "Claude", "Mistral", "Transformer"];
        var eight = new HashSet<int>();
        var colours = families.Select(f => Hex(PanelRenderer.ColorOf(f, eight))).ToList();
        Assert.Equal(8, colours.Distinct().Count());
        Assert.False(colours.Contains("#008cf9") && colours.Contains("#00c6f8"), string.Join(", ", colours));
        // Alone, each keeps its own colour, the same on every chart.
        Assert.Equal("#5954d6", Hex(PanelRenderer.ColorOf(indigo, new HashSet<int>())));
    }

    [Fact]
    public void TheSeriesOfOneChart_GetDistinctColours_UpToTwelve()
    {
        var taken = new HashSet<int>();
        var colours = Enumerable.Range(0, 12).Select(i => PanelRenderer.ColorOf("topic " + i, taken)).ToList();

        Assert.Equal(12, colours.Distinct().Count());
    }
}

/// <summary>The intervals the charts and the weekly review print.</summary>
public class ShareIntervalTests
{
    [Fact]
    public void Difference_MatchesNewcombesWorkedExample()
    {
        // Newcombe (1998), Statistics in Medicine 17:873–890, table II, example (a): 56/70 − 48/80, method 10: 0.0524 to 0.3339.
        var (low, high) = ShareInterval.Difference(56, 70, 48, 80);

        Assert.Equal(0.0524, low, 4);
        Assert.Equal(0.3339, high, 4);
    }

    [Fact]
    public void Difference_OfAFewPapers_SpansZero_AndOfMany_DoesNot()
    {
        // 4 of 150 papers against 1 of 150: "+2.0 pp" from three papers.
        var (low, high) = ShareInterval.Difference(4, 150, 1, 150);
        Assert.True(low < 0 && high > 0, $"{low} to {high}");

        // 60 of 600 against 20 of 600: the same kind of rise, with the papers to show it.
        var (low2, _) = ShareInterval.Difference(60, 600, 20, 600);
        Assert.True(low2 > 0, $"{low2}");
    }

    [Fact]
    public void Mover_IsClear_OnlyWhenItsIntervalLiesOnItsSideOfZero()
    {
        var up = new TrendLens.Reviews.ReviewMover("Qwen", 60, 0.1, 20, 1.0 / 30) { ChangeLow = 3.6, ChangeHigh = 9.9 };
        var noisy = new TrendLens.Reviews.ReviewMover("Mistral", 4, 4 / 150.0, 1, 1 / 150.0) { ChangeLow = -1.0, ChangeHigh = 5.4 };

        Assert.True(up.Clear);
        Assert.False(noisy.Clear);
        Assert.Equal("+3.6 to +9.9 pp (clear)", TrendLens.Reviews.ReviewRenderer.ChangeInterval(up));
        Assert.Equal("−1.0 to +5.4 pp", TrendLens.Reviews.ReviewRenderer.ChangeInterval(noisy));
        // An end just off 0 does not read as 0.
        Assert.Equal("+0.049 to +18.6 pp (clear)", TrendLens.Reviews.ReviewRenderer.ChangeInterval(up with { ChangeLow = 0.049, ChangeHigh = 18.6 }));
        Assert.Equal("+0.0 pp", TrendLens.Reviews.ReviewRenderer.Points(0));

        // The movers chart says which bars are clear, or that none is.
        Assert.Equal("clear (95 % interval excludes 0): Qwen; the others' intervals include 0", TrendLens.Reviews.ReviewRenderer.MoversData([up, noisy]).Note);
        Assert.StartsWith("no change is clear", TrendLens.Reviews.ReviewRenderer.MoversData([noisy]).Note);
    }

    [Fact]
    public void MoverBars_ArePale_WhenTheirIntervalIncludesZero_AndCarryTheirInterval()
    {
        var up = new TrendLens.Reviews.ReviewMover("Qwen", 60, 0.1, 20, 1.0 / 30) { ChangeLow = 3.6, ChangeHigh = 9.9 };
        var noisy = new TrendLens.Reviews.ReviewMover("Mistral", 12, 0.08, 4, 0.03) { ChangeLow = -1.0, ChangeHigh = 10.4 };
        var down = new TrendLens.Reviews.ReviewMover("Llama", 2, 0.02, 12, 0.08) { ChangeLow = -11.0, ChangeHigh = -1.2 };
        var panel = new PanelDefinition { Id = "families", Title = "movers", Query = "review", Chart = "hbar", X = "change_pp", Y = "family", Top = 10 };
        var drawn = PanelRenderer.Draw(panel, TrendLens.Reviews.ReviewRenderer.MoversData([up, noisy, down]), "footer",
            rangeFrom: new DateOnly(2025, 2, 10), rangeTo: new DateOnly(2025, 2, 16));

        using var image = SKBitmap.Decode(drawn.Png);
        // A quarter down the bar, off the interval's line across its middle.
        SKColor Fill(string family)
        {
            var bar = drawn.Marks.Single(m => m.Series == family);
            return image.GetPixel((int)(bar.X + bar.Width / 2), (int)(bar.Y + bar.Height / 4));
        }
        int Sum(SKColor c) => c.Red + c.Green + c.Blue;
        Assert.True(Sum(Fill("Mistral")) > Sum(Fill("Qwen")) + 150, $"Mistral {Fill("Mistral")} against Qwen {Fill("Qwen")}");
        Assert.True(Sum(Fill("Llama")) < 450, $"Llama {Fill("Llama")}");
        Assert.Contains("lines: 95% interval; pale bars: the interval includes 0", PanelRenderer.Svg(panel, TrendLens.Reviews.ReviewRenderer.MoversData([up, noisy]), "footer"));
    }
}
