using System.Globalization;
using Microsoft.AspNetCore.Http;
using TrendLens.Dashboards;

namespace TrendLens.Cli.Web;

/// <summary>A page's query parameters, parsed strictly: anything malformed is a 400 with a message.</summary>
public sealed record PageParameters(DateOnly From, DateOnly To, string Grain, string Range, IReadOnlyList<string> Names, string Source = "")
{
    private static readonly HashSet<string> Known = ["from", "to", "grain", "range", "source", "term", "family", "topic", "width", "height"];

    public PanelParameters Panel => new(From, To, Grain, Names, Source);

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
        parts.AddRange(Names.Select(n => "term=" + Uri.EscapeDataString(n)));
        return string.Join('&', parts);
    }

    public static bool TryParse(IQueryCollection query, DashboardDefinition dashboard, DashboardSite.DataState state, out PageParameters parameters, out string error)
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
        var start = from ?? DashboardCatalog.RangeStart(range, end, earliest);
        if (start > end) { error = "from is after to"; return false; }

        var names = query["term"].Concat(query["family"]).Concat(query["topic"]).Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        if (names.Count > 8) { error = "compare at most 8 terms or families at a time"; return false; }
        if (names.Any(n => n.Length > 100)) { error = "a term is longer than 100 characters"; return false; }
        parameters = new PageParameters(start, end, grain, query.ContainsKey("range") || from is null ? range : "custom", names, source);
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
        date = d;
        return true;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
