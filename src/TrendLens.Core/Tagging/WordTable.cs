namespace TrendLens.Tagging;

/// <summary>
/// One distinct word of the texts tagged on a thread, with what tagging needs to know of it,
/// worked out once: its folded form (as a number, see <see cref="WordTable"/>), whether it ends
/// phrases, its hyphen parts, and whether any family alias could start in it.
/// </summary>
internal sealed class Word(string text, int id, string folded, bool boundary, int[]? parts, int joinFrom, bool familyCandidate)
{
    /// <summary>"without", "no", "not": the phrase after it is denied, no saying of a topic (see <see cref="Terms.Negates"/>).</summary>
    public bool Negation { get; } = boundary && Terms.Negates(text);

    /// <summary>A compound ending in "-free" ("distillation-free"): its parts are denied, no sayings of a topic.</summary>
    public bool DeniesParts { get; } = parts is { Length: > 1 } && text.EndsWith("-free", StringComparison.OrdinalIgnoreCase);

    public string Text { get; } = text;

    /// <summary>The number of <see cref="Folded"/> in its table (from 1).</summary>
    public int Id { get; } = id;

    public string Folded { get; } = folded;

    /// <summary>A stop word, number or single character: ends a phrase (see <see cref="Terms.IsBoundaryWord"/>).</summary>
    public bool Boundary { get; } = boundary;

    /// <summary>Folded ids of the hyphen parts that are not boundary words; null without a hyphen.</summary>
    public int[]? Parts { get; } = parts;

    /// <summary>
    /// The first of <see cref="Parts"/> that reads on into the words after the compound: the parts
    /// after its last stop word. "image-to-video generation" says "video generation", not "image generation".
    /// </summary>
    public int JoinFrom { get; } = joinFrom;

    /// <summary>False when no family alias can match at the start of the word or of a hyphen part.</summary>
    public bool FamilyCandidate { get; } = familyCandidate;

    /// <summary>
    /// The topic reader's words in this one, as <see cref="TopicReader"/> numbers them, worked out
    /// the first time it reads the word. The table's lexicon version covers the reader's file.
    /// </summary>
    public int[]? ReaderWords { get; set; }
}

/// <summary>
/// The words one thread has tagged with one lexicon version. Each token costs one lookup by span
/// (no string per token); folded words are numbered so that a phrase of up to three words is one
/// <see cref="ulong"/> (<see cref="Pack"/>) and a paper's phrases are told apart without building
/// a string for each. A table is dropped when it grows past <see cref="MaxWords"/>; ids are only
/// compared within one paper, so that is safe between papers.
/// </summary>
internal sealed class WordTable
{
    public const int MaxWords = 500_000;
    private const int IdBits = 21;
    private const int MaxIds = (1 << IdBits) - 1;

    private readonly Dictionary<string, Word> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Word>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _folded = [];
    private readonly FamilyMatcher _families;
    private readonly Dictionary<string, (string Key, ulong Packed)> _keywordKeys = new(StringComparer.Ordinal);

    public WordTable(string lexiconVersion, FamilyMatcher families, IReadOnlyList<string> topicPhrases)
    {
        LexiconVersion = lexiconVersion;
        _families = families;
        _bySpan = _words.GetAlternateLookup<ReadOnlySpan<char>>();
        TopicPhraseCount = topicPhrases.Count;
        for (var i = 0; i < topicPhrases.Count; i++)
            if (Pack(topicPhrases[i]) is var packed and not 0) TopicPhrases[packed] = i;
    }

    public string LexiconVersion { get; }

    /// <summary>The number of each phrase the topics name (<see cref="TopicMatcher.Keys"/>), keyed as <see cref="Pack"/> packs it.</summary>
    public Dictionary<ulong, int> TopicPhrases { get; } = [];

    public int TopicPhraseCount { get; }

    /// <summary>Too big to keep: a fresh table costs less than the memory (ids must fit <see cref="IdBits"/>).</summary>
    public bool Full => _words.Count > MaxWords || _keywordKeys.Count > MaxWords || _folded.Count > MaxIds / 2;

    public Word Get(ReadOnlySpan<char> token)
    {
        if (_bySpan.TryGetValue(token, out var word)) return word;
        var raw = token.ToString();
        var text = raw.Contains('‑') ? raw.Replace('‑', '-') : raw;
        var boundary = Terms.IsBoundaryWord(text);
        int[]? parts = null;
        var joinFrom = 0;
        if (text.Contains('-'))
        {
            var all = text.Split('-');
            var lastBoundary = Array.FindLastIndex(all, Terms.IsBoundaryWord);
            joinFrom = all.Take(lastBoundary + 1).Count(p => !Terms.IsBoundaryWord(p));
            parts = all.Where(p => !Terms.IsBoundaryWord(p)).Select(p => Id(Terms.Fold(p))).ToArray();
        }
        var folded = Terms.Fold(text);
        word = new Word(text, Id(folded), folded, boundary, parts, joinFrom, _families.CouldMatch(text));
        _words[raw] = word;
        return word;
    }

    public string Folded(int id) => _folded[id - 1];

    public int Id(string folded)
    {
        if (_ids.TryGetValue(folded, out var id)) return id;
        _folded.Add(folded);
        return _ids[folded] = _folded.Count;
    }

    public static ulong Pack(int first, int second = 0, int third = 0) =>
        (uint)first | ((ulong)(uint)second << IdBits) | ((ulong)(uint)third << (2 * IdBits));

    /// <summary>A folded key ("large language model") as one number; 0 when it has more than three words.</summary>
    public ulong Pack(string key)
    {
        var words = key.Split(' ');
        return words.Length switch
        {
            1 => Pack(Id(words[0])),
            2 => Pack(Id(words[0]), Id(words[1])),
            3 => Pack(Id(words[0]), Id(words[1]), Id(words[2])),
            _ => 0,
        };
    }

    /// <summary>The words of a packed key, space-separated, appended to <paramref name="text"/>.</summary>
    public void Append(ulong packed, CharBuffer text)
    {
        for (var shift = 0; shift < 3 * IdBits; shift += IdBits)
        {
            var id = (int)((packed >> shift) & MaxIds);
            if (id == 0) return;
            if (shift > 0) text.Append(' ');
            text.Append(Folded(id));
        }
    }

    /// <summary><see cref="Terms.Key"/> of an <c>ai_keywords</c> entry and its packed form; they repeat from paper to paper.</summary>
    public (string Key, ulong Packed) KeywordKey(string keyword)
    {
        if (_keywordKeys.TryGetValue(keyword, out var known)) return known;
        // Terms.Key with the words looked up here, where most are known from the texts already.
        _keywordTokens.Clear();
        Tokenizer.Tokenize(keyword, this, _keywordTokens);
        _keywordWords.Clear();
        foreach (var token in _keywordTokens)
            if (token.IsWord) _keywordWords.Add(token.Word!);
        return _keywordKeys[keyword] = _keywordWords.Count == 0 ? ("", 0UL) : KeyOf(_keywordWords, 0);
    }

    /// <summary>The words of a short text (a keyword), looked up in this table; a new list.</summary>
    public List<Word> Words(string text)
    {
        _keywordTokens.Clear();
        Tokenizer.Tokenize(text, this, _keywordTokens);
        return _keywordTokens.Where(t => t.IsWord).Select(t => t.Word!).ToList();
    }

    private readonly List<Token> _keywordTokens = new(16);
    private readonly List<Word> _keywordWords = new(16);

    /// <summary>
    /// The folded key of <paramref name="words"/> from <paramref name="start"/> on, as
    /// <see cref="Terms.Key"/> makes it ("large language model"), and its packed form (0 for more
    /// than three words).
    /// </summary>
    public static (string Key, ulong Packed) KeyOf(List<Word> words, int start)
    {
        var count = words.Count - start;
        var key = count == 1 ? words[start].Folded : string.Join(' ', words.Skip(start).Select(w => w.Folded));
        var packed = count switch
        {
            1 => Pack(words[start].Id),
            2 => Pack(words[start].Id, words[start + 1].Id),
            3 => Pack(words[start].Id, words[start + 1].Id, words[start + 2].Id),
            _ => 0UL,
        };
        return (key, packed);
    }
}

/// <summary>A reusable, growable run of characters: a paper's terms are written here and copied out once.</summary>
internal sealed class CharBuffer
{
    private char[] _chars = new char[4096];

    public int Length { get; private set; }

    public void Clear() => Length = 0;

    public void Append(char c)
    {
        if (Length == _chars.Length) Array.Resize(ref _chars, _chars.Length * 2);
        _chars[Length++] = c;
    }

    public void Append(string s)
    {
        if (Length + s.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, Length + s.Length));
        s.CopyTo(0, _chars, Length, s.Length);
        Length += s.Length;
    }

    /// <summary>A character written before; it can be overwritten.</summary>
    public char this[int index]
    {
        get => index < Length ? _chars[index] : throw new ArgumentOutOfRangeException(nameof(index));
        set => _chars[index < Length ? index : throw new ArgumentOutOfRangeException(nameof(index))] = value;
    }

    public ReadOnlySpan<char> AsSpan() => _chars.AsSpan(0, Length);

    public override string ToString() => new(_chars, 0, Length);
}
