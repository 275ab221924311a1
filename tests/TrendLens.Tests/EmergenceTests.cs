using TrendLens.Rollup;
using TrendLens.Sources;
using TrendLens.Storage;
using Xunit.Abstractions;

namespace TrendLens.Tests;

/// <summary>Emergence and bursts on generated lists with planted trends, over several seeds.</summary>
public class EmergenceTests(ITestOutputHelper output)
{
    private static readonly int[] Seeds = [1, 2, 3, 4];

    /// <summary>"Flagged as emerging" means listed in the top 20 with z ≥ 2 (about 5% significance).</summary>
    private const double Significant = 2.0;

    private sealed record SeedResult(int Rising, int RisingFound, int RisingBurstOnTime, int Quiet, int QuietFlagged, List<string> Notes);

    private static SeedResult Evaluate(int seed)
    {
        using var tmp = new TempDir();
        var archive = new ListGenerator(seed).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 240, PapersPerDay: 30));
        var dir = Path.Combine(tmp.Path, "lists");
        ListGenerator.Write(archive, dir);
        var import = Run.Cli(tmp.Db, "import", dir);
        Assert.True(import.Code == 0, import.Err);

        var notes = new List<string>();
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        var rising = archive.Trends.Where(t => t.Kind == TrendKind.Rising).ToList();
        var quiet = archive.Trends.Where(t => t.Kind is TrendKind.Spike or TrendKind.Steady).ToList();
        var flagged = new HashSet<string>();

        int found = 0, onTime = 0;
        var bursts = Bursts.Detect(database, connection, TagKind.Terms, new BurstOptions
        {
            From = DateOnly.MinValue,
            To = DateOnly.MaxValue,
            Names = archive.Trends.Select(t => t.Term).ToList(),
        });
        foreach (var trend in rising)
        {
            var top = Emergence.Rank(database, connection, TagKind.Terms, new EmergenceOptions { From = trend.Start.AddDays(7), To = trend.Start.AddDays(13), MinScore = Significant });
            if (top.Any(t => t.Tag == trend.Term)) found++;
            else notes.Add($"seed {seed}: rising {trend.Term} (from {trend.Start}) not in the top 20 of its window");
            flagged.UnionWith(top.Select(t => t.Tag));
            var first = bursts.Where(b => b.Tag == trend.Term).OrderBy(b => b.Start).FirstOrDefault();
            if (first is not null && Math.Abs(first.Start.DayNumber - trend.Start.DayNumber) <= 7) onTime++;
            else notes.Add($"seed {seed}: rising {trend.Term} planted {trend.Start}, first burst {first?.Start.ToString() ?? "none"}");
        }
        // The windows around each spike, where a one-day fluke would show up if anywhere.
        foreach (var spike in archive.Trends.Where(t => t.Kind == TrendKind.Spike))
            flagged.UnionWith(Emergence.Rank(database, connection, TagKind.Terms, new EmergenceOptions { From = spike.Start.AddDays(-3), To = spike.Start.AddDays(3), MinScore = Significant }).Select(t => t.Tag));
        flagged.UnionWith(bursts.Select(b => b.Tag));

        var quietFlagged = quiet.Count(q => flagged.Contains(q.Term));
        notes.AddRange(quiet.Where(q => flagged.Contains(q.Term)).Select(q => $"seed {seed}: {q.Kind.ToString().ToLowerInvariant()} {q.Term} flagged"));
        return new SeedResult(rising.Count, found, onTime, quiet.Count, quietFlagged, notes);
    }

    [Fact]
    public void PlantedTrends_AreFound_AndFlukesAndSteadyTermsStayOut()
    {
        var results = Seeds.Select(Evaluate).ToList();

        int rising = results.Sum(r => r.Rising), found = results.Sum(r => r.RisingFound), onTime = results.Sum(r => r.RisingBurstOnTime);
        int quiet = results.Sum(r => r.Quiet), flagged = results.Sum(r => r.QuietFlagged);
        output.WriteLine($"rising terms in the top 20 of their window: {found}/{rising}; bursts starting within 7 days: {onTime}/{rising}; spikes and steady terms flagged: {flagged}/{quiet}");
        foreach (var note in results.SelectMany(r => r.Notes)) output.WriteLine(note);

        Assert.True(found >= 0.9 * rising, $"recall {found}/{rising} < 0.9");
        Assert.True(onTime >= 0.9 * rising, $"bursts on time {onTime}/{rising} < 0.9");
        Assert.True(flagged <= 0.05 * quiet, $"flagged {flagged}/{quiet} > 5%");
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
    public void Score_SteadyTermIsNearZero_NewTermIsHigh_FadingTermIsNegative()
    {
        var steady = Emergence.Score(recent: 15, listedRecent: 150, baseline: 150, listedBaseline: 1500, priorWeight: 1).Z;
        var fresh = Emergence.Score(recent: 8, listedRecent: 150, baseline: 0, listedBaseline: 1500, priorWeight: 1).Z;
        var fading = Emergence.Score(recent: 2, listedRecent: 150, baseline: 300, listedBaseline: 1500, priorWeight: 1).Z;
        Assert.InRange(steady, -0.5, 0.5);
        Assert.True(fresh > Significant, $"a new term with 8 papers scores {fresh}");
        // The prior (as strong as both windows together) shrinks the small recent window hardest.
        Assert.True(fading < -1.5, $"a fading term scores {fading}");
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

    [Fact]
    public void Emerging_SpecificWords_LeavesOutSingleLowerCaseWords()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "lists");
        var archive = new ListGenerator(12).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 150, PapersPerDay: 20));
        ListGenerator.Write(archive, dir);
        Run.Cli(tmp.Db, "import", dir);
        var rising = archive.Trends.First(t => t.Kind == TrendKind.Rising);
        string[] Window(params string[] extra) =>
            ["query", "emerging", "--from", rising.Start.AddDays(7).ToString("yyyy-MM-dd"), "--to", rising.Start.AddDays(13).ToString("yyyy-MM-dd"), "--format", "csv", .. extra];

        var all = Run.Cli(tmp.Db, Window()).Out.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        var specific = Run.Cli(tmp.Db, Window("--words", "specific")).Out.Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();

        Assert.Contains(rising.Term, all);
        Assert.DoesNotContain(rising.Term, specific);
        Assert.NotEmpty(specific);
        Assert.All(specific, t => Assert.Matches("[ \\-0-9A-Z]", t));
    }

    [Fact]
    public void RollupTables_AreRebuiltAfterAnImport()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-10.jsonl"), Fixture.Path("hf-jsonl/list-2025-02-11.jsonl"));
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "emerging", "--min-papers", "1", "--min-days", "1").Code);
        Assert.Equal(0, Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_daily where list_date = '2025-02-12'"));

        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-12.jsonl"));
        var result = Run.Cli(tmp.Db, "query", "emerging", "--from", "2025-02-12", "--to", "2025-02-12", "--min-papers", "1", "--min-days", "1", "--format", "csv");

        Assert.True(Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_daily where list_date = '2025-02-12'") > 0);
        Assert.Contains("\ntabular,", result.Out);
        Assert.Contains(",2025-02-12\n", result.Out);
    }

    [Fact]
    public void QueryEmergingAndBursts_CsvHaveContractColumns()
    {
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "lists");
        var archive = new ListGenerator(11).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 150, PapersPerDay: 20));
        ListGenerator.Write(archive, dir);
        Run.Cli(tmp.Db, "import", dir);
        var rising = archive.Trends.First(t => t.Kind == TrendKind.Rising);

        var emerging = Run.Cli(tmp.Db, "query", "emerging", "--from", rising.Start.AddDays(7).ToString("yyyy-MM-dd"), "--to", rising.Start.AddDays(13).ToString("yyyy-MM-dd"), "--format", "csv");
        var bursts = Run.Cli(tmp.Db, "query", "bursts", "--term", rising.Term, "--format", "csv");

        Assert.Equal(0, emerging.Code);
        Assert.StartsWith("term,score,papers,baseline_papers,first_seen\n", emerging.Out);
        Assert.Contains($"\n{rising.Term},", emerging.Out);
        Assert.StartsWith("term,start,end,weight\n", bursts.Out);
        Assert.Contains($"\n{rising.Term},", bursts.Out);
    }
}
