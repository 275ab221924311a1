using System.Text.Json;
using TrendLens.Tagging;
using Xunit.Abstractions;

namespace TrendLens.Tests;

/// <summary>
/// Scores topics against hand labels (Evaluation/topic-labels*.tsv: the sets the rules were developed
/// on and held-out sets labelled without sight of the rules) over real titles, abstracts and
/// ai_keywords read from ../shared/data/hf-daily: the rules alone on every set, the rules with the
/// topic reader cross-validated over the sets it learns from and on the set held out of its
/// training; and checks that no topic is on most of the archive. Skipped, never passed, where the
/// archive is absent.
/// </summary>
public class TopicEvaluationTests(ITestOutputHelper output)
{
    /// <summary>What the topics should reach (issue: overall precision 0.90, recall 0.85, no topic below 0.75 precision); printed beside the figures.</summary>
    public const double TargetPrecision = 0.90;
    public const double TargetRecall = 0.85;
    public const double TargetTopicPrecision = 0.75;
    /// <summary>No topic may be on more than this share of the archive's papers.</summary>
    public const double MaxTopicShare = 0.35;

    private static Dictionary<string, HashSet<string>> Labels(string file) =>
        TopicLabels.Read(Path.Combine(AppContext.BaseDirectory, "Evaluation", file), Lexicons.Load(Lexicons.FindDirectory()).Topics);

    /// <summary>Title, abstract and ai_keywords of each paper (its first listing), for the ids asked, or all.</summary>
    internal static Dictionary<string, (string Title, string Abstract, List<string>? Keywords)> Texts(string archive, IReadOnlySet<string>? ids = null)
    {
        var texts = new Dictionary<string, (string, string, List<string>?)>();
        foreach (var file in Directory.EnumerateFiles(archive, "*.jsonl").Order(StringComparer.Ordinal))
            foreach (var line in File.ReadLines(file))
            {
                using var doc = JsonDocument.Parse(line);
                var e = doc.RootElement;
                var id = e.GetProperty("id").GetString()!;
                if (ids is not null && !ids.Contains(id)) continue;
                var keywords = e.GetProperty("ai_keywords") is { ValueKind: JsonValueKind.Array } k ? k.EnumerateArray().Select(x => x.GetString()!).ToList() : null;
                texts.TryAdd(id, (e.GetProperty("title").GetString()!, e.GetProperty("summary").GetString()!, keywords));
            }
        return texts;
    }

    /// <summary>Every set of labels, in the order they were made: each holds papers of no earlier set.</summary>
    private static readonly string[] Sets =
    [
        "topic-labels.tsv", "topic-labels-holdout.tsv", "topic-labels-holdout2.tsv", "topic-labels-holdout3.tsv",
        "topic-labels-dev2.tsv", "topic-labels-holdout4.tsv", "topic-labels-holdout5.tsv", "topic-labels-holdout6.tsv",
        "topic-labels-holdout7.tsv", "topic-labels-holdout8.tsv", "topic-labels-holdout9.tsv",
        "topic-labels-holdout10.tsv", "topic-labels-holdout11.tsv", "topic-labels-holdout12.tsv", "topic-labels-holdout13.tsv",
        "topic-labels-holdout14.tsv", "topic-labels-holdout15.tsv", "topic-labels-holdout16.tsv", "topic-labels-holdout17.tsv",
        "topic-labels-holdout18.tsv", "topic-labels-holdout19.tsv", "topic-labels-holdout20.tsv", "topic-labels-holdout21.tsv",
        "topic-labels-holdout22.tsv", "topic-labels-holdout23.tsv", "topic-labels-holdout24.tsv", "topic-labels-holdout25.tsv",
        "topic-labels-holdout26.tsv", "topic-labels-holdout27.tsv", "topic-labels-holdout28.tsv", "topic-labels-holdout29.tsv",
        "topic-labels-holdout30.tsv", "topic-labels-holdout31.tsv", "topic-labels-holdout32.tsv", "topic-labels-holdout33.tsv",
        "topic-labels-holdout34.tsv", "topic-labels-holdout35.tsv", "topic-labels-holdout36.tsv", "topic-labels-holdout37.tsv",
        "topic-labels-holdout38.tsv", "topic-labels-holdout39.tsv", "topic-labels-holdout40.tsv", "topic-labels-holdout41.tsv",
        "topic-labels-holdout42.tsv", "topic-labels-holdout43.tsv", "topic-labels-holdout44.tsv", "topic-labels-holdout45.tsv",
        "topic-labels-holdout46.tsv",
    ];

    [Fact]
    public void Labels_UseOnlyTopicsOfTheLexicon_AndTheSetsAreApart()
    {
        var known = Lexicons.Load(Lexicons.FindDirectory()).Topics.Topics.Select(t => t.Name).ToHashSet();
        var seen = new HashSet<string>();
        foreach (var file in Sets)
        {
            var set = Labels(file);
            var shared = set.Keys.Where(seen.Contains).ToList();
            Assert.True(shared.Count == 0, $"{file} shares papers with an earlier set: {string.Join(", ", shared)}");
            seen.UnionWith(set.Keys);
            var unknown = set.Values.SelectMany(l => l).Where(t => !known.Contains(t)).Distinct().ToList();
            Assert.True(unknown.Count == 0, $"{file} names topics the lexicon does not have: {string.Join(", ", unknown)}");
        }
        foreach (var set in SecondReaders)
        {
            var secondReader = Labels(SecondReaderOf(set));
            Assert.Equal(Labels(set).Keys.Order(), secondReader.Keys.Order());
            Assert.Empty(secondReader.Values.SelectMany(l => l).Where(t => !known.Contains(t)).Distinct());
        }

        var (labels, holdout) = (Labels("topic-labels.tsv"), Labels("topic-labels-holdout.tsv"));
        Assert.True(labels.Count + holdout.Count >= 150, $"{labels.Count + holdout.Count} labelled papers, want at least 150");
        Assert.True(holdout.Count >= 40, $"{holdout.Count} held-out papers, want at least 40");
    }

    /// <summary>
    /// The figures the rules alone reach today (docs/tagging.md, "Topics"), below the targets: a change
    /// of rules that lowers them fails here. The labels do not change, so the figures are exact.
    /// </summary>
    [SkippableTheory]
    [InlineData("topic-labels.tsv", 0.87, 0.76)]
    [InlineData("topic-labels-dev2.tsv", 0.82, 0.75)]
    [InlineData("topic-labels-holdout.tsv", 0.83, 0.77)]
    [InlineData("topic-labels-holdout2.tsv", 0.80, 0.80)]
    [InlineData("topic-labels-holdout3.tsv", 0.91, 0.71)]
    [InlineData("topic-labels-holdout4.tsv", 0.89, 0.74)]
    [InlineData("topic-labels-holdout5.tsv", 0.87, 0.72)]
    [InlineData("topic-labels-holdout6.tsv", 0.78, 0.71)]
    [InlineData("topic-labels-holdout7.tsv", 0.81, 0.76)]
    [InlineData("topic-labels-holdout8.tsv", 0.85, 0.69)]
    [InlineData("topic-labels-holdout9.tsv", 0.84, 0.73)]
    [InlineData("topic-labels-holdout10.tsv", 0.87, 0.75)]
    [InlineData("topic-labels-holdout11.tsv", 0.77, 0.69)]
    [InlineData("topic-labels-holdout12.tsv", 0.82, 0.73)]
    [InlineData("topic-labels-holdout13.tsv", 0.85, 0.72)]
    [InlineData("topic-labels-holdout14.tsv", 0.74, 0.75)]
    [InlineData("topic-labels-holdout15.tsv", 0.83, 0.78)]
    [InlineData("topic-labels-holdout16.tsv", 0.78, 0.75)]
    [InlineData("topic-labels-holdout17.tsv", 0.78, 0.77)]
    [InlineData("topic-labels-holdout18.tsv", 0.79, 0.79)]
    [InlineData("topic-labels-holdout19.tsv", 0.76, 0.78)]
    [InlineData("topic-labels-holdout20.tsv", 0.75, 0.77)]
    [InlineData("topic-labels-holdout21.tsv", 0.79, 0.77)]
    [InlineData("topic-labels-holdout22.tsv", 0.77, 0.76)]
    [InlineData("topic-labels-holdout23.tsv", 0.81, 0.79)]
    [InlineData("topic-labels-holdout24.tsv", 0.79, 0.77)]
    [InlineData("topic-labels-holdout25.tsv", 0.76, 0.78)]
    [InlineData("topic-labels-holdout26.tsv", 0.76, 0.76)]
    [InlineData("topic-labels-holdout27.tsv", 0.78, 0.74)]
    [InlineData("topic-labels-holdout28.tsv", 0.79, 0.74)]
    [InlineData("topic-labels-holdout29.tsv", 0.80, 0.77)]
    [InlineData("topic-labels-holdout30.tsv", 0.78, 0.71)]
    [InlineData("topic-labels-holdout31.tsv", 0.78, 0.73)]
    [InlineData("topic-labels-holdout32.tsv", 0.77, 0.77)]
    [InlineData("topic-labels-holdout33.tsv", 0.80, 0.76)]
    [InlineData("topic-labels-holdout34.tsv", 0.81, 0.76)]
    [InlineData("topic-labels-holdout35.tsv", 0.81, 0.81)]
    [InlineData("topic-labels-holdout36.tsv", 0.80, 0.75)]
    [InlineData("topic-labels-holdout37.tsv", 0.79, 0.77)]
    [InlineData("topic-labels-holdout38.tsv", 0.77, 0.74)]
    [InlineData("topic-labels-holdout39.tsv", 0.77, 0.76)]
    [InlineData("topic-labels-holdout40.tsv", 0.80, 0.77)]
    [InlineData("topic-labels-holdout41.tsv", 0.80, 0.77)]
    [InlineData("topic-labels-holdout42.tsv", 0.82, 0.75)]
    [InlineData("topic-labels-holdout43.tsv", 0.80, 0.76)]
    [InlineData("topic-labels-holdout44.tsv", 0.80, 0.76)]
    [InlineData("topic-labels-holdout45.tsv", 0.75, 0.80)]
    [InlineData("topic-labels-holdout46.tsv", 0.80, 0.75)]
    public void TopicRules_OnHandLabelledPapers_KeepTheirPrecisionAndRecall(string file, double minPrecision, double minRecall)
    {
        var archive = Fixture.Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        var (precision, recall) = Score(file, archive!, Lexicons.Load(Lexicons.FindDirectory()).WithoutReader());
        Assert.True(precision >= minPrecision, $"micro precision {precision:0.000} < {minPrecision}");
        Assert.True(recall >= minRecall, $"micro recall {recall:0.000} < {minRecall}");
    }

    /// <summary>
    /// Topics as TrendLens tags them (the rules with the topic reader of dashboards/topic-reader.json)
    /// on the sets held out of the reader's training, labelled by readers who saw neither and each
    /// scored once after the reader was frozen.
    /// </summary>
    [SkippableTheory]
    [InlineData("topic-labels-holdout20.tsv", 0.85, 0.85)]
    [InlineData("topic-labels-holdout29.tsv", 0.89, 0.81)]
    [InlineData("topic-labels-holdout30.tsv", 0.88, 0.80)]
    [InlineData("topic-labels-holdout31.tsv", 0.88, 0.86)]
    [InlineData("topic-labels-holdout32.tsv", 0.87, 0.85)]
    [InlineData("topic-labels-holdout33.tsv", 0.90, 0.84)]
    public void Topics_OnTheSetsHeldOutOfTheReadersTraining_KeepTheirPrecisionAndRecall(string file, double minPrecision, double minRecall)
    {
        var archive = Fixture.Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        var lexicons = Lexicons.Load(Lexicons.FindDirectory());
        Assert.NotNull(lexicons.Reader);
        var (precision, recall) = Score(file, archive!, lexicons);
        Assert.True(precision >= minPrecision, $"micro precision {precision:0.000} < {minPrecision}");
        Assert.True(recall >= minRecall, $"micro recall {recall:0.000} < {minRecall}");
    }

    /// <summary>The label files held out of the shipped reader's training; it learned from every other set.</summary>
    private static readonly string[] HeldOutOfTheReader =
    [
        "topic-labels-holdout20.tsv", "topic-labels-holdout29.tsv",
        "topic-labels-holdout30.tsv", "topic-labels-holdout31.tsv", "topic-labels-holdout32.tsv", "topic-labels-holdout33.tsv",
    ];

    [Fact]
    public void TheShippedReader_IsTrainedOnEverySetButTheHeldOutOne()
    {
        var reader = Lexicons.Load(Lexicons.FindDirectory()).Reader;
        Assert.NotNull(reader);
        var trainedOn = reader.File.TrainedOn!.Split(':', 2)[1].Split(',', StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal);
        Assert.Equal(Sets.Except(HeldOutOfTheReader).Order(StringComparer.Ordinal), trainedOn);
        Assert.StartsWith($"{Sets.Except(HeldOutOfTheReader).Sum(s => Labels(s).Count)} papers", reader.File.TrainedOn);
        // The response file docs/tagging.md trains it with names the same sets.
        var listed = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Evaluation", "topic-reader-training.rsp"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(Sets.Except(HeldOutOfTheReader).Order(StringComparer.Ordinal), listed);
    }

    /// <summary>
    /// The honest figure for every set the reader learns from: the sets dealt into five folds, a reader
    /// trained without each fold tags the fold's sets with the rules (what `trendlens train-topics
    /// --cross-validate --folds 5` prints; five trainings rather than one per set keep this test to a minute or two).
    /// </summary>
    private const int Folds = 5;

    [SkippableFact]
    public void Topics_CrossValidatedOverTheLabelledSets_KeepTheirPrecisionAndRecall()
    {
        var archive = Fixture.Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        var lexicons = Lexicons.Load(Lexicons.FindDirectory());
        var files = Sets.Except(HeldOutOfTheReader).ToList();
        var labels = files.ToDictionary(f => f, Labels);
        var texts = Texts(archive!, labels.Values.SelectMany(l => l.Keys).ToHashSet());
        var sets = files.Select(f => (f, labels[f].Select(l => new LabelledPaper(l.Key, texts[l.Key].Title, texts[l.Key].Abstract, l.Value)).ToList())).ToList();

        var scores = TopicReaderEvaluation.CrossValidate(lexicons, sets, folds: Folds);
        foreach (var s in scores)
            output.WriteLine($"{s.File,-30} {s.Papers,4}  rules {s.Rules.Precision:0.000}/{s.Rules.Recall:0.000}  reader {s.Reader.Precision:0.000}/{s.Reader.Recall:0.000}  both {s.Both.Precision:0.000}/{s.Both.Recall:0.000}");
        var rules = scores.Aggregate(default(TopicScore), (a, s) => a + s.Rules);
        var both = scores.Aggregate(default(TopicScore), (a, s) => a + s.Both);
        output.WriteLine($"all: rules {rules.Precision:0.000}/{rules.Recall:0.000}, rules with the reader {both.Precision:0.000}/{both.Recall:0.000}");
        Console.WriteLine($"topics cross-validated over {files.Count} sets: precision {both.Precision:0.000}, recall {both.Recall:0.000} (rules alone {rules.Precision:0.000}/{rules.Recall:0.000})");
        Assert.True(both.Precision >= 0.90, $"cross-validated precision {both.Precision:0.000} < 0.90");
        Assert.True(both.Recall >= 0.81, $"cross-validated recall {both.Recall:0.000} < 0.81");
        var weak = lexicons.Topics.Topics.Select(t => (t.Name, Score: scores.Aggregate(default(TopicScore), (a, s) => a + s.ByTopic.GetValueOrDefault(t.Name))))
            .Where(t => t.Score.Right + t.Score.Wrong >= 10 && t.Score.Precision < TargetTopicPrecision).Select(t => $"{t.Name} {t.Score.Precision:0.000}").ToList();
        Assert.True(weak.Count == 0, $"topics below {TargetTopicPrecision} precision, cross-validated: {string.Join(", ", weak)}");
    }

    /// <summary>Tags a label file's papers, prints the figures per topic and every miss and false positive with its evidence, returns micro precision and recall.</summary>
    private (double Precision, double Recall) Score(string file, string archive, Lexicons lexicons)
    {
        var labels = Labels(file);
        var texts = Texts(archive, labels.Keys.ToHashSet());
        Assert.Equal(labels.Count, texts.Count);
        var tagger = new Tagger(lexicons, TimeProvider.System);

        var tp = new Dictionary<string, int>();
        var fp = new Dictionary<string, int>();
        var fn = new Dictionary<string, int>();
        var mistakes = new List<string>();
        foreach (var (id, expected) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var (title, @abstract, keywords) = texts[id];
            var found = tagger.Tag(title, @abstract, keywords).Topics.ToHashSet();
            foreach (var t in expected.Union(found))
            {
                var inExpected = expected.Contains(t);
                var inFound = found.Contains(t);
                var counter = inExpected && inFound ? tp : inFound ? fp : fn;
                counter[t] = counter.GetValueOrDefault(t) + 1;
                if (inExpected != inFound)
                    mistakes.Add($"{(inFound ? "false positive" : "missed")}: {id} {t} ({Shorten(title)}) {Why(tagger, t, title, @abstract, keywords)}{WhyReader(lexicons.Reader, t, title, @abstract)}");
            }
        }

        output.WriteLine($"{"topic",-38} {"tp",4} {"fp",4} {"fn",4} {"precision",10} {"recall",7}");
        var weak = new List<string>();
        foreach (var t in tp.Keys.Union(fp.Keys).Union(fn.Keys).Order(StringComparer.Ordinal))
        {
            int a = tp.GetValueOrDefault(t), p = fp.GetValueOrDefault(t), n = fn.GetValueOrDefault(t);
            output.WriteLine($"{t,-38} {a,4} {p,4} {n,4} {Ratio(a, a + p),10} {Ratio(a, a + n),7}");
            if (a + p >= 3 && (double)a / (a + p) < TargetTopicPrecision) weak.Add($"{t} {Ratio(a, a + p)}");
        }
        int sumTp = tp.Values.Sum(), sumFp = fp.Values.Sum(), sumFn = fn.Values.Sum();
        var precision = (double)sumTp / (sumTp + sumFp);
        var recall = (double)sumTp / (sumTp + sumFn);
        output.WriteLine($"{"micro-average",-38} {sumTp,4} {sumFp,4} {sumFn,4} {precision,10:0.000} {recall,7:0.000}");
        output.WriteLine($"targets: precision {TargetPrecision}, recall {TargetRecall}, no topic below {TargetTopicPrecision} precision; "
            + $"topics below it: {(weak.Count == 0 ? "none" : string.Join(", ", weak))}");
        foreach (var m in mistakes) output.WriteLine(m);
        Console.WriteLine($"topics on {labels.Count} labelled papers ({file}{(lexicons.Reader is null ? ", rules alone" : ", rules and reader")}): micro precision {precision:0.000}, recall {recall:0.000}");
        return (precision, recall);
    }

    /// <summary>The reader's probability and the words that moved it most.</summary>
    private static string WhyReader(TopicReader? reader, string topic, string title, string @abstract)
    {
        if (reader is null || reader.IndexOf(topic) < 0) return "";
        var (p, reasons) = reader.Explain(title, @abstract, topic);
        return $" reader {p:0.00} [{string.Join(", ", reasons.Take(5).Select(r => $"{r.Feature} {r.Contribution:+0.00;-0.00}"))}]";
    }

    /// <summary>The sets a second reader labelled apart, each in a file named after it (<see cref="SecondReaderOf"/>).</summary>
    private static readonly string[] SecondReaders =
    [
        "topic-labels-holdout3.tsv", "topic-labels-holdout20.tsv", "topic-labels-holdout30.tsv",
        "topic-labels-holdout31.tsv", "topic-labels-holdout32.tsv", "topic-labels-holdout33.tsv",
    ];

    private static string SecondReaderOf(string set) => set.Replace(".tsv", "-second-reader.tsv");

    /// <summary>
    /// Readers who labelled the same set apart: how far careful readers agree, scored like the rules
    /// (the first reader as the truth). Where they agree far better than the rules and the topic reader
    /// reach, the gap is TrendLens's, not the labels'.
    /// </summary>
    [Theory]
    [InlineData("topic-labels-holdout3.tsv")]
    [InlineData("topic-labels-holdout20.tsv")]
    [InlineData("topic-labels-holdout30.tsv")]
    [InlineData("topic-labels-holdout31.tsv")]
    [InlineData("topic-labels-holdout32.tsv")]
    [InlineData("topic-labels-holdout33.tsv")]
    public void TwoReaders_AgreeOnTheSameSet(string set)
    {
        var first = Labels(set);
        var second = Labels(SecondReaderOf(set));
        int tp = 0, fp = 0, fn = 0;
        foreach (var (id, truth) in first)
        {
            tp += second[id].Intersect(truth).Count();
            fp += second[id].Except(truth).Count();
            fn += truth.Except(second[id]).Count();
        }
        double precision = (double)tp / (tp + fp), recall = (double)tp / (tp + fn);
        output.WriteLine($"second reader against the first, {first.Count} papers: precision {precision:0.000}, recall {recall:0.000} ({tp} agreed, {fp} + {fn} not)");
        Assert.True(precision >= 0.95 && recall >= 0.95, $"readers agree at {precision:0.000}/{recall:0.000}");
    }

    [SkippableFact]
    public void NoTopic_IsOnMoreThanAThirdOfTheArchive()
    {
        var archive = Fixture.Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        var texts = Texts(archive!);
        var tagger = new Tagger(Lexicons.Load(Lexicons.FindDirectory()), TimeProvider.System);

        var counts = new Dictionary<string, int>();
        foreach (var (title, @abstract, keywords) in texts.Values)
            foreach (var t in tagger.Tag(title, @abstract, keywords).Topics)
                counts[t] = counts.GetValueOrDefault(t) + 1;

        foreach (var (t, n) in counts.OrderByDescending(c => c.Value))
            output.WriteLine($"{t,-38} {n,6} {(double)n / texts.Count,8:P1}");
        var top = counts.MaxBy(c => c.Value);
        Assert.True(top.Value <= MaxTopicShare * texts.Count, $"{top.Key} is on {top.Value} of {texts.Count} papers ({(double)top.Value / texts.Count:P1})");
    }

    /// <summary>The phrases of the topic the paper said, as title/abstract sayings: why a false positive fired, or how near a miss came.</summary>
    private static string Why(Tagger tagger, string topic, string title, string @abstract, List<string>? keywords) =>
        "[" + string.Join(", ", tagger.TopicEvidence(title, @abstract, keywords).Where(e => e.Topic == topic)
            .Select(e => $"{e.Phrase} {e.Role.ToLowerInvariant()} {e.Title}/{e.Text}")) + "]";

    private static string Shorten(string s)
    {
        s = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return s.Length > 70 ? s[..69] + "…" : s;
    }

    private static string Ratio(int a, int b) => b == 0 ? "-" : ((double)a / b).ToString("0.000");
}
