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
    /// Leave one file out: for each file of labels, a reader trained on the other files tags its
    /// papers with the rules of <paramref name="lexicons"/>, and the tags are scored against the file's labels.
    /// </summary>
    public static List<HeldOutScore> CrossValidate(Lexicons lexicons, IReadOnlyList<(string File, List<LabelledPaper> Papers)> sets,
        Action<int, string>? starting = null, int minTopicPapers = TopicReader.MinTopicPapers)
    {
        var names = lexicons.Topics.Topics.Select(t => t.Name).ToList();
        var rules = new Tagger(lexicons.WithoutReader(), TimeProvider.System);
        var scores = new List<HeldOutScore>();
        for (var k = 0; k < sets.Count; k++)
        {
            starting?.Invoke(k, sets[k].File);
            var training = sets.Where((_, i) => i != k).SelectMany(s => s.Papers).ToList();
            var file = TopicReader.Train(training, names, "cross-validation", minTopicPapers: minTopicPapers);
            // The threshold, the rules' weight and the words it must know of the lexicons' reader, when there is one.
            if (lexicons.Reader is { } shipped) file = file with { Threshold = shipped.Threshold, RuleWeight = shipped.RuleWeight, MinKnown = shipped.MinKnown };
            var reader = new TopicReader(file);
            TopicScore byRules = default, byReader = default, byBoth = default;
            var p = new double[reader.Topics.Count];
            var byTopic = new Dictionary<string, TopicScore>();
            foreach (var paper in sets[k].Papers)
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
            scores.Add(new HeldOutScore(sets[k].File, sets[k].Papers.Count, byRules, byReader, byBoth, byTopic));
        }
        return scores;
    }
}
