using System.Globalization;
using DuckDB.NET.Data;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>What is ranked: keywords, model families, topics or named model versions.</summary>
public enum TagKind
{
    Terms,
    Families,
    Topics,
    Versions,
}

public static class TagKinds
{
    /// <summary>The value of <c>paper_tags.kind</c>.</summary>
    public static string Column(this TagKind kind) => kind switch
    {
        TagKind.Terms => "term",
        TagKind.Families => "family",
        TagKind.Topics => "topic",
        TagKind.Versions => "version",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>
/// One emerging tag with its evidence: papers carrying it in the recent window and in the
/// baseline, the days it was listed on, the rate ratio and its 95 % lower bound, the one-sided
/// p-value of the rise and its <see cref="Score"/> (the p-value as a standard normal quantile).
/// </summary>
public sealed record EmergingTag(string Tag, double Score, long Papers, long BaselinePapers, DateOnly FirstSeen, bool New)
{
    /// <summary>The name shown for the tag (a term's most used form, a version as papers write it).</summary>
    public string Display { get; init; } = Tag;
    /// <summary>A model version's family; empty for other kinds.</summary>
    public string Family { get; init; } = "";
    public long Days { get; init; }
    public long Listed { get; init; }
    public long BaselineListed { get; init; }
    /// <summary>The tag's rate in the recent window over its rate in the baseline; infinity when the baseline has none.</summary>
    public double Ratio { get; init; }
    /// <summary>One-sided 95 % lower bound of <see cref="Ratio"/>.</summary>
    public double RatioLow { get; init; }
    public double P { get; init; }
}

/// <summary>The tags that rose, and the two windows compared; <see cref="Tags"/> is empty when nothing rose significantly.</summary>
public sealed record EmergenceResult(IReadOnlyList<EmergingTag> Tags, DateOnly From, DateOnly To, DateOnly BaselineFrom, DateOnly BaselineTo, int Candidates)
{
    public const string NothingRose = "nothing rose significantly in this window";

    /// <summary>Set when the window compared against holds no list (before the first list stored): nothing could rise.</summary>
    public string? NoComparison { get; init; }

    /// <summary>
    /// When nothing rose: the candidate that came nearest (the highest score among those with
    /// enough papers and days, not carried by one day), so a reader sees how far the window is
    /// from a finding; null when something rose, nothing was tested, or names were asked for.
    /// </summary>
    public NearMiss? Closest { get; init; }

    /// <summary>What to say when <see cref="Tags"/> is empty.</summary>
    public string Nothing => NoComparison ?? NothingRose;

    /// <summary>"2025-02-03 – 2025-02-28 against 2024-11-05 – 2025-02-02", for captions and notes.</summary>
    public string Windows => $"{From:yyyy-MM-dd} – {To:yyyy-MM-dd} against {BaselineFrom:yyyy-MM-dd} – {BaselineTo:yyyy-MM-dd}";
}

/// <summary>The candidate nearest to rising in a window where nothing did: its counts and the two tests' figures.</summary>
public sealed record NearMiss(string Display, long Papers, long Days, long BaselinePapers, double Score, double P, double RatioLow)
{
    /// <summary>"the closest was 'point cloud', 9 papers against 7 in the baseline (p = 0.0078)", for notes on pages and in reviews.</summary>
    public string Text => $"the closest was '{Display}', {Papers} paper{(Papers == 1 ? "" : "s")} against {BaselinePapers} in the baseline (p = {P.ToString("G2", CultureInfo.InvariantCulture)})";

    /// <summary>"; " and <see cref="Text"/>, to follow "nothing rose …"; "" when there was no candidate.</summary>
    public static string After(NearMiss? miss) => miss is null ? "" : "; " + miss.Text;
}

/// <summary>Which words may rank: keyphrases (docs/tagging.md, "Keywords") or every term.</summary>
public enum RankedWords
{
    Keyphrases,
    All,
}

/// <summary>Parameters of <see cref="Emergence.Rank"/>; names match docs/emergence.md.</summary>
public sealed record EmergenceOptions
{
    /// <summary>Score of a one-sided p-value of 0.001.</summary>
    public const double DefaultMinScore = 3.09;

    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    /// <summary>Length of the baseline window that ends the day before <see cref="From"/>.</summary>
    public int BaselineDays { get; init; } = 90;
    /// <summary>Minimum papers carrying the tag in the recent window.</summary>
    public int MinPapers { get; init; } = 3;
    /// <summary>Minimum distinct list days the tag appears on in the recent window.</summary>
    public int MinDays { get; init; } = 2;
    public int Top { get; init; } = 20;
    /// <summary>Terms only: rank keyphrases, or every term.</summary>
    public RankedWords Words { get; init; } = RankedWords.Keyphrases;
    /// <summary>A tag is listed when its score reaches this (the rise's one-sided p-value as a normal quantile).</summary>
    public double MinScore { get; init; } = DefaultMinScore;
    /// <summary>... and when its rate ratio's 95 % lower bound reaches this.</summary>
    public double MinRatio { get; init; } = 1.5;
    /// <summary>Tags (as stored: term concepts, family and topic names, version keys); empty for all.</summary>
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>Only this source's lists ('' = every source).</summary>
    public string Source { get; init; } = "";
    /// <summary>Rank what fell instead: tags whose rate in the baseline window is significantly above their rate in the recent one.</summary>
    public bool Falling { get; init; }

    /// <summary>The defaults for named model versions: a new name needs 2 papers on 2 days.</summary>
    public EmergenceOptions ForVersions() => this with { MinPapers = Math.Min(MinPapers, 2), MinDays = Math.Min(MinDays, 2) };
}

/// <summary>
/// "Emerging now": tags whose share of papers rose from the baseline window to the recent one,
/// by an exact conditional test of two rates, listed only when the rise is significant, large
/// and not carried by one day. Formulas and thresholds: docs/emergence.md.
/// </summary>
public static class Emergence
{
    private sealed record Counts(string Tag, string Display, string Family, long Recent, long RecentDays, long BusiestDay, long Baseline,
        DateOnly FirstSeen, long ListedRecent, long ListedBaseline);

    public static EmergenceResult Rank(Database database, DuckDBConnection connection, TagKind kind, EmergenceOptions o)
    {
        var (baseFrom, baseTo) = (o.From.AddDays(-o.BaselineDays), o.From.AddDays(-1));
        // What fell is what rose, read backwards: the baseline window tested against the recent one.
        var (from, to, testedFrom, testedTo) = o.Falling ? (baseFrom, baseTo, o.From, o.To) : (o.From, o.To, baseFrom, baseTo);
        var rows = CountsOf(connection, kind, o, from, to, testedFrom, testedTo);
        var listed = new List<EmergingTag>();
        NearMiss? closest = null;
        foreach (var r in rows)
        {
            var isNew = !o.Falling && r.FirstSeen >= o.From;
            if (r.ListedBaseline == 0 || r.ListedRecent == 0) continue;
            // A rise carried by one day (a batch of papers from one lab, one event) is not a trend.
            if (o.MinDays > 1 && 3 * r.BusiestDay > 2 * r.Recent && !(kind == TagKind.Versions && isNew)) continue;
            var (p, score) = Test(r.Recent, r.ListedRecent, r.Baseline, r.ListedBaseline);
            // A model version seen for the first time is news on 2 papers, before any test can tell.
            var launched = kind == TagKind.Versions && isNew;
            var (ratio, ratioLow) = RateRatio(r.Recent, r.ListedRecent, r.Baseline, r.ListedBaseline);
            if ((score < o.MinScore || ratioLow < o.MinRatio) && !launched)
            {
                if (closest is null || score > closest.Score || (score == closest.Score && string.CompareOrdinal(r.Display, closest.Display) < 0))
                    closest = new NearMiss(r.Display, r.Recent, r.RecentDays, r.Baseline, score, p, ratioLow);
                continue;
            }
            listed.Add(new EmergingTag(r.Tag, score, r.Recent, r.Baseline, r.FirstSeen, isNew)
            {
                Display = r.Display,
                Family = r.Family,
                Days = r.RecentDays,
                Listed = r.ListedRecent,
                BaselineListed = r.ListedBaseline,
                Ratio = ratio,
                RatioLow = ratioLow,
                P = p,
            });
        }
        var ranked = OneEntryPerFinding(connection, kind, o, from, to, listed
                .OrderByDescending(t => t.RatioLow)
                .ThenByDescending(t => t.Score)
                .ThenBy(t => t.Display, StringComparer.Ordinal)
                .ToList())
            .Take(o.Top > 0 ? o.Top : int.MaxValue)
            .ToList();
        return new EmergenceResult(ranked, o.From, o.To, baseFrom, baseTo, rows.Count)
        {
            // Asked about names, each gets its own reason instead (WhyNotListed).
            Closest = ranked.Count == 0 && !o.Falling && o.Names.Count == 0 ? closest : null,
            NoComparison = rows.Count > 0 && rows.All(r => r.ListedBaseline == 0)
                ? $"no list in {testedFrom:yyyy-MM-dd} – {testedTo:yyyy-MM-dd} to compare against"
                : null,
        };
    }

    private static List<Counts> CountsOf(DuckDBConnection connection, TagKind kind, EmergenceOptions o,
        DateOnly from, DateOnly to, DateOnly testedFrom, DateOnly testedTo) =>
        connection.Rows(SqlCatalog.Get("rollup/tag_counts_recent_vs_baseline"),
            r => new Counts(r.GetString(0), r.GetString(1), r.NullableString(2) ?? "", r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6),
                r.GetFieldValue<DateOnly>(7), r.GetInt64(8), r.GetInt64(9)),
            ("kind", kind.Column()),
            ("from", from),
            ("to", to),
            ("base_from", testedFrom),
            ("base_to", testedTo),
            ("min_papers", o.MinPapers),
            ("min_days", o.MinDays),
            ("names", string.Join('\u001f', o.Names)),
            ("keyphrases", o.Words == RankedWords.Keyphrases),
            ("source", o.Source));

    /// <summary>
    /// Why each tag of <paramref name="o"/>'s <see cref="EmergenceOptions.Names"/> that
    /// <paramref name="result"/> does not list is left out, one line each: no paper in the window,
    /// not a keyphrase, too few papers or days, carried by one day, or a score or rate ratio below
    /// the thresholds. "Nothing rose" alone reads as if the tag had been tested and found flat.
    /// </summary>
    public static IReadOnlyList<string> WhyNotListed(DuckDBConnection connection, TagKind kind, EmergenceOptions o, EmergenceResult result)
    {
        if (o.Names.Count == 0 || o.Falling) return [];
        var (baseFrom, baseTo) = (o.From.AddDays(-o.BaselineDays), o.From.AddDays(-1));
        var relaxed = o with { MinPapers = 1, MinDays = 1 };
        var counts = CountsOf(connection, kind, relaxed, o.From, o.To, baseFrom, baseTo).ToDictionary(r => r.Tag, StringComparer.Ordinal);
        var anyTerm = kind == TagKind.Terms && o.Words == RankedWords.Keyphrases
            ? CountsOf(connection, kind, relaxed with { Words = RankedWords.All }, o.From, o.To, baseFrom, baseTo).Select(r => r.Tag).ToHashSet(StringComparer.Ordinal)
            : [];
        var listed = result.Tags.Select(t => t.Tag).ToHashSet(StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var name in o.Names.Where(n => !listed.Contains(n)))
        {
            if (!counts.TryGetValue(name, out var r))
            {
                reasons.Add(anyTerm.Contains(name)
                    ? $"{name}: a term but not a keyphrase; --words all ranks every term"
                    : $"{name}: in no paper listed {o.From:yyyy-MM-dd} – {o.To:yyyy-MM-dd}");
                continue;
            }
            var (p, score) = Test(r.Recent, r.ListedRecent, r.Baseline, r.ListedBaseline);
            var (_, ratioLow) = RateRatio(r.Recent, r.ListedRecent, r.Baseline, r.ListedBaseline);
            var said = $"{r.Display}: {r.Recent} paper(s) on {r.RecentDays} day(s) in the window, {r.Baseline} in the baseline";
            reasons.Add(said + (
                r.Recent < o.MinPapers || r.RecentDays < o.MinDays
                    ? $"; a rise needs at least {o.MinPapers} papers on {o.MinDays} days (--min-papers, --min-days)"
                : o.MinDays > 1 && 3 * r.BusiestDay > 2 * r.Recent
                    ? $"; {r.BusiestDay} of them on one day, a rise carried by one day"
                : score < o.MinScore
                    ? $"; score {score.ToString("0.00", CultureInfo.InvariantCulture)}, below --min-score {o.MinScore.ToString("0.##", CultureInfo.InvariantCulture)}"
                : ratioLow < o.MinRatio
                    ? $"; rate ratio at least {ratioLow.ToString("0.00", CultureInfo.InvariantCulture)} with 95 % confidence, below --min-ratio {o.MinRatio.ToString("0.##", CultureInfo.InvariantCulture)}"
                    : "; it passes the tests but is listed under a longer name it is part of, or beyond --top"));
        }
        return reasons;
    }

    /// <summary>
    /// Two listed tags whose names nest ("DeepSeek" in "DeepSeek-R1", "test-time" in "test-time
    /// scaling") and whose papers in the window are mostly the same are one finding: the shorter
    /// is left out when at least <see cref="Keyphrases.Coverage"/> of its papers carry the longer.
    /// </summary>
    private static List<EmergingTag> OneEntryPerFinding(DuckDBConnection connection, TagKind kind, EmergenceOptions o, DateOnly from, DateOnly to, List<EmergingTag> listed)
    {
        static string[] Words(string name) => name.ToLowerInvariant().Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        static bool Nested(string[] inner, string[] outer) =>
            inner.Length < outer.Length && Enumerable.Range(0, outer.Length - inner.Length + 1).Any(i => outer.AsSpan(i, inner.Length).SequenceEqual(inner));
        var words = listed.Select(t => Words(t.Display)).ToList();
        var pairs = (from i in Enumerable.Range(0, listed.Count)
                     from j in Enumerable.Range(0, listed.Count)
                     where i != j && Nested(words[i], words[j])
                     select (Inner: listed[i], Outer: listed[j])).ToList();
        // Only tags whose names nest need their papers read: reading a window's papers' terms
        // costs 0.4 s at a million papers.
        if (pairs.Count == 0) return listed;
        var involved = pairs.SelectMany(p => new[] { p.Inner.Tag, p.Outer.Tag }).Distinct().ToList();
        var papers = connection.Rows(SqlCatalog.Get("rollup/tag_papers_in_window"), r => (Tag: r.GetString(0), PaperId: r.GetString(1)),
                ("kind", kind.Column()), ("from", from), ("to", to), ("names", string.Join('\u001f', involved)), ("source", o.Source))
            .GroupBy(r => r.Tag)
            .ToDictionary(g => g.Key, g => g.Select(r => r.PaperId).ToHashSet(StringComparer.Ordinal));
        var kept = new List<EmergingTag>();
        foreach (var tag in listed)
        {
            var mine = papers.GetValueOrDefault(tag.Tag) ?? [];
            var covered = pairs.Any(p => ReferenceEquals(p.Inner, tag)
                && papers.GetValueOrDefault(p.Outer.Tag) is { } theirs && mine.Count > 0 && mine.Count(theirs.Contains) >= Keyphrases.Coverage * mine.Count);
            if (!covered) kept.Add(tag);
        }
        return kept;
    }

    /// <summary>
    /// Of the y_r + y_b papers carrying the tag in both windows, how many fall in the recent one
    /// is Binomial(y_r + y_b, n_r / (n_r + n_b)) when the tag's rate did not change. Returns
    /// p = P(X ≥ y_r) and the score Φ⁻¹(1 − p) (capped at 40 where p underflows).
    /// </summary>
    public static (double P, double Score) Test(long recent, long listedRecent, long baseline, long listedBaseline)
    {
        if (recent <= 0) return (1, double.NegativeInfinity);
        var n = recent + baseline;
        var share = listedRecent / (double)(listedRecent + listedBaseline);
        // P(X ≥ k) = I_share(k, n − k + 1), the regularized incomplete beta function.
        var p = SpecialFunctions.BetaRegularized(recent, n - recent + 1, share);
        var score = p <= 0 ? 40 : Math.Min(40, -Normal.InvCDF(0, 1, p));
        return (p, score);
    }

    /// <summary>
    /// The rate ratio (y_r / n_r) / (y_b / n_b) and its one-sided 95 % lower bound, from the
    /// Clopper–Pearson bound θ_low of the recent share θ = y_r / (y_r + y_b):
    /// ratio_low = θ_low / (1 − θ_low) · n_b / n_r.
    /// </summary>
    public static (double Ratio, double Low) RateRatio(long recent, long listedRecent, long baseline, long listedBaseline)
    {
        if (recent <= 0) return (0, 0);
        var ratio = baseline == 0 ? double.PositiveInfinity : recent / (double)listedRecent / (baseline / (double)listedBaseline);
        var thetaLow = Beta.InvCDF(recent, baseline + 1, 0.05);
        var low = thetaLow >= 1 ? double.PositiveInfinity : thetaLow / (1 - thetaLow) * listedBaseline / listedRecent;
        return (ratio, low);
    }
}
