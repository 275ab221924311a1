using System.Data;
using System.Text.RegularExpressions;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Dashboards;

/// <summary>What a dashboard page asks of every panel: the range, the grain, name filters and a source ('' = all).</summary>
public sealed record PanelParameters(DateOnly From, DateOnly To, string Grain, IReadOnlyList<string> Names, string Source = "")
{
    public string CacheKey => $"{From:yyyy-MM-dd}|{To:yyyy-MM-dd}|{Grain}|{string.Join('\u001f', Names)}|{Source}";
}

/// <summary>
/// A panel's rows, chart-ready: column names and values (DateOnly, string, long, double, bool),
/// and for charts of keywords or families over time the bursts of the series shown, to shade.
/// </summary>
public sealed record PanelData(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows)
{
    public IReadOnlyList<Burst> Bursts { get; init; } = [];

    public int Column(string name)
    {
        var i = Columns.ToList().IndexOf(name);
        return i >= 0 ? i : throw new DashboardException($"the query returned no column '{name}' (it has {string.Join(", ", Columns)})");
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

    public static PanelData Run(Database database, DuckDBConnection connection, PanelDefinition panel, PanelParameters p)
    {
        var kind = panel.Of switch { "families" => TagKind.Families, "topics" => TagKind.Topics, _ => TagKind.Terms };
        switch (panel.Query)
        {
            case "emerging":
            {
                var rows = Emergence.Rank(database, connection, kind, new EmergenceOptions
                {
                    From = p.To.AddDays(1 - panel.WindowDays) < p.From ? p.From : p.To.AddDays(1 - panel.WindowDays),
                    To = p.To,
                    Top = panel.Top,
                    Names = p.Names,
                    Source = p.Source,
                    SpecificOnly = panel.Words == "specific",
                });
                return new PanelData(["term", "score", "papers", "baseline_papers", "first_seen", "new"],
                    rows.Select(r => new object?[] { r.Tag, r.Score, r.Papers, r.BaselinePapers, r.FirstSeen, r.New }).ToList());
            }
            case "bursts":
            {
                var rows = Bursts.Detect(database, connection, kind, new BurstOptions { From = p.From, To = p.To, Top = panel.Top, Names = p.Names, Source = p.Source });
                return new PanelData(["term", "start", "end", "weight"],
                    rows.Select(r => new object?[] { r.Tag, r.Start, r.End, r.Weight }).ToList());
            }
        }

        // Per-period queries read the daily rollups and the current listings, rebuilt here when the data changed.
        RollupTables.EnsureFresh(database, connection);
        var sql = SqlCatalog.Get(panel.Query);
        var available = new Dictionary<string, object>
        {
            ["from"] = p.From,
            ["to"] = p.To,
            ["grain"] = p.Grain,
            ["top"] = panel.Top,
            ["names"] = string.Join('\u001f', p.Names),
            ["source"] = p.Source,
        };
        var parameters = new DynamicParameters();
        foreach (var name in DeclaredParameters(sql))
        {
            if (!available.TryGetValue(name, out var value))
                throw new DashboardException($"sql/{panel.Query}.sql needs ${name}, which a panel cannot supply");
            parameters.Add(name, value);
        }
        using var reader = connection.ExecuteReader(sql, parameters);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var result = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[columns.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : Normalize(reader.GetValue(i));
            result.Add(row);
        }
        var data = new PanelData(columns, result);
        var burstKind = panel.Query switch
        {
            "rollup/family_share_by_period" => TagKind.Families,
            "rollup/term_share_by_period" => TagKind.Terms,
            _ => (TagKind?)null,
        };
        if (burstKind is { } bk && panel.Series is { } series && DashboardCatalog.Kind(panel) is ChartKind.Line or ChartKind.StackedArea && result.Count > 0)
        {
            var names = result.Select(r => r[data.Column(series)] as string).OfType<string>().Distinct().ToList();
            data = data with { Bursts = Rollup.Bursts.Detect(database, connection, bk, new BurstOptions { From = p.From, To = p.To, Names = names, MinPapers = 1, Source = p.Source }) };
        }
        return data;
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
