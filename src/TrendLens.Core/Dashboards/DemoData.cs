using Dapper;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Dashboards;

/// <summary>
/// The demo: a year of generated lists (seed 1, 30 papers a weekday, ending today) imported
/// and tagged into a database of its own, so `serve --demo` works on a new machine with no
/// network and no data. Built once; later calls find it there.
/// </summary>
public static class DemoData
{
    public const string Source = "demo";

    public static bool EnsureBuilt(Database database, Lexicons lexicons, TimeProvider clock)
    {
        using var connection = database.Open();
        if (connection.ExecuteScalar<long>(SqlCatalog.Get("snapshots/snapshot_count")) > 0) return false;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var archive = new ListGenerator(1).Generate(new ListGenerator.Options(today.AddDays(-364), 365, 30));
        var dir = Path.Combine(Path.GetTempPath(), "trendlens-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            ListGenerator.Write(archive, dir);
            new FileImporter(new SnapshotWriter(clock)).Import(database, connection, FileImporter.Plan([dir]).Files, Source,
                PayloadFormat.HfJsonl, null, today, null, _ => { });
            new Tagger(lexicons, clock).TagPending(database, connection);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return true;
    }
}
