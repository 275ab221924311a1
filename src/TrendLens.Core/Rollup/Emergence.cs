using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>What is ranked: keywords, model families or topics.</summary>
public enum TagKind
{
    Terms,
    Families,
    Topics,
}

public static class TagKinds
{
    /// <summary>The value of <c>paper_tags.kind</c>.</summary>
    public static string Column(this TagKind kind) => kind switch
    {
        TagKind.Terms => "term",
        TagKind.Families => "family",
        TagKind.Topics => "topic",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>One emerging tag: its z-scored log-odds, support in both windows, and when it was first listed.</summary>
public sealed record EmergingTag(string Tag, double Score, long Papers, long BaselinePapers, DateOnly FirstSeen, bool New);

/// <summary>Parameters of <see cref="Emergence.Rank"/>; names match docs/emergence.md.</summary>
public sealed record EmergenceOptions
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    /// <summary>Length of the baseline window that ends the day before <see cref="From"/>.</summary>
    public int BaselineDays { get; init; } = 90;
    /// <summary>Minimum papers carrying the tag in the recent window.</summary>
    public int MinPapers { get; init; } = 5;
    /// <summary>Minimum distinct list days the tag appears on in the recent window.</summary>
    public int MinDays { get; init; } = 3;
    /// <summary>α0 as a multiple of the papers in both windows (the prior's strength).</summary>
    public double PriorWeight { get; init; } = 1.0;
    public int Top { get; init; } = 20;
    /// <summary>Leave out single lower-case words ("change", "six"): keep phrases, compounds and names.</summary>
    public bool SpecificOnly { get; init; }
    /// <summary>Only tags scoring at least this z are reported (0 keeps the top N whatever they score).</summary>
    public double MinScore { get; init; }
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>Only this source's lists ('' = every source).</summary>
    public string Source { get; init; } = "";
}

/// <summary>
/// "Emerging now": the log-odds ratio, with an informative Dirichlet (here Beta) prior, of a
/// paper carrying the tag in the recent window versus the baseline window, divided by its
/// standard deviation (Monroe, Colaresi &amp; Quinn 2008, "Fightin' Words", eq. 16–22), over
/// document frequencies. Formulas and parameters: docs/emergence.md.
/// </summary>
public static class Emergence
{
    private sealed record Counts(string Tag, long Recent, long RecentDays, long Baseline, DateOnly FirstSeen, long ListedRecent, long ListedBaseline);

    public static IReadOnlyList<EmergingTag> Rank(Database database, DuckDBConnection connection, TagKind kind, EmergenceOptions o)
    {
        RollupTables.EnsureFresh(database, connection);
        var baseFrom = o.From.AddDays(-o.BaselineDays);
        var rows = connection.Query<Counts>(SqlCatalog.Get("rollup/tag_counts_recent_vs_baseline"), new
        {
            kind = kind.Column(),
            from = o.From,
            to = o.To,
            base_from = baseFrom,
            min_papers = o.MinPapers,
            min_days = o.MinDays,
            names = string.Join('\u001f', o.Names),
            specific = o.SpecificOnly && kind == TagKind.Terms,
            source = o.Source,
        });
        return rows
            .Select(r =>
            {
                var z = Score(r.Recent, r.ListedRecent, r.Baseline, r.ListedBaseline, o.PriorWeight).Z;
                return new EmergingTag(r.Tag, z, r.Recent, r.Baseline, r.FirstSeen, r.FirstSeen >= o.From);
            })
            .Where(t => t.Score >= o.MinScore)
            .OrderByDescending(t => t.Score)
            .ThenBy(t => t.Tag, StringComparer.Ordinal)
            .Take(o.Top > 0 ? o.Top : int.MaxValue)
            .ToList();
    }

    /// <summary>
    /// δ = ln((y_r + a) / (n_r − y_r + b)) − ln((y_b + a) / (n_b − y_b + b)), with
    /// a = α0·π, b = α0·(1 − π), π = (y_r + y_b + ½) / (n_r + n_b + 1), α0 = w·(n_r + n_b);
    /// σ² = 1/(y_r + a) + 1/(n_r − y_r + b) + 1/(y_b + a) + 1/(n_b − y_b + b); z = δ / σ.
    /// </summary>
    public static (double Delta, double Z) Score(long recent, long listedRecent, long baseline, long listedBaseline, double priorWeight)
    {
        double yr = recent, nr = listedRecent, yb = baseline, nb = listedBaseline;
        var pi = (yr + yb + 0.5) / (nr + nb + 1);
        var alpha0 = priorWeight * Math.Max(1, nr + nb);
        double a = alpha0 * pi, b = alpha0 * (1 - pi);
        var delta = Math.Log((yr + a) / (nr - yr + b)) - Math.Log((yb + a) / (nb - yb + b));
        var variance = 1 / (yr + a) + 1 / (nr - yr + b) + 1 / (yb + a) + 1 / (nb - yb + b);
        return (delta, delta / Math.Sqrt(variance));
    }
}
