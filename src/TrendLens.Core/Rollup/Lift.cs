using Dapper;
using DuckDB.NET.Data;
using TrendLens.Snapshots;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>A lift and its 95 % interval.</summary>
public readonly record struct LiftInterval(double Lift, double Low, double High)
{
    /// <summary>The interval lies wholly above 1 (over-represented) or wholly below (under-represented).</summary>
    public bool Excludes1 => Low > 1 || High < 1;
}

/// <summary>
/// One tag in one period: the papers carrying it among the papers one source listed, the same in
/// the base source, and the ratio of the two shares with its interval (null when the base has
/// no paper with the tag).
/// </summary>
public sealed record TagLift(DateOnly Period, string Tag, long Papers, long Listed, long BasePapers, long BaseListed)
{
    public double Share => Listed > 0 ? (double)Papers / Listed : 0;
    public double BaseShare => BaseListed > 0 ? (double)BasePapers / BaseListed : 0;
    public LiftInterval? Lift { get; } = Rollup.Lift.Interval(Papers, Listed, BasePapers, BaseListed);
}

/// <summary>Parameters of <see cref="Lift.Compute"/>.</summary>
public sealed record LiftOptions
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    /// <summary><c>day</c>, <c>week</c>, <c>month</c> or <c>all</c> (one period: the range, clipped to the days both sources cover).</summary>
    public string Grain { get; init; } = "week";
    /// <summary>
    /// How many tags: those whose shares differ most surely, half over- and half under-represented
    /// (sql/rollup/tag_lift_by_period.sql; 0: all). Not given: every topic or
    /// family, and <see cref="Lift.DefaultTopTerms"/> keyphrases; terms are keyphrases only, ranked
    /// among the <see cref="Lift.CandidateTerms"/> most common of either list.
    /// </summary>
    public int? Top { get; init; }
    /// <summary>Tags as stored (family and topic names, term concepts); empty for all.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
    public string Source { get; init; } = Lift.DefaultSource;
    public string Base { get; init; } = Lift.DefaultBase;
}

/// <summary>
/// The rows, and the days both sources cover within the range asked for (null when they share
/// none), with the number of list days of the two in the range that fall outside them.
/// </summary>
public sealed record LiftResult(IReadOnlyList<TagLift> Rows, DateOnly? From, DateOnly? To, long LeftOut = 0)
{
    /// <summary>"hf-daily against arxiv, 2025-01-06 – 2025-03-28", for captions and notes.</summary>
    public string Describe(LiftOptions o) =>
        From is { } f && To is { } t ? $"{o.Source} against {o.Base}, {f:yyyy-MM-dd} – {t:yyyy-MM-dd}" : $"{o.Source} against {o.Base}: {NoCommonPeriod}";

    /// <summary>
    /// When the two share no period: where each source's lists are, "hf-daily has 10 list day(s)
    /// in the range, and lists from 2025-01-06 to 2025-05-05; arxiv has no list in the range, and
    /// lists from …".
    /// </summary>
    public string? Where { get; init; }

    public const string NoCommonPeriod = "the two sources have no lists in the same period of this range";

    /// <summary>
    /// When the comparison leaves out list days of the range asked: "compared over 2025-02-17 –
    /// 2025-03-31, the days both sources cover; 24 list day(s) of hf-daily or arxiv in the range
    /// are left out". Null when nothing is left out.
    /// </summary>
    public string? Cut(LiftOptions o) =>
        LeftOut > 0 && From is { } f && To is { } t
            ? $"compared over {f:yyyy-MM-dd} – {t:yyyy-MM-dd}, the days both sources cover; {LeftOut:N0} list day(s) of {o.Source} or {o.Base} in the range are left out"
            : null;
}

/// <summary>
/// Lift: how much more (or less) often a tag is carried by one source's papers than by a base
/// source's — the community's picks (the Daily Papers list) against the base rate (everything
/// submitted to arXiv's ML categories). lift = share / base share, with the log-ratio interval of
/// two proportions (Katz): ln(lift) ± 1.96·√(1/k₁ − 1/n₁ + 1/k₂ − 1/n₂). Formulas and caveats:
/// docs/lift.md.
/// </summary>
public static class Lift
{
    /// <summary>The community's picks: the source name the Daily Papers list is stored under unless told otherwise.</summary>
    public const string DefaultSource = SnapshotWriter.DefaultSource;

    /// <summary>The base rate: the arXiv source's default name.</summary>
    public const string DefaultBase = "arxiv";

    /// <summary>
    /// The base a page or review compares against: the first of the sources configured as arXiv's
    /// (by name, <paramref name="configured"/>) whose lists are stored, else <see cref="DefaultBase"/>
    /// when its lists are, else the first configured name, so that what is missing is named.
    /// </summary>
    public static string BaseOf(IReadOnlyList<string> configured, IReadOnlyList<string> stored) =>
        configured.FirstOrDefault(stored.Contains)
        ?? (stored.Contains(DefaultBase) ? DefaultBase : configured.FirstOrDefault() ?? DefaultBase);

    public const double Z = 1.96;

    /// <summary>Keyphrases compared when <c>--top</c> is not given for terms.</summary>
    public const int DefaultTopTerms = 20;

    /// <summary>The most common keyphrases of each list among which the compared ones are ranked.</summary>
    public const int CandidateTerms = 500;

    /// <summary>
    /// The lift of k₁ of n₁ against k₂ of n₂ with its 95 % interval; null when k₂ = 0 (no base
    /// share to divide by) or a list is empty. When k₁ = 0 the lift is 0, its lower bound 0, and
    /// its upper bound the interval's computed with k₁ = 0.5 (the usual correction, which keeps
    /// the logarithm finite).
    /// </summary>
    public static LiftInterval? Interval(long k1, long n1, long k2, long n2)
    {
        if (n1 <= 0 || n2 <= 0 || k2 <= 0 || k1 > n1 || k2 > n2 || k1 < 0) return null;
        var corrected = k1 == 0 ? 0.5 : k1;
        var lift = (double)k1 / n1 / ((double)k2 / n2);
        var log = Math.Log(corrected / n1 / ((double)k2 / n2));
        var se = Math.Sqrt(1 / corrected - 1.0 / n1 + 1.0 / k2 - 1.0 / n2);
        var (low, high) = (Math.Exp(log - Z * se), Math.Exp(log + Z * se));
        return k1 == 0 ? new LiftInterval(0, 0, high) : new LiftInterval(lift, low, high);
    }

    /// <summary>
    /// Per period in which both sources have lists (within the days both cover), each tag's
    /// papers and share in either source and its lift. The rollups must be fresh.
    /// </summary>
    public static LiftResult Compute(DuckDBConnection connection, TagKind kind, LiftOptions o)
    {
        if (kind is not (TagKind.Terms or TagKind.Families or TagKind.Topics)) throw new ArgumentOutOfRangeException(nameof(kind), "lift compares terms, families or topics");
        var span = connection.QuerySingle<(DateOnly? First, DateOnly? Last, long LeftOut)>(SqlCatalog.Get("rollup/source_pair_span"),
            new { from = o.From, to = o.To, source = o.Source, @base = o.Base });
        if (span.First is not { } from || span.Last is not { } to || from > to)
        {
            var where = connection.Query<(string Source, long DaysInRange, DateOnly First, DateOnly Last)>(SqlCatalog.Get("rollup/source_extents"),
                    new { from = o.From, to = o.To, source = o.Source, @base = o.Base })
                .Select(e => $"{e.Source} has {(e.DaysInRange == 0 ? "no list" : $"{e.DaysInRange:N0} list day(s)")} in the range, and lists from {e.First:yyyy-MM-dd} to {e.Last:yyyy-MM-dd}");
            return new LiftResult([], null, null) { Where = string.Join("; ", where) };
        }
        var names = o.Names;
        var top = o.Top ?? 0;
        // The most frequent terms are "model" and "large": terms compare keyphrases, those among
        // the most common in either list whose shares differ most surely (the query's ranking).
        if (kind == TagKind.Terms && names.Count == 0)
        {
            top = o.Top ?? DefaultTopTerms;
            names = Keyphrases.Top(connection, from, to, CandidateTerms, o.Source).Concat(Keyphrases.Top(connection, from, to, CandidateTerms, o.Base)).Distinct().ToList();
            if (names.Count == 0) return new LiftResult([], from, to, span.LeftOut);
        }
        var rows = connection.Query<(DateOnly Period, string Tag, long Papers, long Listed, long BasePapers, long BaseListed)>(SqlCatalog.Get("rollup/tag_lift_by_period"), new
        {
            kind = kind.Column(),
            from,
            to,
            grain = o.Grain,
            top,
            names = string.Join('\u001f', names),
            source = o.Source,
            @base = o.Base,
        });
        return new LiftResult(rows.Select(r => new TagLift(r.Period, r.Tag, r.Papers, r.Listed, r.BasePapers, r.BaseListed)).ToList(), from, to, span.LeftOut);
    }

    /// <summary>How to get a source's lists (a running server also fetches every configured source on its schedule), after what is missing.</summary>
    public static string FetchHint(string source) => $"; `trendlens fetch --source {source} --from … --to …` stores {source}'s lists";

    /// <summary>A lift as charts and reviews write it: "2.03×", "0.45×", "12×".</summary>
    public static string Text(double lift) =>
        lift.ToString(lift < 0.1 ? "0.00" : lift < 10 ? "0.0#" : "0", System.Globalization.CultureInfo.InvariantCulture) + "×";

    /// <summary>
    /// A share as a percentage without its sign: one decimal ("12.3"), or two significant digits
    /// below 0.1 % ("0.0037"), so a small share beside a lift never reads as 0.
    /// </summary>
    public static string PercentText(double share)
    {
        var percent = share * 100;
        return percent == 0 || Math.Abs(percent) >= 0.1 ? percent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : TwoDigits(percent);
    }

    /// <summary>A small number to two significant digits, trailing zeros kept: "0.0037", "0.00030".</summary>
    public static string TwoDigits(double x) =>
        x.ToString("F" + Math.Clamp(1 - (int)Math.Floor(Math.Log10(Math.Abs(x))), 0, 15), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The rows in reading order: by period, the most over-represented first, those without a lift last.</summary>
    public static IEnumerable<TagLift> Ordered(IEnumerable<TagLift> rows) =>
        rows.OrderBy(r => r.Period).ThenByDescending(r => r.Lift?.Lift ?? double.NegativeInfinity).ThenByDescending(r => r.BaseShare).ThenBy(r => r.Tag, StringComparer.Ordinal);
}
