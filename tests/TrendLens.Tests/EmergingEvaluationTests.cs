using TrendLens.Rollup;
using TrendLens.Storage;
using Xunit.Abstractions;

namespace TrendLens.Tests;

/// <summary>
/// The emerging lists of real windows of the Daily Papers archive, made with the default rules
/// and scored against the judgments in Evaluation/emerging-judged.tsv (readers who had not seen
/// the rules). An entry no one judged fails the test: after a change of rules, the lists it
/// changes are judged again. Skipped, never passed, where the archive is absent.
/// </summary>
public class EmergingEvaluationTests(ITestOutputHelper output)
{
    /// <summary>The issue's target for what the lists show: at least 8 entries in 10 a researcher would cite.</summary>
    public const double MinInformative = 0.8;

    private sealed record Judgment(string Set, string Window, DateOnly From, DateOnly To, string Kind, string Item, bool Informative, string Group);

    private static List<Judgment> Judgments() =>
        File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Evaluation", "emerging-judged.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("set\t", StringComparison.Ordinal))
            .Select(l => l.Split('\t'))
            .Select(p => new Judgment(p[0], p[1], DateOnly.Parse(p[2]), DateOnly.Parse(p[3]), p[4], p[5], p[6] == "yes", p.Length > 7 ? p[7] : ""))
            .ToList();

    private sealed record Score(int Windows, int Listed, int Informative, int SameConcept, List<string> Unjudged, List<string> NotInformative)
    {
        public double Share => Listed == 0 ? 0 : (double)Informative / Listed;
    }

    private static Score Evaluate(Database database, List<Judgment> judged, string set, TagKind kind)
    {
        var judgedKind = kind == TagKind.Versions ? "version" : "keyword";
        var byItem = judged.Where(j => j.Set == set && j.Kind == judgedKind).ToLookup(j => (j.Window, j.Item));
        int windows = 0, listed = 0, informative = 0, same = 0;
        List<string> unjudged = [], no = [];
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);
        foreach (var window in judged.Where(j => j.Set == set).GroupBy(j => (j.Window, j.From, j.To)).Select(g => g.Key))
        {
            windows++;
            var options = new EmergenceOptions { From = window.From, To = window.To };
            var result = Emergence.Rank(database, connection, kind, kind == TagKind.Versions ? options.ForVersions() : options);
            var groups = new List<string>();
            foreach (var tag in result.Tags)
            {
                var judgment = byItem[(window.Window, tag.Display)].FirstOrDefault();
                if (judgment is null)
                {
                    unjudged.Add($"{window.Window}: {tag.Display}");
                    continue;
                }
                listed++;
                if (judgment.Informative) informative++;
                else no.Add($"{window.Window}: {tag.Display}");
                if (judgment.Group.Length > 0) groups.Add(judgment.Group);
            }
            same += groups.Count - groups.Distinct().Count();
        }
        return new Score(windows, listed, informative, same, unjudged, no);
    }

    [SkippableFact]
    public void HeldOutWindows_DefaultLists_AreInformative_WithOneEntryPerConcept()
    {
        using var tmp = new TempDir();
        Fixture.ImportArchive(tmp);
        var database = new Database(tmp.Db);
        var judged = Judgments();

        var scores = new Dictionary<string, Score>();
        foreach (var (set, kind) in new[] { ("heldout", TagKind.Terms), ("heldout", TagKind.Versions), ("dev", TagKind.Terms), ("dev", TagKind.Versions) })
        {
            var score = Evaluate(database, judged, set, kind);
            scores[$"{set} {kind}"] = score;
            output.WriteLine($"{set} windows, {(kind == TagKind.Terms ? "emerging keyphrases" : "model versions")}: {score.Windows} windows, {score.Listed} entries, "
                + $"{score.Informative} informative ({score.Share:P0}), {score.SameConcept} extra entries of one concept, {score.Unjudged.Count} not judged"
                + (score.NotInformative.Count > 0 ? "; not informative: " + string.Join("; ", score.NotInformative) : "")
                + (score.Unjudged.Count > 0 ? "; not judged: " + string.Join("; ", score.Unjudged) : ""));
        }

        foreach (var key in new[] { "heldout Terms", "heldout Versions" })
        {
            var score = scores[key];
            Assert.True(score.Unjudged.Count == 0, $"{key}: entries no one judged (judge the changed lists again): {string.Join("; ", score.Unjudged)}");
            Assert.True(score.Listed > 0, $"{key}: nothing listed in {score.Windows} windows");
            Assert.True(score.Share >= MinInformative, $"{key}: {score.Informative} of {score.Listed} informative ({score.Share:P0})");
            Assert.Equal(0, score.SameConcept);
        }
    }
}
