using System.Text.Json;
using System.Security.Cryptography;

namespace TrendLens.Tagging;

/// <summary>A lineage roll-up: a model counted under its family (RoBERTa under BERT).</summary>
public sealed record DerivedModel
{
    public required string Name { get; init; }
    public required List<string> Aliases { get; init; }
}

/// <summary>One model family or architecture of <c>dashboards/model-families.json</c>.</summary>
public sealed record FamilyDefinition
{
    public required string Name { get; init; }
    public string? Organization { get; init; }
    /// <summary><c>model</c> or <c>architecture</c>.</summary>
    public required string Kind { get; init; }
    public required List<string> Aliases { get; init; }
    public List<DerivedModel> Derived { get; init; } = [];
    /// <summary>Aliases that are also ordinary words: they count only with a version suffix or a cue nearby.</summary>
    public List<string> Ambiguous { get; init; } = [];
    /// <summary>For ambiguous aliases: only a version suffix counts, cues are not enough.</summary>
    public bool RequireSuffix { get; init; }
    /// <summary>Words after an alias that name a variant (<c>Pro</c>, <c>Sonnet</c>), like a version number does.</summary>
    public List<string> SuffixWords { get; init; } = [];
    public List<string> Cues { get; init; } = [];
    /// <summary>Words in the same sentence that rule a match out (<c>Shannon</c> for Claude).</summary>
    public List<string> NegativeCues { get; init; } = [];
    /// <summary>Tokens that start with one of these never count (<c>LLaMA-Factory</c> is a tool, not a Llama model).</summary>
    public List<string> NotTokens { get; init; } = [];
    /// <summary>Unambiguous aliases match in any case unless this is set; ambiguous ones always match case.</summary>
    public bool CaseSensitive { get; init; }
}

public sealed record FamilyLexiconFile
{
    public required List<string> GenericCues { get; init; }
    /// <summary>Words after a family's name that name a model version, like a number does (<c>mini</c>, <c>VL</c>, <c>oss</c>).</summary>
    public List<string> VersionWords { get; init; } = [];
    /// <summary>Words that end a version's name: training variants and the like (<c>Instruct</c>, <c>Distill</c>, <c>base</c>).</summary>
    public List<string> NotVersionWords { get; init; } = [];
    public required List<FamilyDefinition> Families { get; init; }
}

/// <summary>One research topic of <c>dashboards/topics.json</c> (rules: <see cref="TopicMatcher"/>).</summary>
public sealed record TopicDefinition
{
    public required string Name { get; init; }
    /// <summary>What a paper about the topic is about, for readers of the charts and for labellers.</summary>
    public string? Description { get; init; }
    /// <summary>Earlier names of the topic, which queries still accept.</summary>
    public List<string> Aliases { get; init; } = [];
    /// <summary>Phrases specific to the topic (1–3 words, matched after folding): one saying tags the paper.</summary>
    public List<string> Include { get; init; } = [];
    /// <summary>Generic phrases: they tag the paper in its title, said twice, or beside another cue of the topic.</summary>
    public List<string> Cues { get; init; } = [];
    /// <summary>Phrases that count only in the title ("benchmark" in a title says the paper contributes one).</summary>
    public List<string> TitleCues { get; init; } = [];
    /// <summary>Phrases whose sayings are no mention of the topic phrases inside them ("semantic alignment").</summary>
    public List<string> Exclude { get; init; } = [];
    /// <summary>The points of evidence the topic needs (<see cref="TopicMatcher.Enough"/> when absent): 1.5 lets one saying of an include phrase count.</summary>
    public double? Threshold { get; init; }
    /// <summary>Model families whose mention also tags the paper (Mamba → state-space models).</summary>
    public List<string> Families { get; init; } = [];
}

public sealed record TopicLexiconFile
{
    public required List<TopicDefinition> Topics { get; init; }

    /// <summary>The topic of this name, else the one that lists it among its earlier names (<c>aliases</c>); null when none does.</summary>
    public TopicDefinition? Named(string name, StringComparer comparer) =>
        Topics.FirstOrDefault(t => comparer.Equals(t.Name, name)) ?? Topics.FirstOrDefault(t => t.Aliases.Contains(name, comparer));
}

/// <summary>A concept of <c>dashboards/keyphrases.json</c>: the name it is shown by, and other ways papers write it.</summary>
public sealed record KeyphraseConcept
{
    public required string Name { get; init; }
    public List<string> Aliases { get; init; } = [];
}

/// <summary><c>dashboards/keyphrases.json</c>: concepts with their aliases, phrases never ranked, phrases always ranked.</summary>
public sealed record KeyphraseLexiconFile
{
    public List<KeyphraseConcept> Concepts { get; init; } = [];
    /// <summary>Never ranked as keyphrases: academic prose and general words that evidence alone does not rule out.</summary>
    public List<string> Stop { get; init; } = [];
    /// <summary>Always keyphrases, whatever the evidence.</summary>
    public List<string> Keep { get; init; } = [];
    /// <summary>Nouns naming a property, part or setting of something else: a phrase ending in one needs strong evidence.</summary>
    public List<string> GenericHeads { get; init; } = [];
}

/// <summary>One rule for the Rollup stage (table <c>term_rules</c>): forms folded as terms are.</summary>
public sealed record TermRule(string Rule, string Form, string? Concept, string? ConceptForm);

/// <summary>A lexicon file that cannot be used; the message names the file and the field.</summary>
public sealed class LexiconException(string message) : Exception(message);

/// <summary>
/// The user-edited lexicons, loaded strictly (unknown fields are errors) and validated.
/// <see cref="Version"/> is a content hash: tags made with another version are stale.
/// </summary>
public sealed class Lexicons
{
    /// <summary>Bump when the tagging code changes what it produces from the same lexicons.</summary>
    public const string TaggerVersion = "tagger-9";

    public const string FamiliesFile = "model-families.json";
    public const string TopicsFile = "topics.json";
    public const string KeyphrasesFile = "keyphrases.json";
    public const string TopicReaderFileName = "topic-reader.json";

    /// <summary>The files of a dashboards folder that are lexicons; every other <c>*.json</c> there is a dashboard.</summary>
    public static readonly IReadOnlySet<string> FileNames = new HashSet<string>(StringComparer.Ordinal) { FamiliesFile, TopicsFile, KeyphrasesFile, TopicReaderFileName };

    private Lexicons(FamilyLexiconFile families, TopicLexiconFile topics, KeyphraseLexiconFile keyphrases, TopicReader? reader, string version, string termsVersion)
    {
        Families = families;
        Topics = topics;
        Keyphrases = keyphrases;
        Reader = reader;
        Version = version;
        TermsVersion = termsVersion;
    }

    public FamilyLexiconFile Families { get; }
    public TopicLexiconFile Topics { get; }
    public KeyphraseLexiconFile Keyphrases { get; }
    /// <summary>The topic reader of <c>topic-reader.json</c>, or null when there is none: topics are then the rules' alone.</summary>
    public TopicReader? Reader { get; }
    public string Version { get; }

    /// <summary>
    /// The version of what a paper's terms, model families and versions are made from: the
    /// tagger's version, the families and the keyphrases, not the topics or the topic reader
    /// (which only decide topics). Tags of the same text and terms version differ only in topics.
    /// </summary>
    public string TermsVersion { get; }

    /// <summary>The same lexicons without the topic reader: the rules' topics alone.</summary>
    public Lexicons WithoutReader() => new(Families, Topics, Keyphrases, null, Version + "-rules", TermsVersion);

    /// <summary>What the lexicons say of terms, as the Rollup stage reads it (table <c>term_rules</c>).</summary>
    public IReadOnlyList<TermRule> TermRules()
    {
        var rules = new List<TermRule>();
        foreach (var concept in Keyphrases.Concepts)
        {
            var key = Terms.Key(concept.Name);
            foreach (var alias in concept.Aliases.Prepend(concept.Name)) rules.Add(new TermRule("alias", Terms.Key(alias), concept.Name, key));
        }
        rules.AddRange(Keyphrases.Stop.Select(p => new TermRule("stop", Terms.Key(p), null, null)));
        rules.AddRange(Keyphrases.Keep.Select(p => new TermRule("keep", Terms.Key(p), null, null)));
        rules.AddRange(Keyphrases.GenericHeads.Select(p => new TermRule("generic_head", Terms.Key(p), null, null)));
        foreach (var family in Families.Families)
        {
            foreach (var alias in family.Aliases.Concat(family.Derived.SelectMany(d => d.Aliases)).Prepend(family.Name).Distinct())
                rules.Add(new TermRule("name", Terms.Key(alias), family.Name, Terms.Key(family.Name)));
            // Its maker's name before a model's is that model ("OpenAI o1" = "o1").
            if (family.Organization is { Length: > 0 } maker)
                rules.Add(new TermRule("organization", Terms.Key(maker), family.Name, Terms.Key(family.Name)));
        }
        return rules;
    }

    /// <summary>Loads the lexicons from a dashboards folder (<c>keyphrases.json</c> and <c>topic-reader.json</c> may be absent).</summary>
    /// <param name="withReader">False leaves out <c>topic-reader.json</c> (for <c>train-topics</c>, which replaces it, even when it no longer loads, and for reading names alone).</param>
    public static Lexicons Load(string directory, bool withReader = true)
    {
        var familiesPath = Path.Combine(directory, FamiliesFile);
        var topicsPath = Path.Combine(directory, TopicsFile);
        var keyphrasesPath = Path.Combine(directory, KeyphrasesFile);
        var readerPath = Path.Combine(directory, TopicReaderFileName);
        var familiesBytes = ReadFile(familiesPath);
        var topicsBytes = ReadFile(topicsPath);
        var keyphrasesBytes = File.Exists(keyphrasesPath) ? ReadFile(keyphrasesPath) : null;
        var readerBytes = withReader && File.Exists(readerPath) ? ReadFile(readerPath) : null;
        return Parse(familiesBytes, topicsBytes, familiesPath, topicsPath, keyphrasesBytes, keyphrasesPath, readerBytes, readerPath);
    }

    public static Lexicons Parse(byte[] familiesJson, byte[] topicsJson, string familiesPath = FamiliesFile, string topicsPath = TopicsFile,
        byte[]? keyphrasesJson = null, string keyphrasesPath = KeyphrasesFile, byte[]? readerJson = null, string readerPath = TopicReaderFileName)
    {
        var families = Deserialize<FamilyLexiconFile>(familiesJson, familiesPath);
        var topics = Deserialize<TopicLexiconFile>(topicsJson, topicsPath);
        var keyphrases = keyphrasesJson is null ? new KeyphraseLexiconFile() : Deserialize<KeyphraseLexiconFile>(keyphrasesJson, keyphrasesPath);
        var reader = readerJson is null ? null : Deserialize<TopicReaderFile>(readerJson, readerPath);
        ValidateFamilies(families, familiesPath);
        ValidateTopics(topics, families, topicsPath);
        ValidateKeyphrases(keyphrases, keyphrasesPath);
        if (reader is not null) ValidateReader(reader = UnderCurrentNames(reader, topics), topics, readerPath);
        return new Lexicons(families, topics, keyphrases, reader is null ? null : new TopicReader(reader),
            VersionOf(familiesJson, topicsJson, keyphrasesJson, readerJson), TermsVersionOf(familiesJson, keyphrasesJson));
    }

    /// <summary>
    /// The <see cref="Version"/> the lexicons in a dashboards folder have, from their bytes alone:
    /// for a command that only checks whether tags are current, without reading the rules. A file
    /// users edit that is not JSON at all is an error: "tagged with an older lexicon, run retag"
    /// would send them to a retag that cannot read it.
    /// </summary>
    public static string VersionOf(string directory)
    {
        var keyphrasesPath = Path.Combine(directory, KeyphrasesFile);
        var readerPath = Path.Combine(directory, TopicReaderFileName);
        return VersionOf(ReadJsonFile(Path.Combine(directory, FamiliesFile)), ReadJsonFile(Path.Combine(directory, TopicsFile)),
            File.Exists(keyphrasesPath) ? ReadJsonFile(keyphrasesPath) : null, File.Exists(readerPath) ? ReadFile(readerPath) : null);
    }

    private static byte[] ReadJsonFile(string path)
    {
        var bytes = ReadFile(path);
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new LexiconException($"{path} (line {(e.LineNumber ?? 0) + 1}): not valid JSON, so no rules can be read from it; fix it, then run `trendlens retag`");
        }
        return bytes;
    }

    private static string VersionOf(byte[] familiesJson, byte[] topicsJson, byte[]? keyphrasesJson, byte[]? readerJson)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(TaggerVersion + "\n"));
        sha.AppendData(Compact(familiesJson));
        sha.AppendData("\n"u8);
        sha.AppendData(Compact(topicsJson));
        if (keyphrasesJson is not null)
        {
            sha.AppendData("\n"u8);
            sha.AppendData(Compact(keyphrasesJson));
        }
        if (readerJson is not null)
        {
            sha.AppendData("\n"u8);
            sha.AppendData(readerJson);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private static string TermsVersionOf(byte[] familiesJson, byte[]? keyphrasesJson)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes("terms:" + TaggerVersion + "\n"));
        sha.AppendData(Compact(familiesJson));
        if (keyphrasesJson is not null)
        {
            sha.AppendData("\n"u8);
            sha.AppendData(Compact(keyphrasesJson));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    /// <summary>
    /// A file users edit without its comments, layout and trailing commas, so that editing those
    /// leaves the tags current; the bytes as they are when they are not JSON (loading says why).
    /// </summary>
    private static byte[] Compact(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            using var buffer = new MemoryStream(json.Length);
            using (var writer = new Utf8JsonWriter(buffer)) document.WriteTo(writer);
            return buffer.ToArray();
        }
        catch (JsonException)
        {
            return json;
        }
    }

    /// <summary>The dashboards folder: $TRENDLENS_DASHBOARDS, else the nearest <c>dashboards/</c> up from here or from the program.</summary>
    public static string FindDirectory()
    {
        if (Environment.GetEnvironmentVariable("TRENDLENS_DASHBOARDS") is { Length: > 0 } env) return env;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "dashboards");
                if (File.Exists(Path.Combine(candidate, FamiliesFile))) return candidate;
            }
        }
        throw new LexiconException($"cannot find dashboards/{FamiliesFile} here or above; set TRENDLENS_DASHBOARDS to the folder that holds the lexicons");
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LexiconException($"{path}: cannot read: {e.Message}");
        }
    }

    private static T Deserialize<T>(byte[] json, string path) => StrictJson.Deserialize<T>(json, path, m => new LexiconException(m));

    private static void ValidateFamilies(FamilyLexiconFile file, string path)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Families.Count; i++)
        {
            var f = file.Families[i];
            var at = $"{path} at $.families[{i}] ({f.Name})";
            if (string.IsNullOrWhiteSpace(f.Name)) throw new LexiconException($"{at}.name: must not be empty");
            if (!names.Add(f.Name)) throw new LexiconException($"{at}.name: '{f.Name}' is defined twice");
            if (f.Kind is not ("model" or "architecture")) throw new LexiconException($"{at}.kind: expected 'model' or 'architecture', found '{f.Kind}'");
            if (f.Aliases.Count == 0) throw new LexiconException($"{at}.aliases: needs at least one alias");
            foreach (var a in f.Aliases.Concat(f.Derived.SelectMany(d => d.Aliases)))
            {
                if (a.Trim().Length < 2) throw new LexiconException($"{at}.aliases: '{a}' is too short to match safely");
                if (aliases.TryGetValue(a, out var other) && other != f.Name)
                    throw new LexiconException($"{at}.aliases: '{a}' is also an alias of {other}");
                aliases[a] = f.Name;
            }
            foreach (var a in f.Ambiguous)
                if (!f.Aliases.Contains(a) && !f.Derived.Any(d => d.Aliases.Contains(a)))
                    throw new LexiconException($"{at}.ambiguous: '{a}' is not one of the family's aliases");
        }
    }

    private static void ValidateKeyphrases(KeyphraseLexiconFile file, string path)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Concepts.Count; i++)
        {
            var c = file.Concepts[i];
            var at = $"{path} at $.concepts[{i}] ({c.Name})";
            foreach (var phrase in c.Aliases.Prepend(c.Name))
            {
                var key = Terms.Key(phrase);
                if (key.Length == 0) throw new LexiconException($"{at}: '{phrase}' has no words");
                if (owner.TryGetValue(key, out var other) && other != c.Name)
                    throw new LexiconException($"{at}.aliases: '{phrase}' is also a form of the concept '{other}'");
                owner[key] = c.Name;
            }
        }
        var stop = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Stop.Count; i++)
        {
            var key = Terms.Key(file.Stop[i]);
            if (key.Length == 0) throw new LexiconException($"{path} at $.stop[{i}]: '{file.Stop[i]}' has no words");
            stop.Add(key);
        }
        for (var i = 0; i < file.GenericHeads.Count; i++)
            if (Terms.Key(file.GenericHeads[i]) is var head && (head.Length == 0 || head.Contains(' ')))
                throw new LexiconException($"{path} at $.genericHeads[{i}]: '{file.GenericHeads[i]}' must be one word");
        for (var i = 0; i < file.Keep.Count; i++)
        {
            var key = Terms.Key(file.Keep[i]);
            if (key.Length == 0) throw new LexiconException($"{path} at $.keep[{i}]: '{file.Keep[i]}' has no words");
            if (stop.Contains(key)) throw new LexiconException($"{path} at $.keep[{i}]: '{file.Keep[i]}' is also in the stop list");
        }
    }

    /// <summary>
    /// The reader with each topic under its name in topics.json: a topic renamed there keeps its
    /// old name among its aliases, and the reader trained under the old name still judges it.
    /// </summary>
    private static TopicReaderFile UnderCurrentNames(TopicReaderFile file, TopicLexiconFile topics)
    {
        var renamed = file.Topics.Select(t => topics.Named(t.Name, StringComparer.Ordinal) is { } now ? t with { Name = now.Name } : t).ToList();
        return file with { Topics = renamed };
    }

    private static void ValidateReader(TopicReaderFile file, TopicLexiconFile topics, string path)
    {
        if (!(file.Threshold is > 0 and < 1)) throw new LexiconException($"{path} at $.threshold: must be between 0 and 1, found {file.Threshold}");
        if (!(file.RuleWeight >= 0 && file.RuleWeight < file.Threshold))
            throw new LexiconException($"{path} at $.ruleWeight: must be at least 0 and below the threshold ({file.Threshold}), found {file.RuleWeight}");
        if (file.MinKnown < 0) throw new LexiconException($"{path} at $.minKnown: must be 0 or more, found {file.MinKnown}");
        foreach (var (feature, idf) in file.Idf)
        {
            if (!TopicReader.IsFeature(feature))
                throw new LexiconException($"{path} at $.idf['{feature}']: not a word or a pair of words as the reader reads them (lower case, letters and digits, one space between)");
            if (!double.IsFinite(idf) || idf <= 0) throw new LexiconException($"{path} at $.idf['{feature}']: must be a positive number, found {idf}");
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Topics.Count; i++)
        {
            var t = file.Topics[i];
            var at = $"{path} at $.topics[{i}] ({t.Name})";
            if (!topics.Topics.Any(x => x.Name == t.Name))
                throw new LexiconException($"{at}.name: '{t.Name}' is not a topic of {TopicsFile}, nor an alias of one: keep a renamed topic's old name among its aliases, or run 'trendlens train-topics' again");
            if (!names.Add(t.Name)) throw new LexiconException($"{at}.name: '{t.Name}' is defined twice");
            if (!double.IsFinite(t.Bias)) throw new LexiconException($"{at}.bias: must be a number");
            foreach (var (feature, weight) in t.Weights)
            {
                if (!file.Idf.ContainsKey(feature)) throw new LexiconException($"{at}.weights: '{feature}' is not in $.idf");
                if (!double.IsFinite(weight)) throw new LexiconException($"{at}.weights['{feature}']: must be a number");
            }
        }
    }

    private static void ValidateTopics(TopicLexiconFile file, FamilyLexiconFile families, string path)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < file.Topics.Count; i++)
        {
            var t = file.Topics[i];
            var at = $"{path} at $.topics[{i}] ({t.Name})";
            if (string.IsNullOrWhiteSpace(t.Name)) throw new LexiconException($"{at}.name: must not be empty");
            if (!names.Add(t.Name)) throw new LexiconException($"{at}.name: '{t.Name}' is defined twice");
            if (t.Include.Count + t.Cues.Count + t.TitleCues.Count == 0 && t.Families.Count == 0)
                throw new LexiconException($"{at}.include: needs at least one phrase (include, cues or titleCues) or family");
            if (t.Threshold is { } threshold && !(threshold is >= 0.5 and <= 10)) throw new LexiconException($"{at}.threshold: must be between 0.5 and 10");
            foreach (var alias in t.Aliases)
                if (!names.Add(alias)) throw new LexiconException($"{at}.aliases: '{alias}' is the name of another topic");
            foreach (var (list, field) in new[] { (t.Include, "include"), (t.Cues, "cues"), (t.TitleCues, "titleCues"), (t.Exclude, "exclude") })
                foreach (var term in list)
                {
                    var words = Tokenizer.Tokenize(term).Where(w => w.IsWord).Select(w => w.Text).ToList();
                    if (words.Count == 0) throw new LexiconException($"{at}.{field}: '{term}' has no words");
                    if (words.Count > Terms.MaxWords) throw new LexiconException($"{at}.{field}: '{term}' has more than {Terms.MaxWords} words");
                    if (words.FirstOrDefault(Terms.IsBoundaryWord) is { } stop)
                        throw new LexiconException($"{at}.{field}: '{term}' contains '{stop}', a stop word or number that ends phrases, so it can never match (write 'mixture-of-experts', not 'mixture of experts')");
                }
            foreach (var f in t.Families)
                if (!families.Families.Any(x => x.Name == f))
                    throw new LexiconException($"{at}.families: '{f}' is not a family in {FamiliesFile}");
        }
    }
}
