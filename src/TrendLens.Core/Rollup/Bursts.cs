using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

public sealed record Burst(string Tag, DateOnly Start, DateOnly End, double Weight)
{
    /// <summary>The name shown for the tag.</summary>
    public string Display { get; init; } = Tag;
}

/// <summary>Parameters of <see cref="Bursts.Detect"/>; names match docs/emergence.md.</summary>
public sealed record BurstOptions
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    /// <summary>s: the burst state's rate is s times the base rate.</summary>
    public double S { get; init; } = 2.0;
    /// <summary>γ: entering the burst state costs γ·ln(n) for n list days.</summary>
    public double Gamma { get; init; } = 1.5;
    /// <summary>Bursts shorter than this many list days are dropped.</summary>
    public int MinLength { get; init; } = 2;
    /// <summary>Tags with fewer papers in the range are not examined.</summary>
    public int MinPapers { get; init; } = 5;
    public int Top { get; init; } = 0;
    /// <summary>Days before <see cref="From"/> read as the baseline the first bursts are judged against.</summary>
    public int BaselineDays { get; init; } = 90;
    /// <summary>A burst needs at least this many list days before it in the series: one that starts with the data is not a burst.</summary>
    public int MinBaselineDays { get; init; } = 20;
    /// <summary>Terms only: examine keyphrases, or every term.</summary>
    public RankedWords Words { get; init; } = RankedWords.Keyphrases;
    public IReadOnlyList<string> Names { get; init; } = [];
    /// <summary>Only this source's lists ('' = every source).</summary>
    public string Source { get; init; } = "";
}

/// <summary>
/// Kleinberg's two-state burst detection on daily binomial counts (Kleinberg 2003, "Bursty
/// and Hierarchical Structure in Streams", §4 "enumerating bursts" for batched arrivals): on
/// each list day r of d papers carry the tag; state 0 emits at the base rate p0 = R/D, state 1
/// at p1 = s·p0; the cheapest state sequence is found by a Viterbi pass. Days without a list
/// are not in the sequence at all. The sequence starts <see cref="BurstOptions.BaselineDays"/>
/// before the range, and a burst is only reported with a baseline before it, so a series high
/// from the first day of data is not a burst. Formulas: docs/emergence.md.
/// </summary>
public static class Bursts
{
    public static IReadOnlyList<Burst> Detect(Database database, DuckDBConnection connection, TagKind kind, BurstOptions o)
    {
        var seriesFrom = o.From.DayNumber - DateOnly.MinValue.DayNumber > o.BaselineDays ? o.From.AddDays(-o.BaselineDays) : DateOnly.MinValue;
        // Both reads in one transaction: the days and the counts come from the same rollup build,
        // even when a background rebuild commits in between (a day missing from the sequence would fail the request).
        (DateOnly ListDate, long Papers)[] days;
        List<(string Tag, string Display, DateOnly ListDate, long Papers)> rows;
        using (var tx = connection.BeginTransaction())
        {
            // Every list day is in the sequence, in order; days without the tag count zero papers.
            days = connection.Query<(DateOnly ListDate, long Papers)>(SqlCatalog.Get("rollup/listed_days"), new { from = seriesFrom, to = o.To, source = o.Source }, tx).ToArray();
            rows = connection.Query<(string Tag, string Display, DateOnly ListDate, long Papers)>(SqlCatalog.Get("rollup/tag_daily_counts"), new
            {
                kind = kind.Column(),
                from = seriesFrom,
                to = o.To,
                min_papers = o.MinPapers,
                names = string.Join('\u001f', o.Names),
                keyphrases = o.Words == RankedWords.Keyphrases,
                source = o.Source,
            }, tx).Select(r => (r.Tag, r.Display, r.ListDate, r.Papers)).ToList();
            tx.Commit();
        }
        var index = days.Select((d, i) => (d.ListDate, i)).ToDictionary(x => x.ListDate, x => x.i);
        var listed = days.Select(d => d.Papers).ToArray();

        var result = new List<Burst>();
        var hits = new long[days.Length];
        string? current = null;
        var display = "";
        void Flush()
        {
            if (current is null) return;
            foreach (var (start, end, weight) in Find(hits, listed, o.S, o.Gamma, o.MinLength))
            {
                // No baseline before it, or over before the range: not a burst of this range.
                if (start < o.MinBaselineDays || days[end].ListDate < o.From) continue;
                result.Add(new Burst(current, days[start].ListDate, days[end].ListDate, weight) { Display = display });
            }
            Array.Clear(hits);
        }
        // Rows come grouped by tag: one series at a time.
        foreach (var (tag, name, listDate, papers) in rows)
        {
            if (tag != current)
            {
                Flush();
                current = tag;
                display = name;
            }
            if (index.TryGetValue(listDate, out var at)) hits[at] += papers; // one row per source
        }
        Flush();
        return result
            .OrderByDescending(b => b.Weight)
            .ThenBy(b => b.Tag, StringComparer.Ordinal)
            .Take(o.Top > 0 ? o.Top : int.MaxValue)
            .ToList();
    }

    /// <summary>
    /// The bursts of one series as (first index, last index, weight). cost_i(t) =
    /// −[r_t ln p_i + (d_t − r_t) ln(1 − p_i)]; entering state 1 costs γ ln n, leaving is free;
    /// weight = Σ over the burst of cost_0(t) − cost_1(t). The base rate p0 starts as R/D and is
    /// re-estimated from the days outside the bursts found (up to <see cref="Refinements"/>
    /// times): a term that appears and grows would otherwise lift its own base rate with its
    /// burst and be found late.
    /// </summary>
    public static List<(int Start, int End, double Weight)> Find(long[] hits, long[] listed, double s, double gamma, int minLength)
    {
        var n = hits.Length;
        long r = hits.Sum(), d = listed.Sum();
        if (n == 0 || r == 0 || d == 0) return [];
        var p0 = (double)r / d;
        var states = Viterbi(hits, listed, p0, s, gamma);
        for (var i = 0; i < Refinements; i++)
        {
            long rOut = 0, dOut = 0;
            for (var t = 0; t < n; t++)
                if (!states[t]) { rOut += hits[t]; dOut += listed[t]; }
            if (dOut == 0 || dOut == d) break;
            // Half a paper of smoothing keeps p0 above zero when the term never appears outside.
            var refined = (rOut + 0.5) / (dOut + 1.0);
            if (Math.Abs(refined - p0) < 1e-9) break;
            p0 = refined;
            states = Viterbi(hits, listed, p0, s, gamma);
        }

        var p1 = Math.Min(s * p0, 0.9999);
        var bursts = new List<(int, int, double)>();
        for (var t = 0; t < n;)
        {
            if (!states[t]) { t++; continue; }
            var start = t;
            var weight = 0.0;
            while (t < n && states[t])
            {
                weight += Cost(hits, listed, t, p0) - Cost(hits, listed, t, p1);
                t++;
            }
            if (t - start >= minLength) bursts.Add((start, t - 1, weight));
        }
        return bursts;
    }

    /// <summary>How often the base rate is re-estimated from the days outside bursts.</summary>
    public const int Refinements = 2;

    private static double Cost(long[] hits, long[] listed, int t, double p) =>
        -(hits[t] * Math.Log(p) + (listed[t] - hits[t]) * Math.Log(1 - p));

    /// <summary>The cheapest state sequence (true = burst) for base rate p0, by a Viterbi pass.</summary>
    private static bool[] Viterbi(long[] hits, long[] listed, double p0, double s, double gamma)
    {
        var n = hits.Length;
        var states = new bool[n];
        var p1 = Math.Min(s * p0, 0.9999);
        if (p1 <= p0) return states;
        var up = gamma * Math.Log(n);

        double c0 = Cost(hits, listed, 0, p0), c1 = up + Cost(hits, listed, 0, p1);
        var cameFrom1 = new (bool In0, bool In1)[n];
        for (var t = 1; t < n; t++)
        {
            // Into state 0: stay, or leave the burst (free). Into state 1: enter (γ ln n), or stay.
            var n0 = Math.Min(c0, c1) + Cost(hits, listed, t, p0);
            var n1 = Math.Min(c0 + up, c1) + Cost(hits, listed, t, p1);
            cameFrom1[t] = (c1 < c0, c1 <= c0 + up);
            c0 = n0;
            c1 = n1;
        }
        var state = c1 < c0;
        for (var t = n - 1; t >= 0; t--)
        {
            states[t] = state;
            if (t > 0) state = state ? cameFrom1[t].In1 : cameFrom1[t].In0;
        }
        return states;
    }
}
