using System.CommandLine;
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
        var range = new RenderOptions();
        var command = new Command("export", "Write one PNG of a whole dashboard: header, every panel, footer.") { target, outFile };
        range.AddTo(command);
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
                var known = catalog.Dashboards.Select(d => d.Id).ToList();
                cli.Error.WriteLine($"trendlens: no dashboard '{parse.GetValue(target)}'" +
                    CommandLine.DidYouMean(parse.GetValue(target)!, known) + $"; known: {string.Join(", ", known)}");
                return CommandLine.Failed;
            }
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (range.Resolve(cli, parse, connection, dashboard) is not { } p) return CommandLine.Usage;
            cli.RollUp(database, connection);
            var png = DashboardExporter.Render(database, connection, dashboard, p, demo: DemoData.IsDemo(connection), parse.GetValue(range.Scale));
            RenderOptions.WriteFile(output, path => File.WriteAllBytes(path, png));
            cli.Output.WriteLine($"Wrote {output} ({dashboard.Title}, {dashboard.Panels.Count} panels, {p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd})");
            return CommandLine.Ok;
        }));
        return command;
    }
}
