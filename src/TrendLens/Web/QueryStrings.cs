using Microsoft.AspNetCore.Http;

namespace TrendLens.Cli.Web;

/// <summary>The rules every endpoint applies to its query string before it reads a value.</summary>
public static class QueryStrings
{
    /// <summary>
    /// Why the query is refused — a parameter not in <paramref name="known"/>, or one of
    /// <paramref name="single"/> given more than once — or null when it is not.
    /// </summary>
    public static string? Refusal(IQueryCollection query, IReadOnlySet<string> known, IEnumerable<string> single)
    {
        foreach (var key in query.Keys)
            if (!known.Contains(key)) return $"unknown parameter '{key}'";
        foreach (var key in single)
            if (query[key].Count > 1) return $"parameter '{key}' is given {query[key].Count} times";
        return null;
    }

    /// <summary><see cref="Refusal(IQueryCollection, IReadOnlySet{string}, IEnumerable{string})"/> where every parameter is single.</summary>
    public static string? Refusal(IQueryCollection query, IReadOnlySet<string> known) => Refusal(query, known, known);
}
