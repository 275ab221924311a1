using Dapper;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Quartz;
using SkiaSharp;
using TrendLens.Cli;
using TrendLens.Cli.Commands;
using TrendLens.Reviews;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests;

public class IsoWeekTests
{
    [Theory]
    [InlineData("2025-W01", "2024-12-30", "2025-01-05")] // week 1 starts in the year before
    [InlineData("2025-W07", "2025-02-10", "2025-02-16")]
    [InlineData("2020-W53", "2020-12-28", "2021-01-03")] // a 53-week year, ending in the next year
    [InlineData("2026-W53", "2026-12-28", "2027-01-03")]
    [InlineData("2021-W01", "2021-01-04", "2021-01-10")] // 1-3 January 2021 belong to 2020-W53
    public void Parse_GivesMondayToSunday(string text, string monday, string sunday)
    {
        Assert.True(IsoWeek.TryParse(text, out var week, out var error), error);
        Assert.Equal(DateOnly.Parse(monday, CultureInfo.InvariantCulture), week.Monday);
        Assert.Equal(DateOnly.Parse(sunday, CultureInfo.InvariantCulture), week.Sunday);
        Assert.Equal(text, week.ToString());
    }

    [Theory]
    [InlineData("2021-01-03", "2020-W53")]
    [InlineData("2024-12-30", "2025-W01")]
    [InlineData("2025-01-05", "2025-W01")]
    [InlineData("2027-01-01", "2026-W53")]
    public void Of_ADay_IsItsIsoWeek(string day, string week) =>
        Assert.Equal(week, IsoWeek.Of(DateOnly.Parse(day, CultureInfo.InvariantCulture)).ToString());

    [Fact]
    public void Previous_CrossesTheYearBoundary()
    {
        Assert.True(IsoWeek.TryParse("2025-W01", out var w, out _));
        Assert.Equal("2024-W52", w.Previous.ToString());
        Assert.True(IsoWeek.TryParse("2021-W01", out var x, out _));
        Assert.Equal("2020-W53", x.Previous.ToString());
    }

    [Theory]
    [InlineData("2021-W53", "2021 has weeks 1 to 52")]
    [InlineData("2025-W00", "has weeks 1 to 52")]
    [InlineData("2025-W7", "written like 2025-W07")]
    [InlineData("2025W07", "written like 2025-W07")]
    [InlineData("../../etc/passwd", "written like 2025-W07")]
    public void BadWeeks_AreRefusedWithAReason(string text, string message)
    {
        Assert.False(IsoWeek.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
    }
}

/// <summary>`trendlens review`: the files, their structure, and numbers equal to the queries'.</summary>
public partial class ReviewTests
{
    private static TempDir Imported()
    {
        var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"));
        Assert.True(result.Code == 0, result.Err);
        return tmp;
    }

    private static void AssertPng(string path, int width, int height)
    {
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < bitmap.Height; y += 7)
            for (var x = 0; x < bitmap.Width; x += 7)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 20, $"{Path.GetFileName(path)} has {colours.Count} colours: blank");
    }

    [Fact]
    public void TopPapers_AreTheMostUpvoted_NotTheOnesListedMostOften()
    {
        using var tmp = Imported();
        using var connection = new Database(tmp.Db).Open();
        var papers = connection.Query<(string Id, long Days, int Rank, int? Upvotes)>(
            "select paper_id, days_listed, best_rank, max_upvotes from (" + SqlCatalog.Get("papers/top_papers") + ")",
            new { from = new DateOnly(2025, 2, 1), to = new DateOnly(2025, 2, 28), top = 50, source = "" }).ToList();
        Assert.True(papers.Count >= 5, $"{papers.Count} papers");
        var upvotes = papers.Select(p => p.Upvotes ?? -1).ToList();
        Assert.Equal(upvotes.OrderByDescending(u => u), upvotes);
        // The fixtures' most upvoted paper was not the best ranked of every day, so the order is the upvotes', not the ranks'.
        Assert.NotEqual(papers.OrderBy(p => p.Rank).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => p.Id), papers.Select(p => p.Id));
    }

    [GeneratedRegex(@"^\| (?<topic>[^|]+) \| (?<papers>\d+) \| (?<share>[\d.]+) % \|", RegexOptions.Multiline)]
    private static partial Regex TopicRow();

    [Fact]
    public void Review_WritesEveryFile_AndItsNumbersEqualTheQueries()
    {
        using var tmp = Imported();
        var dir = Path.Combine(tmp.Path, "review");

        var result = Run.Cli(tmp.Db, "review", "2025-W07", "--out", dir);

        Assert.True(result.Code == 0, result.Err);
        foreach (var name in new[] { "review.md", "review.html", "topics.png", "emerging.png", "families.png", "papers.png", "review.png" })
            Assert.True(File.Exists(Path.Combine(dir, name)), name);
        foreach (var name in new[] { "topics", "emerging", "families", "papers" }) AssertPng(Path.Combine(dir, name + ".png"), 900, 420);
        AssertPng(Path.Combine(dir, "review.png"), 24 * 3 + 900 * 2, 70 + 40 + 24 * 3 + 420 * 2);

        var md = File.ReadAllText(Path.Combine(dir, "review.md"));
        foreach (var section in new[] { "# Weekly trend review 2025-W07 (2025-02-10 to 2025-02-16)", "## Headline", "## Top topics", "## Emerging keyphrases",
                     "## Model-family movers", "### Up", "### Down", "## Bursts that started this week", "## Top papers", "## Coverage" })
            Assert.Contains(section + "\n", md);

        // Movers carry their 95 % interval: the fixtures' few papers per family make none of them clear.
        var movers = md[md.IndexOf("## Model-family movers", StringComparison.Ordinal)..md.IndexOf("## Bursts", StringComparison.Ordinal)];
        Assert.Contains("| family | papers | share | previous week | change | 95 % interval |", movers);
        Assert.Matches(@"\| [−+]\d+\.\d pp \| −\d+\.\d to \+\d+\.\d pp \|", movers);
        Assert.DoesNotContain("(clear)", movers);

        // Headline = query coverage for the week.
        var coverage = Run.Cli(tmp.Db, "query", "coverage", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv").Out.Split('\n')[1].Split(',');
        Assert.Contains($"- Papers listed: {coverage[1]} (", md);
        Assert.Contains($"- Lists on {coverage[2]} of {coverage[3]} weekdays", md);

        // Topics table = query topics for the week, papers and share.
        var topics = JsonDocument.Parse(Run.Cli(tmp.Db, "query", "topics", "--from", "2025-02-10", "--to", "2025-02-16", "--grain", "week", "--format", "json").Out)
            .RootElement.EnumerateArray().Where(r => r.GetProperty("papers").GetInt64() > 0)
            .ToDictionary(r => r.GetProperty("topic").GetString()!, r => (Papers: r.GetProperty("papers").GetInt64(), Share: r.GetProperty("share").GetDouble()));
        var rows = TopicRow().Matches(md[md.IndexOf("## Top topics", StringComparison.Ordinal)..md.IndexOf("## Emerging", StringComparison.Ordinal)]);
        Assert.NotEmpty(rows);
        Assert.Equal(Math.Min(topics.Count, WeeklyReviewer.TopTopics), rows.Count);
        foreach (Match row in rows)
        {
            var expected = topics[row.Groups["topic"].Value.Trim()];
            Assert.Equal(expected.Papers, long.Parse(row.Groups["papers"].Value, CultureInfo.InvariantCulture));
            Assert.Equal((expected.Share * 100).ToString("0.0", CultureInfo.InvariantCulture), row.Groups["share"].Value);
        }

        // Top papers = query papers for the week, with links.
        var papers = Run.Cli(tmp.Db, "query", "papers", "--from", "2025-02-10", "--to", "2025-02-16", "--format", "csv").Out.Split('\n').Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',')[2]).Distinct().ToList();
        foreach (var id in papers) Assert.Contains($"https://arxiv.org/abs/{id}", md);
        // The lists end on Thursday and the review is made weeks later: Friday is not counted, and
        // the week is not called in progress.
        Assert.Contains("- No list is stored after 2025-02-13, so the week's later weekdays are not counted.", md);
        Assert.Contains("Every weekday of the week had a list (4 of 4)", md);
        Assert.DoesNotContain("in progress", md);

        // Made on the Friday of that week, it is.
        var during = Path.Combine(tmp.Path, "during");
        var code = new CommandLine(new StringWriter(), new StringWriter(), new FixedClock(new DateTimeOffset(2025, 2, 14, 9, 0, 0, TimeSpan.Zero)), interactive: false)
            .Run(["--db", tmp.Db, "review", "2025-W07", "--out", during, "--force"]);
        Assert.Equal(0, code);
        var duringMd = File.ReadAllText(Path.Combine(during, "review.md"));
        Assert.Contains("- Lists on 4 of 4 weekdays (the week is still in progress: data as of 2025-02-13)", duringMd);
        Assert.Contains("- The week is still in progress: data as of 2025-02-13.", duringMd);

        var html = File.ReadAllText(Path.Combine(dir, "review.html"));
        Assert.Contains("<img src=\"topics.png\"", html);
        Assert.DoesNotContain(ReviewRenderer.ImagesToken, html);
    }

    [Fact]
    public void Review_AgainNeedsForce_AndKeepsThePreviousVersion()
    {
        using var tmp = Imported();
        var dir = Path.Combine(tmp.Path, "review");
        Assert.Equal(0, Run.Cli(tmp.Db, "review", "2025-W07", "--out", dir).Code);
        var first = File.ReadAllText(Path.Combine(dir, "review.md"));

        var again = Run.Cli(tmp.Db, "review", "2025-W07", "--out", dir);
        Assert.Equal(1, again.Code);
        Assert.Contains("the review of 2025-W07 exists (version 1); generating it again needs --force, which keeps version 1; --archived writes its files as archived", again.Err);
        Assert.Equal(first, File.ReadAllText(Path.Combine(dir, "review.md")));

        var forced = Run.Cli(tmp.Db, "review", "2025-W07", "--out", dir, "--force");
        Assert.Equal(0, forced.Code);
        Assert.Contains("version 2", forced.Out);
        Assert.Equal(first, File.ReadAllText(Path.Combine(dir, "previous-1", "review.md")));
        Assert.True(File.Exists(Path.Combine(dir, "previous-1", "review.png")));
        Assert.Equal([1, 2], Run.Rows<int>(tmp.Db, "select version from reviews where week = '2025-W07' order by version"));

        // The latest version's files as archived, without a version more.
        var copy = Path.Combine(tmp.Path, "copy");
        var written = Run.Cli(tmp.Db, "review", "2025-W07", "--out", copy, "--archived");
        Assert.True(written.Code == 0, written.Err);
        Assert.Contains("version 2 as archived", written.Out);
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "review.md")), File.ReadAllText(Path.Combine(copy, "review.md")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "review.png")), File.ReadAllBytes(Path.Combine(copy, "review.png")));
        Assert.Equal(File.ReadAllText(Path.Combine(dir, "review.html")), File.ReadAllText(Path.Combine(copy, "review.html")));
        Assert.Equal([1, 2], Run.Rows<int>(tmp.Db, "select version from reviews where week = '2025-W07' order by version"));

        var none = Run.Cli(tmp.Db, "review", "2025-W09", "--out", copy, "--archived");
        Assert.Equal(1, none.Code);
        Assert.Contains("no review of 2025-W09 is archived", none.Err);
        Assert.Equal(2, Run.Cli(tmp.Db, "review", "2025-W07", "--out", copy, "--archived", "--force").Code);
    }

    [Theory]
    [InlineData("2025-W01", new[] { "2024-12-31", "2025-01-02" }, "2024-12-30 to 2025-01-05", "No list on 2024-12-30 (Monday), 2025-01-01 (Wednesday)")]
    [InlineData("2020-W53", new[] { "2020-12-31", "2021-01-01" }, "2020-12-28 to 2021-01-03", "No list on 2020-12-28 (Monday), 2020-12-29 (Tuesday), 2020-12-30 (Wednesday)")]
    public void Review_OfAWeekAcrossTheYearBoundary_CountsBothYearsDays(string week, string[] days, string span, string coverage)
    {
        using var tmp = new TempDir();
        var files = days.Select((d, i) => tmp.File($"{d}.jsonl",
            $$"""{"id":"{{d[2..4]}}{{d[5..7]}}.0{{i}}001","title":"Paper of {{d}} with GPT-4o","summary":"We test retrieval-augmented generation.","authors":[]}""" + "\n")).ToArray();
        Assert.Equal(0, Run.Cli(tmp.Db, ["import", .. files]).Code);

        var result = Run.Cli(tmp.Db, "review", week, "--out", Path.Combine(tmp.Path, "r"));

        Assert.True(result.Code == 0, result.Err);
        var md = File.ReadAllText(Path.Combine(tmp.Path, "r", "review.md"));
        Assert.Contains($"# Weekly trend review {week} ({span})", md);
        Assert.Contains("- Papers listed: 2 (2 new", md);
        Assert.Contains("| GPT | 2 | 100.0 % |", md);
        Assert.Contains(coverage, md);
    }

    [Theory]
    [InlineData("2025-W7", 2, "written like 2025-W07")]
    [InlineData("2021-W53", 2, "2021 has weeks 1 to 52")]
    [InlineData("2025-W30", 1, "no lists stored for 2025-W30")]
    public void Review_BadOrEmptyWeek_SaysWhy(string week, int code, string message)
    {
        using var tmp = Imported();

        var result = Run.Cli(tmp.Db, "review", week, "--out", Path.Combine(tmp.Path, "r"));

        Assert.Equal(code, result.Code);
        Assert.Contains(message, result.Err);
        Assert.False(Directory.Exists(Path.Combine(tmp.Path, "r")));
    }

    private static readonly string[] HostileTitles =
    [
        "[x](javascript:alert(1))", "<script>alert(1)</script>", "A {{images}} title", "<img src=x onerror=alert(1)>", "</table><h1>pwned</h1>",
    ];

    [Fact]
    public async Task Attack_Review_OfHostileTitles_KeepsThemText_InMarkdownAndOnThePage()
    {
        using var tmp = Imported();
        var lines = HostileTitles.Select((title, i) => JsonSerializer.Serialize(new
        {
            date = "2025-02-14", rank = i + 1, id = $"2502.0800{i}", title, summary = "An abstract.", authors = Array.Empty<string>(),
        }));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("h/2025-02-14.jsonl", string.Join("\n", lines) + "\n")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "review", "2025-W07", "--out", Path.Combine(tmp.Path, "r")).Code);

        var md = File.ReadAllText(Path.Combine(tmp.Path, "r", "review.md"));
        foreach (var raw in new[] { "<script", "<img", "</table>", "<h1>" }) Assert.DoesNotContain(raw, md);
        Assert.DoesNotMatch(@"(?<!\\)\]\(javascript:", md); // a link needs an unescaped ](
        Assert.Contains("| &lt;script&gt;alert(1)&lt;/script&gt; |", md);
        Assert.Contains("| \\[x\\](javascript:alert(1)) |", md);

        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var page = await http.GetStringAsync("/reviews/2025-W07");
        Assert.Contains("<td>A {{images}} title</td>", page);
        Assert.DoesNotContain("<script>alert", page);
        Assert.DoesNotContain("<img src=x", page);
        Assert.Contains("<img src=\"/reviews/2025-W07/topics.png?version=1\"", page);
        Assert.Equal(md, await http.GetStringAsync("/reviews/2025-W07.md"));
        var offline = File.ReadAllText(Path.Combine(tmp.Path, "r", "review.html"));
        Assert.Contains("<td>A {{images}} title</td>", offline);
    }

    [Fact]
    public async Task Reviews_AreServed_AsHtmlPngAndMarkdown()
    {
        using var tmp = Imported();
        Assert.Equal(0, Run.Cli(tmp.Db, "review", "2025-W07", "--out", Path.Combine(tmp.Path, "r")).Code);
        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        Assert.Contains("<a href=\"/reviews/2025-W07?version=1\">2025-W07</a>", await http.GetStringAsync("/reviews"));
        var page = await http.GetStringAsync("/reviews/2025-W07");
        Assert.Contains("<img src=\"/reviews/2025-W07/topics.png?version=1\"", page);
        Assert.Contains("<nav class=\"review-nav\"><a href=\"/reviews\">All reviews</a></nav>", page);
        using (var png = SKBitmap.Decode(await http.GetByteArrayAsync("/reviews/2025-W07/topics.png?version=1"))) Assert.Equal(900, png.Width);
        using (var png = SKBitmap.Decode(await http.GetByteArrayAsync("/reviews/2025-W07.png"))) Assert.True(png.Width > 1800);
        Assert.Equal(File.ReadAllBytes(Path.Combine(tmp.Path, "r", "review.png")), await http.GetByteArrayAsync("/reviews/2025-W07.png"));
        Assert.Equal(File.ReadAllText(Path.Combine(tmp.Path, "r", "review.md")), await http.GetStringAsync("/reviews/2025-W07.md"));

        foreach (var (url, status) in new[]
                 {
                     ("/reviews/2025-W99", HttpStatusCode.BadRequest), ("/reviews/..%2F..%2Fetc%2Fpasswd", HttpStatusCode.BadRequest),
                     ("/reviews/2025-W07?version=abc", HttpStatusCode.BadRequest), ("/reviews/2025-W07?version=7", HttpStatusCode.NotFound),
                     ("/reviews/2025-W08", HttpStatusCode.NotFound), ("/reviews/2025-W07/secret.png", HttpStatusCode.NotFound),
                     ("/reviews/2025-W07/..%2Fx.png", HttpStatusCode.NotFound),
                 })
            Assert.True((await http.GetAsync(url)).StatusCode == status, url);
    }

    [Fact]
    public void Review_OfflineHtml_StandsAlone_WithTheSiteStylesheetInline()
    {
        using var tmp = Imported();
        var dir = Path.Combine(tmp.Path, "review");
        Assert.Equal(0, Run.Cli(tmp.Db, "review", "2025-W07", "--out", dir).Code);

        var html = File.ReadAllText(Path.Combine(dir, "review.html"));
        Assert.StartsWith("<!doctype html>", html);
        Assert.Contains("<style>" + TrendLens.Cli.Web.Stylesheet.Text + "</style>", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("href=\"/", html); // nothing that needs the server
        foreach (var image in new[] { "topics", "emerging", "families", "papers" })
            if (html.Contains($"src=\"{image}.png\"", StringComparison.Ordinal)) Assert.True(File.Exists(Path.Combine(dir, image + ".png")), image);
        Assert.Equal(html, Run.Scalar<string>(tmp.Db, "select html from reviews where week = '2025-W07'"));
    }

    [Fact]
    public async Task ReviewPage_ShowsTheNumbersAsArchived_WhateverArrivedSince()
    {
        using var tmp = Imported();
        Assert.Equal(0, Run.Cli(tmp.Db, "review", "2025-W07", "--out", Path.Combine(tmp.Path, "r")).Code);
        var listed = Regex.Match(File.ReadAllText(Path.Combine(tmp.Path, "r", "review.md")), @"- Papers listed: (\d+) \(").Groups[1].Value;
        var friday = string.Join("\n", Enumerable.Range(1, 3).Select(i => JsonSerializer.Serialize(new
        {
            date = "2025-02-14", rank = i, id = $"2502.0990{i}", title = $"A late paper {i}", summary = "An abstract.", authors = Array.Empty<string>(),
        }))) + "\n";
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("late/2025-02-14.jsonl", friday)).Code);

        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var page = await http.GetStringAsync("/reviews/2025-W07");

        Assert.Contains($"<li>Papers listed: {listed} (", page);
        Assert.Contains("<a href=\"/reviews\" aria-current=\"page\">Reviews</a>", page); // in the site's frame
    }

    [Fact]
    public async Task Reviews_ArchivedBeforeTheirNumbersWereKept_AreServedAsArchived()
    {
        using var tmp = Imported();
        Assert.Equal(0, Run.Cli(tmp.Db, "review", "2025-W07", "--out", Path.Combine(tmp.Path, "r")).Code);
        const string archived = "<!doctype html><html><head><style>h1 { color: red; }</style></head><body><h1>An old review</h1><img src=\"{{images}}topics.png\" alt=\"\"></body></html>";
        Run.Scalar<long>(tmp.Db, $"update reviews set numbers = null, html = '{archived}' returning 1");

        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var response = await http.GetAsync("/reviews/2025-W07");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h1>An old review</h1><img src=\"/reviews/2025-W07/topics.png?version=1\"", page);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("style-src 'unsafe-inline'", policy);
        Assert.Contains("default-src 'none'", policy);
        Assert.DoesNotContain("script-src", policy);
    }

    [Fact]
    public async Task WeeklyJob_OnMondayAt0700_ArchivesTheWeekJustEnded()
    {
        using var tmp = Imported();
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 17, 6, 59, 0, TimeSpan.Zero));
        var settings = new TrendLensSettings { Scheduler = true }.Validate();
        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0", settings, clock);
        await app.StartAsync();
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = await scheduler.GetTrigger(new TriggerKey("weekly", "review"));
        Assert.Equal(new DateTimeOffset(2025, 2, 17, 7, 0, 0, TimeSpan.Zero), trigger!.NextFireTimeUtc);

        clock.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 200 && Run.Scalar<long>(tmp.Db, "select count(*) from reviews") == 0; i++) await Task.Delay(50);

        Assert.Equal(["2025-W07"], Run.Rows<string>(tmp.Db, "select week from reviews"));
        Assert.Equal(new DateTimeOffset(2025, 2, 24, 7, 0, 0, TimeSpan.Zero), (await scheduler.GetTrigger(trigger.Key))!.NextFireTimeUtc);
    }
}
