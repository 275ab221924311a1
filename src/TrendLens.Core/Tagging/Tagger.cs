using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Tagging;

/// <summary>The tags of one paper.</summary>
public sealed record PaperTags(
    IReadOnlyDictionary<string, TermEvidence> Terms,
    IReadOnlyList<FamilyMention> Families,
    IReadOnlyList<string> Topics)
{
    /// <summary>Named model versions, as the paper writes them (<c>Qwen2.5-VL</c>, <c>Llama 4</c>).</summary>
    public IReadOnlyList<VersionMention> Versions { get; init; } = [];

    /// <summary>Acronyms the paper defines and their folded long forms (<c>LoRA</c> → <c>low-rank adaptation</c>).</summary>
    public IReadOnlyList<(string Acronym, string LongForm)> Definitions { get; init; } = [];

    /// <summary>The terms that end a phrase somewhere in the text; a term never at the end only modifies what follows it.</summary>
    public IReadOnlySet<string> Ends { get; init; } = new HashSet<string>();
}

public sealed record TagRun(int Papers, long Terms, long Families, long Topics, string LexiconVersion, TimeSpan Elapsed)
{
    /// <summary>
    /// Where the time went: reading texts, tagging them, writing the tags. One batch is tagged
    /// while the one before it is written, so the three add up to more than <see cref="Elapsed"/>.
    /// </summary>
    public (TimeSpan Read, TimeSpan Tag, TimeSpan Write) Phases { get; init; }

    /// <summary>How many of the papers took the tags made while they were imported (see <see cref="TagAhead"/>).</summary>
    public int TaggedAhead { get; init; }

    /// <summary>
    /// A retag that wrote only topics: every paper's terms, families and versions were already of
    /// its text and of today's lexicons for them (<see cref="Lexicons.TermsVersion"/>).
    /// </summary>
    public bool TopicsOnly { get; init; }
}

/// <summary>Lexicon version counts over all papers; <see cref="Stale"/> and <see cref="Untagged"/> say what a retag would fix.</summary>
public sealed record TagFreshness(string CurrentVersion, long Current, long Stale, long Untagged)
{
    public string? Warning => Stale + Untagged == 0 ? null
        : $"{Stale:N0} paper(s) are tagged with an older lexicon and {Untagged:N0} are not tagged; run `trendlens retag`";
}

/// <summary>
/// Stage 4, Tag: keywords, model-family mentions and topics for each paper, from its title and
/// abstract (and <c>ai_keywords</c> as extra evidence), with the user-edited lexicons. Tags are
/// derived data: <see cref="Retag"/> rebuilds them all, <see cref="TagPending"/> tags the papers
/// that are new or whose text changed.
/// </summary>
public sealed class Tagger
{
    private readonly Lexicons _lexicons;
    private readonly FamilyMatcher _families;
    private readonly TopicMatcher _topics;
    private readonly TopicReader? _reader;
    private readonly string[] _topicNames;
    private readonly TimeProvider _clock;

    /// <summary>
    /// The time a tagging is recorded at: the clock's, to the microsecond the database keeps, and
    /// always after the latest recorded (<paramref name="latest"/>), even when the clock reads the
    /// same or goes back, so that the rollup signature knows every tagging by its latest time.
    /// </summary>
    internal static DateTime TaggedAt(DateTime clock, DateTime? latest)
    {
        var now = new DateTime(clock.Ticks - clock.Ticks % 10, clock.Kind);
        return latest is { } l && l >= now ? new DateTime(l.Ticks - l.Ticks % 10 + 10, clock.Kind) : now;
    }

    public Tagger(Lexicons lexicons, TimeProvider clock)
    {
        _lexicons = lexicons;
        _clock = clock;
        _families = new FamilyMatcher(lexicons.Families);
        _topics = new TopicMatcher(lexicons.Topics);
        _reader = lexicons.Reader;
        _topicNames = lexicons.Topics.Topics.Select(t => t.Name).ToArray();
    }

    public string LexiconVersion => _lexicons.Version;

    /// <summary>Tags one paper; pure and thread-safe.</summary>
    public PaperTags Tag(string title, string @abstract, IReadOnlyList<string>? aiKeywords)
    {
        var stored = TagForStorage(title, @abstract, aiKeywords);
        var terms = new Dictionary<string, TermEvidence>(stored.TermCount, StringComparer.Ordinal);
        if (stored.Terms.Length > 0)
            foreach (var term in stored.Terms.Split(StoredTags.Separator)) terms[term] = TermEvidence.Text;
        if (stored.AiTerms.Length > 0)
            foreach (var term in stored.AiTerms.Split(StoredTags.Separator))
                terms[term] = terms.ContainsKey(term) ? TermEvidence.TextAndAi : TermEvidence.AiOnly;
        var definitions = stored.Definitions.Length == 0 ? []
            : stored.Definitions.Split(StoredTags.Separator).Select(d => d.Split(StoredTags.PairSeparator)).Select(d => (d[0], d[1])).ToList();
        return new PaperTags(terms, stored.Families, stored.Topics)
        {
            Versions = stored.Versions,
            Definitions = definitions,
            Ends = stored.Terms.Length == 0 ? new HashSet<string>()
                : stored.Terms.Split(StoredTags.Separator).Where((_, i) => stored.Ends[i] == '1').ToHashSet(StringComparer.Ordinal),
        };
    }

    /// <summary>Why a paper gets its topics: each topic phrase it says, and how often in the title and the abstract.</summary>
    internal List<(string Topic, string Phrase, string Role, int Title, int Text)> TopicEvidence(string title, string @abstract, IReadOnlyList<string>? aiKeywords)
    {
        TagForStorage(title, @abstract, aiKeywords);
        var terms = _scratch!.Terms;
        return _topics.Evidence(terms.TopicTitle, terms.TopicText);
    }

    /// <summary>
    /// Why a paper has a topic or not, in the terms a reader of the topic chart can check: the
    /// topic's phrases of <c>topics.json</c> the paper says, and the topic reader's probability with
    /// the words and pairs that raised it most (none when there is no reader, it does not judge the
    /// topic, or it knows too few of the paper's words).
    /// </summary>
    public TopicReason ExplainTopic(string title, string @abstract, string topic)
    {
        var phrases = TopicEvidence(title, @abstract, null).Where(e => e.Topic == topic)
            .Select(e => new TopicPhrase(e.Phrase, e.Role, e.Title, e.Text)).ToList();
        if (_reader is null) return new TopicReason(topic, phrases, null, []);
        var (probability, reasons) = _reader.Explain(title, @abstract, topic);
        return double.IsNaN(probability) ? new TopicReason(topic, phrases, null, [])
            : new TopicReason(topic, phrases, probability, reasons.Where(r => r.Contribution > 0).Take(4).Select(r => r.Feature).ToList());
    }

    /// <summary>Per-thread buffers and the thread's word table, so a paper allocates little more than its tags.</summary>
    private sealed class Scratch
    {
        public WordTable? Words;
        public readonly List<Token> Tokens = new(1024);
        public readonly Terms.TermSet Terms = new();
        public readonly CharBuffer Text = new();
        public readonly CharBuffer Ai = new();
        public readonly CharBuffer Ends = new();
        public readonly CharBuffer KeyMarks = new();
        public readonly TermKeys Keys = new();
    }

    [ThreadStatic]
    private static Scratch? _scratch;

    /// <summary>Tags one paper in the form the tag tables store; pure and thread-safe.</summary>
    /// <param name="topicsOnly">Leaves the terms' strings empty (a retag that writes only topics); the counts are made all the same.</param>
    internal StoredTags TagForStorage(string title, string @abstract, IReadOnlyList<string>? aiKeywords, bool topicsOnly = false)
    {
        var scratch = _scratch ??= new Scratch();
        if (scratch.Words is not { } words || words.LexiconVersion != LexiconVersion || words.Full)
            scratch.Words = words = new WordTable(LexiconVersion, _families, _topics.Keys);
        var (tokens, terms, text, ai, ends) = (scratch.Tokens, scratch.Terms, scratch.Text, scratch.Ai, scratch.Ends);
        tokens.Clear();
        // The title is a sentence of its own, as if followed by " .\n", without copying both texts into one.
        var sentence = Tokenizer.Tokenize(title, words, tokens);
        var titleTokens = tokens.Count;
        tokens.Add(new Token(".", TokenKind.Punct, sentence));
        Tokenizer.Tokenize(@abstract, words, tokens, sentence + 1);
        Terms.Extract(tokens, aiKeywords, words, terms, titleTokens);
        var matches = _families.Match(tokens);
        var families = matches.Families;
        foreach (var version in matches.Versions)
        {
            // A model's name is a term as written ("Llama 4", "DeepSeek-R1"), and a part of it
            // that also stands alone in the paper ("R1", "4o", "V3") is that model, not a term of its own.
            foreach (var part in version.Version.Split('-', ' ').Skip(1))
                if (part.Any(char.IsAsciiDigit) && part.Any(char.IsAsciiLetter) && words.Get(part) is { Boundary: false } fragment)
                    terms.Live.Remove(WordTable.Pack(fragment.Id));
            var (key, packed) = words.KeywordKey(version.Version);
            if (packed != 0)
            {
                terms.AddText(packed);
                terms.Ends.Add(packed);
            }
            else if (terms.KeywordKeys.Add(key)) terms.Keywords.Add((key, TermEvidence.Text));
        }

        text.Clear();
        ai.Clear();
        ends.Clear();
        var count = 0;
        foreach (var phrase in terms.Found)
        {
            // Live.Remove: a phrase found twice (removed by an acronym definition, then added again) is written once.
            if (!terms.Live.Remove(phrase)) continue;
            count++;
            if (topicsOnly) continue;
            Join(text);
            words.Append(phrase, text);
            ends.Append(terms.Ends.Contains(phrase) ? '1' : '0');
            if (terms.Confirmed.Contains(phrase))
            {
                Join(ai);
                words.Append(phrase, ai);
            }
        }
        foreach (var (key, evidence) in terms.Keywords)
        {
            count++;
            if (topicsOnly) continue;
            if (evidence != TermEvidence.AiOnly)
            {
                // Long forms and model names are whole names wherever they stand.
                Join(text);
                text.Append(key);
                ends.Append('1');
            }
            Join(ai);
            ai.Append(key);
        }
        var topics = _topics.Decide(terms.TopicTitle, terms.TopicText, families);
        if (_reader is not null)
        {
            Span<double> p = stackalloc double[_reader.Topics.Count];
            topics = _reader.Decide(p, _reader.Probabilities(tokens, titleTokens, p), topics, _topicNames);
        }
        if (topicsOnly) return new StoredTags("", "", count, families, topics) { Versions = matches.Versions };
        var defined = "";
        if (terms.Defined.Count > 0)
            defined = string.Join(StoredTags.Separator, terms.Defined.Select(d => d.Acronym + StoredTags.PairSeparator + d.LongForm));
        var marks = scratch.KeyMarks;
        marks.Clear();
        var keyed = scratch.Keys.Write(text.AsSpan(), ends.AsSpan(), marks);
        return new StoredTags(text.ToString(), ai.ToString(), count, families, topics)
        {
            Versions = matches.Versions,
            Definitions = defined,
            Ends = ends.ToString(),
            KeyMarks = keyed ? marks.ToString() : null,
        };

        static void Join(CharBuffer buffer)
        {
            if (buffer.Length > 0) buffer.Append(StoredTags.Separator);
        }
    }

    /// <summary>
    /// Tags papers that have no tags or whose text changed since they were tagged, taking the
    /// tags made while they were imported from <paramref name="ahead"/> where the text is the same.
    /// </summary>
    public TagRun TagPending(Database database, DuckDBConnection connection, TagAhead? ahead = null) =>
        Run(database, connection, all: false, ahead);

    /// <summary>Rebuilds every paper's tags with the current lexicons.</summary>
    public TagRun Retag(Database database, DuckDBConnection connection) => Run(database, connection, all: true, ahead: null);

    /// <summary>How many papers are tagged with <paramref name="currentVersion"/>, with another version, or not at all, counted now.</summary>
    public static TagFreshness Freshness(DuckDBConnection connection, string currentVersion) =>
        Freshness(connection, "tagging/tag_freshness", currentVersion);

    /// <summary>
    /// The same as <see cref="Freshness(DuckDBConnection, string)"/>, as counted when the rollups
    /// were last built: right after they were brought up to date, the same answer without counting
    /// every paper (0.4–0.5 s at a million papers).
    /// </summary>
    public static TagFreshness FreshnessAtRollup(DuckDBConnection connection, string currentVersion) =>
        Freshness(connection, "rollup/tag_versions", currentVersion);

    /// <summary>Sums a query's (lexicon_version, papers) rows, null version meaning untagged.</summary>
    private static TagFreshness Freshness(DuckDBConnection connection, string query, string currentVersion)
    {
        long current = 0, stale = 0, untagged = 0;
        foreach (var (version, papers) in connection.Rows(SqlCatalog.Get(query), r => (r.NullableString(0), r.GetInt64(1))))
        {
            if (version is null) untagged += papers;
            else if (version == currentVersion) current += papers;
            else stale += papers;
        }
        return new TagFreshness(currentVersion, current, stale, untagged);
    }

    /// <summary>
    /// The MD5 of a paper's text as <c>sql/tagging/papers_to_tag.sql</c> computes it: title, abstract
    /// and ai_keywords joined by U+001F, separated by line feeds, as UTF-8, in lower-case hex.
    /// </summary>
    public static string TextMd5(string title, string @abstract, IReadOnlyList<string>? aiKeywords)
    {
        // Encoded piece by piece into one pooled buffer: every entry of an import is hashed, and
        // joining the text first allocated 52 MB for the Daily Papers archive.
        var length = Encoding.UTF8.GetMaxByteCount(title.Length + @abstract.Length + 1) + 1;
        if (aiKeywords is not null)
            foreach (var keyword in aiKeywords) length += Encoding.UTF8.GetMaxByteCount(keyword.Length) + 1;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var n = Encoding.UTF8.GetBytes(title, buffer);
            buffer[n++] = (byte)'\n';
            n += Encoding.UTF8.GetBytes(@abstract, buffer.AsSpan(n));
            buffer[n++] = (byte)'\n';
            if (aiKeywords is not null)
                for (var i = 0; i < aiKeywords.Count; i++)
                {
                    if (i > 0) buffer[n++] = 0x1f;
                    n += Encoding.UTF8.GetBytes(aiKeywords[i], buffer.AsSpan(n));
                }
            Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
            MD5.HashData(buffer.AsSpan(0, n), hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A paper to tag; <c>Ahead</c> means tags for this very text were made during the import (no text is read).</summary>
    private sealed record PaperText(string PaperId, string? Title, string? Abstract, List<string>? AiKeywords, string TextMd5, bool Ahead)
    {
        public static PaperText Read(DuckDBDataReader r) => new(
            r.GetString(0), r.NullableString(1), r.NullableString(2),
            r.IsDBNull(3) ? null : r.GetFieldValue<List<string>>(3), r.GetString(4), r.GetBoolean(5));
    }

    /// <summary>Papers tagged and written per round, so memory holds one batch of texts and tags, not all of them.</summary>
    internal int BatchSize { get; init; } = 16_384;

    /// <summary>
    /// Batches whose tags one transaction writes when new or changed papers are tagged. DuckDB keeps
    /// a transaction's new rows in memory until it commits, so an import of a million new papers
    /// written in one transaction would pass the 2 GB a command may take. A paper's old tags go and
    /// its new ones come in the same transaction: a Tag stage stopped part-way leaves each paper
    /// tagged whole or not tagged yet, for the next import or retag. A retag stays one
    /// transaction, so that stopped part-way it leaves the previous lexicon's tags whole.
    /// </summary>
    internal int BatchesPerCommit { get; init; } = 8;

    /// <summary>The smallest batch a run is cut into so that writing one batch overlaps tagging the next.</summary>
    private const int MinPipelinedBatch = 1024;

    // The tag stage ends every import, so it talks to DuckDB without Dapper (see Storage/PlainSql).
    private TagRun Run(Database database, DuckDBConnection connection, bool all, TagAhead? ahead)
    {
        var stopwatch = Stopwatch.StartNew();
        if (ahead is not null && ahead.LexiconVersion != LexiconVersion)
            throw new ArgumentException("tags made ahead with another lexicon", nameof(ahead));
        var made = ahead?.Complete();
        using var writeLock = database.AcquireWriteLock();
        connection.Run(SqlCatalog.Get("tagging/tags_ahead_create"));
        if (made is not null)
        {
            using var rows = connection.CreateAppender("tags_ahead");
            foreach (var (paperId, md5) in made.Keys) rows.CreateRow().AppendValue(paperId).AppendValue(md5).EndRow();
        }
        // The papers to tag, numbered in the order of the listings their texts come from; the
        // texts are read, tagged and written one batch at a time, so memory holds one batch.
        connection.Run(SqlCatalog.Get("tagging/papers_to_tag"), null, ("all", all));
        connection.Run(SqlCatalog.Get("tagging/tags_ahead_drop"));
        var (count, taggedAhead) = connection.Rows(SqlCatalog.Get("tagging/papers_to_tag_count"), r => (r.GetInt64(0), r.GetInt64(1)))[0];
        // A retag after an edit of the topics alone: every paper's terms, families and versions
        // are already of today's text and lexicons for them, so only its topics are written again.
        var topicsOnly = all && count > 0 && connection.Rows(SqlCatalog.Get("tagging/papers_to_tag_terms_stale"), r => r.GetInt64(0),
            ("terms_version", _lexicons.TermsVersion))[0] == 0;
        TimeSpan read = TimeSpan.Zero, waited = TimeSpan.Zero;
        var setUp = stopwatch.Elapsed; // finding the papers to tag: counted as reading

        long termCount = 0, familyCount = 0, topicCount = 0;
        long tagTicks = 0;

        // Each paper's terms are joined into two strings right away: keeping ~160 strings and a
        // dictionary per paper alive until the write made the collector the bottleneck.
        StoredTags[] Tag(List<PaperText> papers)
        {
            var started = Stopwatch.GetTimestamp();
            var tags = new StoredTags[papers.Count];
            Parallel.For(0, papers.Count, i =>
            {
                var p = papers[i];
                tags[i] = p.Ahead ? made![(p.PaperId, p.TextMd5)] : TagForStorage(p.Title!, p.Abstract!, p.AiKeywords, topicsOnly);
            });
            Interlocked.Add(ref tagTicks, Stopwatch.GetTimestamp() - started);
            return tags;
        }
        var tx = connection.BeginTransaction();
        try
        {
            if (topicsOnly) connection.Run(SqlCatalog.Get("tagging/topics_delete_all"), tx);
            else if (all) connection.Run(SqlCatalog.Get("tagging/tags_delete_all"), tx);

            // The lexicons' rules for terms go with the tags they were made with, for the Rollup
            // stage, under the terms version: an edit of the topics leaves them as they were.
            connection.Run(SqlCatalog.Get("tagging/term_rules_delete"), tx);
            using (var rules = connection.CreateAppender("term_rules"))
                foreach (var rule in _lexicons.TermRules())
                    rules.CreateRow().AppendValue(_lexicons.TermsVersion).AppendValue(rule.Rule).AppendValue(rule.Form)
                        .AppendValue(rule.Concept).AppendValue(rule.ConceptForm).EndRow();

            var now = TaggedAt(_clock.GetUtcNow().UtcDateTime, connection.Single(SqlCatalog.Get("tagging/tagged_at_latest"), r => r.IsDBNull(0) ? (DateTime?)null : r.GetDateTime(0)));
            void Write(List<PaperText> papers, StoredTags[] tags)
            {
                foreach (var t in tags)
                {
                    termCount += t.TermCount;
                    familyCount += t.Families.Count;
                    topicCount += t.Topics.Count;
                }
                using var topics = connection.CreateAppender("paper_topics");
                for (var i = 0; i < papers.Count; i++)
                    foreach (var t in tags[i].Topics)
                        topics.CreateRow().AppendValue(papers[i].PaperId).AppendValue(t).EndRow();
                // A retag that writes only topics leaves the rest as it is (tag_state is relabelled at the end).
                if (topicsOnly) return;
                using var state = connection.CreateAppender("tag_state");
                using var terms = connection.CreateAppender("paper_terms");
                using var families = connection.CreateAppender("paper_families");
                using var versions = connection.CreateAppender("paper_versions");
                for (var i = 0; i < papers.Count; i++)
                {
                    var id = papers[i].PaperId;
                    state.CreateRow().AppendValue(id).AppendValue(papers[i].TextMd5).AppendValue(_lexicons.Version).AppendValue(now).AppendValue(_lexicons.TermsVersion).EndRow();
                    terms.CreateRow().AppendValue(id).AppendValue(tags[i].Terms).AppendValue(tags[i].AiTerms).AppendValue(tags[i].Definitions).AppendValue(tags[i].Ends)
                        .AppendValue(tags[i].KeyMarks).EndRow();
                    foreach (var f in tags[i].Families)
                        families.CreateRow().AppendValue(id).AppendValue(f.Family).AppendValue(f.Member).AppendValue(f.Evidence).EndRow();
                    foreach (var v in tags[i].Versions)
                        versions.CreateRow().AppendValue(id).AppendValue(v.Version).AppendValue(v.Family).EndRow();
                }
            }

            var perCommit = (long)BatchSize * BatchesPerCommit;
            // A run of a few thousand papers is still cut into a few batches, so that the tags of one
            // batch are written while the next is tagged; a big run keeps BatchSize, where the
            // queries per batch would add up. A batch size stays a divisor of perCommit.
            var batchSize = BatchSize;
            while (batchSize >= 2 * MinPipelinedBatch && count < 4L * batchSize) batchSize /= 2;

            // One batch is tagged on the thread pool while the one before it is written here: only
            // this thread talks to DuckDB.
            (long First, List<PaperText> Papers, Task<StoredTags[]> Tags)? inFlight = null;
            for (long first = 1; first <= count + batchSize; first += batchSize)
            {
                (long, List<PaperText>, Task<StoredTags[]>)? next = null;
                if (first <= count)
                {
                    var started = stopwatch.Elapsed;
                    var (from, to) = connection.Rows(SqlCatalog.Get("tagging/papers_to_tag_batch_dates"),
                        r => (r.GetFieldValue<DateOnly>(0), r.GetFieldValue<DateOnly>(1)), ("first", first), ("next", first + batchSize))[0];
                    var papers = connection.Rows(SqlCatalog.Get("tagging/paper_texts"), PaperText.Read,
                        ("first", first), ("next", first + batchSize), ("from", from), ("to", to));
                    read += stopwatch.Elapsed - started;
                    // On the pool, whose threads keep their word tables from batch to batch. Waiting
                    // for a batch no pool thread has taken yet runs it on this thread.
                    next = (first, papers, Task.Run(() => Tag(papers)));
                }
                if (inFlight is var (writeFirst, written, tags))
                {
                    var waiting = stopwatch.Elapsed;
                    var stored = tags.GetAwaiter().GetResult();
                    waited += stopwatch.Elapsed - waiting;
                    // New papers' tags are committed a part at a time (see BatchesPerCommit).
                    if (!all && (writeFirst - 1) % perCommit == 0)
                    {
                        if (writeFirst > 1)
                        {
                            tx.Commit();
                            tx.Dispose();
                            tx = connection.BeginTransaction();
                        }
                        connection.Run(SqlCatalog.Get("tagging/tags_delete_pending"), tx, ("first", writeFirst), ("next", writeFirst + perCommit));
                    }
                    Write(written, stored);
                }
                inFlight = next;
            }
            if (topicsOnly) connection.Run(SqlCatalog.Get("tagging/tag_state_relabel"), tx, ("version", _lexicons.Version), ("tagged_at", now));
            connection.Run(SqlCatalog.Get("tagging/papers_to_tag_drop"), tx);
            tx.Commit();
        }
        finally
        {
            tx.Dispose();
        }
        var elapsed = stopwatch.Elapsed;
        return new TagRun((int)count, termCount, familyCount, topicCount, _lexicons.Version, elapsed)
        {
            // Tagging runs beside reading and writing: the write is what this thread did apart from reading and waiting for tags.
            Phases = (setUp + read, Stopwatch.GetElapsedTime(0, tagTicks), elapsed - setUp - read - waited),
            TaggedAhead = (int)taggedAhead,
            TopicsOnly = topicsOnly,
        };
    }
}

/// <summary>A phrase of a topic's rules that a paper says: its role (Include, Cue, TitleCue, Exclude) and how often in the title and the abstract.</summary>
public sealed record TopicPhrase(string Phrase, string Role, int InTitle, int InAbstract);

/// <summary>Why a paper has a topic or not (<see cref="Tagger.ExplainTopic"/>).</summary>
public sealed record TopicReason(string Topic, IReadOnlyList<TopicPhrase> Phrases, double? Probability, IReadOnlyList<string> Words)
{
    /// <summary>One line: <c>reader 0.93 (agents, tool, gui); phrases: "tool use" in the title, "agent" ×3</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Probability is { } p) parts.Add($"reader {p.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}" + (Words.Count > 0 ? $" ({string.Join(", ", Words)})" : ""));
        if (Listed(Phrases.Where(x => x.Role != "Exclude")) is { } said) parts.Add("phrases: " + said);
        if (Listed(Phrases.Where(x => x.Role == "Exclude")) is { } against) parts.Add("against: " + against);
        return parts.Count == 0 ? "no phrase of the topic; the reader does not judge it" : string.Join("; ", parts);

        // The phrases said in the title first, then the most said; four at most.
        static string? Listed(IEnumerable<TopicPhrase> phrases)
        {
            var all = phrases.OrderByDescending(x => x.InTitle > 0).ThenByDescending(x => x.InTitle + x.InAbstract).ToList();
            if (all.Count == 0) return null;
            var shown = string.Join(", ", all.Take(4).Select(Said));
            return all.Count > 4 ? $"{shown} and {all.Count - 4} more" : shown;
        }

        static string Said(TopicPhrase x)
        {
            var where = new List<string>();
            if (x.InTitle > 0) where.Add("in the title");
            if (x.InAbstract > 0) where.Add(x.InAbstract == 1 ? "once in the abstract" : $"{x.InAbstract}× in the abstract");
            return $"\u201c{x.Phrase}\u201d {string.Join(" and ", where)}";
        }
    }
}

/// <summary>A paper's tags as written: terms joined by U+001F, as paper_terms stores them (sql/schema/011, 013).</summary>
internal sealed record StoredTags(string Terms, string AiTerms, int TermCount, IReadOnlyList<FamilyMention> Families, IReadOnlyList<string> Topics)
{
    public const char Separator = '\u001f';
    public const char PairSeparator = '\u001e';

    public IReadOnlyList<VersionMention> Versions { get; init; } = [];

    /// <summary>Definitions as <c>acronym U+001E long form</c>, joined by U+001F.</summary>
    public string Definitions { get; init; } = "";

    /// <summary>
    /// Which terms end a phrase somewhere in the text (<see cref="Terms.TermSet.Ends"/>): one
    /// character per term of <see cref="Terms"/>, in order, '1' or '0' (a fifth of the bytes of the forms).
    /// </summary>
    public string Ends { get; init; } = "";

    /// <summary>How each term is keyed (<see cref="TermKeys"/>), one mark per term; null when the keys are left to SQL.</summary>
    public string? KeyMarks { get; init; } = "";
}
