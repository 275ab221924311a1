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
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();

        // Every shipped dashboard loads and every chart image decodes.
        foreach (var dashboard in DashboardCatalog.Load(Lexicons.FindDirectory()).Dashboards)
        {
            var response = await page.GotoAsync($"{root}/d/{dashboard.Id}?range=all");
            Assert.Equal(200, response!.Status);
            await AssertImagesDecoded(page, dashboard.Id);
        }

        // Change range and grain with the page's own form.
        await page.GotoAsync($"{root}/d/overview");
        await page.SelectOptionAsync("select[name=range]", "4w");
        await page.SelectOptionAsync("select[name=grain]", "day");
        await page.ClickAsync("form[aria-label='Range and grain'] button[type=submit]");
        await page.WaitForURLAsync("**/d/overview?range=4w*");
        Assert.Contains("range=4w", page.Url);
        Assert.Contains("grain=day", page.Url);
        await AssertImagesDecoded(page, "overview, 4 weeks by day");

        // Compare two keywords in /explore.
        await page.GotoAsync($"{root}/explore?term=reinforcement%20learning&term=agent&range=all&grain=week");
        await AssertImagesDecoded(page, "explore");
        Assert.Contains("Bursts", await page.InnerTextAsync("main"));

        // Drill down from a chart to the papers behind it, and to a paper link.
        await page.GotoAsync($"{root}/d/models?range=all");
        var drill = page.Locator("a[href^='/papers?family=']").First;
        await drill.ClickAsync();
        await page.WaitForURLAsync("**/papers?family=*");
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

    private static async Task AssertImagesDecoded(IPage page, string where)
    {
        var widths = await page.EvalOnSelectorAllAsync<int[]>("img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)");
        Assert.True(widths.Length > 0, $"{where}: no images");
        Assert.All(widths, w => Assert.True(w > 0, $"{where}: an image did not decode"));
    }
}
