using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Http;
using TrendLens.Dashboards;
using TrendLens.Rollup;

namespace TrendLens.Cli.Web;

/// <summary>
/// A page's query parameters, parsed strictly: anything malformed is a 400 with a message. Names
/// (<c>term=</c>, <c>family=</c> or <c>topic=</c>, one kind at a time) are resolved to stored
/// tags through the same keys as tagging; one that resolves to nothing is a 400 naming the nearest
/// (when that is the only problem, the parameters without names come back with the error).
/// </summary>
public sealed record PageParameters(DateOnly From, DateOnly To, string Grain, string Range, IReadOnlyList<string> Names, string Source = "", TagKind Kind = TagKind.Terms)
{
    private static readonly HashSet<string> Known = ["from", "to", "grain", "range", "source", "term", "family", "topic", "width", "height"];

    /// <summary>The names as the user typed them, for forms and captions.</summary>
    public IReadOnlyList<string> Typed { get; init; } = [];

    /// <summary>The query parameter the names go in: term, family or topic.</summary>
    public string KindParameter => Kind switch { TagKind.Families => "family", TagKind.Topics => "topic", _ => "term" };

    public PanelParameters Panel => new(From, To, Grain, Names, Source, Kind);

    /// <summary>The query string that reproduces these parameters (for image and alternate links).</summary>
    public string Query()
    {
        var parts = new List<string>
        {
            "from=" + From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "to=" + To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "grain=" + Grain,
        };
        if (Source.Length > 0) parts.Add("source=" + Uri.EscapeDataString(Source));
        parts.AddRange(Typed.Select(n => KindParameter + "=" + Uri.EscapeDataString(n)));
        return string.Join('&', parts);
    }

    /// <summary>
    /// The drill-down page (<c>/papers</c>) of one name of <paramref name="kind"/> (term, family or
    /// topic) over these parameters' range and source.
    /// </summary>
    public string PapersOf(string kind, string name) =>
        $"/papers?{kind}={Uri.EscapeDataString(name)}&from={From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"
        + (Source.Length > 0 ? "&source=" + Uri.EscapeDataString(Source) : "");

    public static bool TryParse(IQueryCollection query, DashboardDefinition dashboard, DashboardSite.DataState state, DashboardSite site, DuckDBConnection connection,
        out PageParameters parameters, out string error)
    {
        parameters = null!;
        error = "";
        // term, family and topic may repeat: each one is a line on the chart.
        if (QueryStrings.Refusal(query, Known, ["from", "to", "grain", "range", "source", "width", "height"]) is { } refusal)
        {
            error = refusal;
            return false;
        }

        var grain = query["grain"].FirstOrDefault() ?? dashboard.DefaultGrain;
        if (!DashboardCatalog.Grains.Contains(grain)) { error = $"grain must be day, week or month, not '{Shorten(grain)}'"; return false; }
        var range = query["range"].FirstOrDefault() ?? dashboard.DefaultRange;
        if (!DashboardCatalog.Ranges.Contains(range)) { error = $"range must be 4w, 12w, 1y or all, not '{Shorten(range)}'"; return false; }

        var source = query["source"].FirstOrDefault() ?? "";
        if (source.Length > 0 && !state.Sources.Contains(source))
        {
            error = $"source must be one of the stored sources ({(state.Sources.Count == 0 ? "none yet" : string.Join(", ", state.Sources))}), not '{Shorten(source)}'";
            return false;
        }

        var latest = state.Last ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var earliest = state.First ?? latest;
        if (!TryDate(query, "to", out var to, out error)) return false;
        if (!TryDate(query, "from", out var from, out error)) return false;
        var end = to ?? latest;
        var start = from ?? DashboardCatalog.RangeStart(range, end, earliest, grain);
        if (start > end) { error = "from is after to"; return false; }

        var kinds = new[] { ("term", TagKind.Terms), ("family", TagKind.Families), ("topic", TagKind.Topics) }
            .Where(k => query[k.Item1].Any(n => !string.IsNullOrEmpty(n))).ToList();
        if (kinds.Count > 1) { error = "give term, family or topic, not several kinds at once"; return false; }
        var (parameter, kind) = kinds.Count == 1 ? kinds[0] : ("term", TagKind.Terms);
        var names = query[parameter].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        if (names.Count > 8) { error = "compare at most 8 terms or families at a time"; return false; }
        if (names.Any(n => n.Length > 100)) { error = "a term is longer than 100 characters"; return false; }
        IReadOnlyList<string> tags = [];
        if (names.Count > 0)
        {
            IReadOnlyCollection<string> known = kind switch
            {
                TagKind.Families => site.Lexicons?.Families.Families.Select(f => f.Name).ToList() ?? [],
                TagKind.Topics => site.Lexicons?.Topics.Topics.Select(t => t.Name).ToList() ?? [],
                _ => [],
            };
            try
            {
                var aliases = kind == TagKind.Topics
                    ? site.Lexicons?.Topics.Topics.SelectMany(t => t.Aliases.Select(a => (a, t.Name))).ToDictionary(x => x.a, x => x.Name, StringComparer.OrdinalIgnoreCase)
                    : null;
                tags = TagNames.Resolve(connection, kind, names, known, aliases);
            }
            catch (UnknownTagException e)
            {
                // Everything else parsed: a page can show the form again with the reason.
                parameters = new PageParameters(start, end, grain, query.ContainsKey("range") || from is null ? range : "custom", [], source, kind) { Typed = names };
                error = e.Message;
                return false;
            }
        }
        parameters = new PageParameters(start, end, grain, query.ContainsKey("range") || from is null ? range : "custom", tags, source, kind) { Typed = names };
        return true;
    }

    private static bool TryDate(IQueryCollection query, string key, out DateOnly? date, out string error) =>
        TryDate(query[key].FirstOrDefault(), key, out date, out error);

    /// <summary>A <c>YYYY-MM-DD</c> query parameter: absent is null, anything else malformed is an error naming it.</summary>
    internal static bool TryDate(string? text, string key, out DateOnly? date, out string error)
    {
        date = null;
        error = "";
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            error = $"{key} must be a date like 2025-02-14, not '{Shorten(text)}'";
            return false;
        }
        if (TrendLens.Days.Refusal(d) is { } refusal)
        {
            error = $"{key}: {refusal}";
            return false;
        }
        date = d;
        return true;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
