using TrendLens.Tagging;
using Xunit.Abstractions;

namespace TrendLens.Tests;

/// <summary>
/// Scores the model-family matcher against hand labels (Evaluation/family-labels.tsv) over real
/// abstracts read from ../shared/data/hf-daily. Skipped, never passed, where the archive is absent.
/// </summary>
public class FamilyEvaluationTests(ITestOutputHelper output)
{
    public const double MinPrecision = 0.95;
    public const double MinRecall = 0.90;

    private static Dictionary<string, HashSet<string>> Labels(string file = "family-labels.tsv")
    {
        var labels = new Dictionary<string, HashSet<string>>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Evaluation", file)))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var parts = line.Split('\t');
            labels.Add(parts[0], parts[1] == "-" ? [] : parts[1].Split(',').ToHashSet());
        }
        return labels;
    }

    [Fact]
    public void Labels_UseOnlyFamiliesOfTheLexicon()
    {
        var known = Lexicons.Load(Lexicons.FindDirectory()).Families.Families.Select(f => f.Name).ToHashSet();
        var labels = Labels();

        var holdout = Labels("family-labels-holdout.tsv");

        Assert.True(labels.Count >= 150, $"{labels.Count} labelled papers, want at least 150");
        Assert.Empty(labels.Keys.Intersect(holdout.Keys));
        Assert.Empty(labels.Values.Concat(holdout.Values).SelectMany(l => l).Where(f => !known.Contains(f)).Distinct());
    }

    [SkippableTheory]
    [InlineData("family-labels.tsv")]
    [InlineData("family-labels-holdout.tsv")]
    public void Families_OnHandLabelledAbstracts_MeetPrecisionAndRecall(string file)
    {
        var archive = Fixture.Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        var labels = Labels(file);
        var texts = TopicEvaluationTests.Texts(archive!, labels.Keys.ToHashSet());
        Assert.Equal(labels.Count, texts.Count);
        var tagger = new Tagger(Lexicons.Load(Lexicons.FindDirectory()), TimeProvider.System);

        var tp = new Dictionary<string, int>();
        var fp = new Dictionary<string, int>();
        var fn = new Dictionary<string, int>();
        var mistakes = new List<string>();
        foreach (var (id, expected) in labels)
        {
            var (title, @abstract, _) = texts[id];
            var found = tagger.Tag(title, @abstract, null).Families.ToDictionary(f => f.Family, f => f.Evidence);
            foreach (var f in expected.Union(found.Keys))
            {
                var inExpected = expected.Contains(f);
                var inFound = found.ContainsKey(f);
                var counter = inExpected && inFound ? tp : inFound ? fp : fn;
                counter[f] = counter.GetValueOrDefault(f) + 1;
                if (inExpected != inFound) mistakes.Add($"{(inFound ? "false positive" : "missed")}: {id} {f}{(inFound ? $" (\"{found[f]}\")" : "")}");
            }
        }

        output.WriteLine($"{"family",-18} {"tp",4} {"fp",4} {"fn",4} {"precision",10} {"recall",7}");
        foreach (var f in tp.Keys.Union(fp.Keys).Union(fn.Keys).Order())
        {
            int t = tp.GetValueOrDefault(f), p = fp.GetValueOrDefault(f), n = fn.GetValueOrDefault(f);
            output.WriteLine($"{f,-18} {t,4} {p,4} {n,4} {Ratio(t, t + p),10} {Ratio(t, t + n),7}");
        }
        int sumTp = tp.Values.Sum(), sumFp = fp.Values.Sum(), sumFn = fn.Values.Sum();
        var precision = (double)sumTp / (sumTp + sumFp);
        var recall = (double)sumTp / (sumTp + sumFn);
        output.WriteLine($"{"micro-average",-18} {sumTp,4} {sumFp,4} {sumFn,4} {precision,10:0.000} {recall,7:0.000}");
        foreach (var m in mistakes) output.WriteLine(m);
        // Also on stdout, so `dotnet test --logger "console;verbosity=detailed"` shows the table.
        Console.WriteLine($"family matcher on {labels.Count} labelled abstracts ({file}): micro precision {precision:0.000}, recall {recall:0.000}");

        Assert.True(precision >= MinPrecision, $"micro precision {precision:0.000} < {MinPrecision}");
        Assert.True(recall >= MinRecall, $"micro recall {recall:0.000} < {MinRecall}");
    }

    private static string Ratio(int a, int b) => b == 0 ? "-" : ((double)a / b).ToString("0.000");
}
