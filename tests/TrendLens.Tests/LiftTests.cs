using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using TrendLens.Cli.Commands;
using TrendLens.Dashboards;
using TrendLens.Reviews;
using TrendLens.Rollup;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>The Katz interval of a ratio of two proportions, against values worked out by hand.</summary>
public class LiftIntervalTests
{
    [Fact]
    public void Interval_MatchesTheHandComputedLogRatioInterval()
    {
        // 10 of 100 against 50 of 1000: lift 2, se = √(1/10 − 1/100 + 1/50 − 1/1000) = √0.109.
        var l = Lift.Interval(10, 100, 50, 1000)!.Value;

        Assert.Equal(2.0, l.Lift, 12);
        Assert.Equal(2 * Math.Exp(-1.96 * Math.Sqrt(0.109)), l.Low, 12);
        Assert.Equal(2 * Math.Exp(1.96 * Math.Sqrt(0.109)), l.High, 12);
        Assert.Equal(1.047127, l.Low, 5);
        Assert.Equal(3.819976, l.High, 5);
        Assert.True(l.Excludes1);
    }

    [Fact]
    public void Interval_WithNoPaperInTheSource_IsZeroToTheCorrectedUpperBound()
    {
        // 0 of 50 against 20 of 400: 0.5 in place of 0, (0.5/50)/(20/400) = 0.2, se = √(2 − 0.02 + 0.05 − 0.0025).
        var l = Lift.Interval(0, 50, 20, 400)!.Value;

        Assert.Equal(0, l.Lift);
        Assert.Equal(0, l.Low);
        Assert.Equal(0.2 * Math.Exp(1.96 * Math.Sqrt(2.0275)), l.High, 12);
        Assert.Equal(3.258973, l.High, 5);
        Assert.False(l.Excludes1);
    }

    [Theory]
    [InlineData(3, 10, 0, 20)]
    [InlineData(0, 10, 0, 20)]
    [InlineData(1, 0, 1, 20)]
    [InlineData(1, 10, 1, 0)]
    public void Interval_WithoutABaseShareOrAList_IsNone(long k1, long n1, long k2, long n2) =>
        Assert.Null(Lift.Interval(k1, n1, k2, n2));

    [Fact]
    public void Interval_OfEqualShares_IsOneAndHoldsOne()
    {
        var l = Lift.Interval(30, 300, 60, 600)!.Value;

        Assert.Equal(1.0, l.Lift, 12);
        Assert.True(l.Low < 1 && l.High > 1);
        // Symmetric on the log scale.
        Assert.Equal(-Math.Log(l.Low), Math.Log(l.High), 12);
    }

    [Theory]
    [InlineData(2.0, "2.0×")]
    [InlineData(1.428571, "1.43×")]
    [InlineData(0.5, "0.5×")]
    [InlineData(0.0625, "0.06×")]
    [InlineData(12.4, "12×")]
    public void Text_WritesALiftAsAMultiple(double lift, string text) => Assert.Equal(text, Lift.Text(lift));
}

/// <summary>
/// Two sources written by hand (hf-daily and arxiv, model families only), so every share, lift and
/// interval is known: week of 2025-02-10, hf-daily lists A B C D V (and A again the next day),
/// arxiv A B C D W X Y Z; week of 2025-02-17, hf-daily only (E); week of 2025-02-24, hf-daily G,
/// arxiv G H. A, B, E, H name GPT-4o; C, W, X Llama 3; Y, G Qwen2.5; V DeepSeek-R1.
/// </summary>
public sealed class TwoSourceFixture : IDisposable
{
    private readonly TempDir _tmp = new();

    internal static readonly Dictionary<char, (string Id, string Title, string Summary)> Papers = new()
    {
        ['A'] = ("2502.10001", "Tuning GPT-4o for proofs", "We adapt GPT-4o to write proofs."),
        ['B'] = ("2502.10002", "GPT-4o as a critic", "GPT-4o judges answers of other systems."),
        ['C'] = ("2502.10003", "Llama 3 for translation", "We fine-tune Llama 3 on parallel text."),
        ['D'] = ("2502.10004", "A survey of sorting", "We survey sorting algorithms."),
        ['V'] = ("2502.10005", "DeepSeek-R1 distilled", "We distil DeepSeek-R1 into small students."),
        ['W'] = ("2502.10006", "Llama 3 in the clinic", "Llama 3 answers questions of nurses."),
        ['X'] = ("2502.10007", "Pruning Llama 3", "We prune Llama 3 by half."),
        ['Y'] = ("2502.10008", "Qwen2.5 for tables", "Qwen2.5 reads spreadsheets."),
        ['Z'] = ("2502.10009", "Graph colouring heuristics", "New heuristics for graph colouring."),
        ['E'] = ("2502.17001", "GPT-4o on maps", "GPT-4o reads street maps."),
        ['G'] = ("2502.24001", "Qwen2.5 for code", "Qwen2.5 writes programs."),
        ['H'] = ("2502.24002", "GPT-4o on chess", "GPT-4o plays chess."),
    };

    public TwoSourceFixture() => HandLists.WriteAndImport(_tmp.Path, Db, Papers,
        ("hf/2025-02-10", "ABCDV"), ("hf/2025-02-11", "A"), ("hf/2025-02-17", "E"), ("hf/2025-02-24", "G"),
        ("ax/2025-02-10", "ABCDWXYZ"), ("ax/2025-02-24", "GH"));

    public string Db => _tmp.Db;

    public void Dispose() => _tmp.Dispose();
}

/// <summary>Daily lists of two sources for tests: written by hand, or generated.</summary>
internal static class HandLists
{
    /// <summary>Generated daily lists of 30 papers from 2025-01-06 and a base list six times as long for each day, imported as hf-daily and arxiv.</summary>
    public static void ImportGenerated(TempDir tmp, int days)
    {
        var archive = new ListGenerator(1).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), days, 30) { BaseMultiple = 6 });
        ListGenerator.Write(archive, Path.Combine(tmp.Path, "lists"));
        ListGenerator.WriteBaseLists(archive, Path.Combine(tmp.Path, "lists", "arxiv"));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "lists")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "lists", "arxiv"), "--source", "arxiv").Code);
    }

    /// <summary>
    /// Writes each list (<c>folder/date</c> and its papers) under <paramref name="root"/>, then
    /// imports each folder into <paramref name="db"/> in the order they first come: <c>hf…</c> as
    /// hf-daily, any other as arxiv.
    /// </summary>
    public static void WriteAndImport(string root, string db, IReadOnlyDictionary<char, (string Id, string Title, string Summary)> catalogue, params (string List, string Papers)[] lists) =>
        WriteAndImport(root, db, catalogue, "arxiv", lists);

    /// <summary>As above, with the base lists imported under the source name <paramref name="baseName"/>.</summary>
    public static void WriteAndImport(string root, string db, IReadOnlyDictionary<char, (string Id, string Title, string Summary)> catalogue, string baseName, params (string List, string Papers)[] lists)
    {
        foreach (var (list, papers) in lists)
        {
            var path = Path.Combine(root, list + ".jsonl");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var date = Path.GetFileName(list);
            File.WriteAllText(path, string.Concat(papers.Select((p, i) => JsonSerializer.Serialize(new
            {
                date, rank = i + 1, id = catalogue[p].Id, title = catalogue[p].Title, summary = catalogue[p].Summary, authors = new[] { "A. Author" },
            }) + "\n")));
        }
        foreach (var folder in lists.Select(l => Path.GetDirectoryName(l.List)!).Distinct())
        {
            var import = Run.Cli(db, "import", Path.Combine(root, folder), "--source", folder.StartsWith("hf", StringComparison.Ordinal) ? "hf-daily" : baseName);
            if (import.Code != 0) throw new InvalidOperationException($"importing {folder} failed: {import.Err}");
        }
    }
}

public class LiftQueryTests(TwoSourceFixture fixture) : IClassFixture<TwoSourceFixture>
{
    private static double Katz(long k1, long n1, long k2, long n2, int sign) =>
        (double)k1 / n1 / ((double)k2 / n2) * Math.Exp(sign * 1.96 * Math.Sqrt(1.0 / k1 - 1.0 / n1 + 1.0 / k2 - 1.0 / n2));

    private static Dictionary<(string Period, string Tag), string[]> Rows(string csv) =>
        csv.TrimEnd('\n').Split('\n').Skip(1).Select(l => l.Split(',')).ToDictionary(f => (f[0], f[1]));

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void Lift_ByWeek_GivesExactSharesAndIntervals_OnlyInWeeksBothSourcesList()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--format", "csv");

        Assert.True(result.Code == 0, result.Err);
        Assert.StartsWith("period,tag,share,base_share,lift,low,high\n", result.Out);
        var rows = Rows(result.Out);
        // The week of 2025-02-17 has no arxiv list: no rows. A, listed on two days, counts once (n₁ = 5).
        Assert.Equal(["2025-02-10", "2025-02-24"], rows.Keys.Select(k => k.Period).Distinct().Order());
        // A tag neither source carries in a week has no row there: DeepSeek and Llama in 2025-02-24.
        Assert.Equal(6, rows.Count);

        var gpt = rows[("2025-02-10", "GPT")];
        Assert.Equal((0.4, 0.25, 1.6), (D(gpt[2]), D(gpt[3]), D(gpt[4])));
        Assert.Equal(Katz(2, 5, 2, 8, -1), D(gpt[5]), 12);
        Assert.Equal(Katz(2, 5, 2, 8, +1), D(gpt[6]), 12);
        Assert.Equal(0.319723, D(gpt[5]), 5);
        Assert.Equal(8.006934, D(gpt[6]), 5);

        var llama = rows[("2025-02-10", "Llama")];
        Assert.Equal((0.2, 0.375), (D(llama[2]), D(llama[3])));
        Assert.Equal(0.2 / 0.375, D(llama[4]), 12);
        Assert.Equal(Katz(1, 5, 3, 8, -1), D(llama[5]), 12);

        // None of hf-daily's papers names Qwen that week: lift 0, from 0 to the bound with 0.5 papers.
        var qwen = rows[("2025-02-10", "Qwen")];
        Assert.Equal(["0", "0.125", "0", "0"], qwen[2..6]);
        Assert.Equal(0.8 * Math.Exp(1.96 * Math.Sqrt(2 - 0.2 + 1 - 0.125)), D(qwen[6]), 12);

        // DeepSeek is on hf-daily only: base share 0, lift and interval empty.
        Assert.Equal(["0.2", "0", "", "", ""], rows[("2025-02-10", "DeepSeek")][2..]);
        Assert.False(rows.ContainsKey(("2025-02-24", "Llama")));
        Assert.Equal(Katz(1, 1, 1, 2, +1), D(rows[("2025-02-24", "Qwen")][6]), 12);
    }

    [Fact]
    public void Lift_OverTheWholeRange_IsOnePeriodFromTheFirstDayBothCover()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--grain", "all", "--format", "csv");

        Assert.True(result.Code == 0, result.Err);
        var rows = Rows(result.Out);
        Assert.All(rows.Keys, k => Assert.Equal("2025-02-10", k.Period));
        // hf-daily: A B C D V E G (7); arxiv: A B C D W X Y Z G H (10). GPT: A B E against A B H.
        var gpt = rows[("2025-02-10", "GPT")];
        Assert.Equal((3.0 / 7, 0.3), (D(gpt[2]), D(gpt[3])));
        Assert.Equal(3.0 / 7 / 0.3, D(gpt[4]), 12);
        Assert.Equal(Katz(3, 7, 3, 10, -1), D(gpt[5]), 12);
        // Ordered by lift, the tag without one last.
        Assert.Equal(["GPT", "Qwen", "Llama", "DeepSeek"], rows.Keys.Select(k => k.Tag));
    }

    [Fact]
    public void Lift_TopAndRange_KeepTheTagsWhoseSharesDifferMostSurely_HalfOnEachSide()
    {
        var two = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--from", "2025-02-10", "--to", "2025-02-16", "--top", "2", "--format", "json");
        var three = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--from", "2025-02-10", "--to", "2025-02-16", "--top", "3", "--format", "json");

        Assert.True(two.Code == 0, two.Err);
        var rows = JsonDocument.Parse(two.Out).RootElement.EnumerateArray().ToList();
        // |ln lift| / its standard error, 0.5 added to each count (5 and 8 papers listed):
        // over-represented: DeepSeek 1 of 5 against 0 of 8: 1.534 / 1.539 = 1.00; GPT 2 of 5 against 2 of 8: 0.435 / 0.708 = 0.61;
        // under-represented: Llama 1 against 3: 0.412 / 0.808 = 0.51; Qwen 0 against 1: 0.664 / 1.539 = 0.43.
        // The most sure of each side, ordered by lift, DeepSeek (no base share, so no lift) last.
        Assert.Equal(["Llama", "DeepSeek"], rows.Select(r => r.GetProperty("tag").GetString()));
        Assert.Equal(5, rows[0].GetProperty("listed").GetInt64());
        Assert.Equal(8, rows[0].GetProperty("base_listed").GetInt64());
        // An odd one goes to the over-represented side.
        Assert.Equal(["GPT", "Llama", "DeepSeek"], JsonDocument.Parse(three.Out).RootElement.EnumerateArray().Select(r => r.GetProperty("tag").GetString()));
    }

    [Fact]
    public void Lift_ASourceWithoutLists_IsAnErrorNamingTheStoredSources()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--base", "arxiv-cs", "--format", "csv");

        Assert.Equal(1, result.Code);
        Assert.Equal("", result.Out);
        Assert.Contains("no lists from source 'arxiv-cs'; stored sources: arxiv, hf-daily", result.Err);
        Assert.DoesNotContain("(or all)", result.Err); // lift refuses every source pooled
        Assert.DoesNotContain("fetch", result.Err); // not a source TrendLens knows how to fetch
    }

    [Theory]
    [InlineData("--source", "arxiv")]
    [InlineData("--base", "hf-daily")]
    public void Lift_OfASourceAgainstItself_IsAUsageError(string option, string value)
    {
        var result = Run.Cli(fixture.Db, "query", "lift", option, value);

        Assert.Equal(2, result.Code);
        Assert.Contains("two different sources", result.Err);
    }

    [Theory]
    [InlineData("--source", "all")]
    [InlineData("--base", "all")]
    public void Lift_OfAllSourcesPooled_IsAUsageError(string option, string value)
    {
        var result = Run.Cli(fixture.Db, "query", "lift", option, value);

        Assert.Equal(2, result.Code);
        Assert.Contains("'all' pools every source, which lift cannot compare", result.Err);
    }

    [Theory]
    [InlineData("lift")]
    [InlineData("topics")]
    [InlineData("coverage")]
    public void Query_FromAfterTo_IsAUsageError(string query)
    {
        var result = Run.Cli(fixture.Db, "query", query, "--from", "2025-02-16", "--to", "2025-02-10");

        Assert.Equal(2, result.Code);
        Assert.Contains("--from is after --to", result.Err);
    }

    [Fact]
    public void Lift_OfVersionsOrAnUnknownGrain_IsAUsageError()
    {
        Assert.Equal(2, Run.Cli(fixture.Db, "query", "lift", "--of", "versions").Code);
        Assert.Equal(2, Run.Cli(fixture.Db, "query", "lift", "--grain", "year").Code);
    }

    [Fact]
    public void Lift_InARangeWithoutBothSources_WritesTheHeaderAndSaysWhy()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--from", "2025-02-17", "--to", "2025-02-21", "--format", "csv");

        Assert.Equal(0, result.Code);
        Assert.Equal("period,tag,share,base_share,lift,low,high\n", result.Out);
        Assert.Contains(LiftResult.NoCommonPeriod, result.Err);
        // And where each source's lists are: hf-daily has 2025-02-17 in the range, arxiv nothing.
        Assert.Contains("(hf-daily has 1 list day(s) in the range, and lists from 2025-02-10 to 2025-02-24; arxiv has no list in the range, and lists from 2025-02-10 to 2025-02-24)", result.Err);
    }

    [Fact]
    public void Lift_WithOneSourceStored_IsAnError()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);

        var result = Run.Cli(tmp.Db, "query", "lift", "--of", "topics");

        Assert.Equal(1, result.Code);
        Assert.Contains("no lists from source 'arxiv'; stored sources: hf-daily; `trendlens fetch --source arxiv --from … --to …` stores arxiv's lists", result.Err);
    }
}

public class SourcesDashboardTests(TwoSourceFixture fixture) : IClassFixture<TwoSourceFixture>
{
    private static (int Width, int Height) PngSize(byte[] png)
    {
        Assert.True(png.Length > 24 && png[0] == 0x89 && png[1] == (byte)'P', "not a PNG");
        int Read(int at) => (png[at] << 24) | (png[at + 1] << 16) | (png[at + 2] << 8) | png[at + 3];
        return (Read(16), Read(20));
    }

    /// <summary>Starts the server on loopback and a client of it.</summary>
    internal static async Task<HttpClient> Serve(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        await app.StartAsync();
        return new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    }

    [Fact]
    public async Task Sources_WithTwoSources_DrawsLiftAndShares()
    {
        await using var app = ServeCommand.Create(new Database(fixture.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        using var client = await Serve(app);

        var page = await client.GetAsync("/d/sources?from=2025-02-10&to=2025-02-28");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("source is stored", html);
        // Two sources stored: the header says whose papers it counts (a server with no sources configured pools them).
        Assert.Contains("2025-02-10 to 2025-02-28 · 12 papers listed by every source · data as of", html);
        Assert.Contains("2025-02-10 to 2025-02-28 · 7 papers listed by hf-daily · data as of",
            await client.GetStringAsync("/d/sources?from=2025-02-10&to=2025-02-28&source=hf-daily"));
        // A lift bar links to the compared list's papers, whatever the page reads.
        Assert.Matches(@"<a href=""/papers\?family=[^""]+&amp;source=hf-daily""", html);
        foreach (var panel in new[] { "topic-lift", "topic-shares", "family-lift", "keyphrase-lift" })
        {
            var png = await client.GetAsync($"/d/sources/{panel}.png?from=2025-02-10&to=2025-02-28");
            Assert.Equal(HttpStatusCode.OK, png.StatusCode);
            Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
            var bytes = await png.Content.ReadAsByteArrayAsync();
            Assert.Equal((900, 420), PngSize(bytes));
            Assert.True(bytes.Length > 8_000, $"{panel}.png of {bytes.Length} bytes looks blank");
        }

        var lift = (await client.GetStringAsync("/d/sources/family-lift.csv?from=2025-02-10&to=2025-02-28")).TrimEnd('\n').Split('\n');
        Assert.Equal("tag,lift,low,high,share,base_share,papers,listed,base_papers,base_listed,source,base", lift[0]);
        Assert.StartsWith("GPT,1.4285714285714", lift[1]);
        Assert.EndsWith(",3,7,3,10,hf-daily,arxiv", lift[1]);
        var shares = (await client.GetStringAsync("/d/sources/topic-shares.csv?from=2025-02-10&to=2025-02-28")).Split('\n');
        Assert.Equal("tag,source,share,papers,listed", shares[0]);
    }

    [Fact]
    public async Task Sources_Form_OffersNoSourceThatCannotBeComparedAgainstTheBase()
    {
        // As served: hf-daily configured first, so pages read it and offer the others and every source pooled.
        var settings = new TrendLens.Cli.TrendLensSettings { Scheduler = false, Sources = [new() { Name = "hf-daily" }] }.Validate();
        await using var app = ServeCommand.Create(new Database(fixture.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", settings);
        using var client = await Serve(app);

        var sources = await client.GetStringAsync("/d/sources?from=2025-02-10&to=2025-02-28");
        var models = await client.GetStringAsync("/d/models?from=2025-02-10&to=2025-02-28");

        Assert.Contains("<option value=\"arxiv\"", models);
        Assert.Contains("all sources pooled", models);
        Assert.DoesNotContain("<option value=\"arxiv\"", sources);
        Assert.DoesNotContain("all sources pooled", sources);
        Assert.Contains("<option value selected>hf-daily</option>", sources);
    }

    [Fact]
    public async Task Sources_SharesSideBySide_LinkEachBarToItsOwnListsPapers()
    {
        using var tmp = new TempDir();
        HandLists.ImportGenerated(tmp, days: 14);
        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        using var client = await Serve(app);

        var html = await client.GetStringAsync("/d/sources?range=all");
        // Every source pooled holds arxiv's lists: no lift of the pool, and the page says why.
        var pooled = await client.GetStringAsync("/d/sources?range=all&source=all");

        Assert.Contains("the pool holds arxiv&#x27;s own lists, so choose one source", pooled);
        Assert.Matches(@"[0-9,]+ papers listed by every source · data as of", pooled);
        Assert.Equal("tag,source,share,papers,listed\n", await client.GetStringAsync("/d/sources/topic-shares.csv?range=all&source=all"));
        Assert.Matches(@"<a href=""/papers\?topic=[^""]+&amp;source=arxiv""", html);
        Assert.Matches(@"<a href=""/papers\?topic=[^""]+&amp;source=hf-daily""", html);
        var link = System.Text.RegularExpressions.Regex.Match(html, @"<a href=""(/papers\?topic=[^""]+&amp;source=arxiv)""").Groups[1].Value.Replace("&amp;", "&");
        Assert.Contains("in arxiv's lists", System.Net.WebUtility.HtmlDecode(await client.GetStringAsync(link)));
    }

    [Fact]
    public async Task Sources_WithOneSource_SaysSoOnThePageAndTheCharts()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        using var client = await Serve(app);

        var page = await client.GetAsync("/d/sources?range=all");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        // Said once for the page, not under four empty charts.
        const string why = "only one source is stored (hf-daily), and lift needs lists from hf-daily and arxiv; <code>trendlens fetch --source arxiv --from … --to …</code> stores arxiv's lists";
        var text = System.Net.WebUtility.HtmlDecode(html);
        Assert.Contains($"Nothing to draw on this page</strong> (hf-daily against arxiv): {why}.", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, System.Text.RegularExpressions.Regex.Escape(why)));
        Assert.DoesNotContain("<img src=\"/d/sources/", html);
        foreach (var panel in new[] { "topic-lift", "topic-shares", "family-lift", "keyphrase-lift" })
            Assert.Matches($@"<li id=""{panel}"">[^<]+\(<a href=""/d/sources/{panel}\.png\?", html);

        // Every source pooled: the pool holds no arxiv lists either, and the page says so rather than that it does.
        var pooled = System.Net.WebUtility.HtmlDecode(await client.GetStringAsync("/d/sources?range=all&source=all"));
        Assert.Contains("(all sources pooled against arxiv): no lists from arxiv are stored (stored sources are hf-daily)", pooled);
        Assert.DoesNotContain("the pool holds", pooled);

        var png = await client.GetAsync("/d/sources/topic-lift.png?range=all");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal((900, 420), PngSize(await png.Content.ReadAsByteArrayAsync()));
        Assert.Equal("tag,lift,low,high,share,base_share,papers,listed,base_papers,base_listed,source,base\n",
            await client.GetStringAsync("/d/sources/topic-lift.csv?range=all"));
    }
}

public class LiftReviewTests(TwoSourceFixture fixture) : IClassFixture<TwoSourceFixture>
{
    private static IsoWeek Week(string text) => IsoWeek.TryParse(text, out var week, out var error) ? week : throw new ArgumentException(error);

    private WeeklyReview Build(string week)
    {
        var database = new Database(fixture.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);
        return WeeklyReviewer.Build(database, connection, Week(week));
    }

    [Fact]
    public void Review_OfAWeekBothSourcesList_HasTheSection()
    {
        var review = Build("2025-W07");

        Assert.NotNull(review.Lift);
        Assert.Equal(("hf-daily", "arxiv", 5L, 8L), (review.Lift.Source, review.Lift.Base, review.Lift.Listed, review.Lift.BaseListed));
        // Five papers against eight: no interval excludes 1.
        Assert.Empty(review.Lift.Over);
        Assert.Empty(review.Lift.Under);
        var md = ReviewRenderer.Markdown(review, DateTimeOffset.UnixEpoch);
        Assert.Contains("## hf-daily against arxiv\n", md);
        Assert.Contains("### Over-represented\n", md);
        Assert.Contains("### Under-represented\n", md);
    }

    [Fact]
    public void Review_CountsThePrimarySourceAlone_NotTheBase()
    {
        var review = Build("2025-W07");

        Assert.Equal("hf-daily", review.Source);
        Assert.Equal(review.Lift!.Listed, review.Listed);
        Assert.Contains("source hf-daily", ReviewRenderer.Footer(review, DateTimeOffset.UnixEpoch));
        Assert.Contains("- Lists counted: hf-daily's (", ReviewRenderer.Markdown(review, DateTimeOffset.UnixEpoch));
        var pooled = Run.Scalar<long>(fixture.Db, "select count(distinct paper_id) from current_entries where list_date between '2025-02-10' and '2025-02-16'");
        Assert.True(pooled > review.Listed, $"{pooled} pooled, {review.Listed} in the review");
    }

    [Fact]
    public void Review_OfAWeekWithoutABaseList_HasNoSection()
    {
        var review = Build("2025-W08");

        Assert.Null(review.Lift);
        var md = ReviewRenderer.Markdown(review, DateTimeOffset.UnixEpoch);
        Assert.DoesNotContain("against arxiv", md);
        Assert.DoesNotContain("represented", md);
    }

    [Fact]
    public void ReviewNumbers_ArchivedBeforeTheSection_ReadWithoutIt()
    {
        var json = JsonNode.Parse(ReviewNumbers.Write(Build("2025-W07")))!.AsObject();
        Assert.True(json.Remove("Lift"));

        var old = ReviewNumbers.Read(json.ToJsonString());

        Assert.Null(old.Lift);
        Assert.DoesNotContain("represented", ReviewRenderer.Markdown(old, DateTimeOffset.UnixEpoch));
        // And the section itself survives the archive.
        var review = Build("2025-W07");
        var again = ReviewNumbers.Read(ReviewNumbers.Write(review));
        Assert.Equal(("hf-daily", 5L), (again.Lift!.Source, again.Lift.Listed));
        // So do the movers' intervals and the emerging list's nearest candidate, which the archived page shows.
        Assert.NotEmpty(review.MoversUp.Concat(review.MoversDown));
        Assert.All(review.MoversUp.Concat(review.MoversDown), m => Assert.False(double.IsNaN(m.ChangeLow)));
        Assert.Equal(review.MoversUp.Concat(review.MoversDown).Select(m => (m.ChangeLow, m.ChangeHigh)), again.MoversUp.Concat(again.MoversDown).Select(m => (m.ChangeLow, m.ChangeHigh)));
        Assert.Equal(review.EmergingClosest, again.EmergingClosest);
        Assert.Equal(review.NothingRose, again.NothingRose);
    }

    [Fact]
    public void Review_OnGeneratedLists_NamesWhatTheListFavoursWithIntervalsThatExclude1()
    {
        using var tmp = new TempDir();
        HandLists.ImportGenerated(tmp, days: 28);
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);

        var review = WeeklyReviewer.Build(database, connection, Week("2025-W04"));

        Assert.NotNull(review.Lift);
        Assert.Contains(review.Lift.Over, t => t.Tag == "Reasoning" && t.Kind == "topic");
        Assert.All(review.Lift.Over, t => Assert.True(t.Low > 1 && t.Lift >= t.Low && t.Lift <= t.High));
        Assert.All(review.Lift.Under, t => Assert.True(t.High < 1));
        Assert.Contains("| Reasoning | topic |", ReviewRenderer.Markdown(review, DateTimeOffset.UnixEpoch));
    }
}

public class BaseListGeneratorTests
{
    [Fact]
    public void BaseLists_LeaveTheDailyListsAsTheyWere_AndHoldEachOfThem()
    {
        var options = new ListGenerator.Options(new DateOnly(2025, 1, 6), 21, 30);
        var plain = new ListGenerator(7).Generate(options);
        var both = new ListGenerator(7).Generate(options with { BaseMultiple = 5 });

        Assert.Empty(plain.BaseDays);
        Assert.Equal(plain.Days.SelectMany(d => d.Entries.Select(e => (e.PaperId, e.Abstract))), both.Days.SelectMany(d => d.Entries.Select(e => (e.PaperId, e.Abstract))));
        Assert.Equal(both.Days.Select(d => d.ListDate), both.BaseDays.Select(d => d.ListDate));
        foreach (var (daily, wide) in both.Days.Zip(both.BaseDays))
        {
            Assert.Equal(5 * daily.Entries.Count, wide.Entries.Count);
            Assert.Subset(wide.Entries.Select(e => e.PaperId).ToHashSet(), daily.Entries.Select(e => e.PaperId).ToHashSet());
            Assert.Equal(Enumerable.Range(1, wide.Entries.Count), wide.Entries.Select(e => e.Rank));
        }
    }

    [Fact]
    public void Generate_WithABaseSource_WritesItBesideTheDailyLists_AndWithoutItWritesNothingMore()
    {
        using var tmp = new TempDir();
        var plain = Path.Combine(tmp.Path, "plain");
        var both = Path.Combine(tmp.Path, "both");

        Assert.Equal(0, Run.Cli(tmp.Db, "generate", "--out", plain, "--days", "14").Code);
        var result = Run.Cli(tmp.Db, "generate", "--out", both, "--days", "14", "--base-source", "arxiv", "--base-multiple", "5");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("import them with --source arxiv", result.Out);
        Assert.Empty(Directory.GetDirectories(plain));
        Assert.Equal(Directory.GetFiles(plain).Select(Path.GetFileName).Order(), Directory.GetFiles(both).Select(Path.GetFileName).Order());
        foreach (var file in Directory.GetFiles(plain)) Assert.Equal(File.ReadAllText(file), File.ReadAllText(Path.Combine(both, Path.GetFileName(file))));
        var baseFiles = Directory.GetFiles(Path.Combine(both, "arxiv"));
        Assert.Equal(Directory.GetFiles(both, "*.jsonl").Length, baseFiles.Length);
        Assert.All(baseFiles, f => Assert.EndsWith(".json", f));

        var import = Run.Cli(tmp.Db, "import", Path.Combine(both, "arxiv"), "--source", "arxiv");
        Assert.True(import.Code == 0, import.Err);
        Assert.Contains("0 quarantined", import.Out);
        Assert.Equal(["arxiv"], Run.Rows<string>(tmp.Db, "select distinct source from snapshots"));
        Assert.Equal(2, Run.Cli(tmp.Db, "generate", "--out", both, "--base-source", "../x").Code);
    }

    [Fact]
    public void GeneratedPapers_ThatNameATopic_AreTaggedWithIt_InBothSources()
    {
        // The demo's charts are drawn from generated lists: a paper that draws a topic's name is
        // about it, in the daily lists and in the base's, or the topic charts and lifts show noise.
        using var tmp = new TempDir();
        var dir = Path.Combine(tmp.Path, "lists");
        Assert.Equal(0, Run.Cli(tmp.Db, "generate", "--out", dir, "--days", "60", "--base-source", "arxiv", "--base-multiple", "3").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", dir).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(dir, "arxiv"), "--source", "arxiv").Code);

        var named = new (string Phrase, string Topic)[]
        {
            ("reinforcement learning", "Reinforcement learning"), ("chain-of-thought reasoning", "Reasoning"), ("video generation", "Video generation"),
            ("retrieval-augmented generation", "Retrieval-augmented generation"), ("mixture-of-experts", "Mixture-of-experts"),
            ("multimodal", "Multimodal models"), ("agent", "Agents"), ("speculative decoding", "Efficient inference"), ("world model", "World models"),
            ("benchmark", "Benchmarks and evaluation"),
        };
        foreach (var source in new[] { "hf-daily", "arxiv" })
            foreach (var (phrase, topic) in named)
            {
                var (saying, tagged) = Run.Rows<(long, long)>(tmp.Db, $"""
                    with saying as (
                        select distinct e.paper_id
                        from list_entries e
                        where e.source = '{source}' and contains(e.abstract, '{phrase}')
                    )
                    select count(*), count(*) filter (where paper_id in (select paper_id from paper_topics where topic = '{topic}'))
                    from saying
                    """).Single();
                Assert.True(saying >= 5, $"{source}: only {saying} papers say {phrase}");
                Assert.True(tagged >= 0.8 * saying, $"{source}: {tagged} of the {saying} papers that say {phrase} are tagged {topic}");
            }
    }
}

/// <summary>
/// Two sources whose lists are not on the same days, written by hand from the papers of
/// <see cref="TwoSourceFixture"/> (A, B, E, H name GPT-4o; C, W, X Llama 3; Y Qwen2.5; D none).
/// hf-daily lists on weekdays: Monday 2025-03-03 A C, Friday 03-07 B, Monday 03-10 Y, Wednesday
/// 03-12 E. arxiv also lists on a Saturday, and stops first: 03-03 A C W, Saturday 03-08 X D,
/// 03-10 Y H. The days both cover are 03-03 to 03-10; hf-daily's 03-12 is outside them.
/// </summary>
public sealed class UnevenSourcesFixture : IDisposable
{
    private readonly TempDir _tmp = new();

    public UnevenSourcesFixture() => HandLists.WriteAndImport(_tmp.Path, Db, TwoSourceFixture.Papers,
        ("hf/2025-03-03", "AC"), ("hf/2025-03-07", "B"), ("hf/2025-03-10", "Y"), ("hf/2025-03-12", "E"),
        ("ax/2025-03-03", "ACW"), ("ax/2025-03-08", "XD"), ("ax/2025-03-10", "YH"));

    /// <summary>A database of the first week alone: hf-daily's last list on the Friday, arxiv's on the Saturday.</summary>
    public string FirstWeek()
    {
        var db = Path.Combine(_tmp.Path, "first-week.duckdb");
        if (!File.Exists(db))
            HandLists.WriteAndImport(_tmp.Path, db, TwoSourceFixture.Papers, ("hf1/2025-03-03", "AC"), ("hf1/2025-03-07", "B"), ("ax1/2025-03-03", "ACW"), ("ax1/2025-03-08", "XD"));
        return db;
    }

    public string Db => _tmp.Db;

    public void Dispose() => _tmp.Dispose();
}

public class UnevenSourcesTests(UnevenSourcesFixture fixture) : IClassFixture<UnevenSourcesFixture>
{
    private static List<JsonElement> Json(CliResult result)
    {
        Assert.True(result.Code == 0, result.Err);
        return JsonDocument.Parse(result.Out).RootElement.EnumerateArray().ToList();
    }

    private static (long Listed, long BaseListed) Counts(List<JsonElement> rows, string period) =>
        rows.Where(r => r.GetProperty("period").GetString() == period)
            .Select(r => (r.GetProperty("listed").GetInt64(), r.GetProperty("base_listed").GetInt64())).Distinct().Single();

    [Fact]
    public void Lift_OfAWeek_IsTheSameWhicheverRangeHoldsIt()
    {
        var alone = Json(Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--from", "2025-03-03", "--to", "2025-03-09", "--format", "json"));
        var within = Json(Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--format", "json"));

        // hf-daily A C B against arxiv A C W X D: arxiv's Saturday counts whichever range holds the week.
        Assert.Equal((3L, 5L), Counts(alone, "2025-03-03"));
        Assert.Equal((3L, 5L), Counts(within, "2025-03-03"));
    }

    [Fact]
    public void Lift_OfTheLastWeek_KeepsTheBasesWeekendAfterAListEndingOnFriday()
    {
        var db = fixture.FirstWeek();

        var week = Json(Run.Cli(db, "query", "lift", "--of", "families", "--format", "json"));
        var review = Run.Cli(db, "review", "2025-W10", "--out", Path.Combine(Path.GetDirectoryName(db)!, "review"));

        Assert.Equal((3L, 5L), Counts(week, "2025-03-03"));
        Assert.True(review.Code == 0, review.Err);
        Assert.Contains("differs from their share of arxiv's (5)", File.ReadAllText(Path.Combine(Path.GetDirectoryName(db)!, "review", "review.md")));
    }

    [Fact]
    public void Review_OfAWeekTheSourcesCoverInPart_NamesTheDaysCompared()
    {
        var database = new Database(fixture.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);

        var partial = WeeklyReviewer.Build(database, connection, IsoWeek.TryParse("2025-W11", out var w11, out _) ? w11 : throw new InvalidOperationException());
        var whole = WeeklyReviewer.Build(database, connection, IsoWeek.TryParse("2025-W10", out var w10, out _) ? w10 : throw new InvalidOperationException());

        // arxiv's last list is on Monday 03-10: of week 11 only that day is compared (hf-daily's Y against arxiv's Y H).
        Assert.Equal(("2025-03-10 – 2025-03-10", 1L, 2L), (partial.Lift!.Days, partial.Lift.Listed, partial.Lift.BaseListed));
        Assert.Contains("papers from 2025-03-10 – 2025-03-10, the days of the week both sources cover (1 listed)", ReviewRenderer.Markdown(partial, DateTimeOffset.UnixEpoch));
        Assert.Null(whole.Lift!.Days);
        Assert.Contains("papers this week (3 listed)", ReviewRenderer.Markdown(whole, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Coverage_OfASourceWithWeekendLists_ExpectsThoseDaysToo()
    {
        var coverage = Run.Cli(fixture.Db, "query", "coverage", "--source", "arxiv", "--grain", "week", "--format", "csv");
        var database = new Database(fixture.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);
        var review = WeeklyReviewer.Build(database, connection, IsoWeek.TryParse("2025-W10", out var w10, out _) ? w10 : throw new InvalidOperationException(), primary: "arxiv");

        // Week 10: arxiv lists on Monday and Saturday; four weekdays without a list show as 2 of 6, not 2 of 5.
        Assert.True(coverage.Code == 0, coverage.Err);
        Assert.Equal("period,papers_listed,days_listed,days_expected\n2025-03-03,5,2,6\n2025-03-10,2,1,1\n", coverage.Out);
        Assert.Equal((2L, 6L, 1L), (review.DaysListed, review.DaysExpected, review.WeekendDaysListed));
        Assert.Contains("- Lists on 2 of 6 days (the weekdays and 1 weekend day with a list)", ReviewRenderer.Markdown(review, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void Lift_CutToTheDaysBothCover_SaysWhatItLeftOut()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--grain", "all", "--format", "csv");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("trendlens: compared over 2025-03-03 – 2025-03-10, the days both sources cover; 1 list day(s) of hf-daily or arxiv in the range are left out", result.Err);
        // GPT: hf-daily's A B of A C B Y against arxiv's A H of A C W X D Y H.
        Assert.Contains("2025-03-03,GPT,0.5,0.2857142857142857,", result.Out);
    }

    [Fact]
    public void Lift_OutsideEveryList_SaysWhereTheListsAre()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--from", "2024-01-01", "--to", "2024-12-31", "--format", "csv");

        Assert.Equal(0, result.Code);
        Assert.Equal("period,tag,share,base_share,lift,low,high\n", result.Out);
        Assert.Contains("no list from 2024-01-01 to 2024-12-31; the lists stored run from 2025-03-03 to 2025-03-12", result.Err);
    }

    [Fact]
    public void Lift_ByMonth_SaysWhichPeriodsTheRangeCuts()
    {
        var result = Run.Cli(fixture.Db, "query", "lift", "--of", "families", "--grain", "month", "--format", "csv");

        Assert.True(result.Code == 0, result.Err);
        // 2025-03-01 and 03-02 are a weekend: the month is cut at its end only, by arxiv's last list.
        Assert.Contains("trendlens: the range cuts a month: 2025-03-01 counts up to 2025-03-10 only\n", result.Err.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Lift_TopZeroOfTerms_KeepsEveryKeyphraseCompared()
    {
        using var tmp = new TempDir();
        HandLists.ImportGenerated(tmp, days: 14);
        int Rows(params string[] top) => Run.Cli(tmp.Db, ["query", "lift", "--of", "terms", "--grain", "all", "--format", "csv", .. top]).Out.TrimEnd('\n').Split('\n').Length - 1;

        // 0 is every keyphrase compared, as the help says; not given, the 20 that differ most surely.
        Assert.Equal(Lift.DefaultTopTerms, Rows());
        Assert.Equal(2, Rows("--top", "2"));
        Assert.True(Rows("--top", "0") > Lift.DefaultTopTerms, $"--top 0 gave {Rows("--top", "0")} rows");
    }

    [Fact]
    public void Choices_AreReadInAnyCase_AndTheHelpShowsTheirDefaultsAsTyped()
    {
        var help = Run.Cli(fixture.Db, "query", "lift", "--help");
        var result = Run.Cli(fixture.Db, "query", "lift", "--of", "Families", "--grain", "all", "--format", "CSV");

        Assert.Contains("[default: topics]", help.Out);
        Assert.Contains("[default: table]", help.Out);
        Assert.DoesNotContain("[default: Topics]", help.Out);
        Assert.DoesNotContain("[default: Table]", help.Out);
        Assert.True(result.Code == 0, result.Err);
        Assert.StartsWith("period,tag,share,base_share,lift,low,high\n2025-03-03,GPT,", result.Out);
    }

    [Fact]
    public void Help_ChoiceDefault_IsTheTypedWord_WhenTheLineWraps_AndOtherDefaultsStayAsTheyAre()
    {
        const string help = """
              --of <topics|families|terms>  compare topics, model families or
                                            keyphrases (terms) [default: Topics]
              --source <NAME>               the list compared [default: hf-daily]
              --format <table|csv|json>     table, csv or json [default: Csv]
              --grain <all|day|month|week>  period length [default: week]
              --mode <fast|slow>            how [default: Other]
            """;

        var shown = TrendLens.Cli.CommandLine.ChoiceDefaultsAsTyped(help);

        Assert.Contains("keyphrases (terms) [default: topics]", shown);
        Assert.Contains("[default: hf-daily]", shown);
        Assert.Contains("table, csv or json [default: csv]", shown);
        Assert.Contains("[default: week]", shown);
        Assert.Contains("[default: Other]", shown); // not one of its choices: left as printed
    }

    [Fact]
    public async Task Sources_CutToTheDaysBothCover_SaysSoAndCountsThoseDays()
    {
        await using var app = ServeCommand.Create(new Database(fixture.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        using var client = await SourcesDashboardTests.Serve(app);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync("/d/sources?from=2025-03-03&to=2025-03-12"));
        var svg = WebUtility.HtmlDecode(await client.GetStringAsync("/d/sources/family-lift.svg?from=2025-03-03&to=2025-03-12"));

        const string cut = "Compared over 2025-03-03 – 2025-03-10, the days both sources cover; 1 list day(s) of hf-daily or arxiv in the range are left out.";
        // Every panel compares those days: said once, above the charts, not under each.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, System.Text.RegularExpressions.Regex.Escape(cut)));
        Assert.True(html.IndexOf(cut, StringComparison.Ordinal) < html.IndexOf("<figure", StringComparison.Ordinal), "the note comes before the charts");
        // The papers behind a bar are those of the days compared, not of the page's whole range.
        Assert.Matches(@"/papers\?family=GPT&from=2025-03-03&to=2025-03-10&source=hf-daily", html);
        Assert.DoesNotMatch(@"/papers\?family=GPT&from=2025-03-03&to=2025-03-12", html);
        // The footer names the days compared, one period, and both sources' papers.
        Assert.Contains("2025-03-03 to 2025-03-10, the days both sources cover", svg);
        Assert.Contains("n = 4 and 7 papers listed", svg);
        Assert.DoesNotContain("· week ·", svg);
        // The intervals are drawn over the bars: a solid bar would hide the part of its interval inside it.
        var lastBar = Math.Max(svg.LastIndexOf("fill=\"#2E8B57\"", StringComparison.Ordinal), svg.LastIndexOf("fill=\"#B22222\"", StringComparison.Ordinal));
        var firstInterval = svg.IndexOf("stroke-width=\"1.5\"", StringComparison.Ordinal);
        Assert.True(lastBar > 0 && firstInterval > lastBar, $"bars end at {lastBar}, the first interval is at {firstInterval}");
        // Hovering a bar gives the counts its shares divide, so its lift can be checked by hand.
        // GPT: 2 of 4 papers against 2 of 7, (2/4) / (2/7) = 1.75.
        Assert.Contains("<title>GPT: lift 1.75× (95% interval 0.38× to 8.06×); 2 of 4 (50.0%) of hf-daily's papers, 2 of 7 (28.6%) of arxiv's</title>", html);
        // Every panel compares the whole range: no grain or bursts to choose.
        Assert.DoesNotContain("name=\"grain\"", html);
        Assert.DoesNotContain("name=\"bursts\"", html);
        Assert.Contains("name=\"grain\"", await client.GetStringAsync("/d/models?from=2025-03-03&to=2025-03-12"));
    }
}

public class SmallShareTests
{
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(0.1234, "12.3")]
    [InlineData(0.001, "0.1")]
    [InlineData(0.00037, "0.037")]
    [InlineData(0.0000371, "0.0037")]
    [InlineData(0.000107, "0.011")]
    [InlineData(0.0001, "0.010")]
    public void PercentText_GivesASmallShareTwoSignificantDigits(double share, string text) =>
        Assert.Equal(text, Lift.PercentText(share));
}

/// <summary>
/// The base rate stored under another name than arxiv (an arxiv source configured as "arxiv-cs"):
/// pages and reviews compare against the configured arxiv source.
/// </summary>
public sealed class NamedBaseTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public NamedBaseTests() => HandLists.WriteAndImport(_tmp.Path, _tmp.Db, TwoSourceFixture.Papers, "arxiv-cs",
        ("hf/2025-02-10", "ABCDV"), ("hf/2025-02-11", "A"), ("ax/2025-02-10", "ABCDWXYZ"));

    public void Dispose() => _tmp.Dispose();

    private static TrendLens.Cli.TrendLensSettings Settings() => new TrendLens.Cli.TrendLensSettings
    {
        Scheduler = false,
        Sources = [new() { Name = "hf-daily" }, new() { Name = "arxiv-cs", Kind = "arxiv" }],
    }.Validate();

    [Fact]
    public async Task SourcesPage_ComparesAgainstTheConfiguredArxivSource()
    {
        await using var app = ServeCommand.Create(new Database(_tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", Settings());
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        var lift = (await client.GetStringAsync("/d/sources/family-lift.csv?from=2025-02-10&to=2025-02-16")).TrimEnd('\n').Split('\n');
        Assert.Equal("tag,lift,low,high,share,base_share,papers,listed,base_papers,base_listed,source,base", lift[0]);
        Assert.Contains(lift, l => l.StartsWith("GPT,", StringComparison.Ordinal) && l.EndsWith(",2,5,2,8,hf-daily,arxiv-cs", StringComparison.Ordinal));
        var page = await client.GetStringAsync("/d/sources?from=2025-02-10&to=2025-02-16");
        Assert.DoesNotContain("no lists from", page);
        // The base is not offered as the source compared.
        Assert.DoesNotContain("value=\"arxiv-cs\"", page);
    }

    [Fact]
    public void Review_ComparesAgainstTheConfiguredArxivSource()
    {
        var database = new Database(_tmp.Db);
        using var connection = database.Open();
        new RollupRefresher(database).Refresh(connection);
        var week = IsoWeek.TryParse("2025-W07", out var w, out _) ? w : throw new InvalidOperationException();

        var review = WeeklyReviewer.Build(database, connection, week, baseSources: Settings().BaseSources());

        Assert.NotNull(review.Lift);
        Assert.Equal(("hf-daily", "arxiv-cs", 5L, 8L), (review.Lift.Source, review.Lift.Base, review.Lift.Listed, review.Lift.BaseListed));
        Assert.Contains("## hf-daily against arxiv-cs\n", ReviewRenderer.Markdown(review, DateTimeOffset.UnixEpoch));
        // Without it configured, no source named arxiv is stored: no section.
        Assert.Null(WeeklyReviewer.Build(database, connection, week).Lift);
    }

    [Fact]
    public void BaseOf_PrefersTheConfiguredSource_ThenArxiv_ThenNamesTheConfiguredOne()
    {
        Assert.Equal("arxiv-cs", Lift.BaseOf(["arxiv-cs"], ["hf-daily", "arxiv", "arxiv-cs"]));
        Assert.Equal("arxiv-cs", Lift.BaseOf(["arxiv-math", "arxiv-cs"], ["hf-daily", "arxiv", "arxiv-cs"]));
        Assert.Equal("arxiv", Lift.BaseOf(["arxiv-cs"], ["hf-daily", "arxiv"]));
        Assert.Equal("arxiv-cs", Lift.BaseOf(["arxiv-cs", "arxiv-math"], ["hf-daily"]));
        Assert.Equal("arxiv", Lift.BaseOf([], ["hf-daily"]));
    }
}
