using DuckDB.NET.Data;
using Dapper;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Rollup;
using TrendLens.Tagging;

namespace TrendLens.Dashboards;

/// <summary>
/// The demo: a year of generated lists (seed 1, 30 papers a weekday, ending today) imported
/// and tagged into a database of its own, so `serve --demo` works on a new machine with no
/// network and no data. It is laid out like a real database with two sources: the daily lists
/// as <see cref="Source"/> and, for the last <see cref="BaseWeeks"/> weeks, a base list
/// <see cref="BaseMultiple"/> times as long as <see cref="BaseSource"/>, so the Sources
/// dashboard and <c>query lift</c> have something to compare. Built once; later calls find it there.
/// </summary>
public static class DemoData
{
    public const string Source = Lift.DefaultSource;
    public const string BaseSource = Lift.DefaultBase;

    /// <summary>Weeks of base lists: enough for the dashboards' default 12-week range, few enough to keep the first start quick.</summary>
    public const int BaseWeeks = 12;
    public const int BaseMultiple = 6;

    public static bool EnsureBuilt(Database database, Lexicons lexicons, TimeProvider clock)
    {
        using var connection = database.Open();
        if (connection.ExecuteScalar<long>(SqlCatalog.Get("snapshots/snapshot_count")) > 0) return false;
        // Marked before its lists are written: a build stopped half-way is still marked synthetic.
        connection.Run(SqlCatalog.Get("storage/demo_data_mark"), null, ("built_at", clock.GetUtcNow().UtcDateTime));
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var archive = new ListGenerator(1).Generate(new ListGenerator.Options(today.AddDays(-364), 365, 30)
        {
            BaseMultiple = BaseMultiple,
            BaseFrom = today.AddDays(-7 * BaseWeeks + 1),
        });
        var dir = Path.Combine(Path.GetTempPath(), "trendlens-demo-" + Guid.NewGuid().ToString("N"));
        try
        {
            ListGenerator.Write(archive, dir);
            ListGenerator.WriteBaseLists(archive, Path.Combine(dir, BaseSource));
            var importer = new FileImporter(new SnapshotWriter(clock));
            importer.Import(database, connection, FileImporter.Plan([dir]).Files, Source, PayloadFormat.HfJsonl, null, today, null, _ => { });
            importer.Import(database, connection, FileImporter.Plan([Path.Combine(dir, BaseSource)]).Files, BaseSource, PayloadFormat.HfJson, null, today, null, _ => { });
            new Tagger(lexicons, clock).TagPending(database, connection);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return true;
    }

    /// <summary>
    /// Whether the database holds demo lists: marked when they were built, so a server restarted
    /// on the file, or a command given it with --db, still says the data is synthetic.
    /// </summary>
    public static bool IsDemo(DuckDBConnection connection) =>
        connection.Single(SqlCatalog.Get("storage/demo_data_marked"), r => r.GetBoolean(0));

    /// <summary>
    /// Stops an import or fetch into the demo's database: real lists there would be shown among
    /// the generated ones, under the banner that says none of it is real.
    /// </summary>
    public static void ThrowIfDemo(DuckDBConnection connection, string path)
    {
        if (IsDemo(connection)) throw new DemoDatabaseException(path);
    }
}

/// <summary>A command that would store real lists in the demo's database.</summary>
public sealed class DemoDatabaseException(string path) : Exception(
    $"{Path.GetFullPath(path)} holds the synthetic demo lists that `serve` builds, and lists stored there would be shown as demo data; " +
    "import or fetch them into another database (the default is data/trendlens.duckdb) and serve that");
