namespace TrendLens.Rollup;

/// <summary>
/// Which lists a read (a query, chart, page or review) counts when it names no source. Shares of
/// two lists pooled together mean nothing (a Daily Papers share is a share of what the community
/// picked; an arXiv share, of everything submitted), so a read counts one list by default: the
/// primary source — the first configured source (<c>hf-daily</c> as shipped), or the demo's —
/// when the database holds its lists, and every source otherwise (a database filled under other
/// names). <c>--source all</c> / <c>source=all</c> pools every source on purpose.
/// </summary>
public static class ReadSource
{
    /// <summary>The name that asks for every source together.</summary>
    public const string Every = "all";

    /// <param name="given">As typed: empty when no source is named.</param>
    /// <param name="primary">The first configured source (or the demo's); null when none is configured.</param>
    /// <param name="stored">The sources with stored lists.</param>
    /// <returns>The source to read ('' = every source), or null when <paramref name="given"/> names no stored source.</returns>
    public static string? Resolve(string given, string? primary, IReadOnlyCollection<string> stored) => given switch
    {
        "" => primary is not null && stored.Contains(primary) ? primary : "",
        Every => "",
        _ => stored.Contains(given) ? given : null,
    };

    /// <summary>
    /// As <see cref="Resolve(string, string?, IReadOnlyCollection{string})"/>, asking for the primary
    /// source only when it matters: with one source stored, every source is that source, and a
    /// command need not read its configuration (20 ms of a read command's 250) to know it.
    /// </summary>
    public static string? Resolve(string given, Func<string?> primary, IReadOnlyCollection<string> stored) =>
        given.Length == 0 && stored.Count == 1 ? stored.First() : Resolve(given, given.Length == 0 ? primary() : null, stored);

    /// <summary>"no lists from source 'x'; stored sources: a, b (or all)"; without "(or all)" where every source pooled is no answer (lift).</summary>
    public static string Unknown(string given, IReadOnlyCollection<string> stored, bool orEvery = true) =>
        $"no lists from source '{given}'; stored sources: {(stored.Count == 0 ? "none" : string.Join(", ", stored) + (orEvery ? $" (or {Every})" : ""))}";
}
