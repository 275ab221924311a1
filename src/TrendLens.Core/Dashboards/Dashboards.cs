using System.Text.RegularExpressions;
using TrendLens.Storage;

namespace TrendLens.Dashboards;

/// <summary>The chart kinds a panel may use: a closed set.</summary>
public enum ChartKind
{
    Line,
    StackedArea,
    HorizontalBar,
    Heatmap,
    Table,
}

/// <summary>One panel of a dashboard file: a named query, a chart kind and the columns it draws.</summary>
public sealed record PanelDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    /// <summary>
    /// A SQL file under <c>sql/</c> (e.g. <c>rollup/family_share_by_period</c>) or a computed query:
    /// <c>emerging</c>, <c>bursts</c>, <c>changed</c> (the weekly shares of the keyphrases that
    /// rose or fell most from the first half of the range to the second), <c>lift</c> (each tag's
    /// share in the page's source against its share in the base source over the range, with the
    /// lift's interval) or <c>source-shares</c> (the same two shares, a row each).
    /// </summary>
    public required string Query { get; init; }
    /// <summary><c>line</c>, <c>stacked-area</c>, <c>hbar</c>, <c>heatmap</c> or <c>table</c>.</summary>
    public required string Chart { get; init; }
    public string? X { get; init; }
    public string? Y { get; init; }
    public string? Series { get; init; }
    /// <summary>How many series or bars to show (the tags with the most papers, or the top scores).</summary>
    public int Top { get; init; } = 8;
    /// <summary>For <c>emerging</c> and <c>bursts</c>: <c>terms</c>, <c>families</c>, <c>topics</c> or <c>versions</c>; for <c>lift</c> and <c>source-shares</c> one of the first three.</summary>
    public string Of { get; init; } = "terms";
    /// <summary>For keywords: <c>keyphrases</c> (docs/tagging.md) or <c>all</c> terms.</summary>
    public string Words { get; init; } = "keyphrases";
    /// <summary>For <c>emerging</c>: the recent window, in days up to the end of the range.</summary>
    public int WindowDays { get; init; } = 7;
    public string? Description { get; init; }

    /// <summary>Whether the panel counts the whole range as one period (two sources compared): the grain and bursts do not change it.</summary>
    public bool OnePeriod => Query is "lift" or "source-shares";
}

/// <summary>One dashboard file, <c>dashboards/{id}.json</c>.</summary>
public sealed record DashboardDefinition
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary><c>4w</c>, <c>12w</c>, <c>1y</c> or <c>all</c>.</summary>
    public string DefaultRange { get; init; } = "12w";
    public string DefaultGrain { get; init; } = "week";
    public required List<PanelDefinition> Panels { get; init; }
}

public sealed class DashboardException(string message) : Exception(message);

/// <summary>
/// The dashboards in a folder: every <c>*.json</c> except the lexicons, loaded strictly
/// (unknown fields are errors) and validated, with errors that name the file and the field.
/// </summary>
public sealed partial class DashboardCatalog
{
    public static readonly IReadOnlySet<string> ComputedQueries = new HashSet<string> { "emerging", "bursts", "changed", "lift", "source-shares" };
    public static readonly IReadOnlyList<string> Ranges = ["4w", "12w", "1y", "all"];
    public static readonly IReadOnlyList<string> Grains = ["day", "week", "month"];

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,40}$")]
    private static partial Regex IdPattern();

    private DashboardCatalog(IReadOnlyList<DashboardDefinition> dashboards) => Dashboards = dashboards;

    public IReadOnlyList<DashboardDefinition> Dashboards { get; }

    public DashboardDefinition? Find(string id) => Dashboards.FirstOrDefault(d => d.Id == id);

    /// <summary>The first day of a range preset ending on <paramref name="end"/>; <c>all</c> starts at <paramref name="earliest"/>.</summary>
    public static DateOnly RangeStart(string range, DateOnly end, DateOnly earliest) => range switch
    {
        "4w" => end.AddDays(-27),
        "12w" => end.AddDays(-83),
        "1y" => end.AddDays(-364),
        "all" => earliest,
        _ => throw new DashboardException($"range must be one of {string.Join(", ", Ranges)}, not '{range}'"),
    };

    /// <summary>
    /// The first day of a range preset at a grain: the preset's first day moved forward to the
    /// start of the next week (Monday) or month, unless it is one, so that the first period drawn
    /// is whole and not read as a collapse. <c>all</c> starts at <paramref name="earliest"/>.
    /// </summary>
    public static DateOnly RangeStart(string range, DateOnly end, DateOnly earliest, string grain)
    {
        var start = RangeStart(range, end, earliest);
        if (range == "all") return start;
        var whole = grain switch
        {
            "week" => start.AddDays(((int)DayOfWeek.Monday - (int)start.DayOfWeek + 7) % 7),
            "month" => start.Day == 1 ? start : new DateOnly(start.Year, start.Month, 1).AddMonths(1),
            _ => start,
        };
        return whole <= end ? whole : start;
    }

    public static DashboardCatalog Load(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*.json")
            .Where(f => !Tagging.Lexicons.FileNames.Contains(Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var dashboards = new List<DashboardDefinition>();
        foreach (var file in files)
        {
            var dashboard = StrictJson.Deserialize<DashboardDefinition>(File.ReadAllBytes(file), file, m => new DashboardException(m));
            Validate(dashboard, file);
            dashboards.Add(dashboard);
        }
        if (dashboards.Count == 0) throw new DashboardException($"{directory}: no dashboard files (*.json)");
        // The overview leads the navigation; the rest follow by title.
        return new DashboardCatalog(dashboards.OrderBy(d => d.Id == "overview" ? 0 : 1).ThenBy(d => d.Title, StringComparer.Ordinal).ToList());
    }

    public static ChartKind Kind(PanelDefinition panel) => panel.Chart switch
    {
        "line" => ChartKind.Line,
        "stacked-area" => ChartKind.StackedArea,
        "hbar" => ChartKind.HorizontalBar,
        "heatmap" => ChartKind.Heatmap,
        "table" => ChartKind.Table,
        _ => throw new DashboardException($"panel {panel.Id}: unknown chart kind '{panel.Chart}'"),
    };

    private static void Validate(DashboardDefinition d, string file)
    {
        var expectedId = Path.GetFileNameWithoutExtension(file);
        if (d.Id != expectedId) throw new DashboardException($"{file} at $.id: '{d.Id}' must equal the file name '{expectedId}'");
        if (!IdPattern().IsMatch(d.Id)) throw new DashboardException($"{file} at $.id: '{d.Id}' must be lower-case letters, digits and dashes");
        if (!Ranges.Contains(d.DefaultRange)) throw new DashboardException($"{file} at $.defaultRange: '{d.DefaultRange}' is not one of {string.Join(", ", Ranges)}");
        if (!Grains.Contains(d.DefaultGrain)) throw new DashboardException($"{file} at $.defaultGrain: '{d.DefaultGrain}' is not one of {string.Join(", ", Grains)}");
        if (d.Panels.Count == 0) throw new DashboardException($"{file} at $.panels: a dashboard needs at least one panel");
        var ids = new HashSet<string>();
        for (var i = 0; i < d.Panels.Count; i++)
        {
            var p = d.Panels[i];
            var at = $"{file} at $.panels[{i}]";
            if (!IdPattern().IsMatch(p.Id)) throw new DashboardException($"{at}.id: '{p.Id}' must be lower-case letters, digits and dashes");
            if (!ids.Add(p.Id)) throw new DashboardException($"{at}.id: '{p.Id}' is used twice");
            if (!ComputedQueries.Contains(p.Query) && !SqlCatalog.Names.Contains(p.Query))
                throw new DashboardException($"{at}.query: '{p.Query}' is neither a SQL file under sql/ nor one of {string.Join(", ", ComputedQueries)}");
            ChartKind kind;
            try { kind = Kind(p); }
            catch (DashboardException) { throw new DashboardException($"{at}.chart: '{p.Chart}' is not one of line, stacked-area, hbar, heatmap, table"); }
            if (kind != ChartKind.Table && (p.X is null || p.Y is null))
                throw new DashboardException($"{at}: a {p.Chart} chart needs 'x' and 'y' columns");
            if (kind is ChartKind.Heatmap or ChartKind.StackedArea && p.Series is null)
                throw new DashboardException($"{at}.series: a {p.Chart} chart needs a 'series' column");
            if (p.Top is < 1 or > 50) throw new DashboardException($"{at}.top: must be between 1 and 50");
            if (p.Words is not ("all" or "keyphrases")) throw new DashboardException($"{at}.words: must be keyphrases or all");
            if (p.WindowDays is < 1 or > 366) throw new DashboardException($"{at}.windowDays: must be between 1 and 366");
            if (p.Of is not ("terms" or "families" or "topics" or "versions")) throw new DashboardException($"{at}.of: must be terms, families, topics or versions");
            if (p.Query is "lift" or "source-shares" && p.Of == "versions") throw new DashboardException($"{at}.of: {p.Query} compares terms, families or topics");
        }
    }
}
