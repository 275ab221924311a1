using System.CommandLine;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TrendLens.Cli.Scheduling;
using TrendLens.Cli.Web;
using TrendLens.Dashboards;
using TrendLens.Rollup;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Build(CommandLine cli)
    {
        var urls = new Option<string>("--urls") { Description = "where to listen (loopback unless told otherwise)", DefaultValueFactory = _ => DefaultUrls };
        var demo = new Option<bool>("--demo") { Description = "serve a separate database of synthetic lists (built on first use)" };
        var command = new Command("serve", "Serve the dashboards over HTTP.") { urls, demo };
        command.SetAction(parse => cli.Guard(() =>
        {
            // Bad settings stop the command before it opens or builds anything (the demo's database
            // among them); the host checks the same settings again when it starts.
            TrendLensSettings.Load();
            var main = cli.Database(parse);
            // A server already on this file (or on its demo's, below): said at once, with its address, not after waiting for the lock.
            if (!main.InMemory && Running(main.Path) is { } running)
            {
                cli.Error.WriteLine(running);
                return CommandLine.Failed;
            }
            bool marked, empty;
            var existed = !main.InMemory && File.Exists(main.Path);
            using (var check = main.Open())
            {
                // A damaged file is found here, in one line, instead of in every request.
                if (existed) DatabaseCheck.Verify(main, check);
                // A database of demo lists (marked so when built) is served as one, by whatever name it is given.
                marked = DemoData.IsDemo(check);
                empty = check.ExecuteScalar<long>(SqlCatalog.Get("snapshots/snapshot_count")) == 0;
            }
            var useDemo = marked || parse.GetValue(demo) || empty;
            if (useDemo && !marked && Running(DemoPath(main)) is { } serving)
            {
                cli.Error.WriteLine(serving);
                return CommandLine.Failed;
            }
            var database = useDemo && !marked ? DemoDatabase(cli, parse, main) : main;
            using var app = Build(database, cli.DashboardsDirectory(parse), useDemo, parse.GetValue(urls)!, cli.Clock, Configured);
            try
            {
                app.Start();
            }
            catch (OptionsValidationException e)
            {
                cli.Error.WriteLine($"trendlens: {e.Message}");
                return CommandLine.Failed;
            }
            // The landing page is drawn once now, off any visitor's wait: the first request of a
            // process spent 0.3-0.4 s (archive) compiling and opening what later requests reuse.
            // A visitor within the caches' idle time (DashboardSite.CacheIdle) finds it drawn.
            _ = Task.Run(() => OpenLandingPage(app.Urls.First()));
            var settings = app.Services.GetRequiredService<TrendLensSettings>();
            var scheduling = TrendLensServices.Scheduled(settings, useDemo)
                ? string.Concat(settings.Sources.Select(s => $"; fetching {s.Name} on cron '{s.Schedule}' ({s.TimeZone})")) + $"; weekly review on cron '{settings.ReviewSchedule}' ({settings.ReviewTimeZone})"
                : useDemo ? "; the scheduler is off for demo data" : "; the scheduler is off";
            cli.Output.WriteLine($"TrendLens serving {database.Path}{(useDemo ? " (synthetic demo data)" : "")} on {parse.GetValue(urls)}{scheduling}");
            if (settings.AdminToken.Length == 0) cli.Output.WriteLine("Write endpoints (/api/...) are off: no admin token is configured (TRENDLENS_ADMIN_TOKEN).");
            app.WaitForShutdown();
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>Asks this server for its landing page (<c>/</c>, which leads to the overview) over loopback.</summary>
    private static async Task OpenLandingPage(string url)
    {
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(ServerLink.Loopback(url)), Timeout = TimeSpan.FromMinutes(1) };
            using var answer = await http.GetAsync("/");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            // Then the first visitor's request draws it, as it would have anyway.
        }
    }

    /// <summary>The configuration of <c>serve</c>: the same sources as every command's (<see cref="TrendLensSettings.AddSources"/>).</summary>
    private static void Configured(IConfigurationBuilder configuration)
    {
        try
        {
            TrendLensSettings.AddSources(configuration);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new SettingsException($"configuration: {e.Message}");
        }
    }

    /// <summary>Enough threads for the 16-client load test plus imports and background rollups, started without delay.</summary>
    private const int MinWorkerThreads = 64;

    /// <summary>
    /// A server with these settings instead of the configuration's (tests, benchmarks); without
    /// any, nothing is scheduled and writes are refused.
    /// </summary>
    public static WebApplication Create(Database database, string dashboardsDirectory, bool demo, string urls,
        TrendLensSettings? settings = null, TimeProvider? clock = null)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, TrendLensSettings> { [TrendLensSettings.Section] = settings ?? new TrendLensSettings { Scheduler = false } });
        return Build(database, dashboardsDirectory, demo, urls, clock ?? TimeProvider.System, configuration => configuration.AddJsonStream(new MemoryStream(json)));
    }

    /// <summary>The server: dashboards, admin pages and API, background rollups and, when the settings say so, the schedule.</summary>
    private static WebApplication Build(Database database, string dashboardsDirectory, bool demo, string urls, TimeProvider clock, Action<IConfigurationBuilder> configure)
    {
        // Requests block their thread while they wait for a chart another request is drawing, for a
        // DuckDB query or for the write lock. With the pool's default minimum (one thread per core)
        // the first burst of clients blocked every thread, and the pool added threads one at a time:
        // requests stalled for a second after start (load test). Threads up to this number are
        // started at once instead.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), completionPorts);
        var builder = WebApplication.CreateSlimBuilder();
        // One configuration system: the host reads the settings from the same sources as the commands.
        builder.Configuration.Sources.Clear();
        configure(builder.Configuration);
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("TrendLens", LogLevel.Information);
        builder.Logging.AddFilter("Polly", LogLevel.Critical); // every failed attempt ends up in the run history
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None); // `serve` says why a start failed, in one line
        builder.Services.AddTrendLens(builder.Configuration, database, dashboardsDirectory, demo, clock);
        var app = builder.Build();
        // HEAD is answered as GET is, without the body (Kestrel sends none to a HEAD request):
        // monitors and link checkers ask with HEAD. Before routing, so GET's endpoints take it.
        app.Use((context, next) =>
        {
            if (HttpMethods.IsHead(context.Request.Method)) context.Request.Method = HttpMethods.Get;
            return next(context);
        });
        app.UseRouting();
        app.UseSecurityHeaders();
        app.UseFailureAnswers();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = Stylesheet.Files });
        app.MapTrendLens();
        app.MapTrendLensAdmin();
        app.MapTrendLensReviews();
        app.MapTrendLensLocal();
        // The link file that lets the command line run its commands in this server (see ServerLink).
        var local = app.Services.GetRequiredService<LocalAccess>();
        // A demo server's too: commands given its file with --db run inside it, and an import beside
        // it learns that the server shows the demo, not the lists just imported.
        if (!database.InMemory)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                try
                {
                    ServerLink.Write(database.Path, app.Urls.First(), local.Token);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The server works without it; only the command line cannot find it.
                    app.Logger.LogWarning("Cannot write {Link} ({Reason}): commands on this database will not run inside this server",
                        ServerLink.PathFor(database.Path), e.Message);
                }
            });
            app.Lifetime.ApplicationStopping.Register(() => ServerLink.Remove(database.Path, local.Token));
        }
        // Only a server that can import (a scheduler, or an admin token for the API) compiles the path.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var settings = app.Services.GetRequiredService<TrendLensSettings>();
            var lexicons = app.Services.GetRequiredService<ServerData>().Lexicons;
            if (lexicons is null || demo || !(TrendLensServices.Scheduled(settings, demo) || settings.AdminToken.Length > 0)) return;
            Task.Run(() =>
            {
                try
                {
                    var stopwatch = System.Diagnostics.Stopwatch.StartNew();
                    WarmUp(lexicons, clock);
                    app.Logger.LogInformation("Import path compiled in {Seconds:0.00} s", stopwatch.Elapsed.TotalSeconds);
                }
                catch (Exception e)
                {
                    app.Logger.LogWarning(e, "Warm-up of the import path failed; the first import will be slower");
                }
            });
        });
        return app;
    }

    /// <summary>
    /// Compiles the import path once at start-up, off the request path: its loops are compiled
    /// fully optimized at their first call (see TrendLens.csproj), so the first import through the
    /// API otherwise spends a second or two in the JIT (and so did the chart requests that came
    /// with it, in the load test). Two lists go through the whole pipeline into a database in
    /// memory — store, tag, first rollup build, then the incremental rebuild of one changed day —
    /// so every method of that path is compiled.
    /// </summary>
    private static void WarmUp(Lexicons lexicons, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var memory = new Database(":memory:");
        using var connection = memory.Open();
        var writer = new SnapshotWriter(clock);
        foreach (var (day, id) in new[] { (today.AddDays(-1), "2501.00001"), (today, "2501.00002") })
        {
            var payload = System.Text.Encoding.UTF8.GetBytes($$$"""
                [{"paper":{"id":"{{{id}}}","title":"Warm-up: LoRA for Qwen2.5 Agents",
                  "summary":"A warm-up text on retrieval-augmented generation with GPT-4o and DeepSeek-R1.",
                  "authors":[{"name":"A"}],"upvotes":1,"ai_keywords":["agents"]}}]
                """);
            writer.StoreAndTag(memory, connection, payload, "warm-up", PayloadFormat.HfJson, new PayloadContext("warm-up", day, today), lexicons);
            new RollupRefresher(memory).Refresh(connection);
        }
    }

    /// <summary>The line that says a live server already serves <paramref name="path"/>, or null.</summary>
    private static string? Running(string path) =>
        ServerLink.Find(path) is { } server && ServerLink.Held(path)
            ? $"trendlens: {Path.GetFullPath(path)} is already served at {server.Url} (process {server.Pid}): open that address, or stop that server before starting another on it"
            : null;

    /// <summary>Where the demo's database of <paramref name="main"/> is: demo.duckdb beside it.</summary>
    public static string DemoPath(Database main) =>
        Path.Combine(main.InMemory ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(main.Path))!, "demo.duckdb");

    /// <summary>A database of generated lists beside the main one (demo.duckdb), built once.</summary>
    private static Database DemoDatabase(CommandLine cli, System.CommandLine.ParseResult parse, Database main)
    {
        var database = new Database(DemoPath(main));
        cli.Output.WriteLine($"Demo: synthetic lists in {database.Path} (building them the first time takes a few seconds)");
        DemoData.EnsureBuilt(database, cli.Lexicons(parse), cli.Clock);
        return database;
    }
}
