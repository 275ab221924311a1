using System.CommandLine;
using System.Diagnostics;
using Dapper;
using TrendLens.Dashboards;
using TrendLens.Rollup;
using TrendLens.Storage;
using TrendLens.Cli;
using TrendLens.Cli.Commands;

namespace TrendLens.Bench;

/// <summary>Timings measured inside one process, after a warm-up run, so start-up is not counted.</summary>
public static class BenchCommand
{
    public static Command Build(CommandLine cli)
    {
        var command = new Command("bench", "Measure query speed on the current database (median and p95 of several runs).");
        var runs = new Option<int>("--runs") { Description = "timed runs after one warm-up", DefaultValueFactory = _ => 20 };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) r.AddError("--runs must be between 1 and 10000"); });
        var days = new Option<int>("--window-days") { Description = "length of the recent window, ending on the latest list date", DefaultValueFactory = _ => 7 };
        days.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 3650) r.AddError("--window-days must be between 1 and 3650"); });
        var emerging = new Command("emerging", "Time `query emerging` (terms) over the latest window.") { runs, days };
        emerging.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.Database(parse);
            using var connection = database.Open();
            var to = connection.QuerySingle<(DateOnly? First, DateOnly? Last)>(SqlCatalog.Get("snapshots/list_date_range")).Last;
            if (to is null)
            {
                cli.Error.WriteLine("trendlens: the database holds no lists");
                return CommandLine.Failed;
            }
            var options = new EmergenceOptions { From = to.Value.AddDays(-(parse.GetValue(days) - 1)), To = to.Value };
            new RollupRefresher(database).Refresh(connection);
            var found = Emergence.Rank(database, connection, TagKind.Terms, options).Tags.Count;
            var times = new List<double>();
            for (var i = 0; i < parse.GetValue(runs); i++)
            {
                var sw = Stopwatch.StartNew();
                Emergence.Rank(database, connection, TagKind.Terms, options);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var papers = connection.ExecuteScalar<long>("select count(distinct paper_id) from current_entries");
            cli.Output.WriteLine(
                $"emerging terms {options.From:yyyy-MM-dd}..{options.To:yyyy-MM-dd} (baseline {options.BaselineDays} days) over {papers:N0} papers: " +
                $"median {Percentile(times, 0.5):0.0} ms, p95 {Percentile(times, 0.95):0.0} ms, {times.Count} runs, {found} terms listed");
            return CommandLine.Ok;
        }));
        command.Subcommands.Add(emerging);
        command.Subcommands.Add(Panels(cli));
        command.Subcommands.Add(Review(cli));
        command.Subcommands.Add(Load(cli));
        command.Subcommands.Add(Flood(cli));
        command.Subcommands.Add(Png(cli));
        return command;
    }

    /// <summary>
    /// HTTP load on a running server: every panel PNG and dashboard page, from N concurrent clients
    /// for a while, optionally with a directory imported through POST /api/import at the same
    /// time; reports requests per second, errors, latency percentiles and the server's memory.
    /// </summary>
    private static Command Load(CommandLine cli)
    {
        var url = new Option<string>("--url") { Description = "the server", DefaultValueFactory = _ => ServeCommand.DefaultUrls, HelpName = "URL" };
        var seconds = new Option<int>("--seconds") { Description = "how long to load it", DefaultValueFactory = _ => 60 };
        var concurrency = new Option<int>("--concurrency") { Description = "concurrent clients", DefaultValueFactory = _ => 16 };
        var importDir = new Option<string>("--import-dir") { Description = "also import these files through POST /api/import meanwhile", HelpName = "DIR" };
        var token = new Option<string>("--token") { Description = "admin token for the imports (default: $TRENDLENS_ADMIN_TOKEN)", HelpName = "TOKEN" };
        seconds.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 3600) r.AddError("--seconds must be between 1 and 3600"); });
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 512) r.AddError("--concurrency must be between 1 and 512"); });
        var command = new Command("load", "Load a running server with chart and page requests (and imports), and report what it sustained.")
            { url, seconds, concurrency, importDir, token };
        command.SetAction(parse => cli.Guard(() =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl))
            {
                cli.Error.WriteLine("trendlens: --url must be an absolute URL");
                return CommandLine.Usage;
            }
            var site = DashboardCatalog.Load(cli.DashboardsDirectory(parse));
            var charts = site.Dashboards.SelectMany(d => d.Panels.Select(p => $"/d/{d.Id}/{p.Id}.png?range=12w&grain=week")).ToArray();
            var pages = site.Dashboards.Select(d => $"/d/{d.Id}?range=12w&grain=week").ToArray();
            var urls = charts.Concat(charts).Concat(charts).Concat(pages).ToArray(); // three chart requests to each page
            var n = parse.GetValue(concurrency);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = n + 2, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
                { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
            foreach (var u in urls.Distinct()) Get(http, u);

            var duration = TimeSpan.FromSeconds(parse.GetValue(seconds));
            var stop = DateTime.UtcNow + duration;
            var latencies = new System.Collections.Concurrent.ConcurrentBag<(bool Chart, double Ms)>();
            var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var slow = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var slowBegan = new System.Collections.Concurrent.ConcurrentQueue<int>();
            var importSpans = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var memory = new List<(double At, long WorkingSetMb)>();
            var started = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, n).Select(w => Task.Run(async () =>
            {
                for (var i = w; DateTime.UtcNow < stop; i += n)
                {
                    var u = urls[i % urls.Length];
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        using var response = await http.GetAsync(u);
                        await response.Content.ReadAsByteArrayAsync();
                        if (!response.IsSuccessStatusCode) errors.Enqueue($"{u}: HTTP {(int)response.StatusCode}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        errors.Enqueue($"{u}: {e.Message}");
                    }
                    latencies.Add((u.EndsWith(".png?range=12w&grain=week", StringComparison.Ordinal), sw.Elapsed.TotalMilliseconds));
                    if (sw.Elapsed.TotalSeconds > 1)
                    {
                        slow.Enqueue($"{u} {sw.Elapsed.TotalMilliseconds:0} ms at {started.Elapsed.TotalSeconds:0.0} s");
                        slowBegan.Enqueue((int)(started.Elapsed - sw.Elapsed).TotalSeconds);
                    }
                }
            })).ToList();
            var sampler = Task.Run(async () =>
            {
                while (DateTime.UtcNow < stop)
                {
                    try
                    {
                        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/healthz"));
                        lock (memory) memory.Add((started.Elapsed.TotalSeconds, doc.RootElement.GetProperty("working_set_mb").GetInt64()));
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or KeyNotFoundException)
                    {
                        errors.Enqueue($"/healthz: {e.Message}");
                    }
                    await Task.Delay(2000);
                }
            });
            var imports = (ok: 0, failed: 0, slowestMs: 0.0);
            Task? importer = null;
            if (parse.GetValue(importDir) is { } dir)
            {
                var key = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("TRENDLENS_ADMIN_TOKEN") ?? "";
                var files = Directory.EnumerateFiles(dir).Where(f => TrendLens.Snapshots.FileImporter.DataExtensions.Contains(Path.GetExtension(f))).Order().ToList();
                importer = Task.Run(async () =>
                {
                    foreach (var file in files)
                    {
                        if (DateTime.UtcNow >= stop) break;
                        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/import?source=load&name={Uri.EscapeDataString(Path.GetFileName(file))}")
                            { Content = new ByteArrayContent(await File.ReadAllBytesAsync(file)) };
                        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
                        var sw = Stopwatch.StartNew();
                        var began = started.Elapsed.TotalSeconds;
                        HttpResponseMessage response;
                        try
                        {
                            response = await http.SendAsync(request);
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            // An import that outlasts the client's timeout is a failed import, not the end of the run.
                            imports = (imports.ok, imports.failed + 1, Math.Max(imports.slowestMs, sw.Elapsed.TotalMilliseconds));
                            errors.Enqueue($"import {Path.GetFileName(file)}: {e.Message}");
                            continue;
                        }
                        using var _ = response;
                        var ms = sw.Elapsed.TotalMilliseconds;
                        importSpans.Enqueue($"{Path.GetFileName(file)} {began:0.0}-{started.Elapsed.TotalSeconds:0.0} s");
                        if (response.IsSuccessStatusCode) imports = (imports.ok + 1, imports.failed, Math.Max(imports.slowestMs, ms));
                        else
                        {
                            imports = (imports.ok, imports.failed + 1, Math.Max(imports.slowestMs, ms));
                            errors.Enqueue($"import {Path.GetFileName(file)}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        }
                    }
                });
            }
            Task.WaitAll([.. workers, sampler, .. importer is null ? Array.Empty<Task>() : [importer]]);
            var elapsed = started.Elapsed.TotalSeconds;

            var all = latencies.Select(l => l.Ms).Order().ToList();
            var chartCount = latencies.Count(l => l.Chart);
            cli.Output.WriteLine($"{all.Count:N0} requests in {elapsed:0.0} s from {n} clients: {all.Count / elapsed:0} requests/s, {chartCount / elapsed:0} chart PNGs/s; {errors.Count} errors");
            cli.Output.WriteLine($"latency ms: p50 {Percentile(all, 0.5):0.0}, p95 {Percentile(all, 0.95):0.0}, p99 {Percentile(all, 0.99):0.0}, max {all[^1]:0.0}; over 1 s: {all.Count(ms => ms > 1000)}");
            if (importer is not null)
                cli.Output.WriteLine($"imports through POST /api/import meanwhile: {imports.ok} stored or unchanged, {imports.failed} failed, slowest {imports.slowestMs:0} ms");
            if (memory.Count > 0)
                cli.Output.WriteLine($"server working set MB (every 2 s): first {memory[0].WorkingSetMb}, min {memory.Min(m => m.WorkingSetMb)}, max {memory.Max(m => m.WorkingSetMb)}, last {memory[^1].WorkingSetMb}");
            if (!importSpans.IsEmpty) cli.Output.WriteLine($"imports (file, from-to second of the run): {string.Join("; ", importSpans)}");
            if (!slowBegan.IsEmpty)
                cli.Output.WriteLine("requests over 1 s by the second they began: " +
                    string.Join(", ", slowBegan.GroupBy(t => t).OrderBy(g => g.Key).Select(g => $"{g.Key} s: {g.Count()}")));
            foreach (var line in slow.Take(10)) cli.Output.WriteLine($"over 1 s: {line}");
            foreach (var e in errors.Take(10)) cli.Error.WriteLine($"trendlens: {e}");
            return errors.IsEmpty ? CommandLine.Ok : CommandLine.Failed;
        }));
        return command;
    }

    /// <summary>
    /// A flood of distinct, uncached day-grain panels (JSON: rows only, no drawing) from N clients,
    /// as anyone can send without a token; reports the server's working set and render cache
    /// (from /healthz) before, at the peak and a while after, and every error.
    /// </summary>
    private static Command Flood(CommandLine cli)
    {
        var url = new Option<string>("--url") { Description = "the server", DefaultValueFactory = _ => ServeCommand.DefaultUrls, HelpName = "URL" };
        var requests = new Option<int>("--requests") { Description = "distinct panel requests", DefaultValueFactory = _ => 3000 };
        var concurrency = new Option<int>("--concurrency") { Description = "concurrent clients", DefaultValueFactory = _ => 16 };
        var settle = new Option<int>("--settle-seconds") { Description = "how long after the flood to measure again", DefaultValueFactory = _ => 60 };
        requests.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1_000_000) r.AddError("--requests must be between 1 and 1000000"); });
        concurrency.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 512) r.AddError("--concurrency must be between 1 and 512"); });
        settle.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 3600) r.AddError("--settle-seconds must be between 0 and 3600"); });
        var command = new Command("flood", "Flood a running server with distinct day-grain panel requests and report its memory before, during and after.")
            { url, requests, concurrency, settle };
        command.SetAction(parse => cli.Guard(() =>
        {
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl))
            {
                cli.Error.WriteLine("trendlens: --url must be an absolute URL");
                return CommandLine.Usage;
            }
            var n = parse.GetValue(concurrency);
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = n + 2 }) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(120) };
            (long WorkingSet, long Cache, long Limit) Health() => FloodHealth(http).Memory;
            var (before, from, to) = FloodHealth(http);
            var panels = DashboardCatalog.Load(cli.DashboardsDirectory(parse)).Dashboards.SelectMany(d => d.Panels.Select(p => $"/d/{d.Id}/{p.Id}.json")).ToArray();
            var days = Math.Max(1, to.DayNumber - from.DayNumber - 30);
            // Distinct windows of 30 to 120 days, starting on distinct days: nothing is in the cache.
            var urls = Enumerable.Range(0, parse.GetValue(requests)).Select(i =>
            {
                var start = from.AddDays(i / panels.Length * 7 % days + i % 7);
                var end = start.AddDays(30 + i % 91);
                return $"{panels[i % panels.Length]}?from={start:yyyy-MM-dd}&to={end:yyyy-MM-dd}&grain=day";
            }).Distinct().ToArray();
            var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
            var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
            var peak = before;
            var next = -1;
            var started = Stopwatch.StartNew();
            var done = false;
            var sampler = Task.Run(async () =>
            {
                while (!Volatile.Read(ref done))
                {
                    try
                    {
                        var h = Health();
                        if (h.WorkingSet > peak.WorkingSet) peak = (h.WorkingSet, peak.Cache, peak.Limit);
                        if (h.Cache > peak.Cache) peak = (peak.WorkingSet, h.Cache, peak.Limit);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        errors.Enqueue($"/healthz: {e.Message}");
                    }
                    await Task.Delay(500);
                }
            });
            var workers = Enumerable.Range(0, n).Select(_ => Task.Run(async () =>
            {
                for (var i = Interlocked.Increment(ref next); i < urls.Length; i = Interlocked.Increment(ref next))
                {
                    var sw = Stopwatch.StartNew();
                    try
                    {
                        using var response = await http.GetAsync(urls[i]);
                        await response.Content.ReadAsByteArrayAsync();
                        if (!response.IsSuccessStatusCode) errors.Enqueue($"{urls[i]}: HTTP {(int)response.StatusCode}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        errors.Enqueue($"{urls[i]}: {e.Message}");
                    }
                    latencies.Add(sw.Elapsed.TotalMilliseconds);
                }
            })).ToArray();
            Task.WaitAll(workers);
            var elapsed = started.Elapsed.TotalSeconds;
            var end = Health();
            Thread.Sleep(TimeSpan.FromSeconds(parse.GetValue(settle)));
            var settled = Health();
            Volatile.Write(ref done, true);
            sampler.Wait();
            var all = latencies.Order().ToList();
            cli.Output.WriteLine($"{urls.Length:N0} distinct day-grain panels (JSON) in {elapsed:0.0} s from {n} clients: {urls.Length / elapsed:0} requests/s; " +
                $"latency ms p50 {Percentile(all, 0.5):0}, p95 {Percentile(all, 0.95):0}, max {all[^1]:0}; {errors.Count} errors");
            cli.Output.WriteLine($"server working set MB: before {before.WorkingSet}, peak {Math.Max(peak.WorkingSet, end.WorkingSet)}, at the end {end.WorkingSet}, " +
                $"{parse.GetValue(settle)} s later {settled.WorkingSet} ({settled.WorkingSet - before.WorkingSet:+0;-0} MB against before)");
            cli.Output.WriteLine($"render cache MB: before {before.Cache}, peak {Math.Max(peak.Cache, end.Cache)}, at the end {end.Cache}, later {settled.Cache} (limit {before.Limit})");
            foreach (var e in errors.Take(10)) cli.Error.WriteLine($"trendlens: {e}");
            return errors.IsEmpty ? CommandLine.Ok : CommandLine.Failed;
        }));
        return command;
    }

    private static ((long WorkingSet, long Cache, long Limit) Memory, DateOnly First, DateOnly Last) FloodHealth(HttpClient http)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(http.GetStringAsync("/healthz").GetAwaiter().GetResult());
        var root = doc.RootElement;
        DateOnly Day(string name) => DateOnly.Parse(root.GetProperty(name).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        return ((root.GetProperty("working_set_mb").GetInt64(), root.GetProperty("cache_mb").GetInt64(), root.GetProperty("cache_limit_mb").GetInt64()),
            Day("first_list"), Day("latest_list"));
    }

    /// <summary>The weekly review of the busiest week (or WEEK): numbers, Markdown, HTML and every PNG, not archived.</summary>
    private static Command Review(CommandLine cli)
    {
        var runs = new Option<int>("--runs") { Description = "timed runs after one warm-up", DefaultValueFactory = _ => 5 };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--runs must be between 1 and 1000"); });
        var weekOption = new Option<string>("--week") { Description = "ISO week (default: the week with the most papers listed)", HelpName = "YYYY-Www" };
        var command = new Command("review", "Time generating a weekly review (build, Markdown, HTML, PNGs).") { runs, weekOption };
        command.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.Database(parse);
            using var connection = database.Open();
            new RollupRefresher(database).Refresh(connection);
            TrendLens.Reviews.IsoWeek week;
            if (parse.GetValue(weekOption) is { } text)
            {
                if (!TrendLens.Reviews.IsoWeek.TryParse(text, out week, out var error))
                {
                    cli.Error.WriteLine($"trendlens: {error}");
                    return CommandLine.Usage;
                }
            }
            else
            {
                var busiest = connection.ExecuteScalar<DateTime?>("""
                    select date_trunc('week', list_date)::date from current_listings group by 1 order by count(distinct paper_id) desc, 1 limit 1
                    """);
                if (busiest is null)
                {
                    cli.Error.WriteLine("trendlens: the database holds no lists");
                    return CommandLine.Failed;
                }
                week = TrendLens.Reviews.IsoWeek.Of(DateOnly.FromDateTime(busiest.Value));
            }
            TrendLens.Reviews.WeeklyReview Make()
            {
                var now = cli.Clock.GetUtcNow();
                var review = TrendLens.Reviews.WeeklyReviewer.Build(database, connection, week);
                TrendLens.Reviews.ReviewRenderer.Markdown(review, now);
                TrendLens.Cli.Web.OfflineReview.Html(review, now);
                TrendLens.Reviews.ReviewRenderer.CompositePng(review, TrendLens.Reviews.ReviewRenderer.SectionPngs(review, now), now);
                return review;
            }
            var listed = Make().Listed;
            var times = new List<double>();
            for (var i = 0; i < parse.GetValue(runs); i++)
            {
                var sw = Stopwatch.StartNew();
                Make();
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            cli.Output.WriteLine($"review {week} ({listed:N0} papers listed): median {Percentile(times, 0.5):0} ms, p95 {Percentile(times, 0.95):0} ms, {times.Count} runs");
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Every PNG panel over HTTP from a server in this process, configured as `serve` is (so a page
    /// reads the first configured source, as a user's does), at each range asked: uncached (each
    /// run asks a range not asked before, ending one day earlier) and cached (the same URL again).
    /// </summary>
    private static Command Panels(CommandLine cli)
    {
        var runs = new Option<int>("--runs") { Description = "timed requests per panel, range and kind", DefaultValueFactory = _ => 20 };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--runs must be between 1 and 1000"); });
        var ranges = new Option<string[]>("--range") { Description = "a page range to time (repeatable; default 12w and 1y)", DefaultValueFactory = _ => ["12w", "1y"] };
        ranges.AcceptOnlyFromAmong([.. DashboardCatalog.Ranges]);
        var command = new Command("panels", "Time every PNG panel over HTTP, uncached and cached.") { runs, ranges };
        command.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.Database(parse);
            DateOnly last;
            using (var connection = database.Open())
            {
                var latest = connection.QuerySingle<(DateOnly? First, DateOnly? Last)>(SqlCatalog.Get("snapshots/list_date_range")).Last;
                if (latest is null)
                {
                    cli.Error.WriteLine("trendlens: the database holds no lists");
                    return CommandLine.Failed;
                }
                last = latest.Value;
            }
            // The configured sources, without a schedule; their kind-specific options are not needed to read.
            var settings = TrendLensSettings.Load();
            settings.Scheduler = false;
            foreach (var source in settings.Sources) source.Options = null;
            using var app = ServeCommand.Create(database, cli.DashboardsDirectory(parse), demo: false, "http://127.0.0.1:0", settings);
            app.StartAsync().GetAwaiter().GetResult();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var site = DashboardCatalog.Load(cli.DashboardsDirectory(parse));
            var n = parse.GetValue(runs);
            cli.Output.WriteLine($"pages read {settings.Sources.FirstOrDefault()?.Name ?? "every source"} by default");
            // Warm-up: JIT and the daily rollup tables, which are rebuilt once after data changes.
            foreach (var d in site.Dashboards)
                foreach (var p in d.Panels)
                    Get(http, $"/d/{d.Id}/{p.Id}.png?range=12w&grain=week&to={last.AddDays(-400):yyyy-MM-dd}");
            foreach (var range in parse.GetValue(ranges)!.Distinct())
            {
                var allUncached = new List<double>();
                var allCached = new List<double>();
                cli.Output.WriteLine($"range {range,-30} uncached p50   p95    cached p50   p95   (ms)");
                foreach (var d in site.Dashboards)
                {
                    foreach (var p in d.Panels)
                    {
                        var uncached = new List<double>();
                        var cached = new List<double>();
                        for (var i = 0; i < n; i++)
                            uncached.Add(Get(http, $"/d/{d.Id}/{p.Id}.png?range={range}&grain=week&to={last.AddDays(-i):yyyy-MM-dd}"));
                        var url = $"/d/{d.Id}/{p.Id}.png?range={range}&grain=week&to={last:yyyy-MM-dd}";
                        for (var i = 0; i < n; i++) cached.Add(Get(http, url));
                        uncached.Sort();
                        cached.Sort();
                        allUncached.AddRange(uncached);
                        allCached.AddRange(cached);
                        cli.Output.WriteLine($"{d.Id + "/" + p.Id,-36} {Percentile(uncached, 0.5),8:0.0} {Percentile(uncached, 0.95),6:0.0}  {Percentile(cached, 0.5),9:0.0} {Percentile(cached, 0.95),6:0.0}");
                    }
                }
                allUncached.Sort();
                allCached.Sort();
                cli.Output.WriteLine($"{"all panels, " + range,-36} {Percentile(allUncached, 0.5),8:0.0} {Percentile(allUncached, 0.95),6:0.0}  {Percentile(allCached, 0.5),9:0.0} {Percentile(allCached, 0.95),6:0.0}");
            }
            app.StopAsync().GetAwaiter().GetResult();
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Encodes the pixels of every panel (12 weeks to the latest list, as drawn by the server) with
    /// TrendLens's PNG encoder (Skia at its fastest settings) and with Skia's defaults, and reports
    /// the median time and size of each: the measurement behind PngEncoder's settings.
    /// </summary>
    private static Command Png(CommandLine cli)
    {
        var runs = new Option<int>("--runs") { Description = "timed encodings per panel and encoder", DefaultValueFactory = _ => 20 };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 1000) r.AddError("--runs must be between 1 and 1000"); });
        var command = new Command("png", "Time PNG encoding of every panel: TrendLens's settings against Skia's defaults.") { runs };
        command.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.Database(parse);
            using var app = ServeCommand.Create(database, cli.DashboardsDirectory(parse), demo: false, "http://127.0.0.1:0");
            app.StartAsync().GetAwaiter().GetResult();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            var site = DashboardCatalog.Load(cli.DashboardsDirectory(parse));
            var images = new List<SkiaSharp.SKBitmap>();
            foreach (var d in site.Dashboards)
                foreach (var p in d.Panels)
                {
                    var png = http.GetByteArrayAsync($"/d/{d.Id}/{p.Id}.png?range=12w&grain=week").GetAwaiter().GetResult();
                    var decoded = SkiaSharp.SKBitmap.Decode(png);
                    var rgba = new SkiaSharp.SKBitmap(new SkiaSharp.SKImageInfo(decoded.Width, decoded.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Premul));
                    decoded.CopyTo(rgba, SkiaSharp.SKColorType.Rgba8888);
                    decoded.Dispose();
                    images.Add(rgba);
                }
            var encoders = new (string Name, Func<SkiaSharp.SKPixmap, byte[]> Encode)[]
            {
                ("PngEncoder (Skia: Sub filter, zlib level 1)", TrendLens.Charts.PngEncoder.Encode),
                ("Skia (defaults: all filters, zlib level 6)", px => { using var data = px.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100)!; return data.ToArray(); }),
            };
            cli.Output.WriteLine($"{images.Count} panels, {images[0].Width}×{images[0].Height} px; median per panel over {parse.GetValue(runs)} runs each");
            foreach (var (name, encode) in encoders)
            {
                var times = new List<double>();
                long bytes = 0;
                foreach (var image in images)
                {
                    using var pixels = image.PeekPixels();
                    encode(pixels);
                    for (var i = 0; i < parse.GetValue(runs); i++)
                    {
                        var sw = Stopwatch.StartNew();
                        var png = encode(pixels);
                        times.Add(sw.Elapsed.TotalMilliseconds);
                        if (i == 0) bytes += png.Length;
                    }
                }
                times.Sort();
                cli.Output.WriteLine($"{name,-48} median {Percentile(times, 0.5),6:0.0} ms, p95 {Percentile(times, 0.95),6:0.0} ms, {bytes / images.Count / 1024.0,6:0.0} KiB a panel");
            }
            foreach (var image in images) image.Dispose();
            return CommandLine.Ok;
        }));
        return command;
    }

    private static double Get(HttpClient http, string url)
    {
        var sw = Stopwatch.StartNew();
        using var response = http.GetAsync(url).GetAwaiter().GetResult();
        response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: HTTP {(int)response.StatusCode}");
        return sw.Elapsed.TotalMilliseconds;
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
