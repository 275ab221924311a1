using System.CommandLine;
using DuckDB.NET.Data;
using TrendLens.Dashboards;
using TrendLens.Rollup;
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
        Description = $"only the lists of this source, or {ReadSource.Every} (default: the first configured source when it has lists, else every source)",
        HelpName = "NAME",
        DefaultValueFactory = _ => "",
    };
    public Option<string[]> Terms { get; } = new("--term") { Description = "only this keyword on the panels of keywords (repeatable, up to 8)", HelpName = "NAME" };
    public Option<string[]> Families { get; } = new("--family") { Description = "only this model family on the panels of families (repeatable, up to 8)", HelpName = "NAME" };
    public Option<string[]> Topics { get; } = new("--topic") { Description = "only this topic, or a name it had before, on the panels of topics (repeatable, up to 8)", HelpName = "NAME" };
    public Option<bool> Bursts { get; } = new("--bursts") { Description = "shade each series' bursts on line and area charts of keywords and families, labelled with the series" };
    public Option<double> Scale { get; } = new("--scale")
    {
        Description = "pixel density for high-DPI screens and slides: 2 draws the same layout with twice the pixels each way (1 to 4)",
        DefaultValueFactory = _ => 1.0,
    };

    public RenderOptions()
    {
        Grain.AcceptOnlyFromAmong([.. DashboardCatalog.Grains]);
        Scale.Check(v => v is >= 1 and <= 4, "--scale must be from 1 to 4");
    }

    public void AddTo(Command command)
    {
        command.Options.Add(From);
        command.Options.Add(To);
        command.Options.Add(Grain);
        command.Options.Add(Scale);
        command.Options.Add(Source);
        command.Options.Add(Bursts);
        command.Options.Add(Terms);
        command.Options.Add(Families);
        command.Options.Add(Topics);
        // As on the pages (term=, family=, topic=): one kind of name at a time, at most 8.
        command.Validators.Add(result =>
        {
            var given = new[] { Terms, Families, Topics }.Where(o => result.GetValue(o) is { Length: > 0 }).ToList();
            if (given.Count > 1) result.AddError("give --term, --family or --topic, not several kinds at once");
            else if (given.Count == 1 && result.GetValue(given[0])!.Length > 8) result.AddError($"{given[0].Name}: name at most 8");
        });
    }

    /// <summary>The kind of the names given (--term, --family or --topic) and the names; none given is keywords with no names.</summary>
    public (TagKind Kind, string Option, string[] Names) Named(ParseResult parse) =>
        parse.GetValue(Families) is { Length: > 0 } f ? (TagKind.Families, Families.Name, f)
        : parse.GetValue(Topics) is { Length: > 0 } t ? (TagKind.Topics, Topics.Name, t)
        : (TagKind.Terms, Terms.Name, parse.GetValue(Terms) ?? []);

    /// <summary>The panel parameters, or null (after writing why) when --from is after --to or --source names no stored source.</summary>
    public PanelParameters? Resolve(CommandLine cli, ParseResult parse, DuckDBConnection connection, DashboardDefinition dashboard)
    {
        var (first, last) = connection.Single(SqlCatalog.Get("snapshots/list_date_range"), r => (r.NullableDate(0), r.NullableDate(1)));
        var end = parse.GetValue(To) ?? last ?? DateOnly.FromDateTime(cli.Clock.GetUtcNow().UtcDateTime);
        var grain = parse.GetValue(Grain) ?? dashboard.DefaultGrain;
        var start = parse.GetValue(From) ?? DashboardCatalog.RangeStart(dashboard.DefaultRange, end, first ?? end, grain);
        if (start > end)
        {
            cli.Error.WriteLine("trendlens: " + CommandLine.FromAfterTo(start, end, parse.GetValue(To) is not null));
            return null;
        }
        var given = parse.GetValue(Source) ?? "";
        var stored = RollupTables.Sources(connection);
        if (ReadSource.Resolve(given, cli.PrimarySource, stored) is not { } source)
        {
            cli.Error.WriteLine("trendlens: " + ReadSource.Unknown(given, stored));
            return null;
        }
        // Names as stored tags (a topic's earlier name is its name now); an unknown one is an error naming the nearest.
        var (kind, _, names) = Named(parse);
        IReadOnlyList<string> tags = names.Length == 0 ? []
            : TagNames.Resolve(connection, kind, names, kind is TagKind.Families or TagKind.Topics ? cli.LexiconNames(parse) : null);
        return new PanelParameters(start, end, grain, tags, source, kind, Bursts: parse.GetValue(Bursts)) { Pooled = given == ReadSource.Every, Base = Lift.BaseOf(cli.BaseSources(), stored) };
    }

    /// <summary>
    /// Writes <paramref name="output"/>, making its folders first. A failure is an error naming
    /// the path and why in plain words: a file where a folder is needed, no permission, or a
    /// folder that takes no files (<c>/proc</c>, where .NET says only "Could not find file").
    /// </summary>
    public static void WriteFile(string output, Action<string> write)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(output));
        for (var up = dir; !string.IsNullOrEmpty(up); up = Path.GetDirectoryName(up))
            if (File.Exists(up)) throw new IOException($"cannot write {output}: {up} is a file, not a folder");
        if (Directory.Exists(output)) throw new IOException($"cannot write {output}: it is a folder; name a file in it");
        try
        {
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            write(output);
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"cannot write {output}: permission denied");
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"cannot write {output}: the system does not let a file be made there");
        }
        catch (IOException e) when (!e.Message.Contains(output, StringComparison.Ordinal))
        {
            throw new IOException($"cannot write {output}: {e.Message}", e);
        }
    }
}
