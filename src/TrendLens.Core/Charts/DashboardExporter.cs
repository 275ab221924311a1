using DuckDB.NET.Data;
using SkiaSharp;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Charts;

/// <summary>
/// One PNG of a whole dashboard: a header with title and range, every panel as the server draws
/// it (two to a row), and a footer with data-as-of, lexicon version and n.
/// </summary>
public static class DashboardExporter
{
    private const int Margin = 24;
    private const int Header = 70;
    private const int Footer = 40;

    /// <summary>Every panel of <paramref name="dashboard"/> for the parameters, composed with header and footer.</summary>
    public static byte[] Render(Database database, DuckDBConnection connection, DashboardDefinition dashboard, PanelParameters p, bool demo, double scale = 1)
    {
        var facts = ChartFooter.Read(database, connection, p);
        var lexicon = connection.Rows(SqlCatalog.Get("tagging/lexicon_version_in_use"), r => r.NullableString(0)).FirstOrDefault();
        var panelFooter = ChartFooter.Text(p, facts, demo);
        var subtitle = $"{p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd} · by {p.Grain}" + (p.Names.Count > 0 ? " · " + string.Join(", ", p.Names) : "");
        var footer = $"TrendLens · data as of {facts.DataAsOf:yyyy-MM-dd} · lexicon {lexicon ?? "none"} · n = {facts.Listed:N0} papers listed in the range" +
            (demo ? " · SYNTHETIC DEMO DATA" : "");
        // Drawn as images and composed as they are: a PNG of each, decoded again, cost 10 ms a panel.
        // Two panels at a time, each worker with a connection of its own, so both cores work. A
        // database in memory is the given connection's alone (another would open an empty one).
        var images = new SKImage?[dashboard.Panels.Count];
        try
        {
            Parallel.For(0, images.Length, new ParallelOptions { MaxDegreeOfParallelism = database.InMemory ? 1 : 2 },
                () => database.InMemory ? connection : database.Open(),
                (i, _, own) =>
                {
                    var panel = dashboard.Panels[i];
                    var data = PanelRunner.Run(database, own, panel, p);
                    images[i] = PanelRenderer.Image(panel, data, ChartFooter.For(panelFooter, data, facts, demo), scale: scale, rangeFrom: p.From, rangeTo: p.To);
                    return own;
                },
                own =>
                {
                    if (!ReferenceEquals(own, connection)) own.Dispose();
                });
            return Png(dashboard.Title, subtitle, footer, images!, scale: scale);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A panel's own error (a damaged database, say), unwrapped, as when drawn one by one.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        finally
        {
            foreach (var image in images) image?.Dispose();
        }
    }

    /// <summary>Panels given as PNGs (each drawn at <paramref name="scale"/>) two to a row under a header; the whole image is drawn at the same scale.</summary>
    public static byte[] Png(string title, string subtitle, string footer, IReadOnlyList<byte[]> panelPngs, int panelWidth = PanelRenderer.DefaultWidth, int panelHeight = PanelRenderer.DefaultHeight, double scale = 1)
    {
        var images = panelPngs.Select(png => SKImage.FromEncodedData(png) ?? throw new InvalidOperationException("a panel's PNG could not be decoded")).ToList();
        try
        {
            return Png(title, subtitle, footer, images, panelWidth, panelHeight, scale);
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    /// <summary>Panel images (each drawn at <paramref name="scale"/>) two to a row under a header; the whole image is drawn at the same scale.</summary>
    public static byte[] Png(string title, string subtitle, string footer, IReadOnlyList<SKImage> panels, int panelWidth = PanelRenderer.DefaultWidth, int panelHeight = PanelRenderer.DefaultHeight, double scale = 1)
    {
        var columns = panels.Count > 1 ? 2 : 1;
        var rows = (panels.Count + columns - 1) / columns;
        var width = Margin * (columns + 1) + panelWidth * columns;
        var height = Header + Footer + Margin * (rows + 1) + panelHeight * rows;

        using var surface = SKSurface.Create(new SKImageInfo((int)Math.Round(width * scale), (int)Math.Round(height * scale), SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale((float)scale);
        using var typeface = SKTypeface.FromFamilyName("DejaVu Sans") ?? SKTypeface.Default;
        using var titleFont = new SKFont(typeface, 26);
        using var textFont = new SKFont(typeface, 15);
        using var ink = new SKPaint { Color = new SKColor(0x1f, 0x23, 0x28), IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x57, 0x60, 0x6a), IsAntialias = true };
        using var border = new SKPaint { Color = new SKColor(0xd0, 0xd7, 0xde), IsStroke = true, StrokeWidth = 1 };

        canvas.DrawText(title, Margin, 38, SKTextAlign.Left, titleFont, ink);
        canvas.DrawText(subtitle, Margin, 62, SKTextAlign.Left, textFont, grey);
        for (var i = 0; i < panels.Count; i++)
        {
            var x = Margin + (i % columns) * (panelWidth + Margin);
            var y = Header + Margin + (i / columns) * (panelHeight + Margin);
            canvas.DrawImage(panels[i], new SKRect(x, y, x + panelWidth, y + panelHeight));
            canvas.DrawRect(new SKRect(x, y, x + panelWidth, y + panelHeight), border);
        }
        canvas.DrawText(footer, Margin, height - 14, SKTextAlign.Left, textFont, grey);

        using var image = surface.Snapshot();
        using var pixels = image.PeekPixels();
        return PngEncoder.Encode(pixels);
    }
}
