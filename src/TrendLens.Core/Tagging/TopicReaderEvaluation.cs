using System.Runtime.InteropServices;

namespace TrendLens.Tagging;

/// <summary>Topics found against topics labelled by hand: right, wrong (found, not labelled), missed.</summary>
public record struct TopicScore(int Right, int Wrong, int Missed)
{
    public readonly double Precision => Right + Wrong == 0 ? double.NaN : (double)Right / (Right + Wrong);
    public readonly double Recall => Right + Missed == 0 ? double.NaN : (double)Right / (Right + Missed);

    public void Add(IReadOnlyCollection<string> found, IReadOnlySet<string> expected)
    {
        foreach (var t in found.Union(expected)) Add(found.Contains(t), expected.Contains(t));
    }

    /// <summary>One topic of one paper: found by the tagger, labelled by hand, or both.</summary>
    public void Add(bool found, bool expected)
    {
        if (found && expected) Right++;
        else if (found) Wrong++;
        else if (expected) Missed++;
    }

    public static TopicScore operator +(TopicScore a, TopicScore b) => new(a.Right + b.Right, a.Wrong + b.Wrong, a.Missed + b.Missed);
}

/// <summary>One file of labels scored while held out of the reader's training: the rules alone, the reader alone, both.</summary>
/// <param name="ByTopic">Per topic, the rules with the reader.</param>
public sealed record HeldOutScore(string File, int Papers, TopicScore Rules, TopicScore Reader, TopicScore Both, Dictionary<string, TopicScore> ByTopic);

public static class TopicReaderEvaluation
{
    /// <summary>
    /// Leave files out: the files are dealt into <paramref name="folds"/> folds (file i into fold
    /// i mod folds; by default one file per fold), a reader is trained on the other folds' papers
    /// for each fold, and each file of the fold is tagged with the rules of <paramref name="lexicons"/>
    /// and that reader and scored against its labels. Scores come in the files' order.
    /// </summary>
    public static List<HeldOutScore> CrossValidate(Lexicons lexicons, IReadOnlyList<(string File, List<LabelledPaper> Papers)> sets,
        Action<int, string>? starting = null, int minTopicPapers = TopicReader.MinTopicPapers, int? folds = null)
    {
        if (sets.Count < 2) throw new ArgumentException("cross-validation needs two label files or more", nameof(sets));
        var foldCount = Math.Clamp(folds ?? sets.Count, 2, sets.Count);
        var names = lexicons.Topics.Topics.Select(t => t.Name).ToList();
        var rules = new Tagger(lexicons.WithoutReader(), TimeProvider.System);
        var scores = new HeldOutScore[sets.Count];
        for (var fold = 0; fold < foldCount; fold++)
        {
            var heldOut = Enumerable.Range(0, sets.Count).Where(i => i % foldCount == fold).ToList();
            starting?.Invoke(fold, string.Join(", ", heldOut.Select(i => Path.GetFileName(sets[i].File))));
            var training = sets.Where((_, i) => i % foldCount != fold).SelectMany(s => s.Papers).ToList();
            var file = TopicReader.Train(training, names, "cross-validation", minTopicPapers: minTopicPapers);
            // The threshold, the rules' weight and the words it must know of the lexicons' reader, when there is one.
            if (lexicons.Reader is { } shipped) file = file with { Threshold = shipped.Threshold, RuleWeight = shipped.RuleWeight, MinKnown = shipped.MinKnown };
            var reader = new TopicReader(file);
            foreach (var k in heldOut) scores[k] = Score(sets[k], rules, reader, names);
        }
        return scores.ToList();
    }

    /// <summary>One file tagged by the rules alone, the reader alone and both, and scored against its labels.</summary>
    private static HeldOutScore Score((string File, List<LabelledPaper> Papers) set, Tagger rules, TopicReader reader, List<string> names)
    {
        TopicScore byRules = default, byReader = default, byBoth = default;
        var p = new double[reader.Topics.Count];
        var byTopic = new Dictionary<string, TopicScore>();
        foreach (var paper in set.Papers)
        {
            var ruled = rules.Tag(paper.Title, paper.Abstract, null).Topics.ToList();
            var read = reader.Probabilities(paper.Title, paper.Abstract, p);
            var alone = names.Where(n => read && reader.IndexOf(n) is >= 0 and var t ? p[t] >= reader.Threshold : ruled.Contains(n)).ToList();
            var both = reader.Decide(p, read, ruled, names);
            byRules.Add(ruled, paper.Topics);
            byReader.Add(alone, paper.Topics);
            byBoth.Add(both, paper.Topics);
            foreach (var topic in both.Union(paper.Topics))
                CollectionsMarshal.GetValueRefOrAddDefault(byTopic, topic, out _).Add(both.Contains(topic), paper.Topics.Contains(topic));
        }
        return new HeldOutScore(set.File, set.Papers.Count, byRules, byReader, byBoth, byTopic);
    }
}
