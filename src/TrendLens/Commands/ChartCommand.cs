using System.CommandLine;
using TrendLens.Charts;
using TrendLens.Dashboards;
using TrendLens.Rollup;

namespace TrendLens.Cli.Commands;

/// <summary><c>trendlens chart DASHBOARD/PANEL --out FILE.png|FILE.svg</c>: the same renderer as the server.</summary>
public static class ChartCommand
{
    public static Command Build(CommandLine cli)
    {
        var target = new Argument<string>("DASHBOARD/PANEL") { Description = "for example overview/families" };
        var outFile = new Option<string>("--out") { Description = "FILE.png or FILE.svg", Required = true };
        var range = new RenderOptions();
        var width = new Option<int>("--width") { Description = "pixels", DefaultValueFactory = _ => PanelRenderer.DefaultWidth };
        var height = new Option<int>("--height") { Description = "pixels", DefaultValueFactory = _ => PanelRenderer.DefaultHeight };
        width.Check(v => v is >= 200 and <= 8000, "--width must be from 200 to 8000 pixels");
        height.Check(v => v is >= 150 and <= 6000, "--height must be from 150 to 6000 pixels");
        var command = new Command("chart", "Render one dashboard panel to PNG or SVG, exactly as the server draws it.") { target, outFile, width, height };
        range.AddTo(command);
        command.SetAction(parse => cli.Guard(() =>
        {
            var spec = parse.GetValue(target)!;
            var slash = spec.IndexOf('/');
            var output = parse.GetValue(outFile)!;
            var ext = Path.GetExtension(output).ToLowerInvariant();
            if (slash <= 0 || ext is not (".png" or ".svg"))
            {
                cli.Error.WriteLine("trendlens: chart needs DASHBOARD/PANEL (like overview/families) and --out ending in .png or .svg");
                return CommandLine.Usage;
            }
            var (w, h, scale) = (parse.GetValue(width), parse.GetValue(height), parse.GetValue(range.Scale));
            if (ext == ".png" && PngEncoder.Refusal((int)Math.Round(w * scale), (int)Math.Round(h * scale)) is { } tooLarge)
            {
                cli.Error.WriteLine($"trendlens: --width {w} --height {h} --scale {scale}: {tooLarge}");
                return CommandLine.Usage;
            }
            var catalog = DashboardCatalog.Load(cli.DashboardsDirectory(parse));
            var dashboard = catalog.Find(spec[..slash]);
            var panel = dashboard?.Panels.FirstOrDefault(p => p.Id == spec[(slash + 1)..]);
            if (dashboard is null || panel is null)
            {
                var known = catalog.Dashboards.SelectMany(d => d.Panels.Select(p => d.Id + "/" + p.Id)).ToList();
                cli.Error.WriteLine($"trendlens: no panel '{spec}'" + CommandLine.DidYouMean(spec, known) + $"; known: {string.Join(", ", known)}");
                return CommandLine.Failed;
            }

            var (kind, option, names) = range.Named(parse);
            if (names.Length > 0 && PanelRunner.KindOf(panel) != kind)
            {
                var what = kind switch { TagKind.Families => "model families", TagKind.Topics => "topics", _ => "keywords" };
                cli.Error.WriteLine($"trendlens: {option} picks the series of a panel of {what}, and {spec} is not one ({string.Join(", ", catalog.Dashboards.SelectMany(d => d.Panels.Where(p => PanelRunner.KindOf(p) == kind).Select(p => d.Id + "/" + p.Id)))})");
                return CommandLine.Usage;
            }

            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (range.Resolve(cli, parse, connection, dashboard) is not { } p) return CommandLine.Usage;
            cli.RollUp(database, connection);
            var data = PanelRunner.Run(database, connection, panel, p);
            var footer = ChartFooter.Of(database, connection, p, data, demo: DemoData.IsDemo(connection));
            RenderOptions.WriteFile(output, path =>
            {
                if (ext == ".png") File.WriteAllBytes(path, PanelRenderer.Png(panel, data, footer, parse.GetValue(width), parse.GetValue(height), parse.GetValue(range.Scale), p.From, p.To));
                else File.WriteAllText(path, PanelRenderer.Svg(panel, data, footer, parse.GetValue(width), parse.GetValue(height), p.From, p.To));
            });
            cli.Output.WriteLine($"Wrote {output} ({panel.Title}, {p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd}, {data.Rows.Count} rows)");
            return CommandLine.Ok;
        }));
        return command;
    }
}
