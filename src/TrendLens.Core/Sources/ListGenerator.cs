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
public sealed record GeneratedArchive(IReadOnlyList<DailyList> Days, IReadOnlyList<PlantedTrend> Trends, IReadOnlyList<DateOnly> MissingDays);

/// <summary>
/// Deterministic synthetic daily lists (same seed, same lists) with planted trends: terms that
/// appear and grow, fade, spike on one day, or stay steady, among background words; list sizes
/// vary from day to day; weekends and some weekdays have no list. Written as hf-jsonl, so
/// <c>trendlens import</c> reads them like any other archive. Words are invented, so they never
/// collide with the model-family lexicon. Like the real lists, papers carry <c>ai_keywords</c>:
/// the planted terms and named phrases they contain, most of the time, and some of the first
/// <see cref="KeyphraseWords"/> background words; the other background words are the prose that
/// keyword lists never name.
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
        double OutageRate = 0.03);

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

    public GeneratedArchive Generate(Options options)
    {
        var random = new Random(seed);
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
                    if (random.NextDouble() < from + (to - from) * progress) text.Insert(random.Next(text.Count), phrase);
                var title = $"Synthetic study {serial:000000} of {background[random.Next(60)]} {background[random.Next(60)]}";
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
        }
        return new GeneratedArchive(days, trends, missing);
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
                    id = "synthetic-" + e.Title.Split(' ')[2],
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
}
