using System.Text;
using Microsoft.Extensions.Configuration;
using TrendLens.Cli;
using TrendLens.Cli.Scheduling;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// The <c>arxiv</c> source kind against a fake arXiv API on loopback, through the same HTTP client
/// and fetcher the server uses. Waits run on a <see cref="SkippingClock"/>, so the tests check the
/// pacing arXiv's terms ask for without waiting for it.
/// </summary>
public sealed class ArxivFetchTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2025, 2, 13);
    private readonly TempDir _tmp = new();
    private readonly SkippingClock _clock = new(new DateTimeOffset(2025, 3, 1, 6, 30, 0, TimeSpan.Zero));
    private FakeArxivServer _arxiv = null!;

    public async Task InitializeAsync() => _arxiv = await FakeArxivServer.StartAsync(_clock);

    public async Task DisposeAsync()
    {
        await _arxiv.DisposeAsync();
        _tmp.Dispose();
    }

    private SourceSettings Source(int pageSize = 500, int retries = 3, params (string Key, string Value)[] options)
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(options.Select(o => new KeyValuePair<string, string?>("Options:" + o.Key, o.Value)))
            .Build().GetSection("Options");
        var source = new SourceSettings
        {
            Name = "arxiv",
            Kind = "arxiv",
            BaseUrl = _arxiv.BaseUrl.AbsoluteUri,
            PageSize = pageSize,
            AttemptTimeoutSeconds = 30, // real time: a loaded test machine answered loopback in over 5 s once
            TotalTimeoutSeconds = 60,
            Retries = retries,
            RetryDelaySeconds = 1,
            Options = section,
        };
        new TrendLensSettings { Sources = [source] }.Validate();
        return source;
    }

    private async Task<IReadOnlyList<FetchRun>> Fetch(SourceSettings source, IReadOnlyList<DateOnly> days, bool refetch = false)
    {
        using var clients = new FetchClients(_clock);
        var fetcher = new ListFetcher(clients.Source(source), Lexicons.Load(Lexicons.FindDirectory()), new FixedClock(Run.Today));
        return await fetcher.FetchAsync(new Database(_tmp.Db), source.ToFetchSource(), days, "command", CancellationToken.None, refetch: refetch);
    }

    private long Count(string sql) => Run.Scalar<long>(_tmp.Db, sql);

    [Fact]
    public async Task ADayOfSeveralPages_IsStoredOnce_WithRequestsPacedAndOneAtATime()
    {
        _arxiv.SetDay(Day, FakeArxivServer.Papers(Day, 7));

        var run = Assert.Single(await Fetch(Source(pageSize: 3), [Day]));

        Assert.Equal((FetchRun.Stored, 7, 3), (run.Status, run.EntriesAdded, run.Pages));
        Assert.Equal(7, Count("select count(distinct paper_id) from current_entries where source = 'arxiv' and list_date = '2025-02-13'"));
        var seen = _arxiv.Requests.ToList();
        Assert.Equal([0, 3, 6], seen.Select(r => r.Start));
        Assert.All(seen, r => Assert.Equal(["cs.LG", "cs.CL", "cs.CV", "cs.AI"], r.Categories));
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(3), $"{pair.Second.At - pair.First.At} between requests"));
        Assert.Equal(1, _arxiv.MostAtOnce);
        Assert.All(seen, r => Assert.StartsWith("TrendLens/", r.UserAgent));
        // The stored payload is one Atom feed holding each entry as answered.
        var payload = Encoding.UTF8.GetString(Assert.Single(Run.Blobs(_tmp.Db, "select content from payload_content")));
        var papers = FakeArxivServer.Papers(Day, 7);
        Assert.All(papers, p => Assert.Contains(FakeArxivServer.Entry(p).Trim(), payload));
        Assert.Equal(7, ArxivAtom.Parse(Encoding.UTF8.GetBytes(payload)).Entries.Count);
    }

    [Fact]
    public async Task CrossListsAndReplacements_CountOnce_AndOnlyNewSubmissions()
    {
        var papers = FakeArxivServer.Papers(Day, 5);
        // A replacement: a paper first submitted two days earlier, answered again as its v2.
        papers.Add(new FakeArxivServer.Paper("2502.00001", 2, "An older paper, revised", "Revised.", ["cs.CL"], Day.AddDays(-2).ToDateTime(new TimeOnly(9, 0))));
        _arxiv.SetDay(Day, papers);
        _arxiv.RepeatAcrossPages = true;

        var run = Assert.Single(await Fetch(Source(pageSize: 2), [Day]));

        Assert.Equal(FetchRun.Stored, run.Status);
        Assert.Equal(5, Count("select count(*) from current_entries where source = 'arxiv'"));
        Assert.Equal(5, Count("select count(distinct paper_id) from current_entries where source = 'arxiv'"));
        Assert.Equal(0, Count("select count(*) from current_entries where paper_id = '2502.00001'"));
    }

    [Fact]
    public async Task AShortPage_IsAskedAgain_AndTheDayStoredWhole()
    {
        var papers = FakeArxivServer.Papers(Day, 7);
        _arxiv.SetDay(Day, papers);
        // The second page answered with one entry of three, then empty, then whole.
        _arxiv.ScriptPage(3,
            new FakeArxivServer.Reply(200, FakeArxivServer.Feed(papers.Skip(3).Take(1).ToList(), 7, 3, 3)),
            new FakeArxivServer.Reply(200, FakeArxivServer.Feed([], 7, 3, 3)));

        var run = Assert.Single(await Fetch(Source(pageSize: 3, retries: 3), [Day]));

        Assert.Equal((FetchRun.Stored, 7, 3), (run.Status, run.EntriesAdded, run.Pages));
        Assert.Equal([0, 3, 3, 3, 6], _arxiv.Requests.Select(r => r.Start));
        Assert.Equal(7, Count("select count(distinct paper_id) from current_entries where source = 'arxiv'"));
        var seen = _arxiv.Requests.ToList();
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.Second.At - pair.First.At >= TimeSpan.FromSeconds(3), $"{pair.Second.At - pair.First.At} between requests"));
    }

    [Fact]
    public async Task APageShortBeyondTheRetries_FailsTheDay_StoringNothing_AndTheNextRunFetchesItWhole()
    {
        var papers = FakeArxivServer.Papers(Day, 7);
        _arxiv.SetDay(Day, papers);
        var empty = new FakeArxivServer.Reply(200, FakeArxivServer.Feed([], 7, 3, 3));
        _arxiv.ScriptPage(3, empty, empty, empty);

        var failed = Assert.Single(await Fetch(Source(pageSize: 3, retries: 2), [Day]));

        Assert.Equal(FetchRun.Failed, failed.Status);
        Assert.Contains("0 entries where 3 were expected (7 in all, 3 read before), asked 3 times; nothing of the day is stored", failed.Error);
        Assert.Equal(0, Count("select count(*) from current_entries"));
        Assert.Equal(0, Count("select count(*) from snapshots"));

        var resumed = Assert.Single(await Fetch(Source(pageSize: 3, retries: 2), [Day]));
        Assert.Equal((FetchRun.Stored, 7), (resumed.Status, resumed.EntriesAdded));
    }

    [Fact]
    public async Task AMiddlePageCountingFewerPapers_OrNoArxivAnswer_IsAskedAgain()
    {
        var papers = FakeArxivServer.Papers(Day, 7);
        _arxiv.SetDay(Day, papers);
        // Empty and counting no papers at all, then not an answer, then whole.
        _arxiv.ScriptPage(3,
            new FakeArxivServer.Reply(200, FakeArxivServer.Feed([], 0, 3, 3)),
            new FakeArxivServer.Reply(200, ""));

        var run = Assert.Single(await Fetch(Source(pageSize: 3, retries: 2), [Day]));

        Assert.Equal((FetchRun.Stored, 7), (run.Status, run.EntriesAdded));
        Assert.Equal([0, 3, 3, 3, 6], _arxiv.Requests.Select(r => r.Start));
    }

    [Fact]
    public async Task PagesThatOverlap_LeavingPapersUnread_FailTheDay()
    {
        var papers = FakeArxivServer.Papers(Day, 7);
        _arxiv.SetDay(Day, papers);
        // arXiv's order shifted: the second page starts one paper early, so the sixth is never answered.
        _arxiv.ScriptPage(3, new FakeArxivServer.Reply(200, FakeArxivServer.Feed(papers.Skip(2).Take(3).ToList(), 7, 3, 3)));

        var run = Assert.Single(await Fetch(Source(pageSize: 3, retries: 2), [Day]));

        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("6 distinct papers read where arXiv counts 7", run.Error);
        Assert.Equal(0, Count("select count(*) from snapshots"));
    }

    [Fact]
    public async Task AnEmptyFirstPage_OfADayWithPapers_IsNotADayWithoutAList()
    {
        _arxiv.SetDay(Day, FakeArxivServer.Papers(Day, 5));
        _arxiv.ScriptPage(0, new FakeArxivServer.Reply(200, FakeArxivServer.Feed([], 5, 0, 500)));

        var run = Assert.Single(await Fetch(Source(retries: 0), [Day]));

        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("0 entries where 5 were expected", run.Error);
        Assert.Equal(0, Count("select count(*) from snapshots"));
    }

    [Fact]
    public async Task AnEmptyDay_IsADayWithoutAList()
    {
        var run = Assert.Single(await Fetch(Source(), [Day]));

        Assert.Equal(FetchRun.NoList, run.Status);
        Assert.Single(_arxiv.Requests);
        Assert.Equal(0, Count("select count(*) from current_entries"));
    }

    [Fact]
    public async Task AMalformedAnswer_IsQuarantinedWithItsReason()
    {
        _arxiv.Script(new FakeArxivServer.Reply(200, "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><id>http://arxiv.org/abs/2502.01234v1</id>"));

        var run = Assert.Single(await Fetch(Source(), [Day]));

        Assert.Equal(FetchRun.Quarantined, run.Status);
        Assert.Contains("malformed XML", run.Error);
        Assert.Equal(1, Count("select count(*) from quarantine"));
    }

    [Fact]
    public async Task Attack_AnAnswerWithADocumentType_IsQuarantined_NotExpanded()
    {
        _arxiv.Script(new FakeArxivServer.Reply(200,
            "<?xml version=\"1.0\"?>\n<!DOCTYPE feed [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>&b;</title></feed>"));

        var run = Assert.Single(await Fetch(Source(), [Day]));

        Assert.Equal(FetchRun.Quarantined, run.Status);
        Assert.Contains("line 2", run.Error);
        Assert.Contains("document type declaration (<!DOCTYPE …>) is refused", run.Error);
    }

    [Fact]
    public async Task A503WithRetryAfter_IsWaitedFor_ThenStored()
    {
        _arxiv.SetDay(Day, FakeArxivServer.Papers(Day, 4));
        _arxiv.Script(new FakeArxivServer.Reply(503, "busy", RetryAfter: "40"));

        var run = Assert.Single(await Fetch(Source(), [Day]));

        Assert.Equal((FetchRun.Stored, 4), (run.Status, run.EntriesAdded));
        var seen = _arxiv.Requests.ToList();
        Assert.Equal(2, seen.Count);
        Assert.True(seen[1].At - seen[0].At >= TimeSpan.FromSeconds(40), $"waited {seen[1].At - seen[0].At}");
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetries_FailTheDay_WithTheLastStatus()
    {
        _arxiv.SetDay(Day, FakeArxivServer.Papers(Day, 4));
        _arxiv.Script(new FakeArxivServer.Reply(503, "busy"), new FakeArxivServer.Reply(503, "busy"), new FakeArxivServer.Reply(503, "busy"));

        var run = Assert.Single(await Fetch(Source(retries: 2), [Day]));

        Assert.Equal(FetchRun.Failed, run.Status);
        Assert.Contains("HTTP 503", run.Error);
        Assert.Equal(3, _arxiv.Requests.Count);
        var seen = _arxiv.Requests.ToList();
        // Backoff doubles from RetryDelaySeconds, never under arXiv's 3 s.
        Assert.True(seen[1].At - seen[0].At >= TimeSpan.FromSeconds(3));
        Assert.True(seen[2].At - seen[1].At >= TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task ARangeFetch_ResumesWhereItStopped()
    {
        var days = Enumerable.Range(0, 5).Select(i => Day.AddDays(i)).ToList();
        foreach (var d in days) _arxiv.SetDay(d, FakeArxivServer.Papers(d, 3));
        // The third day fails (answered 500), as an interrupted backfill would leave it.
        var first = await Fetch(Source(retries: 0), days[..2]);
        Assert.All(first, r => Assert.Equal(FetchRun.Stored, r.Status));
        _arxiv.Script(new FakeArxivServer.Reply(500, "down"));
        var failed = Assert.Single(await Fetch(Source(retries: 0), [days[2]]));
        Assert.Equal(FetchRun.Failed, failed.Status);
        var before = _arxiv.Requests.Count;

        var resumed = await Fetch(Source(retries: 0), days);

        Assert.Equal(days[2..], resumed.Select(r => r.ListDate));
        Assert.All(resumed, r => Assert.Equal(FetchRun.Stored, r.Status));
        Assert.Equal(3, _arxiv.Requests.Count - before);
        Assert.Equal(15, Count("select count(*) from current_entries where source = 'arxiv'"));

        var again = await Fetch(Source(retries: 0), [days[0]], refetch: true);
        Assert.Equal(FetchRun.Unchanged, Assert.Single(again).Status);
    }

    /// <summary>The real command in its own process (its settings from TRENDLENS_CONFIG, its waits on the real clock).</summary>
    [Fact]
    public async Task TheFetchCommand_SkipsStoredDays_AndSaysSo()
    {
        var days = Enumerable.Range(0, 3).Select(i => Day.AddDays(i)).ToList();
        foreach (var d in days) _arxiv.SetDay(d, FakeArxivServer.Papers(d, 2));
        var config = _tmp.File("arxiv.json", $$"""
            { "TrendLens": { "Sources": [ { "Name": "arxiv", "Kind": "arxiv", "BaseUrl": "{{_arxiv.BaseUrl.AbsoluteUri}}",
              "Retries": 0, "Options": { "Categories": ["cs.LG"], "RequestSpacingSeconds": 3 } } ] } }
            """);

        Assert.Equal(0, (await Trendlens(config, "fetch", "--source", "arxiv", "--date", "2025-02-14")).Code);
        var result = await Trendlens(config, "fetch", "--source", "arxiv", "--from", "2025-02-13", "--to", "2025-02-15");

        Assert.Equal(0, result.Code);
        Assert.Contains("Skipped 1 day(s) already stored", result.Out);
        Assert.Contains("2 new", result.Out);
        Assert.Equal(6, Count("select count(*) from current_entries where source = 'arxiv'"));
        Assert.Equal(3, _arxiv.Requests.Count);
        Assert.All(_arxiv.Requests, r => Assert.Equal(["cs.LG"], r.Categories));
    }

    private async Task<CliResult> Trendlens(string config, params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "trendlens.dll"), "--db", _tmp.Db, .. args])
            info.ArgumentList.Add(a);
        info.Environment["TRENDLENS_CONFIG"] = config;
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(patience.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}

/// <summary>The arXiv Atom format and an arxiv source's settings, without a server.</summary>
public sealed class ArxivFormatTests
{
    /// <summary>The recorded API answer beside the shared archive (../shared/data/arxiv-sample).</summary>
    private static readonly string? Sample = Fixture.Archive() is { } archive ? Path.Combine(archive, "..", "arxiv-sample", "api-query-response.xml") : null;

    [SkippableFact]
    public void TheRecordedAnswer_Normalizes_ToItsPaper()
    {
        Skip.IfNot(Sample is not null && File.Exists(Sample), "../shared/data/arxiv-sample is not present on this machine");
        var bytes = File.ReadAllBytes(Sample);

        Assert.Equal("arxiv-atom", PayloadNormalizer.Detect(bytes, Sample).Name);
        var list = Assert.Single(PayloadNormalizer.Normalize(bytes, null, new PayloadContext(Sample, null, new DateOnly(2025, 1, 1))).Lists);
        var entry = Assert.Single(list.Entries);

        Assert.Equal(new DateOnly(2006, 3, 2), list.ListDate);
        Assert.Equal("cond-mat/0603029", entry.PaperId);
        Assert.StartsWith("From stripe to checkerboard order on the square lattice in the presence of quenched", entry.Title);
        Assert.DoesNotContain('\n', entry.Abstract);
        Assert.Equal(3, entry.Authors.Count);
    }

    [Theory]
    [InlineData("http://arxiv.org/abs/2502.01234v3", "2502.01234")]
    [InlineData("http://arxiv.org/abs/2502.01234", "2502.01234")]
    [InlineData("https://arxiv.org/abs/cs/0601001v1", "cs/0601001")]
    [InlineData("http://arxiv.org/abs/hep-th/9901001v12", "hep-th/9901001")]
    [InlineData("http://example.org/2502.01234v1", null)]
    [InlineData("http://arxiv.org/abs/../../etc/passwd", null)]
    public void PaperIds_DropTheVersion(string url, string? expected) => Assert.Equal(expected, ArxivAtom.PaperId(url));

    [Fact]
    public void AnImportedFile_IsGroupedByFirstSubmissionDay()
    {
        var day = new DateOnly(2025, 2, 13);
        var papers = FakeArxivServer.Papers(day, 2).Concat(FakeArxivServer.Papers(day.AddDays(1), 3)).ToList();
        var bytes = Encoding.UTF8.GetBytes(FakeArxivServer.Feed(papers, papers.Count));

        var lists = PayloadNormalizer.Normalize(bytes, null, new PayloadContext("arxiv.xml", null, day)).Lists;

        Assert.Equal([(day, 2), (day.AddDays(1), 3)], lists.Select(l => (l.ListDate, l.Entries.Count)));
        Assert.Equal([1, 2, 3], lists[1].Entries.Select(e => e.Rank));
    }

    [Fact]
    public void AnAtomFile_UnderTheDailyPapersSource_IsRefusedAndKept_AndStoredUnderArxiv()
    {
        using var tmp = new TempDir();
        var day = new DateOnly(2025, 2, 13);
        var file = System.IO.Path.Combine(tmp.Path, "2025-02-13.xml");
        File.WriteAllText(file, FakeArxivServer.Feed(FakeArxivServer.Papers(day, 3), 3));

        var wrong = Run.Cli(tmp.Db, "import", file);
        Assert.Equal(1, wrong.Code);
        Assert.Contains("a list of source kind 'arxiv' (format arxiv-atom), but this source is of kind 'hf-daily-api'", wrong.Err);
        Assert.Contains("(payload kept in quarantine)", wrong.Err);
        var stored = Run.Cli(tmp.Db, "snapshots", "--format", "csv").Out;
        Assert.DoesNotContain("current", stored);
        Assert.Contains("quarantined", stored);

        Assert.Equal(2, Run.Cli(tmp.Db, "import", file, "--format", "arxiv-atom").Code);

        var right = Run.Cli(tmp.Db, "import", file, "--source", "arxiv");
        Assert.Equal(0, right.Code);
        Assert.Contains("arxiv,2025-02-13,1,current,3,", Run.Cli(tmp.Db, "snapshots", "--format", "csv").Out);
    }

    [Fact]
    public void AnErrorAnswer_IsAPayloadError()
    {
        var bytes = Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="UTF-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>
              <summary>incorrect id format for 1234</summary><updated>2025-02-13T00:00:00Z</updated></entry>
            </feed>
            """);

        var error = Assert.Throws<PayloadException>(() => PayloadNormalizer.Normalize(bytes, null, new PayloadContext("x.xml", new DateOnly(2025, 2, 13), new DateOnly(2025, 2, 13))));
        Assert.Contains("incorrect id format", error.Message);
    }

    [Theory]
    [InlineData("Options:Categories:0", "cs LG", "Options:Categories:0")]
    [InlineData("Options:RequestSpacingSeconds", "1", "Options:RequestSpacingSeconds")]
    [InlineData("Options:Colour", "blue", "Options")]
    [InlineData("Query:start", "5", "Query:start")]
    public void BadArxivSettings_AreRefused_NamingTheKey(string key, string value, string named)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrendLens:Sources:0:Name"] = "arxiv",
            ["TrendLens:Sources:0:Kind"] = "arxiv",
            ["TrendLens:Sources:0:" + key] = value,
        }).Build();
        var settings = new TrendLensSettings();
        TrendLensSettings.Bind(configuration.GetSection("TrendLens"), settings);

        var error = Assert.Throws<SettingsException>(() => settings.Validate());

        Assert.Contains("TrendLens:Sources:0:" + named, error.Message);
    }

    [Fact]
    public void AnArxivSource_TakesItsKindsDefaults()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TrendLens:Sources:0:Name"] = "arxiv",
            ["TrendLens:Sources:0:Kind"] = "arxiv",
            ["TrendLens:Sources:1:Name"] = "hf-trending",
            ["TrendLens:Sources:1:Query:sort"] = "trending",
        }).Build();
        var settings = new TrendLensSettings();
        TrendLensSettings.Bind(configuration.GetSection("TrendLens"), settings);

        settings.Validate();

        var arxiv = settings.Sources[0];
        Assert.Equal(("https://export.arxiv.org", 500, 4), (arxiv.BaseUrl, arxiv.PageSize, arxiv.Lag()));
        Assert.Equal(["cs.LG", "cs.CL", "cs.CV", "cs.AI"], ArxivKind.Options(arxiv.ToConfig().Options).Categories);
        var trending = settings.Sources[1];
        Assert.Equal(("hf-daily-api", "https://huggingface.co", 100, 1), (trending.Kind, trending.BaseUrl, trending.PageSize, trending.Lag()));
        Assert.Equal("trending", trending.Query["sort"]);
    }

    [Fact]
    public void AnUnknownKind_IsRefused_NamingTheKinds()
    {
        var error = Assert.Throws<SettingsException>(() => new TrendLensSettings { Sources = [new SourceSettings { Kind = "rss" }] }.Validate());
        Assert.Contains("arxiv, hf-daily-api", error.Message);
    }
}
