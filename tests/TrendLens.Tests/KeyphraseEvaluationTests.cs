using Dapper;
using TrendLens.Rollup;
using TrendLens.Storage;
using Xunit.Abstractions;

namespace TrendLens.Tests;

/// <summary>
/// The keyphrase rules on the Daily Papers archive against the judgments of a reader who had not
/// seen them (Evaluation/keyphrase-*-judged.tsv): keys joined because one says an acronym where the
/// other says its long form, one-word concepts starting with a number that are not names, and
/// keys joined because one is a model's maker followed by the model.
/// Skipped, never passed, where the archive is absent.
/// </summary>
public class KeyphraseEvaluationTests(ITestOutputHelper output)
{
    private static IEnumerable<string[]> Rows(string file) =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Evaluation", file))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Skip(1)
            .Select(l => l.Split('\t'));

    [SkippableFact]
    public void AcronymJoins_AndQuantitiesLeftOut_MatchTheReadersJudgments()
    {
        using var tmp = new TempDir();
        Fixture.ImportArchive(tmp);
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);
        string ConceptOf(string key) => connection.ExecuteScalar<string>(
            "select coalesce((select concept from term_concepts where key = term_key($key)), term_key($key))", new { key })!;

        // Joins: every pair the reader judged the same thing is one concept; none judged apart is.
        var joins = Rows("keyphrase-joins-judged.tsv").Concat(Rows("keyphrase-dimension-acronyms-judged.tsv"))
            .Select(r => (A: r[0], B: r[1], Same: r[2] == "yes")).ToList();
        var joined = joins.Where(j => ConceptOf(j.A) == ConceptOf(j.B)).ToList();
        var wrong = joined.Where(j => !j.Same).ToList();
        output.WriteLine($"acronym joins: {joins.Count} judged, {joined.Count} joined, {joined.Count - wrong.Count} of them the same thing ({(double)(joined.Count - wrong.Count) / Math.Max(1, joined.Count):P0})");
        Assert.True(joined.Count >= 0.95 * joins.Count(j => j.Same), $"{joins.Count(j => j.Same) - joined.Count(j => j.Same)} pairs judged the same are not joined");
        Assert.Empty(wrong);

        // Names: of the one-word concepts starting with a number, those the reader judged no name
        // are no keyphrases (held out: the four the rule was written for are left out here).
        var names = Rows("keyphrase-names-judged.tsv").Where(r => r[0] == "judged").Select(r => (Display: r[1], Name: r[2] == "yes")).ToList();
        bool Keyphrase(string display) => connection.ExecuteScalar<bool?>("select keyphrase from term_stats where concept = $concept", new { concept = ConceptOf(display) }) ?? false;
        var notNames = names.Where(n => !n.Name).ToList();
        var stillRanked = notNames.Where(n => Keyphrase(n.Display)).Select(n => n.Display).ToList();
        var namesLost = names.Where(n => n.Name && !Keyphrase(n.Display)).Select(n => n.Display).ToList();
        output.WriteLine($"one-word concepts starting with a number: {names.Count} judged, {notNames.Count} no name, of them {stillRanked.Count} still keyphrases; "
            + $"{names.Count - notNames.Count} names, of them {namesLost.Count} not keyphrases ({string.Join(", ", namesLost)})");
        Assert.True(stillRanked.Count <= 0.05 * notNames.Count, $"ranked as keyphrases: {string.Join(", ", stillRanked)}");

        // A maker's name before its model's: every such join was judged, and judged the same thing.
        var makers = Rows("keyphrase-organization-judged.tsv").ToDictionary(r => (r[0], r[1]), r => r[2] == "yes");
        var made = connection.Query<(string Key, string Concept)>("select key, concept from term_concepts where reason = 'organization' order by key").ToList();
        output.WriteLine($"organization joins: {made.Count} made, {makers.Count} judged, {makers.Count(m => m.Value)} of them the same thing");
        Assert.All(made, m => Assert.True(makers.GetValueOrDefault((m.Key, m.Concept)), $"{m.Key} -> {m.Concept}: not judged the same thing"));
        Assert.Equal(makers.Count(m => m.Value), made.Count);
    }
}
