using System.Collections.Frozen;
using System.Runtime.InteropServices;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace TrendLens.Tagging;

/// <summary>
/// <c>dashboards/topic-reader.json</c>: what <see cref="TopicReader"/> learned from papers labelled by
/// hand (<c>trendlens train-topics</c>). Per topic, the words and word pairs that speak for it
/// (positive weights) or against it (negative), and how rare each one is in papers (<c>idf</c>).
/// </summary>
public sealed record TopicReaderFile
{
    /// <summary>What it was trained on: the label files and the number of papers.</summary>
    public string? TrainedOn { get; init; }
    /// <summary>A topic is the paper's when the reader's probability reaches this alone.</summary>
    public double Threshold { get; init; } = TopicReader.DefaultThreshold;
    /// <summary>The rules' vote: a topic the rules give needs a probability of only <c>threshold - ruleWeight</c>.</summary>
    public double RuleWeight { get; init; } = TopicReader.DefaultRuleWeight;
    /// <summary>The reader judges a paper when it knows at least this many of its distinct words and pairs; else the rules decide.</summary>
    public int MinKnown { get; init; } = TopicReader.DefaultMinKnown;
    /// <summary>Every word and word pair the reader reads, with its inverse document frequency.</summary>
    public required Dictionary<string, double> Idf { get; init; }
    public required List<TopicReaderTopic> Topics { get; init; }
}

/// <summary>One topic of the reader: its bias and the weights of the words and pairs that count for it.</summary>
public sealed record TopicReaderTopic
{
    public required string Name { get; init; }
    public double Bias { get; init; }
    public required Dictionary<string, double> Weights { get; init; }
}

/// <summary>A paper labelled by hand: its text and the topics a reader gave it.</summary>
public sealed record LabelledPaper(string Id, string Title, string Abstract, IReadOnlySet<string> Topics);

/// <summary>
/// The second reader of topics (docs/tagging.md, "The topic reader"): a logistic regression per
/// topic over the paper's words and word pairs (title counted three times, stop words left out,
/// tf-idf, unit length), trained on papers labelled by hand. The rules of topics.json say which
/// topics a paper names; the reader says which ones papers like it are about, including those
/// whose abstract implies a topic without naming it. A topic is the paper's when the reader's
/// probability reaches <see cref="Threshold"/>, or <see cref="Threshold"/> less
/// <see cref="RuleWeight"/> when the rules give it too. Topics the reader was not trained for
/// (a topic a user adds) are the rules' alone.
/// </summary>
public sealed class TopicReader
{
    public const double DefaultThreshold = 0.80;
    public const double DefaultRuleWeight = 0.20;
    /// <summary>The title's words count this many times: a title says what the paper is about.</summary>
    public const int TitleRepeats = 3;
    /// <summary>A word or pair in fewer labelled papers than this is not read.</summary>
    public const int MinPapers = 3;
    /// <summary>Inverse strength of the regularisation (as C in liblinear and scikit-learn).</summary>
    public const double Regularization = 10;
    /// <summary>Each topic keeps its strongest weights, so the file stays readable and small.</summary>
    public const int WeightsPerTopic = 1000;
    /// <summary>
    /// A topic with fewer labelled papers than this is left to the rules: from so few the reader
    /// learns too little, and its low probabilities would drop the rules' right tags.
    /// </summary>
    public const int MinTopicPapers = 25;
    /// <summary>
    /// The reader judges a paper when it knows at least this many of its distinct words and pairs:
    /// all but 1 of the archive's 9,881 papers, none of the generator's synthetic ones.
    /// </summary>
    public const int DefaultMinKnown = 20;
    private const int MaxWord = 40;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    // The words of the features (and the stop words, as StopWord), the feature each word is alone,
    // and the feature each pair of words is: a paper's words are looked up once each.
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly int[] _single;
    private readonly Dictionary<long, int> _pairs = [];
    private const int StopWord = -2;
    private readonly string[] _features;
    private readonly double[] _idf;
    // Weights by feature: those of feature f are _topic/_weight[_start[f].._start[f + 1]].
    private readonly int[] _start;
    private readonly int[] _topic;
    private readonly double[] _weight;
    private readonly string[] _names;
    private readonly double[] _bias;

    public TopicReader(TopicReaderFile file)
    {
        File = file;
        Threshold = file.Threshold;
        RuleWeight = file.RuleWeight;
        MinKnown = file.MinKnown;
        _features = file.Idf.Keys.ToArray();
        _idf = file.Idf.Values.ToArray();
        var ids = new Dictionary<string, int>(_features.Length, StringComparer.Ordinal);
        for (var i = 0; i < _features.Length; i++) ids[_features[i]] = i;
        _lookup = ids.GetAlternateLookup<ReadOnlySpan<char>>();
        var words = new Dictionary<string, int>(StringComparer.Ordinal);
        int Word(string w) => words.TryGetValue(w, out var id) ? id : words[w] = words.Count;
        var single = new List<int>();
        for (var f = 0; f < _features.Length; f++)
        {
            var parts = _features[f].Split(' ');
            var first = Word(parts[0]);
            while (single.Count < words.Count) single.Add(-1);
            if (parts.Length == 1) single[first] = f;
            else
            {
                var second = Word(parts[1]);
                while (single.Count < words.Count) single.Add(-1);
                _pairs[((long)first << 32) | (uint)second] = f;
            }
        }
        _single = single.ToArray();
        foreach (var stop in StopWordList) words.TryAdd(stop, StopWord);
        _words = words.GetAlternateLookup<ReadOnlySpan<char>>();
        _names = file.Topics.Select(t => t.Name).ToArray();
        _bias = file.Topics.Select(t => t.Bias).ToArray();
        var byFeature = new List<(int Topic, double Weight)>[_features.Length];
        for (var t = 0; t < file.Topics.Count; t++)
            foreach (var (feature, weight) in file.Topics[t].Weights)
                (byFeature[ids[feature]] ??= []).Add((t, weight));
        _start = new int[_features.Length + 1];
        for (var f = 0; f < _features.Length; f++) _start[f + 1] = _start[f] + (byFeature[f]?.Count ?? 0);
        _topic = new int[_start[^1]];
        _weight = new double[_start[^1]];
        for (var f = 0; f < _features.Length; f++)
            for (var k = 0; k < (byFeature[f]?.Count ?? 0); k++)
                (_topic[_start[f] + k], _weight[_start[f] + k]) = byFeature[f]![k];
    }

    public TopicReaderFile File { get; }
    public double Threshold { get; }
    public double RuleWeight { get; }

    /// <summary>The probability a topic needs when the rules give it too: <see cref="Threshold"/> less <see cref="RuleWeight"/>.</summary>
    public double WithRulesThreshold => Threshold - RuleWeight;
    public int MinKnown { get; }

    /// <summary>The topics the reader was trained for, in the file's order.</summary>
    public IReadOnlyList<string> Topics => _names;

    /// <summary>A topic's place in <see cref="Topics"/> and in <see cref="Probabilities"/>; -1 when the reader does not know it.</summary>
    public int IndexOf(string topic) => Array.IndexOf(_names, topic);

    [ThreadStatic]
    private static Scratch? _scratch;

    private sealed class Scratch
    {
        public int[] Counts = [];
        public double[] Values = new double[256];
        public readonly List<int> Touched = [];
    }

    /// <summary>
    /// The topics of a paper: the rules' topics (<paramref name="ruled"/>, in the lexicon's order)
    /// weighed with the reader's; the rules' alone when the reader knows too little of the text.
    /// </summary>
    public List<string> Decide(string title, string @abstract, List<string> ruled, IReadOnlyList<string> lexiconOrder)
    {
        Span<double> p = stackalloc double[_names.Length];
        return Decide(p, Probabilities(title, @abstract, p), ruled, lexiconOrder);
    }

    /// <summary>The same, from the paper's <see cref="Probabilities"/> and whether the reader read it.</summary>
    public List<string> Decide(ReadOnlySpan<double> p, bool read, List<string> ruled, IReadOnlyList<string> lexiconOrder)
    {
        if (!read) return ruled;
        var index = IndexesOf(lexiconOrder);
        var topics = new List<string>(ruled.Count + 2);
        for (var i = 0; i < index.Length; i++)
        {
            var (name, t) = (lexiconOrder[i], index[i]);
            var byRules = ruled.Contains(name);
            if (t < 0 ? byRules : p[t] >= Threshold || byRules && p[t] >= WithRulesThreshold) topics.Add(name);
        }
        return topics;
    }

    /// <summary>The place in <see cref="Topics"/> of each name of a lexicon's order, kept for the last order asked.</summary>
    private int[] IndexesOf(IReadOnlyList<string> lexiconOrder)
    {
        if (_order is { } known && ReferenceEquals(known.Names, lexiconOrder)) return known.Index;
        var index = lexiconOrder.Select(IndexOf).ToArray();
        _order = new LexiconOrder(lexiconOrder, index); // one reference, written whole: safe to share between threads
        return index;
    }

    private sealed record LexiconOrder(IReadOnlyList<string> Names, int[] Index);

    private LexiconOrder? _order;

    /// <summary>
    /// The reader's probability of each of its <see cref="Topics"/> for a paper. False when it knows
    /// fewer than <see cref="MinKnown"/> of the paper's distinct words and pairs (a title alone, text in
    /// another language, synthetic words): it has not read enough to judge, and the rules decide.
    /// </summary>
    public bool Probabilities(string title, string @abstract, Span<double> p)
    {
        var scratch = _scratch ??= new Scratch();
        if (scratch.Counts.Length != _features.Length) scratch.Counts = new int[_features.Length];
        var sink = new CountSink(this, scratch.Counts, scratch.Touched);
        Scan(title, TitleRepeats, ref sink);
        Scan(@abstract, 1, ref sink);
        return Weigh(scratch, p);
    }

    /// <summary>
    /// The same from the tagger's tokens of a paper: the title's <paramref name="titleTokens"/>
    /// tokens, a token between, then the abstract's. Each distinct word is scanned once per
    /// tagging thread (<see cref="Word.ReaderWords"/>), not once per paper.
    /// </summary>
    internal bool Probabilities(List<Token> tokens, int titleTokens, Span<double> p)
    {
        var scratch = _scratch ??= new Scratch();
        if (scratch.Counts.Length != _features.Length) scratch.Counts = new int[_features.Length];
        var sink = new CountSink(this, scratch.Counts, scratch.Touched);
        var all = CollectionsMarshal.AsSpan(tokens);
        for (var i = 0; i < all.Length; i++)
        {
            if (i == titleTokens) sink.End();
            if (all[i].Word is not { } word) continue;
            var times = i < titleTokens ? TitleRepeats : 1;
            foreach (var id in word.ReaderWords ??= WordsOf(word.Text)) sink.Id(id, times);
        }
        sink.End();
        return Weigh(scratch, p);
    }

    /// <summary>The reader's numbers of the words in one token, stop words left out, -1 for a word it does not know.</summary>
    private int[] WordsOf(string token)
    {
        var sink = new WordIdSink(this, []);
        Scan(token, 1, ref sink);
        return sink.Ids.Count == 0 ? [] : sink.Ids.ToArray();
    }

    /// <summary>The probabilities from the counts a sink left in <paramref name="scratch"/>, which it clears.</summary>
    private bool Weigh(Scratch scratch, Span<double> p)
    {
        var z = p;
        _bias.CopyTo(z);
        var touched = CollectionsMarshal.AsSpan(scratch.Touched);
        if (scratch.Values.Length < touched.Length) scratch.Values = new double[Math.Max(touched.Length, 2 * scratch.Values.Length)];
        var values = scratch.Values.AsSpan(0, touched.Length);
        var norm = 0.0;
        for (var i = 0; i < touched.Length; i++)
        {
            var f = touched[i];
            values[i] = Value(scratch.Counts[f], _idf[f]);
            norm += values[i] * values[i];
            scratch.Counts[f] = 0;
        }
        norm = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
        for (var i = 0; i < touched.Length; i++)
        {
            var f = touched[i];
            var x = values[i] * norm;
            for (var k = _start[f]; k < _start[f + 1]; k++) z[_topic[k]] += x * _weight[k];
        }
        var known = touched.Length;
        scratch.Touched.Clear();
        for (var t = 0; t < z.Length; t++) p[t] = 1 / (1 + Math.Exp(-z[t]));
        return known >= MinKnown;
    }

    /// <summary>
    /// For one topic: the reader's probability and the words and pairs that moved it most, strongest
    /// first; NaN and none when the reader does not know the topic, or knows fewer than
    /// <see cref="MinKnown"/> of the paper's words and pairs (as <see cref="Probabilities"/> says).
    /// </summary>
    public (double Probability, List<(string Feature, double Contribution)> Reasons) Explain(string title, string @abstract, string topic)
    {
        var t = IndexOf(topic);
        if (t < 0) return (double.NaN, []);
        var counts = Count(title, @abstract);
        var x = Vector(counts, f => _lookup.TryGetValue(f, out var id) ? id : -1, _idf);
        if (x.Count < MinKnown) return (double.NaN, []);
        var reasons = new List<(string, double)>();
        var z = _bias[t];
        foreach (var (f, value) in x)
            for (var k = _start[f]; k < _start[f + 1]; k++)
                if (_topic[k] == t)
                {
                    z += value * _weight[k];
                    reasons.Add((_features[f], value * _weight[k]));
                }
        return (1 / (1 + Math.Exp(-z)), reasons.OrderByDescending(r => Math.Abs(r.Item2)).ToList());
    }

    private static double Value(int count, double idf) => (1 + Math.Log(count)) * idf;

    /// <summary>Every word and word pair of a paper and how often it occurs, the title's counted <see cref="TitleRepeats"/> times.</summary>
    internal static Dictionary<string, int> Count(string title, string @abstract)
    {
        var sink = new StringSink([]);
        Scan(title, TitleRepeats, ref sink);
        Scan(@abstract, 1, ref sink);
        return sink.Counts;
    }

    /// <summary>A paper's tf-idf vector of unit length over the features that <paramref name="id"/> knows.</summary>
    private static List<(int Feature, double Value)> Vector(Dictionary<string, int> counts, Func<string, int> id, double[] idf)
    {
        var x = new List<(int, double)>(counts.Count);
        foreach (var (feature, count) in counts)
            if (id(feature) is >= 0 and var f) x.Add((f, Value(count, idf[f])));
        var norm = Math.Sqrt(x.Sum(v => v.Item2 * v.Item2));
        if (norm > 0) for (var i = 0; i < x.Count; i++) x[i] = (x[i].Item1, x[i].Item2 / norm);
        x.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return x;
    }

    private interface ISink
    {
        /// <summary>A word of the text, lower-cased, in order; <paramref name="times"/> is how often it counts.</summary>
        void Word(ReadOnlySpan<char> word, int times);

        /// <summary>The end of a text: no pair spans two texts.</summary>
        void End();
    }

    /// <summary>Counts the reader's features by number: each word looked up once, its pair with the word before by the two numbers.</summary>
    private struct CountSink(TopicReader reader, int[] counts, List<int> touched) : ISink
    {
        private int _previous = -1;

        public void Word(ReadOnlySpan<char> word, int times)
        {
            var id = reader._words.TryGetValue(word, out var known) ? known : -1;
            if (id != StopWord) Id(id, times);
        }

        /// <summary>A word by its number; -1, a word the reader does not know: neither it nor a pair with it is read.</summary>
        public void Id(int id, int times)
        {
            if (id < 0)
            {
                _previous = -1;
                return;
            }
            if (reader._single[id] is >= 0 and var single) Add(single, times);
            if (_previous >= 0 && reader._pairs.TryGetValue(((long)_previous << 32) | (uint)id, out var pair)) Add(pair, times);
            _previous = id;
        }

        public void End() => _previous = -1;

        private readonly void Add(int feature, int times)
        {
            if (counts[feature] == 0) touched.Add(feature);
            counts[feature] += times;
        }
    }

    /// <summary>Collects the numbers of the words of a text (one token), as <see cref="CountSink"/> reads them.</summary>
    private readonly struct WordIdSink(TopicReader reader, List<int> ids) : ISink
    {
        public List<int> Ids => ids;

        public void Word(ReadOnlySpan<char> word, int times)
        {
            var id = reader._words.TryGetValue(word, out var known) ? known : -1;
            if (id != StopWord) ids.Add(id);
        }

        public void End() { }
    }

    /// <summary>Counts every word and pair by its text (for training and explaining).</summary>
    private struct StringSink(Dictionary<string, int> counts) : ISink
    {
        private string? _previous;

        public readonly Dictionary<string, int> Counts => counts;

        public void Word(ReadOnlySpan<char> word, int times)
        {
            if (StopWords.Contains(word)) return;
            var text = word.ToString();
            counts[text] = counts.GetValueOrDefault(text) + times;
            if (_previous is not null)
            {
                var pair = _previous + " " + text;
                counts[pair] = counts.GetValueOrDefault(pair) + times;
            }
            _previous = text;
        }

        public void End() => _previous = null;
    }

    /// <summary>Whether a text is a word or a pair of words as <see cref="Scan"/> gives them: what a reader file may name.</summary>
    public static bool IsFeature(string feature)
    {
        var words = feature.Split(' ');
        return words.Length is 1 or 2 && words.All(w => w.Length is >= 2 and <= MaxWord && w.All(IsWordChar) && !w.All(char.IsAsciiDigit) && w == w.ToLowerInvariant());
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c > 127 && char.IsLetterOrDigit(c);

    /// <summary>
    /// The words of a text (runs of letters and digits, two or more, lower-cased) given to the sink,
    /// which leaves out stop words and pairs each word with the one before it. Numbers alone
    /// ("2025", "100") are passed over like stop words: a year or a count says when or how much,
    /// not what a paper is about, and learned as a word it became a reason for a topic.
    /// </summary>
    private static void Scan<TSink>(ReadOnlySpan<char> text, int times, ref TSink sink) where TSink : struct, ISink
    {
        Span<char> word = stackalloc char[MaxWord];
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                i++;
                continue;
            }
            // The run of word characters, lower-cased as it is read (ASCII at once, the rest as .NET folds it).
            var length = 0;
            var number = true;
            for (; i < text.Length && IsWordChar(text[i]); i++, length++)
                if (length < MaxWord)
                {
                    var c = text[i];
                    number &= char.IsAsciiDigit(c);
                    word[length] = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c < 128 ? c : char.ToLowerInvariant(c);
                }
            if (length is >= 2 and <= MaxWord && !number) sink.Word(word[..length], times);
        }
        sink.End();
    }

    private static readonly string[] StopWordList =
    [
        "a", "about", "above", "across", "after", "afterwards", "again", "against", "all", "almost", "alone", "along",
        "already", "also", "although", "always", "am", "among", "amongst", "an", "and", "another", "any", "anyhow",
        "anyone", "anything", "anyway", "anywhere", "are", "around", "as", "at", "be", "became", "because", "become",
        "becomes", "becoming", "been", "before", "beforehand", "behind", "being", "below", "beside", "besides",
        "between", "beyond", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done",
        "down", "due", "during", "each", "eg", "either", "else", "elsewhere", "enough", "etc", "even", "ever", "every",
        "everyone", "everything", "everywhere", "except", "few", "for", "from", "further", "had", "has", "have",
        "having", "he", "hence", "her", "here", "hereby", "herein", "hers", "herself", "him", "himself", "his", "how",
        "however", "ie", "if", "in", "indeed", "into", "is", "it", "its", "itself", "just", "last", "latter", "least",
        "less", "many", "may", "me", "meanwhile", "might", "more", "moreover", "most", "mostly", "much", "must", "my",
        "myself", "namely", "neither", "never", "nevertheless", "next", "no", "nobody", "none", "nor", "not",
        "nothing", "now", "nowhere", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other",
        "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps", "rather", "same",
        "several", "she", "should", "since", "so", "some", "somehow", "someone", "something", "sometimes",
        "somewhere", "still", "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then",
        "thence", "there", "thereafter", "thereby", "therefore", "therein", "these", "they", "this", "those",
        "though", "through", "throughout", "thus", "to", "together", "too", "toward", "towards", "under", "until",
        "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what", "whatever", "when", "whence",
        "whenever", "where", "whereas", "whereby", "wherein", "whether", "which", "while", "who", "whoever", "whole",
        "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your", "yours",
        "yourself", "yourselves",
    ];

    // After the list: static fields are set in the order they are written.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> StopWords =
        new HashSet<string>(StopWordList, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Learns a reader from labelled papers: the vocabulary (words and pairs in at least
    /// <see cref="MinPapers"/> papers), then per topic a class-balanced, L2-regularised logistic
    /// regression, its <see cref="WeightsPerTopic"/> strongest weights kept and learned again alone
    /// so that what the file holds is what was trained. Deterministic: the same papers give the same file.
    /// </summary>
    public static TopicReaderFile Train(IReadOnlyList<LabelledPaper> papers, IReadOnlyList<string> topics, string trainedOn,
        Action<int, int, string>? trained = null, int minTopicPapers = MinTopicPapers)
    {
        var counts = papers.Select(p => Count(p.Title, p.Abstract)).ToList();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in counts)
            foreach (var feature in c.Keys)
                df[feature] = df.GetValueOrDefault(feature) + 1;
        var vocabulary = df.Where(d => d.Value >= MinPapers).Select(d => d.Key).Order(StringComparer.Ordinal).ToArray();
        var idf = vocabulary.Select(f => Math.Log((1.0 + papers.Count) / (1.0 + df[f])) + 1).ToArray();
        var trainable = topics.Where(t => papers.Count(p => p.Topics.Contains(t)) is var n && n >= minTopicPapers && n <= papers.Count - minTopicPapers).ToList();

        // First pass: every feature, to find each topic's strongest ones.
        var index = vocabulary.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        var rows = counts.Select(c => Vector(c, f => index.GetValueOrDefault(f, -1), idf)).ToList();
        var kept = new int[trainable.Count][];
        Parallel.For(0, trainable.Count, t =>
        {
            var labels = papers.Select(p => p.Topics.Contains(trainable[t])).ToArray();
            var (weights, _) = Fit(rows, labels, Enumerable.Range(0, vocabulary.Length).ToArray(), vocabulary.Length);
            kept[t] = Enumerable.Range(0, weights.Length).Where(f => weights[f] != 0)
                .OrderByDescending(f => Math.Abs(weights[f])).ThenBy(f => f).Take(WeightsPerTopic).Order().ToArray();
        });

        // Second pass: the features some topic keeps are the vocabulary; each topic learns its own again.
        var union = kept.SelectMany(k => k).Distinct().Order().ToArray();
        var features = union.Select(f => vocabulary[f]).ToArray();
        var keptIdf = union.Select(f => idf[f]).ToArray();
        var keptIndex = features.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        rows = counts.Select(c => Vector(c, f => keptIndex.GetValueOrDefault(f, -1), keptIdf)).ToList();
        var result = new TopicReaderTopic[trainable.Count];
        var done = 0;
        Parallel.For(0, trainable.Count, t =>
        {
            var labels = papers.Select(p => p.Topics.Contains(trainable[t])).ToArray();
            var own = kept[t].Select(f => keptIndex[vocabulary[f]]).ToArray();
            var (weights, bias) = Fit(rows, labels, own, features.Length);
            result[t] = new TopicReaderTopic
            {
                Name = trainable[t],
                Bias = Math.Round(bias, 4),
                Weights = own.Select(f => (Feature: features[f], Weight: Math.Round(weights[f], 4)))
                    .Where(w => w.Weight != 0).OrderByDescending(w => w.Weight).ThenBy(w => w.Feature, StringComparer.Ordinal)
                    .ToDictionary(w => w.Feature, w => w.Weight, StringComparer.Ordinal),
            };
            trained?.Invoke(Interlocked.Increment(ref done), trainable.Count, trainable[t]);
        });
        var order = topics.ToList();
        return new TopicReaderFile
        {
            TrainedOn = trainedOn,
            Idf = features.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => Math.Round(keptIdf[x.i], 4), StringComparer.Ordinal),
            Topics = result.OrderBy(t => order.IndexOf(t.Name)).ToList(),
        };
    }

    /// <summary>
    /// A class-balanced logistic regression over the features <paramref name="use"/> (the others'
    /// weights stay 0): minimises |w|²/2 + C Σ s_i log(1 + e^(-y_i (w·x_i + b))), scaled by 1/(C n).
    /// </summary>
    private static (double[] Weights, double Bias) Fit(List<List<(int Feature, double Value)>> rows, bool[] labels, int[] use, int featureCount)
    {
        var n = rows.Count;
        var positives = labels.Count(l => l);
        double weightPositive = n / (2.0 * positives), weightNegative = n / (2.0 * (n - positives));
        var local = new Dictionary<int, int>(use.Length);
        for (var i = 0; i < use.Length; i++) local[use[i]] = i;
        // Each row over the used features only, by local index.
        var x = rows.Select(r => r.Where(v => local.ContainsKey(v.Feature)).Select(v => (local[v.Feature], v.Value)).ToArray()).ToArray();
        var dimension = use.Length + 1; // the last parameter is the bias
        var scale = 1 / (Regularization * n);

        (double, Vector<double>) Evaluate(Vector<double> parameters)
        {
            var w = parameters.AsArray() ?? parameters.ToArray();
            var gradient = new double[dimension];
            var loss = 0.0;
            for (var j = 0; j < use.Length; j++)
            {
                loss += 0.5 * w[j] * w[j] * scale;
                gradient[j] = w[j] * scale;
            }
            for (var i = 0; i < n; i++)
            {
                var z = w[use.Length];
                foreach (var (f, v) in x[i]) z += w[f] * v;
                var y = labels[i] ? 1.0 : -1.0;
                var s = (labels[i] ? weightPositive : weightNegative) / n;
                var margin = y * z;
                loss += s * (margin > 0 ? Math.Log(1 + Math.Exp(-margin)) : -margin + Math.Log(1 + Math.Exp(margin)));
                var d = s * -y / (1 + Math.Exp(margin)); // d loss / d z
                foreach (var (f, v) in x[i]) gradient[f] += d * v;
                gradient[use.Length] += d;
            }
            return (loss, Vector<double>.Build.DenseOfArray(gradient));
        }

        var minimizer = new LimitedMemoryBfgsMinimizer(1e-6, 1e-10, 1e-10, 10, 2000);
        var start = Vector<double>.Build.Dense(dimension);
        Vector<double> best;
        try
        {
            best = minimizer.FindMinimum(ObjectiveFunction.Gradient(Evaluate), start).MinimizingPoint;
        }
        catch (Exception e) when (e is MaximumIterationsException or OptimizationException)
        {
            throw new InvalidOperationException($"training did not converge: {e.Message}", e);
        }
        var all = new double[featureCount];
        for (var j = 0; j < use.Length; j++) all[use[j]] = best[j];
        return (all, best[use.Length]);
    }
}
