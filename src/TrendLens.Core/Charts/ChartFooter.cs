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
    public static string Wrap(string footer) => string.Join('\n', Pack(footer.Split(" · "), " · ", s => s.Length, LineLength));

    /// <summary>
    /// The lines of <paramref name="text"/>, each that measures more than <paramref name="maxWidth"/>
    /// broken between its " · " parts, and a part still too wide between its words; lines that fit
    /// are left as they are.
    /// </summary>
    public static string Fit(string text, Func<string, float> measure, float maxWidth) =>
        string.Join('\n', text.Split('\n').SelectMany(line => measure(line) <= maxWidth ? [line]
            : Pack(line.Split(" · "), " · ", measure, maxWidth)
                .SelectMany(part => measure(part) <= maxWidth ? [part] : Pack(part.Split(' '), " ", measure, maxWidth))));

    /// <summary>
    /// The pieces joined by <paramref name="joint"/> into as few lines as fit <paramref name="maxWidth"/>,
    /// in order; a piece too wide alone is a line of its own.
    /// </summary>
    private static IEnumerable<string> Pack(IEnumerable<string> pieces, string joint, Func<string, float> measure, float maxWidth)
    {
        var line = "";
        foreach (var piece in pieces)
        {
            var joined = line.Length == 0 ? piece : line + joint + piece;
            if (line.Length > 0 && measure(joined) > maxWidth)
            {
                yield return line;
                line = piece;
            }
            else line = joined;
        }
        yield return line;
    }

    /// <summary>The footer under a panel's chart drawn from <paramref name="data"/>: <see cref="For"/> with the facts of its range.</summary>
    public static string Of(Database database, DuckDBConnection connection, PanelParameters p, PanelData data, bool demo)
    {
        var facts = Read(database, connection, p);
        return For(Text(p, facts, demo), data, facts, demo);
    }

    /// <summary>
    /// A panel's footer: the page's (<paramref name="pageFooter"/>), unless the panel compares two
    /// sources over one period (lift), whose footer names the days compared and both sources' n.
    /// </summary>
    public static string For(string pageFooter, PanelData data, Facts facts, bool demo) =>
        data.Compared is not { } c ? pageFooter
            : $"{c.From:yyyy-MM-dd} to {c.To:yyyy-MM-dd}, the days both sources cover · one period · {c.Source} against {c.Base}" +
              $" · n = {c.Listed:N0} and {c.BaseListed:N0} papers listed · data as of {facts.DataAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}" +
              (demo ? " · SYNTHETIC DEMO DATA" : "");

    public static string Text(PanelParameters p, Facts facts, bool demo) =>
        $"{p.From:yyyy-MM-dd} to {p.To:yyyy-MM-dd} · {p.Grain}" +
        (p.Names.Count > 0 ? " · " + string.Join(", ", p.Names) : "") +
        (p.Source.Length > 0 ? " · source " + p.Source : "") +
        $" · n = {facts.Listed:N0} papers listed · data as of {facts.DataAsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—"}" +
        (demo ? " · SYNTHETIC DEMO DATA" : "");
}
