using System.Text;

namespace TrendLens.Tagging;

/// <summary>Where a paper's term came from: its own text, its text and Hugging Face's <c>ai_keywords</c>, or only the latter.</summary>
public enum TermEvidence : byte
{
    Text = 1,
    TextAndAi = 2,
    AiOnly = 3,
}

/// <summary>
/// Keyword candidates of one paper: 1–3-word phrases bounded by stop words and punctuation,
/// hyphen parts of compounds, folded plurals and possessives, lower case unless case carries
/// meaning (<c>LoRA</c>, <c>CLIP</c>), acronym definitions merged with their long form.
/// </summary>
public static class Terms
{
    public const int MaxWords = 3;

    /// <summary>The folded key of a phrase, as stored: <c>"Large Language Models"</c> → <c>"large language model"</c>.</summary>
    public static string Key(string phrase)
    {
        var words = Tokenizer.Tokenize(phrase).Where(t => t.IsWord).Select(t => Fold(t.Text));
        return string.Join(' ', words);
    }

    /// <summary>
    /// A paper's terms as <see cref="Extract"/> leaves them: phrases of its text as packed word
    /// ids (see <see cref="WordTable.Pack(int, int, int)"/>), those <c>ai_keywords</c> confirm,
    /// and the keywords the text does not have as phrases. Reused for every paper on a thread.
    /// </summary>
    internal sealed class TermSet
    {
        /// <summary>Text phrases in the order found; may repeat a phrase that was removed and added again.</summary>
        public readonly List<ulong> Found = new(512);
        /// <summary>The text phrases that are terms.</summary>
        public readonly HashSet<ulong> Live = new(512);
        /// <summary>Text phrases that are also <c>ai_keywords</c>.</summary>
        public readonly HashSet<ulong> Confirmed = [];
        /// <summary>Keywords that are not phrases of the text: <see cref="TermEvidence.AiOnly"/>, or a longer phrase the text has.</summary>
        public readonly List<(string Key, TermEvidence Evidence)> Keywords = [];
        internal readonly List<Word> Run = new(16);
        internal readonly List<(string LongForm, ulong LongKey, string Acronym, int AcronymId)> Definitions = [];
        internal readonly HashSet<string> KeywordKeys = new(StringComparer.Ordinal);
        /// <summary>Acronyms the paper defines (in its text or its <c>ai_keywords</c>) and their folded long forms.</summary>
        public readonly List<(string Acronym, string LongForm)> Defined = [];
        /// <summary>
        /// Text phrases that end a run at least once: a phrase that never does is a modifier of
        /// what follows it ("test-time" in "test-time scaling", "large language" in "large language model").
        /// </summary>
        public readonly HashSet<ulong> Ends = new(256);
        /// <summary>How often each phrase the topics name is said in the title and in the abstract (<see cref="TopicMatcher.Keys"/>).</summary>
        public int[] TopicTitle = [];
        /// <summary>Whether the run being read is in the title (a run never spans the title and the abstract).</summary>
        internal bool RunInTitle;
        /// <summary>Whether the run being read is the acronym of a definition, "(DiT)": no saying of a topic phrase.</summary>
        internal bool RunDefinesAcronym;
        /// <summary>Whether the run being read follows a negation ("without distillation"): no saying of a topic phrase.</summary>
        internal bool RunNegated;
        /// <summary>Whether the next run follows a negation, with at most an article or "any" between them.</summary>
        internal bool NextRunNegated;
        public int[] TopicText = [];
        private readonly List<int> _topicSaid = [];

        /// <summary>Counts one saying of a topic phrase.</summary>
        public void Said(int phrase, bool inTitle)
        {
            if (TopicTitle[phrase] == 0 && TopicText[phrase] == 0) _topicSaid.Add(phrase);
            if (inTitle) TopicTitle[phrase]++;
            else TopicText[phrase]++;
        }

        public void Clear(int topicPhrases)
        {
            if (TopicTitle.Length != topicPhrases)
            {
                TopicTitle = new int[topicPhrases];
                TopicText = new int[topicPhrases];
                _topicSaid.Clear();
            }
            foreach (var i in _topicSaid) TopicTitle[i] = TopicText[i] = 0;
            _topicSaid.Clear();
            Clear();
        }

        public void Clear()
        {
            Defined.Clear();
            Ends.Clear();
            Found.Clear();
            Live.Clear();
            Confirmed.Clear();
            Keywords.Clear();
            Run.Clear();
            RunNegated = NextRunNegated = false;
            Definitions.Clear();
            KeywordKeys.Clear();
            RunDefinesAcronym = false;
        }

        public void AddText(ulong phrase)
        {
            if (Live.Add(phrase)) Found.Add(phrase);
        }
    }

    /// <summary>
    /// The terms of tokens made with <paramref name="table"/>: every 1–3-word run between boundary
    /// words and punctuation, hyphen parts, acronym definitions in place of their long form, and
    /// <c>ai_keywords</c> as evidence.
    /// </summary>
    internal static void Extract(List<Token> tokens, IReadOnlyList<string>? aiKeywords, WordTable table, TermSet terms, int titleTokens = 0)
    {
        terms.Clear(table.TopicPhraseCount);
        var (run, definitions) = (terms.Run, terms.Definitions);

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            // The title's runs end at the full stop put after it: a run is in the title or not at all.
            var inTitle = i < titleTokens;
            if (!token.IsWord)
            {
                if (token.Text == "(" && i + 2 < tokens.Count && tokens[i + 2].Text == ")" && tokens[i + 1].IsWord
                    && AcronymOf(tokens[i + 1].Text) is { } acronym && LongForm(run, acronym) is { } longForm)
                {
                    var word = tokens[i + 1].Word!;
                    definitions.Add((longForm.Text, longForm.Packed, word.Folded, word.Id));
                    EndRun(terms, table);
                    // The acronym in its definition is the long form said once, not a second
                    // saying of a topic phrase: "diffusion transformer (DiT)" is one mention.
                    terms.RunDefinesAcronym = true;
                    continue;
                }
                EndRun(terms, table);
                terms.NextRunNegated = false;
                continue;
            }
            var w = token.Word!;
            if (w.Boundary)
            {
                EndRun(terms, table);
                terms.NextRunNegated = w.Negation || terms.NextRunNegated && KeepsNegation(w.Folded);
                continue;
            }
            if (run.Count == 0)
            {
                terms.RunInTitle = inTitle;
                terms.RunNegated = terms.NextRunNegated;
                terms.NextRunNegated = false;
            }
            run.Add(w);
            if (w.Parts is { } parts)
                foreach (var part in parts) terms.AddText(WordTable.Pack(part));
        }
        EndRun(terms, table);

        // Both the acronym and its long form stay terms of the paper; the Rollup stage makes them
        // one concept when the papers agree on the definition (sql/rollup/term_concept_edges.sql).
        foreach (var (longForm, longKey, acronym, acronymId) in definitions)
        {
            terms.AddText(WordTable.Pack(acronymId));
            if (longKey == 0 && terms.KeywordKeys.Add(longForm)) terms.Keywords.Add((longForm, TermEvidence.Text));
            terms.Defined.Add((acronym, longForm));
        }

        if (aiKeywords is null) return;
        string? sequence = null;
        foreach (var raw in aiKeywords)
        {
            // "Group Relative Policy Optimization (GRPO)": two keywords and a definition.
            var keyword = raw;
            if (SplitDefinition(raw, table) is var (outer, inner, defined))
            {
                keyword = outer;
                Keyword(inner);
                if (defined is { } d && !terms.Defined.Contains(d)) terms.Defined.Add(d);
            }
            Keyword(keyword);
        }

        void Keyword(string keyword)
        {
            var (key, packed) = table.KeywordKey(keyword);
            if (key.Length == 0) return;
            if (packed != 0 && terms.Live.Contains(packed))
            {
                terms.Confirmed.Add(packed);
            }
            else if (terms.KeywordKeys.Add(key))
            {
                // A keyword of up to three words that the text has is among its phrases already;
                // only a longer one needs the text's folded words, runs separated by "|".
                sequence ??= packed != 0 ? null : FoldedSequence(tokens);
                var inText = sequence is not null && sequence.Contains(" " + key + " ", StringComparison.Ordinal);
                terms.Keywords.Add((key, inText ? TermEvidence.TextAndAi : TermEvidence.AiOnly));
            }
            else
            {
                // A long form this paper defines is a term already; the keyword confirms it.
                var at = terms.Keywords.FindIndex(k => k.Key == key);
                if (at >= 0 && terms.Keywords[at].Evidence == TermEvidence.Text) terms.Keywords[at] = (key, TermEvidence.TextAndAi);
            }
        }
    }

    /// <summary>
    /// A keyword written as a definition, <c>Long Form (ACR)</c>: the long form, the acronym, and
    /// the definition when the acronym's letters are the long form's initials. Null for any other keyword.
    /// </summary>
    private static (string Outer, string Inner, (string Acronym, string LongForm)? Defined)? SplitDefinition(string keyword, WordTable table)
    {
        var open = keyword.IndexOf('(');
        if (open <= 0 || !keyword.EndsWith(')')) return null;
        var inner = keyword[(open + 1)..^1].Trim();
        var outer = keyword[..open].Trim();
        if (inner.Length == 0 || outer.Length == 0 || inner.Contains(' ') || AcronymOf(inner) is not { } acronym) return null;
        var words = table.Words(outer);
        if (LongForm(words, acronym) is not { } longForm || longForm.Text != WordTable.KeyOf(words, 0).Key) return (outer, inner, null);
        return (outer, inner, (Fold(inner), longForm.Text));
    }

    private static void EndRun(TermSet terms, WordTable table)
    {
        var run = terms.Run;
        var n = run.Count;
        if (table.TopicPhrases.Count > 0 && !terms.RunDefinesAcronym && !terms.RunNegated) SayTopicPhrases(terms, table, terms.RunInTitle);
        terms.RunDefinesAcronym = false;
        terms.RunNegated = false;
        if (n >= 1) terms.Ends.Add(WordTable.Pack(run[n - 1].Id));
        if (n >= 2) terms.Ends.Add(WordTable.Pack(run[n - 2].Id, run[n - 1].Id));
        if (n >= 3) terms.Ends.Add(WordTable.Pack(run[n - 3].Id, run[n - 2].Id, run[n - 1].Id));
        for (var start = 0; start < run.Count; start++)
        {
            terms.AddText(WordTable.Pack(run[start].Id));
            if (start + 1 < run.Count) terms.AddText(WordTable.Pack(run[start].Id, run[start + 1].Id));
            if (start + 2 < run.Count) terms.AddText(WordTable.Pack(run[start].Id, run[start + 1].Id, run[start + 2].Id));
        }
        run.Clear();
    }

    /// <summary>
    /// Counts the run's sayings of phrases the topics name: every 1–3-word phrase of the run, and
    /// inside hyphenated compounds each part alone and with the words after it ("visual-token
    /// compression" says "token compression"; "Video-Audio generation" says "video generation"),
    /// except parts before a stop word ("image-to-video generation" says no "image generation").
    /// </summary>
    private static void SayTopicPhrases(TermSet terms, WordTable table, bool inTitle)
    {
        var run = terms.Run;
        var phrases = table.TopicPhrases;
        void Say(ulong packed)
        {
            if (phrases.TryGetValue(packed, out var phrase)) terms.Said(phrase, inTitle);
        }
        for (var i = 0; i < run.Count; i++)
        {
            Say(WordTable.Pack(run[i].Id));
            if (i + 1 < run.Count) Say(WordTable.Pack(run[i].Id, run[i + 1].Id));
            if (i + 2 < run.Count) Say(WordTable.Pack(run[i].Id, run[i + 1].Id, run[i + 2].Id));
            // "distillation-free" says no "distillation" (though "classifier-free guidance" is a phrase).
            if (run[i].Parts is not { } parts || run[i].DeniesParts) continue;
            for (var p = 0; p < parts.Length; p++)
            {
                var part = parts[p];
                Say(WordTable.Pack(part));
                if (p < run[i].JoinFrom) continue;
                if (i + 1 < run.Count) Say(WordTable.Pack(part, run[i + 1].Id));
                if (i + 2 < run.Count) Say(WordTable.Pack(part, run[i + 1].Id, run[i + 2].Id));
            }
        }
    }

    /// <summary>The text's folded words with "|" where a phrase ends, space-separated and padded: " a b | c ".</summary>
    private static string FoldedSequence(List<Token> tokens)
    {
        var sequence = new StringBuilder(tokens.Count * 8).Append(' ');
        var inRun = false;
        foreach (var token in tokens)
        {
            if (!token.IsWord || token.Word!.Boundary)
            {
                if (inRun) sequence.Append("| ");
                inRun = false;
                continue;
            }
            sequence.Append(token.Word.Folded).Append(' ');
            inRun = true;
        }
        if (inRun) sequence.Append("| ");
        return sequence.ToString();
    }
    /// <summary>
    /// Lower case and singular, unless the word's case carries meaning: an upper-case letter after
    /// the first of the word or of one of its hyphen parts (<c>LoRA</c>, <c>DeepSeek-R1</c>), not
    /// title case (<c>Text-to-Image</c> → <c>text-to-image</c>).
    /// </summary>
    public static string Fold(string word)
    {
        var caseCarrying = false;
        for (var i = 1; i < word.Length; i++)
            if (char.IsUpper(word[i]) && word[i - 1] != '-') { caseCarrying = true; break; }
        if (caseCarrying)
        {
            // LLMs → LLM, VLMs → VLM: a plural acronym.
            return word.Length >= 3 && word[^1] == 's' && char.IsUpper(word[^2]) ? word[..^1] : word;
        }
        return Singular(word.ToLowerInvariant());
    }

    private static readonly HashSet<string> NotPlural = new(StringComparer.Ordinal)
    {
        "data", "always", "perhaps", "various", "numerous", "previous", "analysis", "bias", "alias", "canvas", "atlas",
        "lens", "gas", "was", "has", "does", "this", "thus", "its", "less", "across", "whereas", "chaos", "kudos", "yes",
        "plus", "minus", "versus", "corpus", "status", "focus", "consensus", "nexus", "radius", "apparatus", "series",
        "news", "species", "gaussians", "illustrious", "ambiguous", "continuous", "simultaneous", "heterogeneous",
        "homogeneous", "autonomous", "diverse", "famous", "nervous", "enormous", "rigorous", "obvious", "dangerous",
        "anonymous", "spontaneous", "synchronous", "asynchronous", "erroneous", "extraneous", "miscellaneous",
        "tremendous", "vs", "cos", "dos", "ios", "macos", "towards", "afterwards", "upwards", "downwards",
    };

    private static readonly Dictionary<string, string> IrregularPlurals = new(StringComparer.Ordinal)
    {
        ["caches"] = "cache", ["niches"] = "niche", ["indices"] = "index", ["matrices"] = "matrix", ["vertices"] = "vertex",
        ["analyses"] = "analysis", ["hypotheses"] = "hypothesis", ["theses"] = "thesis", ["criteria"] = "criterion",
        ["phenomena"] = "phenomenon", ["children"] = "child", ["people"] = "people", ["leaves"] = "leaf",
        ["gaussians"] = "gaussian", ["lenses"] = "lens", ["biases"] = "bias", ["statuses"] = "status", ["corpora"] = "corpus",
    };

    private static string Singular(string w)
    {
        if (w.Length <= 3) return w;
        if (IrregularPlurals.TryGetValue(w, out var irregular)) return irregular;
        if (NotPlural.Contains(w)) return w;
        var last = w.LastIndexOf('-');
        if (last >= 0 && last < w.Length - 1) return w[..(last + 1)] + Singular(w[(last + 1)..]);
        if (w.EndsWith("ics", StringComparison.Ordinal) || w.EndsWith("ss", StringComparison.Ordinal)
            || w.EndsWith("us", StringComparison.Ordinal) || w.EndsWith("is", StringComparison.Ordinal)) return w;
        if (w.EndsWith("ies", StringComparison.Ordinal) && w.Length > 4) return w[..^3] + "y";
        if (w.EndsWith("sses", StringComparison.Ordinal) || w.EndsWith("xes", StringComparison.Ordinal)
            || w.EndsWith("ches", StringComparison.Ordinal) || w.EndsWith("shes", StringComparison.Ordinal)) return w[..^2];
        if (w[^1] == 's' && char.IsLetter(w[^2])) return w[..^1];
        return w;
    }

    /// <summary>A word that ends a phrase: a stop word, a number or size, a single character.</summary>
    /// <summary>
    /// Words that deny the phrase after them: "trained without distillation", "no reward model",
    /// "does not reason". A denied phrase is no saying of a topic's phrase (docs/tagging.md, "Topics").
    /// </summary>
    public static bool Negates(string word) => word.Equals("without", StringComparison.OrdinalIgnoreCase)
        || word.Equals("no", StringComparison.OrdinalIgnoreCase) || word.Equals("not", StringComparison.OrdinalIgnoreCase);

    /// <summary>Words between a negation and what it denies that keep it: "without any distillation", "no explicit …".</summary>
    private static bool KeepsNegation(string folded) => folded is "a" or "an" or "any" or "the";

    public static bool IsBoundaryWord(string word)
    {
        if (word.Length <= 1) return true;
        if (StopWords.Contains(word) || (char.IsUpper(word[0]) && StopWords.Contains(word.ToLowerInvariant()))) return true;
        if (!char.IsAsciiDigit(word[0])) return false;
        // 2024, 3.5, 7B, 128K, 10x: numbers and sizes carry no topic; 3D and 4-bit do.
        var i = 0;
        while (i < word.Length && (char.IsAsciiDigit(word[i]) || word[i] == '.')) i++;
        return i == word.Length || (i == word.Length - 1 && word[i] is 'B' or 'M' or 'K' or 'k' or 'T' or 'x' or 'X' or 'b');
    }

    /// <summary>The upper-case letters of an acronym-looking word (LoRA → LRA; LLMs → LLM), or null.</summary>
    private static string? AcronymOf(string word)
    {
        if (word.Length is < 2 or > 12 || word.Contains('-')) return null;
        var w = word.Length > 2 && word[^1] == 's' && char.IsUpper(word[^2]) ? word[..^1] : word;
        // A leading dimension is one initial: "3DGS" of "3D Gaussian Splatting" (see Initials).
        var dimension = w.Length > 2 && w[0] is >= '2' and <= '4' && w[1] == 'D' && char.IsUpper(w[2]) ? w[..2] : "";
        var rest = w[dimension.Length..];
        var upper = new string(rest.Where(char.IsUpper).ToArray());
        return upper.Length + (dimension.Length > 0 ? 1 : 0) >= 2 && char.IsUpper(rest[0]) ? dimension + upper : null;
    }

    /// <summary>An acronym's initials in order: its letters, and a leading dimension ("3D" of "3DGS") as one.</summary>
    private static List<string> Initials(string acronym)
    {
        var dimension = char.IsDigit(acronym[0]) ? 2 : 0;
        var initials = dimension > 0 ? new List<string> { acronym[..dimension] } : [];
        initials.AddRange(acronym[dimension..].Select(c => c.ToString()));
        return initials;
    }

    private static readonly HashSet<string> SkippableInLongForm = new(StringComparer.OrdinalIgnoreCase) { "of", "and", "the", "for", "to", "in", "on", "with", "a", "an", "from", "by", "via" };

    /// <summary>
    /// The folded long form whose initials spell the acronym, taken from the end of the words
    /// before the parenthesis: "Low-Rank Adaptation (LoRA)", "Mixture-of-Experts (MoE)",
    /// "3D Gaussian Splatting (3DGS)".
    /// </summary>
    private static (string Text, ulong Packed)? LongForm(List<Word> run, string acronym)
    {
        if (run.Count == 0) return null;
        // Expand hyphen parts: each part contributes an initial.
        var parts = new List<(string Part, int Word)>();
        for (var w = 0; w < run.Count; w++)
            foreach (var p in run[w].Text.Split('-'))
                if (p.Length > 0) parts.Add((p, w));

        // Each initial is a word's first letter, or a whole word: a dimension ("3D").
        var initials = Initials(acronym);
        var letter = initials.Count - 1;
        var firstWord = -1;
        for (var p = parts.Count - 1; p >= 0 && letter >= 0; p--)
        {
            var part = parts[p].Part;
            var initial = initials[letter];
            if (initial.Length == 1 ? char.ToUpperInvariant(part[0]) == initial[0] : string.Equals(part, initial, StringComparison.OrdinalIgnoreCase))
            {
                letter--;
                firstWord = parts[p].Word;
            }
            else if (!SkippableInLongForm.Contains(part))
            {
                return null;
            }
        }
        if (letter >= 0 || firstWord < 0) return null;
        return WordTable.KeyOf(run, firstWord);
    }

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "across", "after", "again", "against", "all", "almost", "along", "already", "also", "although",
        "always", "among", "amongst", "an", "and", "another", "any", "are", "around", "as", "at", "be", "became", "because",
        "become", "becomes", "been", "before", "being", "below", "between", "beyond", "both", "but", "by", "can", "cannot",
        "could", "did", "do", "does", "doing", "done", "down", "due", "during", "each", "either", "else", "enough", "especially",
        "etc", "even", "ever", "every", "few", "for", "from", "further", "furthermore", "had", "has", "have", "having", "he",
        "hence", "her", "here", "hers", "herein", "him", "his", "how", "however", "i", "ie", "eg", "if", "in", "into", "is",
        "it", "its", "itself", "just", "less", "let", "like", "likely", "made", "make", "makes", "making", "many", "may",
        "me", "might", "more", "moreover", "most", "mostly", "much", "must", "my", "namely", "neither", "never",
        "nevertheless", "no", "nor", "not", "notably", "now", "of", "off", "often", "on", "once", "one", "only", "onto", "or",
        "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps", "rather",
        "respectively", "same", "several", "she", "should", "since", "so", "some", "still", "such", "than", "that", "the",
        "their", "theirs", "them", "themselves", "then", "there", "thereby", "therefore", "these", "they", "this", "those",
        "though", "through", "throughout", "thus", "to", "together", "too", "toward", "towards", "under", "until", "up",
        "upon", "us", "very", "via", "was", "we", "well", "were", "what", "whatever", "when", "where", "whereas", "whether",
        "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet", "you", "your",
        "two", "three", "four", "five", "first", "second", "third", "new", "novel", "propose", "proposes", "proposed",
        "present", "presents", "introduce", "introduces", "introduced", "show", "shows", "showed", "shown", "demonstrate",
        "demonstrates", "demonstrated", "achieve", "achieves", "achieved", "achieving", "use", "uses", "used", "using",
        "based", "existing", "various", "different", "significantly", "significant", "substantially", "consistently",
        "paper", "work", "study", "approach", "method", "methods", "results", "result", "extensive", "experiments",
        "experiment", "available", "publicly", "https", "http", "github", "com", "www", "project", "page",
        "e", "g", "able", "allow", "allows", "enable", "enables", "enabling", "leverage", "leverages", "leveraging",
        "including", "include", "includes", "given", "without", "across", "yielding", "yields", "yield", "improve",
        "improves", "improved", "improving", "outperform", "outperforms", "outperforming", "compared", "comparable",
        "remains", "remain", "across", "furthermore", "additionally", "specifically", "particular", "particularly",
        "effectively", "efficiently", "effective", "key", "crucial", "challenging", "challenge", "challenges", "address",
        "addresses", "across", "achieves", "state-of-the-art", "sota", "wide", "range", "variety", "large-scale",
    };
}
