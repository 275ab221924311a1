using System.CommandLine;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Commands;

/// <summary>The range and grain options shared by <c>chart</c> and <c>export</c>, and how they resolve against a dashboard's defaults.</summary>
public sealed class RenderOptions
{
    public Option<DateOnly?> From { get; } = CommandLine.DateOption("--from", "first list date, inclusive (default: the dashboard's default range)");
    public Option<DateOnly?> To { get; } = CommandLine.DateOption("--to", "last list date, inclusive (default: the latest list)");
    public Option<string?> Grain { get; } = new("--grain") { Description = "day, week or month (default: the dashboard's)" };
    public Option<string> Source { get; } = new("--source")
    {
        Description = $"only the lists of this source, or {Rollup.ReadSource.Every} (default: the first configured source when it has lists, else every source)",
        HelpName = "NAME",
        DefaultValueFactory = _ => "",
    };
    public Option<bool> Bursts { get; } = new("--bursts") { Description = "shade each series' bursts on line and area charts of keywords and families, labelled with the series" };
    public Option<double> Scale { get; } = new("--scale")
    {
        Description = "pixel density for high-DPI screens and slides: 2 draws the same layout with twice the pixels each way (1 to 4)",
        DefaultValueFactory = _ => 1.0,
    };

    public RenderOptions()
    {
        Grain.AcceptOnlyFromAmong([.. DashboardCatalog.Grains]);
        Scale.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (>= 1 and <= 4)) r.AddError("--scale must be from 1 to 4"); });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Grain);
        command.Options.Add(Scale);
        command.Options.Add(Source);
        command.Options.Add(Bursts);
    }

    /// <summary>The panel parameters, or null (after writing why) when --from is after --to or --source names no stored source.</summary>
    public PanelParameters? Resolve(CommandLine cli, ParseResult parse, DuckDBConnection connection, DashboardDefinition dashboard)
    {
        var (first, last) = connection.QuerySingle<(DateOnly?, DateOnly?)>(SqlCatalog.Get("snapshots/list_date_range"));
        var end = parse.GetValue(To) ?? last ?? DateOnly.FromDateTime(cli.Clock.GetUtcNow().UtcDateTime);
        var grain = parse.GetValue(Grain) ?? dashboard.DefaultGrain;
        var start = parse.GetValue(From) ?? DashboardCatalog.RangeStart(dashboard.DefaultRange, end, first ?? end, grain);
        if (start > end)
        {
            cli.Error.WriteLine("trendlens: --from is after --to");
            return null;
        }
        var given = parse.GetValue(Source) ?? "";
        var stored = Rollup.RollupTables.Sources(connection);
        if (Rollup.ReadSource.Resolve(given, given.Length == 0 ? cli.PrimarySource() : null, stored) is not { } source)
        {
            cli.Error.WriteLine("trendlens: " + Rollup.ReadSource.Unknown(given, stored));
            return null;
        }
        return new PanelParameters(start, end, grain, [], source, Bursts: parse.GetValue(Bursts));
    }

    public static void WriteFile(string output, Action<string> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(output));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        write(output);
    }
}
