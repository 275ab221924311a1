using System.Globalization;
using DuckDB.NET.Data;
using TrendLens.Dashboards;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Charts;

/// <summary>The line under every chart, the same on screen and in every export: range, grain, filters, n, data-as-of.</summary>
public static class ChartFooter
{
    public sealed record Facts(long Listed, DateOnly? DataAsOf);

    public static Facts Read(Database database, DuckDBConnection connection, PanelParameters p)
    {
        return connection.Single(SqlCatalog.Get("rollup/listed_papers_and_data_as_of"), r => new Facts(r.GetInt64(0), r.NullableDate(1)),
            ("from", p.From), ("to", p.To), ("source", p.Source));
    }

    /// <summary>The most characters of a footer line: what fits centred under the data of a 900-pixel chart with long labels.</summary>
    public const int LineLength = 100;

    /// <summary>The footer in lines of at most <see cref="LineLength"/> characters, broken between its " · " parts.</summary>
    public static string Wrap(string footer)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var part in footer.Split(" · "))
        {
            if (line.Length > 0 && line.Length + 3 + part.Length > LineLength)
            {
                lines.Add(line);
                line = part;
            }
            else
            {
                line = line.Length == 0 ? part : line + " · " + part;
            }
        }
        lines.Add(line);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The lines of <paramref name="text"/>, each that measures more than <paramref name="maxWidth"/>
    /// broken between its " · " parts, and a part still too wide between its words; lines that fit
    /// are left as they are.
    /// </summary>
    public static string Fit(string text, Func<string, float> measure, float maxWidth)
    {
        var lines = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (measure(line) <= maxWidth)
            {
                lines.Add(line);
                continue;
            }
            var current = "";
            foreach (var part in line.Split(" · "))
            {
                var joined = current.Length == 0 ? part : current + " · " + part;
                if (current.Length > 0 && measure(joined) > maxWidth)
                {
                    lines.AddRange(Words(current, measure, maxWidth));
                    current = part;
                }
                else current = joined;
            }
            lines.AddRange(Words(current, measure, maxWidth));
        }
        return string.Join('\n', lines);
    }

    /// <summary>One part as lines that fit, broken between words; a single word too wide stays whole.</summary>
    private static IEnumerable<string> Words(string part, Func<string, float> measure, float maxWidth)
    {
        if (measure(part) <= maxWidth)
        {
            yield return part;
            yield break;
        }
        var current = "";
        foreach (var word in part.Split(' '))
        {
            var joined = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && measure(joined) > maxWidth)
            {
                yield return current;
                current = word;
            }
            else current = joined;
        }
        if (current.Length > 0) yield return current;
    }

    public static string Text(PanelParameters p, Facts facts, bool demo) =>
        $"{p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd} · {p.Grain}" +
        (p.Names.Count > 0 ? " · " + string.Join(", ", p.Names) : "") +
        (p.Source.Length > 0 ? " · source " + p.Source : "") +
        $" · n = {facts.Listed:N0} papers listed · data as of {facts.DataAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}" +
        (demo ? " · SYNTHETIC DEMO DATA" : "");
}
