namespace TrendLens.Tagging;

/// <summary>A family mention in one paper: the family, the model within it (for roll-ups), and the words that matched.</summary>
public readonly record struct FamilyMention(string Family, string Member, string Evidence);

/// <summary>A named model version in one paper, as the paper writes it (<c>Qwen2.5-VL</c>, <c>Llama 4</c>, <c>o3-mini</c>), and its family.</summary>
public readonly record struct VersionMention(string Version, string Family);

/// <summary>What <see cref="FamilyMatcher.Match"/> finds in one paper: each family once, and every model version named.</summary>
public sealed record FamilyMatches(IReadOnlyList<FamilyMention> Families, IReadOnlyList<VersionMention> Versions)
{
    public static readonly FamilyMatches None = new([], []);
}

/// <summary>
/// Finds model-family and architecture mentions in tokenized text. An alias matches a whole
/// token or any hyphen part of one (<c>DeepSeek-R1-Distill-Qwen-7B</c> names DeepSeek and
/// Qwen), followed by nothing, a plural <c>s</c>, or a version (<c>Qwen2.5</c>, <c>GPT-4o</c>,
/// <c>DINOv2</c>). Ambiguous aliases (Gemini, Claude, Phi, Mamba, …) also need a version suffix
/// or a cue nearby, and never count next to a negative cue; inside a compound they count only
/// after a cue (<c>OpenAI-o1</c> is o1, <c>video-SALMONN-o1</c> is not). A paper counts once per family.
/// </summary>
public sealed partial class FamilyMatcher
{
    private const int CueWindow = 8;

    private sealed record Alias(
        int Family,
        string Member,
        string Text,
        string[] Words,
        bool CaseSensitive,
        bool Ambiguous,
        bool RequireSuffix);

    private readonly FamilyDefinition[] _families;
    private readonly Dictionary<int, List<Alias>> _byPrefix = [];
    private readonly HashSet<string>[] _suffixWords;
    private readonly string[][] _cues;
    private readonly string[][] _negativeCues;
    private readonly string[][] _notTokens;
    private readonly HashSet<string> _versionWords;
    private readonly HashSet<string> _notVersionWords;

    public FamilyMatcher(FamilyLexiconFile lexicon)
    {
        _families = lexicon.Families.ToArray();
        _suffixWords = new HashSet<string>[_families.Length];
        _cues = new string[_families.Length][];
        _negativeCues = new string[_families.Length][];
        _notTokens = new string[_families.Length][];
        _versionWords = new HashSet<string>(lexicon.VersionWords, StringComparer.OrdinalIgnoreCase);
        _notVersionWords = new HashSet<string>(lexicon.NotVersionWords, StringComparer.OrdinalIgnoreCase);
        for (var f = 0; f < _families.Length; f++)
        {
            var family = _families[f];
            _suffixWords[f] = new HashSet<string>(family.SuffixWords, StringComparer.OrdinalIgnoreCase);
            _cues[f] = family.Cues.Concat(lexicon.GenericCues).Select(c => c.ToLowerInvariant()).ToArray();
            _negativeCues[f] = family.NegativeCues.Select(c => c.ToLowerInvariant()).ToArray();
            _notTokens[f] = family.NotTokens.ToArray();
            foreach (var alias in family.Aliases) Add(f, family.Name, alias, family);
            foreach (var derived in family.Derived)
                foreach (var alias in derived.Aliases) Add(f, derived.Name, alias, family);
        }
        // Longer aliases first, so "Code Llama" wins over "Llama" at the same place.
        foreach (var list in _byPrefix.Values) list.Sort((a, b) => b.Text.Length.CompareTo(a.Text.Length));
    }

    private void Add(int family, string member, string alias, FamilyDefinition definition)
    {
        var ambiguous = definition.Ambiguous.Contains(alias);
        var words = alias.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var entry = new Alias(family, member, alias, words, definition.CaseSensitive || (ambiguous && words.Length == 1), ambiguous, ambiguous && definition.RequireSuffix);
        var key = PrefixKey(words[0]);
        if (!_byPrefix.TryGetValue(key, out var list)) _byPrefix[key] = list = [];
        list.Add(entry);
    }

    /// <summary>The first two characters, lower-cased, as one number: a lookup key that allocates nothing.</summary>
    private static int PrefixKey(ReadOnlySpan<char> s) =>
        s.Length >= 2 ? (char.ToLowerInvariant(s[0]) << 16) | char.ToLowerInvariant(s[1]) : s.Length == 1 ? char.ToLowerInvariant(s[0]) << 16 : 0;

    public FamilyMatches Match(List<Token> tokens)
    {
        List<(Alias Alias, int Token, int End, bool Suffix, string Evidence, int Start)>? candidates = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.IsWord || token.Word is { FamilyCandidate: false }) continue;
            var text = token.Text;
            // Try the token's start and every hyphen part.
            for (var start = 0; start < text.Length;)
            {
                if (MatchAt(tokens, i, start) is { } hit)
                {
                    candidates ??= [];
                    candidates.Add(hit);
                }
                var next = text.IndexOf('-', start);
                if (next < 0) break;
                start = next + 1;
            }
        }
        if (candidates is null) return FamilyMatches.None;

        // Sure mentions first; they are cues for ambiguous ones in the same sentence ("GPT-4, Claude and Gemini").
        var sure = new List<(int Family, int Sentence)>();
        var result = new Dictionary<string, FamilyMention>(StringComparer.Ordinal);
        List<VersionMention>? versions = null;
        foreach (var c in candidates)
        {
            if (NegativeNearby(tokens, c.Token, c.End, c.Alias.Family)) continue;
            if (c.Alias.Ambiguous && !c.Suffix) continue;
            sure.Add((c.Alias.Family, tokens[c.Token].Sentence));
            Accept(c);
        }
        foreach (var c in candidates)
        {
            if (!c.Alias.Ambiguous || c.Suffix || c.Alias.RequireSuffix) continue;
            var name = _families[c.Alias.Family].Name;
            if (result.ContainsKey(name) || NegativeNearby(tokens, c.Token, c.End, c.Alias.Family)) continue;
            var sentence = tokens[c.Token].Sentence;
            var otherFamily = sure.Any(s => s.Sentence == sentence && s.Family != c.Alias.Family);
            if (otherFamily || CueNearby(tokens, c.Token, c.End, c.Alias.Family)) Accept(c);
        }
        return new FamilyMatches(result.Values.ToList(), versions ?? (IReadOnlyList<VersionMention>)[]);

        void Accept((Alias Alias, int Token, int End, bool Suffix, string Evidence, int Start) c)
        {
            var family = _families[c.Alias.Family];
            result.TryAdd(family.Name, new FamilyMention(family.Name, c.Alias.Member, c.Evidence));
            if (c.Start != 0 || family.Kind != "model" || VersionName(tokens, c.Token, c.End, c.Alias) is not { } version) return;
            versions ??= [];
            if (!versions.Any(v => v.Version == version)) versions.Add(new VersionMention(version, family.Name));
        }
    }

    /// <summary>
    /// The model version a match names, as the paper writes it, without sizes, training variants
    /// and dates: <c>Qwen2.5-VL-7B-Instruct</c> → <c>Qwen2.5-VL</c>, <c>Llama 3.1 8B</c> →
    /// <c>Llama 3.1</c>, <c>DeepSeek-R1-Distill-Qwen-7B</c> → <c>DeepSeek-R1</c>,
    /// <c>GPT-4o-2024-08-06</c> → <c>GPT-4o</c>. Null when the match names only the family
    /// (<c>Qwen</c>, <c>LLaMA</c>, <c>GPTs</c>, <c>Llama-based</c>).
    /// </summary>
    private string? VersionName(List<Token> tokens, int index, int end, Alias alias)
    {
        var text = tokens[index].Text;
        if (alias.Words.Length > 1)
        {
            // "Stable Diffusion 3", "Code Llama": the words matched, then versions after them.
            var words = string.Join(' ', tokens.Skip(index).Take(end - index + 1).Select(t => t.Text));
            return Named(words + NextVersions(tokens, end, alias.Family), alias);
        }
        var parts = text.Split('-');
        // The alias may span hyphen parts ("Qwen-Image", "DeepSeek-R1") and a version may be glued to it ("Qwen2.5", "DINOv2").
        var aliasParts = alias.Text.Split('-').Length;
        var name = string.Join('-', parts.Take(aliasParts));
        // A size glued to the name ends it there ("Llama3B" is Llama at 3B, no version).
        var glued = name.Length - alias.Text.Length;
        if (glued > 0 && SizeOrDate().IsMatch(name[^glued..]))
            return Named(name[..^glued], alias);
        for (var p = aliasParts; p < parts.Length; p++)
        {
            if (!VersionPart(parts[p], alias.Family))
            {
                // A variant word with a size glued to it ("Nano12B"): the word, then the size ends the name.
                if (GluedSize().Match(parts[p]) is { Success: true } m && VersionPart(m.Groups[1].Value, alias.Family))
                    name += "-" + m.Groups[1].Value;
                break;
            }
            name += "-" + parts[p];
        }
        if (name.Length == alias.Text.Length + 1 && name.EndsWith('s') && name.StartsWith(alias.Text, StringComparison.OrdinalIgnoreCase)) name = name[..^1];
        if (name.Length == text.Length) name += NextVersions(tokens, index, alias.Family);
        return Named(name, alias);
    }

    /// <summary>Separate words after a name that continue it: " 3.1", " 2.5 Pro", " 4 Scout" (sizes and variants left out).</summary>
    private string NextVersions(List<Token> tokens, int index, int family)
    {
        var text = "";
        for (var t = index + 1; t < tokens.Count && t <= index + 3 && tokens[t].IsWord; t++)
        {
            var word = tokens[t].Text;
            var first = word.Split('-')[0];
            if (!VersionPart(first, family) || (t == index + 1 && !NextIsVersion(tokens, t - 1, family))) break;
            text += " " + string.Join('-', word.Split('-').TakeWhile(p => VersionPart(p, family)));
            if (word.Split('-').Any(p => !VersionPart(p, family))) break;
        }
        return text;
    }

    /// <summary>A version number or variant word; not a size (7B, 8x7B), a date (2024, 0613) or a training variant (Instruct).</summary>
    private bool VersionPart(string part, int family)
    {
        if (part.Length == 0) return false;
        if (_versionWords.Contains(part) || _suffixWords[family].Contains(part)) return !_notVersionWords.Contains(part);
        if (!part.Any(char.IsAsciiDigit) || _notVersionWords.Contains(part)) return false;
        return !SizeOrDate().IsMatch(part) && !GluedSize().IsMatch(part);
    }

    /// <summary>The version's name, or null when it is only the family's own name (<c>LLaMA</c> for Llama, <c>DALLE</c> for DALL-E).</summary>
    private string? Named(string name, Alias alias) =>
        Squeezed(name) == Squeezed(_families[alias.Family].Name) ? null : name;

    private static string Squeezed(string name) => new(name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>
    /// A size (7B, 8x7B; active or effective parameters: A3B, 30A3B, E4B), a date (2024, 0613,
    /// 20240806), a context length (128k), or a task variant (T2V, I2V, TI2V): each ends a version's name.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(\d+(\.\d+)?[BbMmKkTt]|\d+x\d+[Bb]|\d*[AaEe]\d+(\.\d+)?[Bb]|\d{4}|\d{6}|\d{8}|\d+k|[A-Z]{1,2}2[A-Z])$")]
    private static partial System.Text.RegularExpressions.Regex SizeOrDate();

    /// <summary>A word with a size glued to its end ("Nano12B", "So400m"): the word.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^([A-Za-z]+)\d+(\.\d+)?[BbMm]$")]
    private static partial System.Text.RegularExpressions.Regex GluedSize();

    /// <summary>
    /// Whether any alias could match in a token with this text, going by the text alone (the
    /// first word of a multi-word alias, a single-word alias with what may follow it). False
    /// means <see cref="Match"/> would find nothing in such a token, whatever is around it.
    /// </summary>
    public bool CouldMatch(string text)
    {
        for (var start = 0; start < text.Length;)
        {
            if (_byPrefix.TryGetValue(PrefixKey(text.AsSpan(start)), out var aliases))
            {
                var rest = text.AsSpan(start);
                foreach (var alias in aliases)
                {
                    var comparison = alias.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                    if (alias.Words.Length > 1)
                    {
                        var dash = rest.IndexOf('-');
                        if (start == 0 && (dash < 0 ? rest : rest[..dash]).Equals(alias.Words[0], comparison)) return true;
                    }
                    else if (rest.StartsWith(alias.Words[0], comparison) && IsBoundary(rest[alias.Words[0].Length..], out _))
                    {
                        return true;
                    }
                }
            }
            var next = text.IndexOf('-', start);
            if (next < 0) break;
            start = next + 1;
        }
        return false;
    }

    private (Alias Alias, int Token, int End, bool Suffix, string Evidence, int Start)? MatchAt(List<Token> tokens, int index, int start)
    {
        var text = tokens[index].Text;
        if (!_byPrefix.TryGetValue(PrefixKey(text.AsSpan(start)), out var aliases)) return null;
        var rest = text.AsSpan(start);
        foreach (var alias in aliases)
        {
            if (alias.Words.Length > 1)
            {
                if (start == 0 && MatchPhrase(tokens, index, alias) is { } end)
                    return (alias, index, end, NextIsVersion(tokens, end, alias.Family), string.Join(' ', tokens.Skip(index).Take(end - index + 1).Select(t => t.Text)), start);
                continue;
            }
            var word = alias.Words[0];
            var comparison = alias.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
            if (!rest.StartsWith(word, comparison)) continue;
            var after = rest[word.Length..];
            if (!IsBoundary(after, out var suffix)) continue;
            if (_notTokens[alias.Family].Any(n => text.StartsWith(n, StringComparison.OrdinalIgnoreCase))) continue;
            if (start > 0)
            {
                // Inside a compound: a plain alias names its family (DeepSeek-R1-Distill-Qwen-7B);
                // an ambiguous one only right after a cue (OpenAI-o1, GPT-o3), so video-SALMONN-o1 is not o1.
                if (alias.Ambiguous && !_cues[alias.Family].Contains(PartBefore(text, start).ToLowerInvariant())) continue;
                suffix = true;
            }
            suffix |= NextIsVersion(tokens, index, alias.Family);
            return (alias, index, index, suffix, text, start);
        }
        return null;
    }

    private static string PartBefore(string text, int start)
    {
        var end = start - 1;
        var begin = text.LastIndexOf('-', end - 1) + 1;
        return text[begin..end];
    }

    /// <summary>What may follow an alias inside a token: nothing, a plural s, or a version/variant.</summary>
    private static bool IsBoundary(ReadOnlySpan<char> after, out bool suffix)
    {
        suffix = false;
        if (after.IsEmpty) return true;
        if (after.Length == 1 && after[0] == 's') return true;
        var c = after[0];
        if (char.IsAsciiDigit(c) || c == '-' || c == '.' || c == '_' || (c == 'v' && after.Length > 1 && char.IsAsciiDigit(after[1])))
        {
            suffix = true;
            return true;
        }
        return false;
    }

    /// <summary>A multi-word alias ("Stable Diffusion", "state space model") over tokens and hyphen parts; returns the last token.</summary>
    private static int? MatchPhrase(List<Token> tokens, int index, Alias alias)
    {
        var w = 0;
        var t = index;
        while (t < tokens.Count && tokens[t].IsWord && w < alias.Words.Length)
        {
            foreach (var part in tokens[t].Text.Split('-'))
            {
                if (w == alias.Words.Length) return null;
                var word = alias.Words[w];
                var last = w == alias.Words.Length - 1;
                var comparison = alias.CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
                var same = string.Equals(part, word, comparison)
                    || (last && part.Length == word.Length + 1 && part.EndsWith('s') && part.StartsWith(word, comparison));
                if (!same) return null;
                w++;
            }
            if (w == alias.Words.Length) return t;
            t++;
        }
        return null;
    }

    private bool NextIsVersion(List<Token> tokens, int index, int family)
    {
        if (index + 1 >= tokens.Count || !tokens[index + 1].IsWord) return false;
        var next = tokens[index + 1].Text;
        if (_suffixWords[family].Contains(next)) return true;
        // "Llama 3", "Gemini 1.5", "Qwen 2.5-VL", "Phi 3.5", "Mistral 7B", "v2", "MiniMax M2.5", "Kimi K2".
        var s = next.AsSpan();
        if (s.Length > 1 && (char.IsUpper(s[0]) || s[0] == 'v') && char.IsAsciiDigit(s[1])) return true;
        return s.Length > 0 && char.IsAsciiDigit(s[0]) && !(s.Length == 4 && s.IndexOfAnyExceptInRange('0', '9') < 0);
    }

    private bool CueNearby(List<Token> tokens, int index, int end, int family) => AnyNearby(tokens, index, end, _cues[family]);

    private bool NegativeNearby(List<Token> tokens, int index, int end, int family) =>
        _negativeCues[family].Length > 0 && AnyNearby(tokens, index, end, _negativeCues[family]);

    /// <summary>
    /// Any of the phrases within the cue window of the same sentence (case-insensitive, whole
    /// words or hyphen parts), not counting the match itself (tokens index..end).
    /// </summary>
    private static bool AnyNearby(List<Token> tokens, int index, int end, string[] phrases)
    {
        var sentence = tokens[index].Sentence;
        var from = Math.Max(0, index - CueWindow);
        var to = Math.Min(tokens.Count - 1, end + CueWindow);
        var window = new System.Text.StringBuilder(" ");
        for (var t = from; t <= to; t++)
        {
            if ((t >= index && t <= end) || tokens[t].Sentence != sentence || !tokens[t].IsWord) continue;
            foreach (var part in tokens[t].Text.Split('-')) window.Append(part.ToLowerInvariant()).Append(' ');
            window.Append(tokens[t].Text.ToLowerInvariant()).Append(' ');
        }
        var text = window.ToString();
        foreach (var phrase in phrases)
            if (text.Contains(" " + phrase + " ", StringComparison.Ordinal)) return true;
        return false;
    }
}
