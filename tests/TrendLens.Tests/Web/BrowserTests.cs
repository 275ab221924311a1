using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;
using TrendLens.Cli.Commands;
using TrendLens.Dashboards;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Web;

/// <summary>
/// Headless Chromium (Debian's package, /usr/bin/chromium; .ci/run installs it) driven by
/// Playwright against a real server on loopback. Skipped, never passed, where Chromium is absent.
/// </summary>
public class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [SkippableFact]
    public async Task Dashboards_InARealBrowser_LoadChangeRangeCompareDrillDownAndDownload()
    {
        Skip.IfNot(File.Exists(Chromium), "Chromium is not installed at /usr/bin/chromium");
        using var tmp = new TempDir();
        var lists = Path.Combine(tmp.Path, "lists");
        ListGenerator.Write(new ListGenerator(3).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 150, PapersPerDay: 20)), lists);
        var import = Run.Cli(tmp.Db, "import", lists, Fixture.Path("hf-jsonl"));
        Assert.True(import.Code == 0, import.Err);

        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        var root = app.Urls.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        // Patient: under the whole suite on 2 cores, a page and its uncached charts can take tens of seconds to load.
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();

        // Every shipped dashboard loads and every chart image decodes; Sources, with one source
        // stored, draws no chart and says why once.
        foreach (var dashboard in DashboardCatalog.Load(Lexicons.FindDirectory()).Dashboards)
        {
            var response = await page.GotoAsync($"{root}/d/{dashboard.Id}?range=all");
            Assert.Equal(200, response!.Status);
            if (dashboard.Id == "sources")
            {
                Assert.Equal(1, await page.Locator("main > p.notice", new() { HasTextString = "Nothing to draw on this page" }).CountAsync());
                Assert.Equal(0, await page.Locator("main img").CountAsync());
                Assert.Equal(dashboard.Panels.Count, await page.Locator("main li a", new() { HasTextString = "PNG" }).CountAsync());
            }
            else
            {
                await AssertImagesDecoded(page, dashboard.Id);
            }
        }

        // Change range and grain with the page's own form.
        await page.GotoAsync($"{root}/d/overview");
        await page.SelectOptionAsync("select[name=range]", "4w");
        await page.SelectOptionAsync("select[name=grain]", "day");
        await page.ClickAsync("form[aria-label='Range and grain'] button[type=submit]");
        await Navigated(page, @"/d/overview\?range=4w");
        Assert.Contains("range=4w", page.Url);
        Assert.Contains("grain=day", page.Url);
        await AssertImagesDecoded(page, "overview, 4 weeks by day");

        // Compare two keywords in /explore.
        await page.GotoAsync($"{root}/explore?term=reinforcement%20learning&term=agent&range=all&grain=week");
        await AssertImagesDecoded(page, "explore");
        Assert.Contains("Bursts", await page.InnerTextAsync("main"));

        // Drill down from a chart to the papers behind it, and to a paper link.
        await page.GotoAsync($"{root}/d/models?range=all");
        var drill = page.Locator("figcaption a[href^='/papers?family=']").First;
        await drill.ClickAsync();
        await Navigated(page, @"/papers\?family=");
        Assert.Contains("/papers?family=", page.Url);
        var paperLinks = await page.Locator("a[href^='https://arxiv.org/abs/']").CountAsync();
        Assert.True(paperLinks > 0, "the drill-down page links no paper");

        // Download a panel as PNG.
        await page.GotoAsync($"{root}/d/overview?range=all");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("figcaption a[download]").First.ClickAsync());
        var saved = Path.Combine(tmp.Path, "download.png");
        await download.SaveAsAsync(saved);
        var bytes = await File.ReadAllBytesAsync(saved);
        Assert.True(bytes.Length > 1000 && bytes[1] == (byte)'P' && bytes[2] == (byte)'N' && bytes[3] == (byte)'G', "the download is not a PNG");

        await app.StopAsync();
    }

    /// <summary>
    /// The charts explored in a browser with scripts off: hovering a point shows its series, period,
    /// share and n; clicking it opens the papers of exactly that series and period; a legend entry
    /// isolates its series; and at 400 px nothing overflows the page.
    /// </summary>
    [SkippableFact]
    public async Task Charts_WithoutScripts_HoverClickThroughIsolate_AndFit400Pixels()
    {
        Skip.IfNot(File.Exists(Chromium), "Chromium is not installed at /usr/bin/chromium");
        using var tmp = new TempDir();
        var lists = Path.Combine(tmp.Path, "lists");
        ListGenerator.Write(new ListGenerator(5).Generate(new ListGenerator.Options(new DateOnly(2025, 1, 6), Days: 70, PapersPerDay: 20)), lists);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", lists).Code);
        await using var app = ServeCommand.Create(new Database(tmp.Db), Lexicons.FindDirectory(), demo: false, "http://127.0.0.1:0");
        await app.StartAsync();
        var root = app.Urls.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Launch(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { JavaScriptEnabled = false, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(120_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{root}/d/models?range=all&grain=week");

        // Hover: the point's title names series, period, share and n.
        var point = page.Locator("#families svg.marks a").First;
        var title = await point.Locator("title").TextContentAsync();
        Assert.Matches(@"^[^,]+, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: \d+\.\d% \(\d+ of \d+ papers\)$", title);
        await point.HoverAsync();

        // Click: the papers of that family in that week, and only those.
        var series = title![..title!.IndexOf(',')];
        var from = title.Substring(series.Length + 2, 10);
        await point.ClickAsync();
        await Navigated(page, @"/papers\?family=");
        Assert.Contains($"family={Uri.EscapeDataString(series)}", page.Url);
        Assert.Contains($"from={from}", page.Url);
        var shown = int.Parse(System.Text.RegularExpressions.Regex.Match(title, @"\((\d+) of").Groups[1].Value);
        Assert.Equal(shown, await page.Locator("main table tbody tr").CountAsync());

        // Legend: "only" leaves that series alone on the chart.
        await page.GotoAsync($"{root}/d/models?range=all&grain=week");
        var legend = page.Locator("#families ul.legend li").Nth(1);
        var isolated = (await legend.Locator("span").TextContentAsync())!;
        await legend.Locator("a", new() { HasText = "only" }).ClickAsync();
        await Navigated(page, "only=");
        var titles = await page.Locator("#families svg.marks title").AllTextContentsAsync();
        Assert.NotEmpty(titles);
        Assert.All(titles, t => Assert.StartsWith(isolated + ",", t));
        Assert.Contains("only=", await page.Locator("#families img").GetAttributeAsync("src"));
        await AssertImagesDecoded(page, "models, one series");

        // Explore: two family names typed in the boxes are compared as families, with bursts shaded;
        // a family name beside a keyword makes both keywords.
        await page.GotoAsync($"{root}/explore?range=all");
        await page.FillAsync("input[aria-label='name 1']", "GPT");
        await page.FillAsync("input[aria-label='name 2']", "Qwen");
        await page.ClickAsync("form[aria-label='Compare'] button[type=submit]");
        await Navigated(page, @"/explore\?");
        Assert.Contains("now compared as model families", await page.InnerTextAsync("main"));
        Assert.Contains("bursts=1", await page.Locator("main figure img").First.GetAttributeAsync("src"));
        Assert.True(await page.Locator("main svg.marks a").CountAsync() > 0, "the explored chart has no targets");
        await AssertImagesDecoded(page, "explore, two families");
        await page.FillAsync("input[aria-label='name 2']", "agent");
        await page.ClickAsync("form[aria-label='Compare'] button[type=submit]");
        await Navigated(page, "term=agent");
        Assert.Contains("now compared as keywords", await page.InnerTextAsync("main"));

        // Papers: a search, then the next page of all papers.
        await page.GotoAsync($"{root}/papers?range=all");
        var first = await page.InnerTextAsync("main p");
        Assert.Matches(@"1–100 of [\d,]+\.", first);
        await page.ClickAsync("a[rel=next]");
        await Navigated(page, "page=2");
        Assert.Matches(@"101–200 of [\d,]+\.", await page.InnerTextAsync("main p"));
        var word = (await page.Locator("main table tbody tr td:nth-child(2)").First.InnerTextAsync()).Split(' ', StringSplitOptions.RemoveEmptyEntries).Last();
        await page.FillAsync("input[name=q]", word);
        await page.ClickAsync("form[aria-label='Search papers'] button[type=submit]");
        await Navigated(page, "q=");
        Assert.Contains("title or abstract contains", await page.InnerTextAsync("main p"));
        Assert.Equal(word, await page.InnerTextAsync("main p q"));
        Assert.True(await page.Locator("main table tbody tr").CountAsync() > 0, $"searching for {word} found nothing");

        // 400 px: the page does not scroll sideways, and charts are as wide as the screen allows.
        await page.SetViewportSizeAsync(400, 900);
        foreach (var path in new[] { "/d/overview", "/d/models?range=all", "/papers", "/explore?family=GPT&range=all", "/admin/runs" })
        {
            await page.GotoAsync(root + path);
            var widths = await page.EvaluateAsync<int[]>("[document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            Assert.True(widths[0] <= widths[1], $"{path} is {widths[0]} px wide in a {widths[1]} px window");
        }
    }

    /// <summary>
    /// Waits until the page's address matches <paramref name="pattern"/> and its document has
    /// loaded. Not WaitForURLAsync: it checks the load state and then subscribes to it, and a load
    /// event that arrives in between is lost, so under the whole suite it has waited out its
    /// timeout on a page that had loaded (microsoft/playwright-dotnet#3364). The address is
    /// asserted by polling, and the load state asked for in short waits: a state reached in
    /// between is recorded, and the next wait finds it at once.
    /// </summary>
    private static async Task Navigated(IPage page, string pattern)
    {
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(pattern), new() { Timeout = 120_000 });
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.WaitForLoadStateAsync(LoadState.Load, new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (attempt < 24)
            {
            }
        }
    }

    /// <summary>Debian's Chromium, headless, with nothing of its own reaching the network.</summary>
    private static Task<IBrowser> Launch(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });

    private static async Task AssertImagesDecoded(IPage page, string where)
    {
        var widths = await page.EvalOnSelectorAllAsync<int[]>("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)");
        Assert.True(widths.Length > 0, $"{where}: no images");
        Assert.All(widths, w => Assert.True(w > 0, $"{where}: an image did not decode"));
    }
}
