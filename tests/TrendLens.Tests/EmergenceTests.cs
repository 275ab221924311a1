using TrendLens.Rollup;
using TrendLens.Sources;
using TrendLens.Storage;
using Xunit.Abstractions;

namespace TrendLens.Tests;

/// <summary>
/// Emergence and bursts on generated lists with planted trends, at the size of the real Daily
/// Papers list (20 papers a weekday, about 100 a week), over several seeds: the calibration of
/// the default threshold (docs/emergence.md, "Calibration").
/// </summary>
public class EmergenceTests(ITestOutputHelper output)
{
    private static readonly int[] Seeds = [1, 2, 3, 4];

    private sealed record SeedResult(int Rising, int RisingListed7, int RisingListed28, int RisingBurstOnTime, int Listed, int ListedQuiet, int ListedBackground,
        int QuietBursts, int Quiet, List<string> Notes);

    private static SeedResult Evaluate(int seed)
    {
        using var tmp = new TempDir();
        var archive = new ListGenerator(seed).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 240, PapersPerDay: 20));
        var dir = Path.Combine(tmp.Path, "lists");
        ListGenerator.Write(archive, dir);
        var import = Run.Cli(tmp.Db, "import", dir);
        Assert.True(import.Code == 0, import.Err);

        var notes = new List<string>();
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);
        var rising = archive.Trends.Where(t => t.Kind == TrendKind.Rising).ToList();
        var quiet = archive.Trends.Where(t => t.Kind is TrendKind.Spike or TrendKind.Steady or TrendKind.Fading).ToDictionary(t => t.Term);
        var planted = archive.Trends.Select(t => t.Term).ToHashSet();
        var background = archive.Days.SelectMany(d => d.Entries).SelectMany(e => e.Abstract.Split(' ', '.')).Where(w => w.Length > 0 && !planted.Contains(w)).ToHashSet();

        int listed7 = 0, listed28 = 0, onTime = 0;
        var bursts = Bursts.Detect(database, connection, TagKind.Terms, new BurstOptions { From = DateOnly.MinValue, To = DateOnly.MaxValue });
        foreach (var trend in rising)
        {
            if (Listed(trend.Start.AddDays(7), trend.Start.AddDays(13)).Any(t => t.Tag == trend.Term)) listed7++;
            else notes.Add($"seed {seed}: rising {trend.Term} (from {trend.Start}) not listed in its second week");
            if (Listed(trend.Start, trend.Start.AddDays(27)).Any(t => t.Tag == trend.Term)) listed28++;
            else notes.Add($"seed {seed}: rising {trend.Term} (from {trend.Start}) not listed in its first four weeks");
            var first = bursts.Where(b => b.Tag == trend.Term).OrderBy(b => b.Start).FirstOrDefault();
            if (first is not null && Math.Abs(first.Start.DayNumber - trend.Start.DayNumber) <= 7) onTime++;
            else notes.Add($"seed {seed}: rising {trend.Term} planted {trend.Start}, first burst {first?.Start.ToString() ?? "none"}");
        }

        // Every week and every four weeks after the warm-up, as a user paging through the history
        // would ask: what is listed, and how much of it is a planted steady, fading or one-day term.
        int listed = 0, listedQuiet = 0, listedBackground = 0;
        var warm = archive.Days[0].ListDate.AddDays(91);
        var last = archive.Days[^1].ListDate;
        foreach (var length in new[] { 7, 28 })
            for (var to = warm.AddDays(length - 1); to <= last; to = to.AddDays(7))
                foreach (var tag in Listed(to.AddDays(1 - length), to))
                {
                    listed++;
                    if (quiet.TryGetValue(tag.Tag, out var q))
                    {
                        listedQuiet++;
                        notes.Add($"seed {seed}: {q.Kind.ToString().ToLowerInvariant()} {q.Term} listed for {to.AddDays(1 - length)}..{to}");
                    }
                    else if (background.Contains(tag.Tag)) listedBackground++;
                }

        var quietBursts = bursts.Count(b => quiet.ContainsKey(b.Tag));
        notes.AddRange(bursts.Where(b => quiet.ContainsKey(b.Tag)).Select(b => $"seed {seed}: burst of {quiet[b.Tag].Kind.ToString().ToLowerInvariant()} {b.Tag} {b.Start}..{b.End}"));
        return new SeedResult(rising.Count, listed7, listed28, onTime, listed, listedQuiet, listedBackground, quietBursts, quiet.Count, notes);

        IReadOnlyList<EmergingTag> Listed(DateOnly from, DateOnly to) =>
            Emergence.Rank(database, connection, TagKind.Terms, new EmergenceOptions { From = from, To = to, Top = 0 }).Tags;
    }

    [Fact]
    public void PlantedTrends_AtTheRealListSize_AreListedAndFlukesAndSteadyTermsStayOut()
    {
        var results = Seeds.Select(Evaluate).ToList();

        int rising = results.Sum(r => r.Rising), listed7 = results.Sum(r => r.RisingListed7), listed28 = results.Sum(r => r.RisingListed28);
        int onTime = results.Sum(r => r.RisingBurstOnTime), listed = results.Sum(r => r.Listed), quietListed = results.Sum(r => r.ListedQuiet);
        int background = results.Sum(r => r.ListedBackground), quietBursts = results.Sum(r => r.QuietBursts), quiet = results.Sum(r => r.Quiet);
        output.WriteLine($"rising terms listed in their second week: {listed7}/{rising}; in their first four weeks: {listed28}/{rising}; "
            + $"bursts starting within 7 days: {onTime}/{rising}");
        output.WriteLine($"entries listed over every 1- and 4-week window: {listed}, of which planted steady, fading or one-day: {quietListed} "
            + $"({(listed == 0 ? 0 : (double)quietListed / listed):P1}), background words: {background}; bursts of such terms: {quietBursts} (of {quiet} terms)");
        foreach (var note in results.SelectMany(r => r.Notes)) output.WriteLine(note);

        Assert.True(listed7 >= 0.8 * rising, $"rising terms listed in their second week: {listed7}/{rising} < 0.8");
        Assert.True(listed28 >= 0.8 * rising, $"rising terms listed in their first four weeks: {listed28}/{rising} < 0.8");
        Assert.True(onTime >= 0.8 * rising, $"bursts on time {onTime}/{rising} < 0.8");
        Assert.True(quietListed <= 0.1 * listed, $"planted steady, fading or one-day terms are {quietListed} of {listed} listed entries (more than 1 in 10)");
        Assert.True(quietBursts <= 0.05 * quiet, $"bursts of steady, fading or one-day terms: {quietBursts} (of {quiet} terms)");
    }

    [Fact]
    public void Generator_SameSeed_SameLists()
    {
        var options = new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 30);
        var a = new ListGenerator(9).Generate(options);
        var b = new ListGenerator(9).Generate(options);
        Assert.Equal(a.Trends, b.Trends);
        Assert.Equal(a.Days.SelectMany(d => d.Entries).Select(e => e.Abstract), b.Days.SelectMany(d => d.Entries).Select(e => e.Abstract));
        Assert.NotEqual(a.Days.SelectMany(d => d.Entries).Select(e => e.Abstract), new ListGenerator(10).Generate(options).Days.SelectMany(d => d.Entries).Select(e => e.Abstract));
    }

    [Fact]
    public void Generator_LeavesWeekendsAndOutagesOutAndVariesListSizes()
    {
        var archive = new ListGenerator(5).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 200, OutageRate: 0.05));
        Assert.DoesNotContain(archive.Days, d => d.ListDate.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);
        Assert.NotEmpty(archive.MissingDays);
        Assert.True(archive.Days.Select(d => d.Entries.Count).Distinct().Count() > 10);
    }

    [Fact]
    public void Test_SteadyTermIsNotSignificant_NewNamesAre()
    {
        var steady = Emergence.Test(recent: 15, listedRecent: 150, baseline: 150, listedBaseline: 1500);
        var fresh = Emergence.Test(recent: 8, listedRecent: 150, baseline: 0, listedBaseline: 1500);
        var fading = Emergence.Test(recent: 2, listedRecent: 150, baseline: 300, listedBaseline: 1500);
        // "GPT-5.6" in 5 of 442 recent papers and none of 1,611 before; "latent world model" 6 against 1.
        var gpt = Emergence.Test(recent: 5, listedRecent: 442, baseline: 0, listedBaseline: 1611);
        var latent = Emergence.Test(recent: 6, listedRecent: 442, baseline: 1, listedBaseline: 1611);

        Assert.InRange(steady.P, 0.3, 0.7);
        Assert.True(fresh.P < 1e-6 && fresh.Score > 4.5, $"a new term with 8 papers: p {fresh.P}, score {fresh.Score}");
        Assert.True(fading.P > 0.99 && fading.Score < -2, $"a fading term: p {fading.P}, score {fading.Score}");
        Assert.True(gpt.P < 0.001 && gpt.Score >= EmergenceOptions.DefaultMinScore, $"GPT-5.6: p {gpt.P}, score {gpt.Score}");
        Assert.True(latent.P < 0.001 && latent.Score >= EmergenceOptions.DefaultMinScore, $"latent world model: p {latent.P}, score {latent.Score}");
        // The exact binomial tail, worked by hand: P(X >= 5 | n = 5, p = 442/2053) = (442/2053)^5.
        Assert.Equal(Math.Pow(442.0 / 2053, 5), gpt.P, 1e-12);
    }

    [Fact]
    public void RateRatio_LowerBound_IsBelowTheRatio_AndFiniteForNewTerms()
    {
        var (ratio, low) = Emergence.RateRatio(recent: 30, listedRecent: 300, baseline: 30, listedBaseline: 900);
        var (newRatio, newLow) = Emergence.RateRatio(recent: 5, listedRecent: 442, baseline: 0, listedBaseline: 1611);

        Assert.Equal(3.0, ratio, 9);
        Assert.InRange(low, 1.5, 3.0);
        Assert.True(double.IsPositiveInfinity(newRatio));
        // Clopper-Pearson with no baseline papers: theta_low = 0.05^(1/5).
        var theta = Math.Pow(0.05, 1.0 / 5);
        Assert.Equal(theta / (1 - theta) * 1611 / 442, newLow, 6);
    }

    [Fact]
    public void Kleinberg_FindsTheBurstDays()
    {
        long[] listed = [20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20];
        long[] hits = [1, 0, 1, 1, 0, 9, 10, 8, 9, 1, 0, 1];

        var burst = Assert.Single(Bursts.Find(hits, listed, s: 2, gamma: 1.5, minLength: 2));

        // Day 9's single paper is still twice the background rate, so the burst may run into it.
        Assert.Equal(5, burst.Start);
        Assert.InRange(burst.End, 8, 9);
        Assert.True(burst.Weight > 0);
    }

    [Fact]
    public void Kleinberg_FlatSeriesAndOneDaySpike_HaveNoBurst()
    {
        long[] listed = Enumerable.Repeat(20L, 30).ToArray();
        long[] flat = Enumerable.Range(0, 30).Select(i => (long)(2 + i % 2)).ToArray();
        long[] spike = Enumerable.Range(0, 30).Select(i => i == 15 ? 12L : 1L).ToArray();

        Assert.Empty(Bursts.Find(flat, listed, 2, 1.5, 2));
        Assert.Empty(Bursts.Find(spike, listed, 2, 1.5, 2));
        Assert.Single(Bursts.Find(spike, listed, 2, 1.5, minLength: 1));
    }

    /// <summary>150 days of generated lists (20 papers a day from 2025-01-06) imported into tmp's database.</summary>
    private static GeneratedArchive ImportedArchive(TempDir tmp, int seed)
    {
        var dir = Path.Combine(tmp.Path, "lists");
        var archive = new ListGenerator(seed).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 150, PapersPerDay: 20));
        ListGenerator.Write(archive, dir);
        Run.Cli(tmp.Db, "import", dir);
        return archive;
    }

    [Fact]
    public void Emerging_RanksKeyphrasesOnly_UnlessAskedForAllWords()
    {
        using var tmp = new TempDir();
        var archive = ImportedArchive(tmp, seed: 12);
        var rising = archive.Trends.First(t => t.Kind == TrendKind.Rising);
        string[] Window(params string[] extra) =>
            ["query", "emerging", "--from", rising.Start.AddDays(7).ToString("yyyy-MM-dd"), "--to", rising.Start.AddDays(13).ToString("yyyy-MM-dd"),
             "--format", "csv", "--min-score", "0", "--min-ratio", "0", "--top", "0", .. extra];

        var keyphrases = Run.Cli(tmp.Db, Window()).Out.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        var all = Run.Cli(tmp.Db, Window("--words", "all")).Out.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        var notKeyphrases = Run.Rows<string>(tmp.Db, "select display from term_stats where not keyphrase").ToHashSet();

        Assert.Contains(rising.Term, keyphrases);
        Assert.DoesNotContain(keyphrases, notKeyphrases.Contains);
        Assert.Contains(all, notKeyphrases.Contains);
    }

    [Fact]
    public void Emerging_WhenNothingRose_SaysSo_InsteadOfPadding()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "lists");
        // Before any planted trend starts (after a warm-up of 75 days for 150 days of lists), nothing rises.
        ListGenerator.Write(new ListGenerator(7).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 150, PapersPerDay: 20)), dir);
        Run.Cli(tmp.Db, "import", dir);
        string[] Window(string format) => ["query", "emerging", "--from", "2025-03-10", "--to", "2025-03-16", "--format", format];

        var table = Run.Cli(tmp.Db, Window("table"));
        var csv = Run.Cli(tmp.Db, Window("csv"));
        var json = Run.Cli(tmp.Db, Window("json"));

        Assert.Equal((0, 0, 0), (table.Code, csv.Code, json.Code));
        Assert.Contains("Rose in 2025-03-10 – 2025-03-16 against 2024-12-10 – 2025-03-09", table.Out);
        Assert.Contains("nothing rose significantly in this window", table.Out);
        // With how near the nearest candidate came, by the test it failed.
        Assert.Matches(@"nothing rose significantly in this window \(\d+ candidates tested; the closest, '[^']+' \(\d+ papers? on \d+ days?, \d+ in the baseline\), "
            + @"(scored -?\d+\.\d\d \(p = [^)]+\), below --min-score 3\.09|had a rate ratio of at least -?\d+\.\d\d with 95 % confidence, below --min-ratio 1\.5)\)", table.Out);
        Assert.Equal("term,score,papers,baseline_papers,first_seen\n", csv.Out);
        Assert.Contains("nothing rose significantly in this window", csv.Err);
        Assert.Equal("[]", json.Out.Trim());

        // The page's emerging panel says the same over its empty chart.
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        var panel = new TrendLens.Dashboards.PanelDefinition { Id = "rising", Title = "Rising", Query = "emerging", Chart = "hbar", X = "ratio_low", Y = "term", Top = 10 };
        var data = TrendLens.Dashboards.PanelRunner.Run(database, connection, panel,
            new TrendLens.Dashboards.PanelParameters(new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 16), "week", []));
        Assert.Empty(data.Rows);
        Assert.Matches(@"^2025-03-10 – 2025-03-16 against 2024-12-10 – 2025-03-09: nothing rose significantly in this window; "
            + @"the closest was '[^']+', \d+ papers? against \d+ in the baseline \(p = [^)]+\)$", data.Note);
    }

    [Fact]
    public void Emerging_OfNamedTags_SaysWhyEachIsNotListed()
    {
        using var tmp = new TempDir();
        var archive = ImportedArchive(tmp, seed: 7);
        // A steady term is in about as many papers as before; asked with a threshold of 500 papers,
        // it has too few. Each says so, with its counts.
        var steady = archive.Trends.First(t => t.Kind == TrendKind.Steady).Term;
        string[] Window(params string[] more) => ["query", "emerging", "--from", "2025-03-10", "--to", "2025-03-23", "--words", "all", "--term", steady, "--format", "csv", .. more];

        var flat = Run.Cli(tmp.Db, Window());
        var few = Run.Cli(tmp.Db, Window("--min-papers", "500"));

        Assert.Equal((0, 0), (flat.Code, few.Code));
        Assert.Equal("term,score,papers,baseline_papers,first_seen\n", flat.Out);
        Assert.Contains("nothing rose significantly in this window (1 candidate tested)", flat.Err);
        Assert.Matches($@"trendlens: {steady}: \d+ paper\(s\) on \d+ day\(s\) in the window, \d+ in the baseline; score -?\d+\.\d\d, below --min-score 3\.09", flat.Err);
        Assert.Contains("(0 candidates tested)", few.Err);
        Assert.Matches($@"trendlens: {steady}: \d+ paper\(s\) .*; a rise needs at least 500 papers on 2 days \(--min-papers, --min-days\)", few.Err);
    }

    [Fact]
    public void Emerging_OfNamedTags_WhenSomeRose_StillSaysWhyTheOthersAreNot()
    {
        using var tmp = new TempDir();
        var archive = ImportedArchive(tmp, seed: 12);
        var rising = archive.Trends.First(t => t.Kind == TrendKind.Rising);
        var steady = archive.Trends.First(t => t.Kind == TrendKind.Steady).Term;
        string[] Window(string format) =>
            ["query", "emerging", "--from", rising.Start.AddDays(7).ToString("yyyy-MM-dd"), "--to", rising.Start.AddDays(13).ToString("yyyy-MM-dd"),
             "--words", "all", "--min-score", "0", "--term", rising.Term, "--term", steady, "--format", format];

        var csv = Run.Cli(tmp.Db, Window("csv"));
        var table = Run.Cli(tmp.Db, Window("table"));

        Assert.Equal((0, 0), (csv.Code, table.Code));
        Assert.Contains(csv.Out.Split('\n'), l => l.StartsWith(rising.Term + ","));
        Assert.DoesNotContain(csv.Out.Split('\n'), l => l.StartsWith(steady + ","));
        Assert.Matches($@"trendlens: {steady}: \d+ paper\(s\) on \d+ day\(s\) in the window, \d+ in the baseline; ", csv.Err);
        Assert.Matches($@"\n{steady}: \d+ paper\(s\) on \d+ day\(s\) in the window", table.Out);
    }

    [Fact]
    public void Emerging_WithNoListToCompareAgainst_SaysSo_NotThatNothingRose()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));

        // The lists start on 2025-02-10: the 90 days before it hold none.
        var first = Run.Cli(tmp.Db, "query", "emerging", "--from", "2025-02-10", "--to", "2025-02-12", "--min-papers", "1", "--min-days", "1", "--words", "all");
        var later = Run.Cli(tmp.Db, "query", "emerging", "--from", "2025-02-12", "--to", "2025-02-12", "--min-papers", "1", "--min-days", "1", "--words", "all");

        Assert.Equal(0, first.Code);
        Assert.Contains("no list in 2024-11-12 – 2025-02-09 to compare against; a later --from or fewer --baseline-days", first.Out);
        Assert.DoesNotContain("nothing rose", first.Out);
        Assert.DoesNotContain("no list in", later.Out);
    }

    [Fact]
    public void RollupTables_AreRebuiltAfterAnImport()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-10.jsonl"), Fixture.Path("hf-jsonl/list-2025-02-11.jsonl"));
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "emerging", "--min-papers", "1", "--min-days", "1").Code);
        Assert.Equal(0, Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_daily where list_date = '2025-02-12'"));

        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-12.jsonl"));
        var result = Run.Cli(tmp.Db, "query", "emerging", "--from", "2025-02-12", "--to", "2025-02-12", "--min-papers", "1", "--min-days", "1",
            "--min-score", "-40", "--min-ratio", "0", "--words", "all", "--format", "csv");

        Assert.True(Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_daily where list_date = '2025-02-12'") > 0);
        Assert.Contains("\ntabular data,", result.Out);
        Assert.Contains(",2025-02-12\n", result.Out);
    }

    [Fact]
    public void QueryEmergingAndBursts_CsvHaveContractColumns()
    {
        using var tmp = new TempDir();
        var archive = ImportedArchive(tmp, seed: 11);
        var rising = archive.Trends.First(t => t.Kind == TrendKind.Rising);

        var emerging = Run.Cli(tmp.Db, "query", "emerging", "--from", rising.Start.AddDays(7).ToString("yyyy-MM-dd"), "--to", rising.Start.AddDays(13).ToString("yyyy-MM-dd"), "--format", "csv");
        var bursts = Run.Cli(tmp.Db, "query", "bursts", "--term", rising.Term, "--format", "csv");

        Assert.Equal(0, emerging.Code);
        Assert.StartsWith("term,score,papers,baseline_papers,first_seen\n", emerging.Out);
        Assert.Contains($"\n{rising.Term},", emerging.Out);
        Assert.StartsWith("term,start,end,weight\n", bursts.Out);
        Assert.Contains($"\n{rising.Term},", bursts.Out);
        Assert.DoesNotContain("no bursts", bursts.Err);

        // Before the term rose there is no burst, and the command says so beside the empty table.
        var before = Run.Cli(tmp.Db, "query", "bursts", "--term", rising.Term, "--to", rising.Start.AddDays(-1).ToString("yyyy-MM-dd"), "--format", "csv");
        Assert.Equal(0, before.Code);
        Assert.Equal("term,start,end,weight\n", before.Out);
        Assert.Contains($"trendlens: no bursts: '{rising.Term}' did not rise to 2 times its rate", before.Err);
    }
}
