using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrendLens.Sources;

public enum TrendKind
{
    /// <summary>Absent, then appears on <see cref="PlantedTrend.Start"/> and grows.</summary>
    Rising,
    /// <summary>Common until <see cref="PlantedTrend.Start"/>, then fades away.</summary>
    Fading,
    /// <summary>Common on the single day <see cref="PlantedTrend.Start"/> only.</summary>
    Spike,
    /// <summary>The same share every day.</summary>
    Steady,
}

public sealed record PlantedTrend(string Term, TrendKind Kind, DateOnly Start);

/// <summary>What a generated archive holds, for tests and the demo to check against.</summary>
public sealed record GeneratedArchive(IReadOnlyList<DailyList> Days, IReadOnlyList<PlantedTrend> Trends, IReadOnlyList<DateOnly> MissingDays)
{
    /// <summary>The base source's lists (<see cref="ListGenerator.Options.BaseMultiple"/>), one per daily list from <see cref="ListGenerator.Options.BaseFrom"/> on; empty when none was asked for.</summary>
    public IReadOnlyList<DailyList> BaseDays { get; init; } = [];
}

/// <summary>
/// Deterministic synthetic daily lists (same seed, same lists) with planted trends: terms that
/// appear and grow, fade, spike on one day, or stay steady, among background words; list sizes
/// vary from day to day; weekends and some weekdays have no list. Written as hf-jsonl, so
/// <c>trendlens import</c> reads them like any other archive. Words are invented, so they never
/// collide with the model-family lexicon. Like the real lists, papers carry <c>ai_keywords</c>:
/// the planted terms and named phrases they contain, most of the time, and some of the first
/// <see cref="KeyphraseWords"/> background words; the other background words are the prose that
/// keyword lists never name.
/// <para>
/// On request it also generates a base source, as arXiv's ML categories are to the Daily Papers
/// list: on each list day, a list <see cref="Options.BaseMultiple"/> times as long that holds the
/// day's daily list and other papers, whose model and topic names follow other rates
/// (<see cref="BaseScenery"/>), so the daily list is a biased subset of the base. It is drawn from
/// a random stream of its own: the daily lists are the same with or without it.
/// </para>
/// </summary>
public sealed class ListGenerator(int seed)
{
    public sealed record Options(
        DateOnly Start,
        int Days,
        int PapersPerDay = 30,
        int RisingTerms = 5,
        int FadingTerms = 3,
        int SpikeTerms = 5,
        int SteadyTerms = 10,
        double OutageRate = 0.03)
    {
        /// <summary>Length of the base source's list as a multiple of the daily list's (0: no base source).</summary>
        public int BaseMultiple { get; init; }
        /// <summary>The first day with a base list (default: <see cref="Start"/>).</summary>
        public DateOnly? BaseFrom { get; init; }
    }

    private static readonly string[] FunctionWords = ["of", "the", "and", "for", "with", "in", "to", "a", "on", "by"];

    /// <summary>Background words that keyword lists may name; the rest are prose.</summary>
    public const int KeyphraseWords = 120;

    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ra", "zu", "te", "vo", "ni", "sa", "qu", "fe", "do", "ri", "mo", "ba", "xi",
        "len", "tor", "vex", "mar", "pol", "sin", "gra", "thu", "bel", "cor", "dra", "fin", "hal", "jor",
    ];

    /// <summary>Named phrases and their share of papers at the start and at the end of the range.</summary>
    private static readonly (string Phrase, double From, double To)[] Scenery =
    [
        ("GPT-4o", 0.10, 0.07), ("Llama-3", 0.12, 0.02), ("Qwen2.5", 0.03, 0.13), ("DeepSeek-R1", 0.0, 0.09),
        ("Gemini-2.5-Pro", 0.02, 0.05), ("Claude-3.5-Sonnet", 0.04, 0.04), ("Transformer", 0.12, 0.10),
        ("Mamba-2", 0.03, 0.01), ("CLIP", 0.05, 0.04), ("Stable Diffusion", 0.05, 0.02),
        ("reinforcement learning", 0.10, 0.20), ("chain-of-thought reasoning", 0.06, 0.15), ("video generation", 0.05, 0.09),
        ("retrieval-augmented generation", 0.07, 0.04), ("mixture-of-experts", 0.03, 0.06), ("benchmark", 0.25, 0.28),
        ("multimodal", 0.15, 0.18), ("agent", 0.08, 0.18), ("speculative decoding", 0.02, 0.04), ("world model", 0.01, 0.06),
    ];

    /// <summary>
    /// The base source's papers that are not on the daily list: each named phrase at its daily
    /// rate times this factor (the daily list favours agents and reasoning, the base has more
    /// retrieval, efficiency and architecture papers), plus phrases the daily list never names.
    /// </summary>
    /// <summary>
    /// The named phrases that name a research topic (dashboards/topics.json), each with what a paper
    /// that draws it says again, as a paper about its subject does: enough for the topic
    /// (docs/tagging.md, "Topics"). A benchmark paper says so in its title, where "benchmark" counts.
    /// </summary>
    private static readonly Dictionary<string, string> TopicScenery = new()
    {
        ["reinforcement learning"] = "reinforcement learning", ["chain-of-thought reasoning"] = "chain-of-thought reasoning",
        ["video generation"] = "video generation", ["retrieval-augmented generation"] = "retrieval-augmented generation",
        ["mixture-of-experts"] = "mixture-of-experts", ["multimodal"] = "multimodal LLM", ["agent"] = "LLM agent",
        ["speculative decoding"] = "speculative decoding", ["world model"] = "world model",
    };

    private const string TitleScenery = "benchmark";

    private static readonly Dictionary<string, double> BaseScenery = new()
    {
        ["GPT-4o"] = 1.0, ["Llama-3"] = 1.3, ["Qwen2.5"] = 0.6, ["DeepSeek-R1"] = 0.5, ["Gemini-2.5-Pro"] = 0.7, ["Claude-3.5-Sonnet"] = 0.8,
        ["Transformer"] = 1.8, ["Mamba-2"] = 2.0, ["CLIP"] = 1.5, ["Stable Diffusion"] = 1.5, ["reinforcement learning"] = 0.6,
        ["chain-of-thought reasoning"] = 0.4, ["video generation"] = 0.5, ["retrieval-augmented generation"] = 1.6, ["mixture-of-experts"] = 1.0,
        ["benchmark"] = 1.0, ["multimodal"] = 0.8, ["agent"] = 0.35, ["speculative decoding"] = 1.5, ["world model"] = 0.3,
    };

    private static readonly (string Phrase, double Rate)[] BaseOnly = [("time series forecasting", 0.05), ("recommender system", 0.04), ("medical imaging", 0.05)];

    public GeneratedArchive Generate(Options options)
    {
        var random = new Random(seed);
        // The base source's stream: drawing from it leaves the daily lists as they are without it.
        var baseRandom = new Random(seed ^ 0xba5e);
        var baseDays = new List<DailyList>();
        var baseSerial = 0;
        // A stream of its own for the function words and keywords, so the content words drawn are the same.
        var keywordRandom = new Random(seed ^ 0x5eed);
        var words = new HashSet<string>(StringComparer.Ordinal);
        string Word(int syllables)
        {
            while (true)
            {
                var sb = new StringBuilder();
                for (var i = 0; i < syllables; i++) sb.Append(Syllables[random.Next(Syllables.Length)]);
                // Folding must leave generated words as they are: no trailing s, no stop words.
                var w = sb.ToString();
                if (!w.EndsWith('s') && words.Add(w)) return w;
            }
        }

        var background = Enumerable.Range(0, 400).Select(_ => Word(3)).ToArray();
        var trends = new List<PlantedTrend>();
        var first = options.Start;
        var last = options.Start.AddDays(options.Days - 1);
        // Trends start after a 90-day warm-up, so every one has a full baseline window before it.
        var earliest = Math.Min(95, options.Days / 2);
        DateOnly StartDay() => first.AddDays(earliest + random.Next(Math.Max(1, options.Days - earliest - 30)));
        for (var i = 0; i < options.RisingTerms; i++) trends.Add(new PlantedTrend(Word(4), TrendKind.Rising, StartDay()));
        for (var i = 0; i < options.FadingTerms; i++) trends.Add(new PlantedTrend(Word(4), TrendKind.Fading, StartDay()));
        for (var i = 0; i < options.SpikeTerms; i++) trends.Add(new PlantedTrend(Word(4), TrendKind.Spike, StartDay()));
        for (var i = 0; i < options.SteadyTerms; i++) trends.Add(new PlantedTrend(Word(4), TrendKind.Steady, first));
        var steadyRates = trends.Where(t => t.Kind == TrendKind.Steady).ToDictionary(t => t.Term, _ => 0.03 + random.NextDouble() * 0.15);

        var days = new List<DailyList>();
        var missing = new List<DateOnly>();
        var serial = 0;
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            if (random.NextDouble() < options.OutageRate)
            {
                missing.Add(date);
                continue;
            }
            var size = Math.Max(3, (int)Math.Round(options.PapersPerDay * (0.4 + 1.2 * random.NextDouble())));
            var entries = new List<ListEntry>(size);
            for (var rank = 1; rank <= size; rank++)
            {
                serial++;
                var text = new List<string>(48);
                for (var w = 0; w < 36; w++)
                {
                    // Zipf-like: a few background words are common, most are rare.
                    var index = (int)(background.Length * Math.Pow(random.NextDouble(), 2.5));
                    text.Add(background[index]);
                    if (random.NextDouble() < 0.12) text.Add(".");
                    // Function words between content words, as in real abstracts, so that phrases are short.
                    else if (keywordRandom.NextDouble() < 0.5) text.Add(FunctionWords[keywordRandom.Next(FunctionWords.Length)]);
                }
                foreach (var trend in trends)
                {
                    var p = Probability(trend, date, steadyRates);
                    if (p > 0 && random.NextDouble() < p) text.Insert(random.Next(text.Count), trend.Term);
                }
                // Real model and topic names, so dashboards over generated lists look like the real
                // thing; they are scenery, not part of the planted truth.
                var progress = (date.DayNumber - first.DayNumber) / (double)Math.Max(1, options.Days - 1);
                foreach (var (phrase, from, to) in Scenery)
                    if (random.NextDouble() < from + (to - from) * progress)
                    {
                        text.Insert(random.Next(text.Count), phrase);
                        // Said again at the end: no draw of its own, so the lists' other words stay as they are.
                        if (TopicScenery.TryGetValue(phrase, out var again)) text.Add(again);
                    }
                var kind = text.Contains(TitleScenery) ? "benchmark study" : "study";
                var title = $"Synthetic {kind} {serial:000000} of {background[random.Next(60)]} {background[random.Next(60)]}";
                var summary = string.Join(' ', text).Replace(" .", ".") + ".";
                var keywords = new List<string>();
                foreach (var phrase in text.Distinct().Where(p => !FunctionWords.Contains(p)))
                {
                    var named = trends.Any(t => t.Term == phrase) || Scenery.Any(x => x.Phrase == phrase);
                    var vocabulary = Array.IndexOf(background, phrase) is >= 0 and < KeyphraseWords;
                    if ((named && keywordRandom.NextDouble() < 0.7) || (vocabulary && keywordRandom.NextDouble() < 0.25)) keywords.Add(phrase);
                }
                entries.Add(new ListEntry(date, rank, PaperIdentity.FromTitle(title), null, title, summary, ["Synthetic Author"], Upvotes: size - rank,
                    AiKeywords: keywords));
            }
            days.Add(new DailyList(date, entries));
            if (options.BaseMultiple > 1 && date >= (options.BaseFrom ?? first))
            {
                var progress = (date.DayNumber - first.DayNumber) / (double)Math.Max(1, options.Days - 1);
                var others = Enumerable.Range(0, size * (options.BaseMultiple - 1)).Select(_ => BasePaper(++baseSerial, date, progress)).ToList();
                // The day's daily list sits among them in random places, as the picks sit among all submissions.
                var merged = others.Concat(entries).OrderBy(_ => baseRandom.Next()).ToList();
                baseDays.Add(new DailyList(date, merged.Select((e, i) => e with { Rank = i + 1, Upvotes = null }).ToList()));
            }
        }
        return new GeneratedArchive(days, trends, missing) { BaseDays = baseDays };

        ListEntry BasePaper(int serial, DateOnly date, double progress)
        {
            var text = new List<string>(48);
            for (var w = 0; w < 36; w++)
            {
                text.Add(background[(int)(background.Length * Math.Pow(baseRandom.NextDouble(), 2.5))]);
                text.Add(baseRandom.NextDouble() < 0.12 ? "." : FunctionWords[baseRandom.Next(FunctionWords.Length)]);
            }
            // Planted trends reach the base at half their daily rate: the community picks them up first.
            foreach (var trend in trends)
                if (Probability(trend, date, steadyRates) is var p && p > 0 && baseRandom.NextDouble() < p / 2) text.Insert(baseRandom.Next(text.Count), trend.Term);
            foreach (var (phrase, from, to) in Scenery)
                if (baseRandom.NextDouble() < (from + (to - from) * progress) * BaseScenery[phrase])
                {
                    text.Insert(baseRandom.Next(text.Count), phrase);
                    if (TopicScenery.TryGetValue(phrase, out var again)) text.Add(again);
                }
            // Said twice, as a paper about its subject does: enough for the topic (docs/tagging.md, "Topics").
            foreach (var (phrase, rate) in BaseOnly)
                if (baseRandom.NextDouble() < rate)
                    for (var i = 0; i < 2; i++) text.Insert(baseRandom.Next(text.Count), phrase);
            var kind = text.Contains(TitleScenery) ? "benchmark submission" : "submission";
            var title = $"Synthetic {kind} {serial:000000} of {background[baseRandom.Next(60)]} {background[baseRandom.Next(60)]}";
            return new ListEntry(date, 0, PaperIdentity.FromTitle(title), null, title, string.Join(' ', text).Replace(" .", ".") + ".", ["Synthetic Author"]);
        }
    }

    private static double Probability(PlantedTrend trend, DateOnly date, IReadOnlyDictionary<string, double> steadyRates)
    {
        var since = date.DayNumber - trend.Start.DayNumber;
        return trend.Kind switch
        {
            TrendKind.Rising => since < 0 ? 0 : Math.Min(0.35, 0.08 + 0.012 * since),
            TrendKind.Fading => since < 0 ? 0.25 : Math.Max(0.005, 0.25 * Math.Exp(-since / 10.0)),
            TrendKind.Spike => since == 0 ? 0.6 : 0,
            _ => steadyRates[trend.Term],
        };
    }

    /// <summary>
    /// Writes one <c>YYYY-MM-DD.jsonl</c> per day into <paramref name="directory"/>, plus
    /// <c>planted-trends.tsv</c> (the truth; not a data file, so an import skips it).
    /// </summary>
    public static void Write(GeneratedArchive archive, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var day in archive.Days)
        {
            var path = Path.Combine(directory, day.ListDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl");
            using var file = new StreamWriter(path, false, new UTF8Encoding(false));
            foreach (var e in day.Entries)
            {
                file.Write(JsonSerializer.Serialize(new
                {
                    date = day.ListDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    rank = e.Rank,
                    id = SyntheticId(e.Title),
                    title = e.Title,
                    summary = e.Abstract,
                    upvotes = e.Upvotes,
                    authors = e.Authors,
                    ai_keywords = e.AiKeywords,
                }));
                file.Write('\n');
            }
        }
        File.WriteAllLines(Path.Combine(directory, "planted-trends.tsv"),
            archive.Trends.Select(t => $"{t.Term}\t{t.Kind.ToString().ToLowerInvariant()}\t{t.Start:yyyy-MM-dd}").Prepend("term\tkind\tstart"));
    }

    /// <summary>
    /// Writes the base source's lists into <paramref name="directory"/>, one <c>YYYY-MM-DD.json</c>
    /// per day in the hf-json format (an array of entries with a nested <c>paper</c>), which
    /// <c>trendlens import --source NAME</c> reads like a saved API answer.
    /// </summary>
    public static void WriteBaseLists(GeneratedArchive archive, string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var day in archive.BaseDays)
        {
            var path = Path.Combine(directory, day.ListDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".json");
            var entries = day.Entries.Select(e => new
            {
                paper = new
                {
                    id = SyntheticId(e.Title),
                    title = e.Title,
                    summary = e.Abstract,
                    authors = e.Authors.Select(a => new { name = a }),
                    ai_keywords = e.AiKeywords,
                },
            });
            File.WriteAllText(path, JsonSerializer.Serialize(entries, BaseJson), new UTF8Encoding(false));
        }
    }

    private static readonly JsonSerializerOptions BaseJson = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    /// <summary>"synthetic-000123" for a daily paper (as in its hf-jsonl line), "synthetic-submission-000123" for another of the base's.</summary>
    private static string SyntheticId(string title)
    {
        var words = title.Split(' ');
        return words[1] == "study" ? "synthetic-" + words[2] : $"synthetic-{words[1]}-{words[2]}";
    }
}
