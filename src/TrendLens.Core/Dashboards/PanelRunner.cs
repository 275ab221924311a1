using System.Data;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Dashboards;

/// <summary>
/// What a dashboard page asks of every panel: the range, the grain, name filters of one kind
/// (stored tags, resolved from what the user typed; they apply to the panels of that kind) and a
/// source ('' = all).
/// </summary>
public sealed record PanelParameters(DateOnly From, DateOnly To, string Grain, IReadOnlyList<string> Names, string Source = "", TagKind Kind = TagKind.Terms,
    bool Bursts = false)
{
    /// <summary>Every source pooled on purpose (<c>source=all</c>), not by default: <see cref="Source"/> is '' either way.</summary>
    public bool Pooled { get; init; }

    /// <summary>The source lift compares against: as <see cref="Lift.BaseOf"/> chose it from the configured <c>arxiv</c> sources.</summary>
    public string Base { get; init; } = Lift.DefaultBase;

    public string CacheKey => $"{From:yyyy-MM-dd}|{To:yyyy-MM-dd}|{Grain}|{Kind}|{string.Join('\u001f', Names)}|{Source}{(Pooled ? "|pooled" : "")}|{(Bursts ? "bursts" : "")}|{Base}";

    /// <summary>The names a panel of this kind is filtered by: none for panels of another kind.</summary>
    public IReadOnlyList<string> NamesFor(TagKind? kind) => kind == Kind ? Names : [];
}

/// <summary>
/// Two sources compared over the days both cover (<see cref="From"/> to <see cref="To"/>, within
/// the page's range), with the papers each listed then; <see cref="Cut"/> says what the comparison
/// left out of the page's range, when it left out any list day.
/// </summary>
public sealed record SourcePair(DateOnly From, DateOnly To, string Source, string Base, long Listed, long BaseListed, string? Cut);

/// <summary>
/// A panel's rows, chart-ready: column names and values (DateOnly, string, long, double, bool),
/// and for charts of keywords or families over time the bursts of the series shown, to shade.
/// </summary>
public sealed record PanelData(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public IReadOnlyList<Burst> Bursts { get; init; } = [];

    /// <summary>What the reader must know to read the rows: the windows compared, and that nothing passed when none did.</summary>
    public string? Note { get; init; }

    /// <summary>The days the rows count, when not the whole range (an emerging list's recent window): a bar's papers are listed then.</summary>
    public (DateOnly From, DateOnly To)? Window { get; init; }

    /// <summary>For two sources compared over one period (lift): what the chart's footer names instead of the page's range and grain.</summary>
    public SourcePair? Compared { get; init; }

    public int Column(string name)
    {
        var i = Columns.ToList().IndexOf(name);
        return i >= 0 ? i : throw new DashboardException($"the query returned no column '{name}' (it has {string.Join(", ", Columns)})");
    }

    /// <summary>The names of the panel's series in these rows (empty for a panel without series).</summary>
    public IReadOnlySet<string> SeriesNames(PanelDefinition panel)
    {
        if (panel.Series is null || !Columns.Contains(panel.Series)) return new HashSet<string>();
        var s = Column(panel.Series);
        return Rows.Select(r => r[s]).OfType<string>().Concat(Bursts.Select(b => b.Display)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The series of the rows before <see cref="WithSeries"/> picked some, in their order: each
    /// keeps the colour it has among all of them, so hiding one does not repaint the others.
    /// Null when no series were picked.
    /// </summary>
    public IReadOnlyList<string>? AllSeries { get; init; }

    /// <summary>The rows (and bursts) of the series <paramref name="keep"/> accepts, by the panel's series column; all rows when it has none.</summary>
    public PanelData WithSeries(PanelDefinition panel, Func<string, bool> keep)
    {
        if (panel.Series is null || !Columns.Contains(panel.Series)) return this;
        var s = Column(panel.Series);
        return this with
        {
            AllSeries = AllSeries ?? Rows.Select(r => r[s]).OfType<string>().Distinct().ToList(),
            Rows = Rows.Where(r => r[s] is not string name || keep(name)).ToList(),
            Bursts = Bursts.Where(b => keep(b.Display)).ToList(),
        };
    }
}

/// <summary>
/// Runs a panel's query. SQL files declare their parameters in their header
/// (<c>-- params: $from DATE, …</c>); the runner binds exactly those from the page's parameters.
/// </summary>
public static partial class PanelRunner
{
    [GeneratedRegex(@"\$([a-z_]+)")]
    private static partial Regex ParamName();

    /// <summary>What kind of tag a panel shows, or null for panels of no tag (coverage, top papers).</summary>
    public static TagKind? KindOf(PanelDefinition panel) => panel.Query switch
    {
        "rollup/family_share_by_period" => TagKind.Families,
        "rollup/topic_share_by_period" => TagKind.Topics,
        "rollup/term_share_by_period" or "changed" => TagKind.Terms,
        "emerging" or "bursts" or "lift" or "source-shares" => panel.Of switch { "families" => TagKind.Families, "topics" => TagKind.Topics, "versions" => TagKind.Versions, _ => TagKind.Terms },
        _ => null,
    };

    public static PanelData Run(Database database, DuckDBConnection connection, PanelDefinition panel, PanelParameters p)
    {
        p = p with { Names = p.NamesFor(KindOf(panel)) };
        var kind = panel.Of switch { "families" => TagKind.Families, "topics" => TagKind.Topics, "versions" => TagKind.Versions, _ => TagKind.Terms };
        var words = panel.Words == "all" ? RankedWords.All : RankedWords.Keyphrases;
        switch (panel.Query)
        {
            case "emerging":
            {
                var options = new EmergenceOptions
                {
                    From = p.To.AddDays(1 - panel.WindowDays) < p.From ? p.From : p.To.AddDays(1 - panel.WindowDays),
                    To = p.To,
                    Top = panel.Top,
                    Names = p.Names,
                    Source = p.Source,
                    Words = words,
                };
                var ranked = Emergence.Rank(database, connection, kind, kind == TagKind.Versions ? options.ForVersions() : options);
                return new PanelData(["term", "score", "papers", "baseline_papers", "first_seen", "new", "ratio_low", "family"],
                    ranked.Tags.Select(r => new object?[] { r.Display, r.Score, r.Papers, r.BaselinePapers, r.FirstSeen, r.New, Finite(r.RatioLow), r.Family }).ToList())
                {
                    Note = Note(ranked),
                    Window = (options.From, options.To),
                };
            }
            case "bursts":
            {
                var rows = Bursts.Detect(database, connection, kind, new BurstOptions { From = p.From, To = p.To, Top = panel.Top, Names = p.Names, Source = p.Source, Words = words });
                return new PanelData(["term", "start", "end", "weight"],
                    rows.Select(r => new object?[] { r.Display, r.Start, r.End, r.Weight }).ToList())
                {
                    Note = rows.Count == 0 ? "no bursts in this range" : null,
                };
            }
            case "changed":
                return Changed(database, connection, panel, p);
            case "lift" or "source-shares":
                return SourceLift(connection, panel, p, kind);
        }

        // Per-period queries read the daily rollups and the current listings (RollupRefresher keeps them current).
        var sql = SqlCatalog.Get(panel.Query);
        var (names, top) = (p.Names, panel.Top);
        // The keywords with the most papers are keyphrases, not "model" and "large".
        if (panel.Query == "rollup/term_share_by_period" && names.Count == 0 && panel.Words != "all")
            (names, top) = (Keyphrases.Top(connection, p.From, p.To, panel.Top, p.Source), 0);
        var available = new Dictionary<string, object>
        {
            ["from"] = p.From,
            ["to"] = p.To,
            ["grain"] = p.Grain,
            ["top"] = top,
            ["names"] = string.Join('\u001f', names),
            ["source"] = p.Source,
        };
        var parameters = new List<(string Name, object? Value)>();
        foreach (var name in DeclaredParameters(sql))
        {
            if (!available.TryGetValue(name, out var value))
                throw new DashboardException($"sql/{panel.Query}.sql needs ${name}, which a panel cannot supply");
            parameters.Add((name, value));
        }
        var (columns, result) = connection.Read(sql, reader =>
        {
            var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
            return (columns, RowsOf(reader, [.. Enumerable.Range(0, columns.Length)]));
        }, [.. parameters]);
        var data = new PanelData(columns, result);
        var burstKind = KindOf(panel) is TagKind.Families or TagKind.Terms or TagKind.Topics ? KindOf(panel) : null;
        if (p.Bursts && burstKind is { } bk && panel.Series is { } series && DashboardCatalog.Kind(panel) is ChartKind.Line or ChartKind.StackedArea && result.Count > 0)
        {
            // The series are shown by display name; bursts are found for the stored tags behind them.
            var shown = result.Select(r => r[data.Column(series)] as string).OfType<string>().Distinct().ToList();
            var tags = bk == TagKind.Terms ? TagNames.ResolveKnown(connection, bk, shown) : shown;
            data = data with { Bursts = Rollup.Bursts.Detect(database, connection, bk, new BurstOptions { From = p.From, To = p.To, Names = tags, MinPapers = 1, Source = p.Source, Words = RankedWords.All }) };
        }
        return data;
    }

    private static object? Finite(double x) => double.IsFinite(x) ? x : null;

    /// <summary>
    /// The page's source (default <see cref="Lift.DefaultSource"/>) against the base (<see cref="Lift.BaseOf"/>)
    /// over the whole range: <c>lift</c> gives a row per tag with its lift and interval,
    /// <c>source-shares</c> two rows per tag, its share in either source. When a source has no
    /// lists, no rows, and a note that says so.
    /// </summary>
    private static PanelData SourceLift(DuckDBConnection connection, PanelDefinition panel, PanelParameters p, TagKind kind)
    {
        string[] columns = panel.Query == "lift"
            ? ["tag", "lift", "low", "high", "share", "base_share", "papers", "listed", "base_papers", "base_listed", "source", "base"]
            : ["tag", "source", "share", "papers", "listed"];
        var stored = RollupTables.Sources(connection);
        var @base = p.Base;
        // Every source pooled holds the base's own lists: nothing to compare with it.
        if (p.Pooled)
            return new PanelData(columns, [])
            {
                Note = $"all sources pooled against {@base}: " + (stored.Contains(@base)
                    ? $"the pool holds {@base}'s own lists, so choose one source"
                    : NotStored([@base], stored) + Lift.FetchHint(@base)),
            };
        var options = new LiftOptions { From = p.From, To = p.To, Grain = "all", Top = panel.Top, Names = p.Names, Source = p.Source.Length > 0 ? p.Source : Lift.DefaultSource, Base = @base };
        var missing = new[] { options.Source, options.Base }.Where(s => !stored.Contains(s)).ToList();
        // The renderer shows what follows the note's last ": " over an empty chart.
        if (missing.Count > 0)
            return new PanelData(columns, [])
            {
                Note = $"{options.Source} against {options.Base}: " + (stored.Count == 1
                    ? $"only one source is stored ({stored[0]}), and lift needs lists from {options.Source} and {options.Base}"
                    : NotStored(missing, stored)) + Lift.FetchHint(missing[0]),
            };
        if (options.Source == options.Base)
            return new PanelData(columns, []) { Note = $"{options.Source} against {options.Base}: {options.Base} is the base itself, so choose another source" };
        var result = Lift.Compute(connection, kind, options);
        var rows = Lift.Ordered(result.Rows).ToList();
        // With rows, the footer names the days compared (SourcePair); without, the note says why there are none.
        var note = rows.Count == 0 ? result.Describe(options) : null;
        // The rows count the days both sources cover, one period: the papers behind a bar are listed then.
        var window = result.From is { } f && result.To is { } t ? (From: f, To: t) : ((DateOnly From, DateOnly To)?)null;
        var compared = window is { } w && rows.Count > 0
            ? new SourcePair(w.From, w.To, options.Source, options.Base, rows[0].Listed, rows[0].BaseListed, result.Cut(options))
            : null;
        if (panel.Query == "lift")
            return new PanelData(columns, rows.Select(r => new object?[]
            {
                r.Tag, r.Lift?.Lift, r.Lift?.Low, r.Lift?.High, r.Share, r.BaseShare, r.Papers, r.Listed, r.BasePapers, r.BaseListed, options.Source, options.Base,
            }).ToList()) { Note = note, Window = window, Compared = compared };
        return new PanelData(columns, rows.OrderByDescending(r => r.Share).ThenByDescending(r => r.BaseShare).SelectMany(r => new[]
        {
            new object?[] { r.Tag, options.Source, r.Share, r.Papers, r.Listed },
            new object?[] { r.Tag, options.Base, r.BaseShare, r.BasePapers, r.BaseListed },
        }).ToList()) { Note = note, Window = window, Compared = compared };
    }

    /// <summary>"no lists from arxiv are stored (stored sources are hf-daily)".</summary>
    private static string NotStored(IReadOnlyList<string> missing, IReadOnlyList<string> stored) =>
        $"no lists from {string.Join(" or ", missing)} are stored (stored sources are {(stored.Count == 0 ? "none" : string.Join(", ", stored))})";


    private static string Note(EmergenceResult result) =>
        result.Tags.Count > 0 ? result.Windows
        : $"{result.Windows}: {result.Nothing}{NearMiss.After(result.Closest)}";

    /// <summary>
    /// The weekly shares (as <c>rollup/term_share_by_period</c> gives them) of the keyphrases that
    /// rose most from the first half of the range to the second, and of those that fell most: half
    /// of <see cref="PanelDefinition.Top"/> each, by the same test as emerging keywords.
    /// </summary>
    private static PanelData Changed(Database database, DuckDBConnection connection, PanelDefinition panel, PanelParameters p)
    {
        var days = p.To.DayNumber - p.From.DayNumber + 1;
        var middle = p.From.AddDays(days / 2);
        var half = new EmergenceOptions
        {
            From = middle,
            To = p.To,
            BaselineDays = middle.DayNumber - p.From.DayNumber,
            Top = Math.Max(1, panel.Top / 2),
            Source = p.Source,
            Words = panel.Words == "all" ? RankedWords.All : RankedWords.Keyphrases,
        };
        if (p.Names.Count > 0) return SharesOf(connection, p, p.Names, "the keyphrases asked for");
        var rose = days >= 14 ? Emergence.Rank(database, connection, TagKind.Terms, half) : null;
        var fell = days >= 14 ? Emergence.Rank(database, connection, TagKind.Terms, half with { Falling = true }) : null;
        var names = (rose?.Tags ?? []).Concat(fell?.Tags ?? []).Select(t => t.Tag).Distinct().ToList();
        var note = rose is null ? "the range is too short to compare its halves"
            : $"{middle:yyyy-MM-dd} – {p.To:yyyy-MM-dd} against {p.From:yyyy-MM-dd} – {middle.AddDays(-1):yyyy-MM-dd}"
              + (names.Count == 0 ? ": no keyphrase rose or fell significantly" : "");
        if (names.Count == 0) return new PanelData(["period", "term", "papers", "share", "listed", "days_listed", "days_expected"], []) { Note = note };
        return SharesOf(connection, p, names, note);
    }

    /// <summary>Every row of the reader, the values of the columns at <paramref name="ordinals"/> in that order (null for SQL NULL).</summary>
    private static List<object?[]> RowsOf(DuckDBDataReader reader, int[] ordinals)
    {
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[ordinals.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(ordinals[i]) ? null : Normalize(reader.GetValue(ordinals[i]));
            rows.Add(row);
        }
        return rows;
    }

    private static PanelData SharesOf(DuckDBConnection connection, PanelParameters p, IReadOnlyList<string> names, string note)
    {
        var columns = new[] { "period", "term", "papers", "share", "listed", "days_listed", "days_expected" };
        var rows = connection.Read(SqlCatalog.Get("rollup/term_share_by_period"), reader => RowsOf(reader, [.. columns.Select(reader.GetOrdinal)]),
            ("from", p.From), ("to", p.To), ("grain", p.Grain), ("top", 0), ("names", string.Join('\u001f', names)), ("source", p.Source));
        return new PanelData(columns, rows) { Note = note };
    }

    /// <summary>The parameter names in the header's <c>-- params:</c> lines.</summary>
    public static IReadOnlyList<string> DeclaredParameters(string sql)
    {
        var names = new List<string>();
        var inParams = false;
        foreach (var line in sql.Split('\n'))
        {
            if (!line.StartsWith("--", StringComparison.Ordinal)) break;
            var text = line[2..].Trim();
            if (text.StartsWith("params:", StringComparison.Ordinal)) inParams = true;
            else if (text.StartsWith("columns:", StringComparison.Ordinal)) inParams = false;
            if (!inParams) continue;
            foreach (Match m in ParamName().Matches(text))
                if (!names.Contains(m.Groups[1].Value)) names.Add(m.Groups[1].Value);
        }
        return names;
    }

    private static object Normalize(object value) => value switch
    {
        DateTime t when t.TimeOfDay == TimeSpan.Zero => DateOnly.FromDateTime(t),
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        ulong u => (long)u,
        uint u => (long)u,
        System.Numerics.BigInteger big => (long)big,
        float f => (double)f,
        decimal m => (double)m,
        _ => value,
    };
}
