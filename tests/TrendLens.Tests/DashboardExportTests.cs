using DuckDB.NET.Data;
using SkiaSharp;
using TrendLens.Charts;
using TrendLens.Dashboards;
using TrendLens.Rollup;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>
/// A whole dashboard's PNG (<c>export</c>, <c>/d/{dashboard}/export.png</c>) is its panels as each
/// is drawn alone, in the dashboard's order, over the same data: also when they are drawn two at a
/// time, and for a database in memory, which only the caller's connection can see.
/// </summary>
public class DashboardExportTests(ImportedFixture imported) : IClassFixture<ImportedFixture>
{
    private static readonly PanelParameters FixtureRange = new(new DateOnly(2025, 2, 10), new DateOnly(2025, 2, 21), "day", []);

    private static DashboardDefinition Overview() =>
        DashboardCatalog.Load(Lexicons.FindDirectory()).Find("overview") ?? throw new InvalidOperationException("no overview dashboard");

    /// <summary>The dashboard's export, checked against its panels drawn one after another on <paramref name="connection"/>.</summary>
    private static byte[] ExportMatchingPanelsDrawnAlone(Database database, DuckDBConnection connection, DashboardDefinition dashboard)
    {
        var exported = DashboardExporter.Render(database, connection, dashboard, FixtureRange, demo: false);
        var facts = ChartFooter.Read(database, connection, FixtureRange);
        var footer = ChartFooter.Text(FixtureRange, facts, demo: false);
        var images = dashboard.Panels
            .Select(panel => PanelRenderer.Image(panel, PanelRunner.Run(database, connection, panel, FixtureRange), footer, rangeFrom: FixtureRange.From, rangeTo: FixtureRange.To))
            .ToList();
        try
        {
            var alone = DashboardExporter.Png(dashboard.Title, "", "", images);
            // The header and footer are the same text either way; the panels are what is compared.
            Assert.Equal(Panels(alone), Panels(exported));
            return exported;
        }
        finally
        {
            foreach (var image in images) image.Dispose();
        }
    }

    /// <summary>The pixels below the header and above the footer.</summary>
    private static uint[] Panels(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        const int header = 70, footer = 40;
        return Enumerable.Range(header, bitmap.Height - header - footer)
            .SelectMany(y => Enumerable.Range(0, bitmap.Width).Select(x => (uint)bitmap.GetPixel(x, y)))
            .ToArray();
    }

    [Fact]
    public void FromAFile_TheExportIsItsPanelsDrawnOneByOne()
    {
        var database = new Database(imported.Db);
        using var connection = database.Open();

        var png = ExportMatchingPanelsDrawnAlone(database, connection, Overview());

        // Not blank: the fixture's families and topics are drawn.
        Assert.True(Panels(png).Distinct().Count() > 50);
    }

    [Fact]
    public void InMemory_TheExportReadsTheCallersDatabase()
    {
        var database = new Database(":memory:");
        using var connection = database.Open();
        var lexicons = Lexicons.Load(Lexicons.FindDirectory());
        var writer = new SnapshotWriter(TimeProvider.System);
        foreach (var file in Directory.GetFiles(Fixture.Path("hf-jsonl"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            var (_, tagError) = writer.StoreAndTag(database, connection, File.ReadAllBytes(file), "hf-daily", PayloadFormat.HfJsonl,
                new PayloadContext(file, null, new DateOnly(2025, 3, 1)), lexicons);
            Assert.Null(tagError);
        }
        new RollupRefresher(database).Refresh(connection);

        var png = ExportMatchingPanelsDrawnAlone(database, connection, Overview());

        // Drawn from an empty database (a connection of its own), the panels would say "no data".
        using var empty = database.Open();
        Assert.NotEqual(Panels(png), Panels(DashboardExporter.Render(database, empty, Overview(), FixtureRange, demo: false)));
    }
}
