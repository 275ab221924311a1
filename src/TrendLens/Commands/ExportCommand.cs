using System.CommandLine;
using Dapper;
using TrendLens.Charts;
using TrendLens.Dashboards;

namespace TrendLens.Cli.Commands;

/// <summary><c>trendlens export DASHBOARD --out FILE.png</c>: the whole dashboard in one PNG.</summary>
public static class ExportCommand
{
    public static Command Build(CommandLine cli)
    {
        var target = new Argument<string>("DASHBOARD") { Description = "for example overview" };
        var outFile = new Option<string>("--out") { Description = "FILE.png", Required = true };
        var from = CommandLine.DateOption("--from", "first list date, inclusive (default: the dashboard's default range)");
        var to = CommandLine.DateOption("--to", "last list date, inclusive (default: the latest list)");
        var grain = new Option<string?>("--grain") { Description = "day, week or month (default: the dashboard's)" };
        grain.AcceptOnlyFromAmong([.. DashboardCatalog.Grains]);
        var command = new Command("export", "Write one PNG of a whole dashboard: header, every panel, footer.") { target, outFile, from, to, grain };
        command.SetAction(parse => cli.Guard(() =>
        {
            var output = parse.GetValue(outFile)!;
            if (!output.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                cli.Error.WriteLine("trendlens: export writes PNG: --out must end in .png");
                return CommandLine.Usage;
            }
            var catalog = DashboardCatalog.Load(cli.DashboardsDirectory(parse));
            var dashboard = catalog.Find(parse.GetValue(target)!);
            if (dashboard is null)
            {
                cli.Error.WriteLine($"trendlens: no dashboard '{parse.GetValue(target)}'; known: {string.Join(", ", catalog.Dashboards.Select(d => d.Id))}");
                return CommandLine.Failed;
            }
            var database = cli.Database(parse);
            using var connection = database.Open();
            var (first, last) = connection.QuerySingle<(DateOnly?, DateOnly?)>("select min(list_date), max(list_date) from current_entries");
            var end = parse.GetValue(to) ?? last ?? DateOnly.FromDateTime(cli.Clock.GetUtcNow().UtcDateTime);
            var start = parse.GetValue(from) ?? DashboardCatalog.RangeStart(dashboard.DefaultRange, end, first ?? end);
            if (start > end)
            {
                cli.Error.WriteLine("trendlens: --from is after --to");
                return CommandLine.Usage;
            }
            var png = DashboardExporter.Render(database, connection, dashboard, new PanelParameters(start, end, parse.GetValue(grain) ?? dashboard.DefaultGrain, []), demo: false);
            var dir = Path.GetDirectoryName(Path.GetFullPath(output));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            File.WriteAllBytes(output, png);
            cli.Output.WriteLine($"Wrote {output} ({dashboard.Title}, {dashboard.Panels.Count} panels, {start:yyyy-MM-dd} to {end:yyyy-MM-dd})");
            return CommandLine.Ok;
        }));
        return command;
    }
}
