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
    /// <summary>The <see cref="Range"/> of a page given dates (<c>from</c>, <c>to</c> or <c>range=FROM..TO</c>) rather than a preset.</summary>
    public const string Custom = "custom";

    /// <summary>The range as its form offers it: a preset, or <c>FROM..TO</c> for the dates shown.</summary>
    public string RangeValue => Range == Custom ? $"{Days.Text(From)}..{Days.Text(To)}" : Range;

    private static readonly HashSet<string> Known = ["from", "to", "grain", "range", "source", "term", "family", "topic", "width", "height", "only", "hide", "bursts"];

    /// <summary>The names as the user typed them, for forms and captions.</summary>
    public IReadOnlyList<string> Typed { get; init; } = [];

    /// <summary>Series of a chart to show alone (<c>only=</c>, repeatable); empty: every series.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Series of a chart to leave out (<c>hide=</c>, repeatable).</summary>
    public IReadOnlyList<string> Hide { get; init; } = [];

    /// <summary>Shade each series' bursts on line and area charts (<c>bursts=1</c>).</summary>
    public bool Bursts { get; init; }

    /// <summary>
    /// The source the page reads ('' = every source): <see cref="Source"/> as given (empty, a name or
    /// <c>all</c>) resolved by <see cref="ReadSource"/>. Links keep <see cref="Source"/> as given.
    /// </summary>
    public string ReadFrom { get; init; } = "";

    /// <summary>What a page naming no source reads: the primary source, or '' (every source) when it has no lists.</summary>
    public string DefaultRead { get; init; } = "";

    /// <summary>The source a page of lift compares against (<see cref="TrendLens.Rollup.Lift.BaseOf"/>).</summary>
    public string Base { get; init; } = TrendLens.Rollup.Lift.DefaultBase;

    /// <summary>Whether no series is chosen to show alone or to leave out.</summary>
    public bool ShowsAll => Only.Count == 0 && Hide.Count == 0;

    /// <summary>Whether a chart shows the series of this name.</summary>
    public bool Shows(string series) => (Only.Count == 0 || Only.Contains(series, StringComparer.Ordinal)) && !Hide.Contains(series, StringComparer.Ordinal);

    /// <summary>
    /// The series choice as one panel applies it: only the names among its series (the rows it
    /// draws), so that a page's <c>only=</c> for one chart leaves the page's other charts whole, and
    /// a name no chart has blanks none of them.
    /// </summary>
    public PageParameters ForSeries(IReadOnlySet<string> drawn) =>
        Only.All(drawn.Contains) && Hide.All(drawn.Contains) ? this : this with { Only = Only.Where(drawn.Contains).ToList(), Hide = Hide.Where(drawn.Contains).ToList() };

    /// <summary>What the series choice adds to a cache key.</summary>
    public string SeriesKey => $"{string.Join('\u001f', Only)}|{string.Join('\u001f', Hide)}";

    /// <summary>The query parameter the names go in: term, family or topic.</summary>
    public string KindParameter => ParameterOf(Kind) ?? "term";

    /// <summary>The query parameter (and series column) of a kind of tag: term, family or topic; null for versions, which no page filters by.</summary>
    public static string? ParameterOf(TagKind kind) => kind switch
    {
        TagKind.Families => "family",
        TagKind.Topics => "topic",
        TagKind.Terms => "term",
        _ => null,
    };

    public PanelParameters Panel => new(From, To, Grain, Names, ReadFrom, Kind, Bursts) { Pooled = Source == ReadSource.Every, Base = Base };

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
        parts.AddRange(Only.Select(n => "only=" + Uri.EscapeDataString(n)));
        parts.AddRange(Hide.Select(n => "hide=" + Uri.EscapeDataString(n)));
        if (Bursts) parts.Add("bursts=1");
        return string.Join('&', parts);
    }

    /// <summary>The same parameters with another choice of series (a legend's links).</summary>
    public string QueryWith(IReadOnlyList<string> only, IReadOnlyList<string> hide) => (this with { Only = only, Hide = hide }).Query();

    /// <summary>
    /// When the range holds no list at all (it ends before the first list stored, or starts after
    /// the last): where the stored lists run, as the command line says it. Null otherwise.
    /// </summary>
    public string? OutsideTheLists(DateOnly? first, DateOnly? last) =>
        first is { } f && last is { } l && (To < f || From > l)
            ? $"No list from {Days.Text(From)} to {Days.Text(To)}; the lists stored run from {Days.Text(f)} to {Days.Text(l)}."
            : null;

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
        if (QueryStrings.Refusal(query, Known, ["from", "to", "grain", "range", "source", "width", "height", "bursts"]) is { } refusal)
        {
            error = refusal;
            return false;
        }

        var grain = query["grain"].FirstOrDefault() ?? dashboard.DefaultGrain;
        if (!DashboardCatalog.Grains.Contains(grain)) { error = $"grain must be day, week or month, not '{Shorten(grain)}'"; return false; }
        var range = query["range"].FirstOrDefault() ?? dashboard.DefaultRange;
        // FROM..TO: the dates a page was shown for, as its form's range keeps them (from and to override them).
        DateOnly? rangeFrom = null, rangeTo = null;
        if (range.Split("..") is [var first, var last] && first.Length == 10 && last.Length == 10)
        {
            if (!TryDate(first, "range's first date", out rangeFrom, out error) || !TryDate(last, "range's last date", out rangeTo, out error)) return false;
        }
        else if (!DashboardCatalog.Ranges.Contains(range)) { error = $"range must be 4w, 12w, 1y, all or FROM..TO (YYYY-MM-DD..YYYY-MM-DD), not '{Shorten(range)}'"; return false; }

        var source = query["source"].FirstOrDefault() ?? "";
        var defaultRead = ReadSource.Resolve("", site.PrimarySource, state.Sources)!;
        if (ReadSource.Resolve(source, site.PrimarySource, state.Sources) is not { } readFrom)
        {
            error = $"source must be one of the stored sources ({(state.Sources.Count == 0 ? "none yet" : string.Join(", ", state.Sources) + $", or {ReadSource.Every}")}), not '{Shorten(source)}'";
            return false;
        }

        var latest = state.Last ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var earliest = state.First ?? latest;
        if (!TryDate(query, "to", out var to, out error)) return false;
        if (!TryDate(query, "from", out var from, out error)) return false;
        to ??= rangeTo;
        from ??= rangeFrom;
        var end = to ?? latest;
        var start = from ?? DashboardCatalog.RangeStart(range, end, earliest, grain);
        if (start > end) { error = to is null ? $"from {start:yyyy-MM-dd} is after the latest list stored ({end:yyyy-MM-dd})" : "from is after to"; return false; }

        var bursts = query["bursts"].FirstOrDefault();
        if (bursts is not (null or "" or "0" or "1")) { error = $"bursts must be 1 or 0, not '{Shorten(bursts)}'"; return false; }
        var only = query["only"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        var hide = query["hide"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        if (only.Count > 8 || hide.Count > 8) { error = "name at most 8 series in only and in hide"; return false; }
        if (only.Concat(hide).Any(n => n.Length > 100)) { error = "a series name in only or hide is longer than 100 characters"; return false; }
        var series = (Only: (IReadOnlyList<string>)only, Hide: (IReadOnlyList<string>)hide, Bursts: bursts == "1");

        var kinds = new[] { ("term", TagKind.Terms), ("family", TagKind.Families), ("topic", TagKind.Topics) }
            .Where(k => query[k.Item1].Any(n => !string.IsNullOrEmpty(n))).ToList();
        if (kinds.Count > 1) { error = "give term, family or topic, not several kinds at once"; return false; }
        var (parameter, kind) = kinds.Count == 1 ? kinds[0] : ("term", TagKind.Terms);
        var names = query[parameter].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
        if (names.Count > 8) { error = "compare at most 8 names at a time"; return false; }
        if (names.Any(n => n.Length > 100)) { error = "a term is longer than 100 characters"; return false; }
        IReadOnlyList<string> tags = [];
        if (names.Count > 0)
        {
            try
            {
                tags = TagNames.Resolve(connection, kind, names, site.Lexicons);
            }
            catch (UnknownTagException e)
            {
                // Everything else parsed: a page can show the form again with the reason.
                parameters = new PageParameters(start, end, grain, from is null && to is null ? range : Custom, [], source, kind)
                    { Typed = names, Only = series.Only, Hide = series.Hide, Bursts = series.Bursts, ReadFrom = readFrom, DefaultRead = defaultRead, Base = TrendLens.Rollup.Lift.BaseOf(site.BaseSources, state.Sources) };
                error = e.Message;
                return false;
            }
        }
        parameters = new PageParameters(start, end, grain, from is null && to is null ? range : Custom, tags, source, kind)
            { Typed = names, Only = series.Only, Hide = series.Hide, Bursts = series.Bursts, ReadFrom = readFrom, DefaultRead = defaultRead, Base = TrendLens.Rollup.Lift.BaseOf(site.BaseSources, state.Sources) };
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
