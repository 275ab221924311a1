namespace TrendLens.Tagging;

/// <summary>
/// Decides a paper's topics from how it mentions each topic's phrases (dashboards/topics.json;
/// docs/tagging.md, "Topics"). A paper is about a topic when it names one of the topic's
/// <c>include</c> phrases (specific to the topic) with support, one of its <c>families</c>, or its
/// <c>cues</c> (generic words such as "alignment" or "reasoning") in the title or said again and
/// again beside each other: points per saying, summed over the topic's phrases (see
/// <see cref="Enough"/>). <c>titleCues</c> count in the title (or said five times in the abstract,
/// together). A mention inside one of the topic's <c>exclude</c> phrases does not count ("semantic
/// alignment" is no mention of "alignment"), nor is a denied one, which <see cref="Terms"/> does not
/// count ("without distillation").
/// </summary>
public sealed class TopicMatcher
{
    private enum Role : byte
    {
        Include,
        Cue,
        TitleCue,
        Exclude,
    }

    /// <summary>One phrase of one topic: its role, and the longer phrases of the topic that contain it.</summary>
    private sealed record Entry(int Topic, Role Role, int Phrase, int[] Within);

    private readonly string[] _names;
    private readonly List<Entry>[] _byTopic;
    private readonly double[] _enough;
    private readonly Dictionary<string, int[]> _topicsByFamily = new(StringComparer.Ordinal);

    public TopicMatcher(TopicLexiconFile lexicon)
    {
        var topics = lexicon.Topics;
        _names = topics.Select(t => t.Name).ToArray();
        _byTopic = new List<Entry>[topics.Count];
        _enough = topics.Select(t => t.Threshold ?? Enough).ToArray();
        var phrases = new Dictionary<string, int>(StringComparer.Ordinal);
        int Phrase(string text)
        {
            var key = Terms.Key(text);
            if (!phrases.TryGetValue(key, out var id)) phrases[key] = id = phrases.Count;
            return id;
        }

        for (var t = 0; t < topics.Count; t++)
        {
            var topic = topics[t];
            var entries = new List<(Role Role, int Phrase, string[] Words)>();
            foreach (var (list, role) in new[] { (topic.Include, Role.Include), (topic.Cues, Role.Cue), (topic.TitleCues, Role.TitleCue), (topic.Exclude, Role.Exclude) })
                foreach (var p in list)
                    if (!entries.Any(e => e.Phrase == Phrase(p))) entries.Add((role, Phrase(p), Terms.Key(p).Split(' ')));
            // A saying inside a longer phrase of the topic is that phrase's, not a second mention
            // ("spatial reasoning" is no extra "reasoning"; "semantic alignment" no "alignment").
            _byTopic[t] = entries.Select(e => new Entry(t, e.Role, e.Phrase,
                entries.Where(o => o.Phrase != e.Phrase && o.Words.Length > e.Words.Length && Contains(o.Words, e.Words)).Select(o => o.Phrase).Distinct().ToArray())).ToList();
            foreach (var family in topic.Families)
                _topicsByFamily[family] = [.. _topicsByFamily.GetValueOrDefault(family) ?? [], t];
        }
        Keys = Phrases(phrases);
        _longest = _byTopic.Max(e => e.Count);
    }

    private readonly int _longest;

    /// <summary>
    /// The evidence a topic needs unless it sets its own <c>threshold</c>: an include phrase is worth
    /// one and a half points said once and two said again or in the title, a cue half a point a
    /// saying (one and a half at most) and one more in the title, a title cue two points in the title
    /// and a quarter a saying in the abstract (half at most).
    /// </summary>
    public const double Enough = 2;

    /// <summary>A topic's title cues said this often in the abstract, together, are worth as much as one in the title.</summary>
    public const int TitleCueRepeats = 5;

    private static string[] Phrases(Dictionary<string, int> phrases)
    {
        var keys = new string[phrases.Count];
        foreach (var (key, id) in phrases) keys[id] = key;
        return keys;
    }

    private static bool Contains(string[] outer, string[] inner) =>
        inner.Length <= outer.Length && Enumerable.Range(0, outer.Length - inner.Length + 1).Any(i => outer.AsSpan(i, inner.Length).SequenceEqual(inner));

    /// <summary>The folded keys (<see cref="Terms.Key"/>) of every phrase the topics name; a phrase's number is its index.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>For each topic, the phrases of it the paper said and how often (title, abstract), after nesting: why it has its topics.</summary>
    public List<(string Topic, string Phrase, string Role, int Title, int Text)> Evidence(ReadOnlySpan<int> title, ReadOnlySpan<int> text)
    {
        var evidence = new List<(string, string, string, int, int)>();
        for (var t = 0; t < _byTopic.Length; t++)
            foreach (var e in _byTopic[t])
            {
                int inTitle = title[e.Phrase], inText = text[e.Phrase];
                foreach (var outer in e.Within)
                {
                    inTitle -= title[outer];
                    inText -= text[outer];
                }
                if (inTitle > 0 || inText > 0) evidence.Add((_names[t], Keys[e.Phrase], e.Role.ToString(), Math.Max(0, inTitle), Math.Max(0, inText)));
            }
        return evidence;
    }

    /// <summary>The topics of a paper, from how often each phrase was said in its title and in its abstract (indexed as <see cref="Keys"/>) and its families.</summary>
    public List<string> Decide(ReadOnlySpan<int> title, ReadOnlySpan<int> text, IReadOnlyList<FamilyMention> families)
    {
        var topics = new List<string>();
        Span<int> lessTitle = stackalloc int[_longest];
        Span<int> lessText = stackalloc int[_longest];
        for (var t = 0; t < _byTopic.Length; t++)
        {
            var entries = _byTopic[t];
            // Sayings inside a longer phrase of the topic are that phrase's.
            lessTitle.Clear();
            lessText.Clear();
            for (var i = 0; i < entries.Count; i++)
                foreach (var outer in entries[i].Within)
                {
                    lessTitle[i] += title[outer];
                    lessText[i] += text[outer];
                }
            // Points of evidence (docs/tagging.md, "Topics"); a topic needs Enough.
            var points = 0.0;
            var titleCueSayings = 0;
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                if (e.Role == Role.Exclude) continue;
                var inTitle = Math.Max(0, title[e.Phrase] - lessTitle[i]);
                var inText = Math.Max(0, text[e.Phrase] - lessText[i]);
                if (e.Role == Role.TitleCue) titleCueSayings += inText;
                points += e.Role switch
                {
                    Role.Include => inTitle > 0 ? 2 : inText == 0 ? 0 : inText == 1 ? 1.5 : 2,
                    Role.Cue => inTitle > 0 ? 1 + Math.Min(inText, 2) * 0.5 : Math.Min(inText, 3) * 0.5,
                    _ => inTitle > 0 ? 2 : Math.Min(inText, 2) * 0.25,
                };
            }
            // Title cues said again and again in the abstract, together, count as one in the title:
            // an abstract that keeps coming back to "benchmark" and "evaluation" is about them.
            if (titleCueSayings >= TitleCueRepeats) points += 2;
            if (points >= _enough[t]) topics.Add(_names[t]);
        }
        foreach (var family in families)
            if (_topicsByFamily.TryGetValue(family.Family, out var ts))
                foreach (var t in ts)
                    if (!topics.Contains(_names[t])) topics.Add(_names[t]);
        // In the lexicon's order, whatever made each topic.
        return topics.OrderBy(n => Array.IndexOf(_names, n)).ToList();
    }
}
