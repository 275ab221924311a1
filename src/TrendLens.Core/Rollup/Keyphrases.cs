using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>
/// Learns from every tagged paper which term keys are one concept (<c>term_concepts</c>) and which
/// concepts are keyphrases worth ranking (<c>term_stats</c>), as part of the Rollup stage. Both are
/// functions of all the papers' tags and the lexicons' rules, so an import leaves the same result
/// as a <c>retag</c>. Rules and thresholds: docs/tagging.md, "Keywords".
/// </summary>
public static class Keyphrases
{
    /// <summary>Papers that must define an acronym by one long form before the two are one concept.</summary>
    public const int MinDefinitions = 2;
    /// <summary>Share of an acronym's definitions that one long form must have.</summary>
    public const double DefinitionShare = 0.6;
    /// <summary>Papers a phrase needs before it can be found to be part of a longer one.</summary>
    public const int MinPapers = 3;
    /// <summary>Share of a phrase's papers that must carry one longer phrase for the two to be one concept.</summary>
    public const double Coverage = 0.8;
    /// <summary>Papers whose <c>ai_keywords</c> must name a concept before it is a keyphrase on that evidence.</summary>
    public const int MinConfirmed = 2;
    /// <summary>Share of the papers with <c>ai_keywords</c> (plus 2) whose keywords must name the concept.</summary>
    public const double ConfirmedShare = 0.1;
    /// <summary>Below this many papers with <c>ai_keywords</c>, a name-shaped concept is a keyphrase without their word.</summary>
    public const int MinEvidence = 10;
    /// <summary>Share of a concept's papers in which it must end a phrase at least once; below it, it only modifies what follows.</summary>
    public const double MinEndShare = 0.2;
    /// <summary>A phrase ending in a generic head noun needs <c>ai_keywords</c> to name it in this share of (its papers with keywords + 2).</summary>
    public const double GenericShare = 0.25;

    /// <summary>The <paramref name="top"/> keyphrases with the most papers listed in a range, most first.</summary>
    public static IReadOnlyList<string> Top(DuckDBConnection connection, DateOnly from, DateOnly to, int top, string source) =>
        connection.Rows(SqlCatalog.Get("rollup/top_keyphrases"), r => r.GetString(0), ("from", from), ("to", to), ("top", top), ("source", source));

    private sealed record Edge(string Key, string Into, string Reason, long KeyPapers, long IntoPapers);

    /// <summary>How many stages <see cref="Prepare"/> announces.</summary>
    public const int PrepareSteps = 4;

    /// <summary>
    /// Works out the concept map and the concept statistics from every tagged paper into
    /// temporary tables of this connection (<c>term_id_papers</c>, <c>paper_rows</c>, <c>new_term_concepts</c>,
    /// <c>new_term_stats</c>, <c>new_version_stats</c>, <c>term_names</c>), outside the rebuild's transaction: inside
    /// one, DuckDB's temporary tables took twice as long. Every paper's keys, stored when it was
    /// tagged, are read once and counted (<c>rollup/term_keys_build.sql</c>); the map and the statistics are learned
    /// from those counts. It runs before the caller takes the write lock, and the caller finds out
    /// whether the data moved meanwhile (<see cref="RollupTables"/>); <see cref="Install"/> then
    /// puts the results in place. <paramref name="stage"/> hears of each of its
    /// <see cref="PrepareSteps"/> stages as it starts.
    /// </summary>
    public static void Prepare(DuckDBConnection connection, Action<string>? stage = null)
    {
        stage?.Invoke("reading every paper's terms");
        // One transaction: the keys name their papers by row, and the rows must be those of paper_rows.
        using (var tx = connection.BeginTransaction())
        {
            connection.Execute(SqlCatalog.Get("rollup/term_id_papers_build"), transaction: tx);
            tx.Commit();
        }
        stage?.Invoke("counting terms by key");
        connection.Execute(SqlCatalog.Get("rollup/term_keys_build"));
        stage?.Invoke("learning the concept map");
        var edges = connection.Query<Edge>(SqlCatalog.Get("rollup/term_concept_edges"),
            new { min_definitions = MinDefinitions, definition_share = DefinitionShare, min_papers = MinPapers, coverage = Coverage }).ToList();
        var named = connection.Query<string>(SqlCatalog.Get("rollup/alias_concept_keys")).ToHashSet(StringComparer.Ordinal);

        connection.Execute(SqlCatalog.Get("rollup/new_term_concepts_create"));
        using (var rows = connection.CreateAppender("new_term_concepts"))
            foreach (var (key, concept, reason) in Concepts(edges, named))
                rows.CreateRow().AppendValue(key).AppendValue(concept).AppendValue(reason).EndRow();

        stage?.Invoke("learning the keyphrases");
        connection.Execute(SqlCatalog.Get("rollup/term_stats_rebuild"),
            new { min_confirmed = MinConfirmed, confirmed_share = ConfirmedShare, min_evidence = MinEvidence, min_end_share = MinEndShare, generic_share = GenericShare });
    }

    /// <summary>Drops what <see cref="Prepare"/> made, when nothing is to be rebuilt after all.</summary>
    public static void Discard(DuckDBConnection connection) => connection.Execute(SqlCatalog.Get("rollup/concept_map_discard"));

    /// <summary>
    /// Replaces the concept map and statistics with those <see cref="Prepare"/> made; true when the
    /// map changed (then every day's term counts may change). Leaves <c>term_id_papers</c> and <c>term_names</c> for the
    /// rollup rebuild that follows, which drops them.
    /// </summary>
    public static bool Install(DuckDBConnection connection, DuckDBTransaction tx)
    {
        var before = MapHash(connection, tx, "term_concepts");
        var changed = MapHash(connection, tx, "new_term_concepts") != before;
        connection.Execute(SqlCatalog.Get("rollup/concept_map_install"), transaction: tx);
        return changed;
    }

    /// <summary>
    /// Joins the keys each edge names into concepts, and names each concept by the key a lexicon
    /// gives it, else by its key with the most papers that is not part of a longer phrase. Returns
    /// every key that is not its concept's name.
    /// </summary>
    private static IEnumerable<(string Key, string Concept, string Reason)> Concepts(List<Edge> edges, HashSet<string> named)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var papers = new Dictionary<string, long>(StringComparer.Ordinal);
        var reason = new Dictionary<string, string>(StringComparer.Ordinal);

        string Find(string key)
        {
            if (!parent.TryGetValue(key, out var up)) return parent[key] = key;
            if (up == key) return key;
            var root = Find(up);
            parent[key] = root;
            return root;
        }

        var parts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in edges)
        {
            papers[e.Key] = e.KeyPapers;
            papers[e.Into] = e.IntoPapers;
            // A key that is part of a longer phrase is recorded as such, whatever else joins it.
            if (e.Reason == "part_of" && parts.Add(e.Key)) reason[e.Key] = e.Reason;
            else reason.TryAdd(e.Key, e.Reason);
            var (a, b) = (Find(e.Key), Find(e.Into));
            if (a != b) parent[a] = b;
        }

        var members = parent.Keys.GroupBy(Find, StringComparer.Ordinal);
        foreach (var group in members)
        {
            // A part of a longer phrase never names the concept ("large language" is not the name of "large language model").
            var name = group
                .OrderByDescending(k => named.Contains(k))
                .ThenBy(k => parts.Contains(k))
                .ThenByDescending(k => papers.GetValueOrDefault(k))
                .ThenBy(k => k.Length)
                .ThenBy(k => k, StringComparer.Ordinal)
                .First();
            foreach (var key in group)
                if (key != name) yield return (key, name, reason.GetValueOrDefault(key) ?? reason.GetValueOrDefault(name) ?? "lexicon");
        }
    }

    private static string MapHash(DuckDBConnection connection, DuckDBTransaction tx, string table) =>
        connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/concept_map_hash"), new { table }, tx)!;
}
