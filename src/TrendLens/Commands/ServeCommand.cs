using System.CommandLine;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using TrendLens.Cli.Scheduling;
using TrendLens.Cli.Web;
using TrendLens.Rollup;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Tagging;
using TrendLens.Dashboards;
using TrendLens.Storage;

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
            var settings = TrendLensSettings.Load();
            var main = cli.Database(parse);
            // A damaged file is found here, in one line, instead of in every request.
            if (!main.InMemory && File.Exists(main.Path))
                using (var check = main.Open()) DatabaseCheck.Verify(main, check);
            var useDemo = parse.GetValue(demo) || IsEmpty(main);
            var database = useDemo ? DemoDatabase(cli, parse, main) : main;
            using var app = Create(database, cli.DashboardsDirectory(parse), useDemo, parse.GetValue(urls)!, settings, cli.Clock);
            var scheduling = Scheduled(settings, useDemo)
                ? string.Concat(settings.Sources.Select(s => $"; fetching {s.Name} on cron '{s.Schedule}' ({s.TimeZone})")) + $"; weekly review on cron '{settings.ReviewSchedule}' ({settings.ReviewTimeZone})"
                : useDemo ? "; the scheduler is off for demo data" : "; the scheduler is off";
            cli.Output.WriteLine($"TrendLens serving {database.Path}{(useDemo ? " (synthetic demo data)" : "")} on {parse.GetValue(urls)}{scheduling}");
            if (settings.AdminToken.Length == 0) cli.Output.WriteLine("Write endpoints (/api/...) are off: no admin token is configured (TRENDLENS_ADMIN_TOKEN).");
            app.Run();
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>
    /// The server: dashboards, admin pages and API, and — unless <paramref name="settings"/> turn it
    /// off, or the data is the demo's — the Quartz scheduler fetching every configured source.
    /// Without settings (tests, benchmarks) nothing is scheduled and writes are refused.
    /// </summary>
    /// <summary>Enough threads for the 16-client load test plus imports and background rollups, started without delay.</summary>
    private const int MinWorkerThreads = 64;

    public static WebApplication Create(Database database, string dashboardsDirectory, bool demo, string urls,
        TrendLensSettings? settings = null, TimeProvider? clock = null)
    {
        settings ??= new TrendLensSettings { Scheduler = false };
        clock ??= TimeProvider.System;
        var dashboards = DashboardCatalog.Load(dashboardsDirectory);
        Lexicons? lexicons;
        try
        {
            lexicons = Lexicons.Load(dashboardsDirectory);
        }
        catch (LexiconException)
        {
            lexicons = null; // the pages still work; fetched papers wait for `retag`
        }
        // Requests block their thread while they wait for a chart another request is drawing, for a
        // DuckDB query or for the write lock. With the pool's default minimum (one thread per core)
        // the first burst of clients blocked every thread, and the pool added threads one at a time:
        // requests stalled for a second after start (load test). Threads up to this number are
        // started at once instead.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, MinWorkerThreads), completionPorts);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("TrendLens", LogLevel.Information);
        builder.Logging.AddFilter("Polly", LogLevel.Critical); // every failed attempt ends up in the run history
        builder.Services.AddSingleton(new DashboardSite(database, dashboards, demo, lexicons, settings.RenderCacheMegabytes * 1024L * 1024, settings.DatabaseMemoryMegabytes));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(clock);
        var local = new LocalAccess(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), dashboardsDirectory);
        builder.Services.AddSingleton(local);
        builder.Services.AddFetchClients(settings);
        if (Scheduled(settings, demo)) AddScheduler(builder.Services, settings, clock);
        var app = builder.Build();
        app.UseSecurityHeaders();
        app.UseFailureAnswers();
        app.MapTrendLens();
        app.MapTrendLensAdmin();
        app.MapTrendLensReviews();
        app.MapTrendLensLocal();
        // The link file that lets the command line run its commands in this server (see ServerLink).
        if (!demo && !database.InMemory)
        {
            app.Lifetime.ApplicationStarted.Register(() => ServerLink.Write(database.Path, app.Urls.First(), local.Token));
            app.Lifetime.ApplicationStopping.Register(() => ServerLink.Remove(database.Path, local.Token));
        }
        // Only a server that can import (a scheduler, or an admin token for the API) compiles the path.
        if (lexicons is not null && !demo && (Scheduled(settings, demo) || settings.AdminToken.Length > 0))
            app.Lifetime.ApplicationStarted.Register(() => Task.Run(() =>
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
            }));
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
            RollupTables.EnsureFresh(memory, connection, wait: true);
        }
    }

    private static bool Scheduled(TrendLensSettings settings, bool demo) => settings.Scheduler && !demo;

    /// <summary>
    /// Per source: the daily cron trigger (a misfire fires once) and a start-up trigger that
    /// catches up missed days; and the weekly review.
    /// </summary>
    private static void AddScheduler(IServiceCollection services, TrendLensSettings settings, TimeProvider clock)
    {
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(clock);
            q.ConfigureScheduler(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
            foreach (var source in settings.Sources)
            {
                var key = FetchJob.KeyFor(source.Name);
                var zone = TimeZoneInfo.FindSystemTimeZoneById(source.TimeZone);
                q.AddJob<FetchJob>(j => j.WithIdentity(key).UsingJobData("source", source.Name).StoreDurably());
                q.AddTrigger(t => t.ForJob(key).WithIdentity(FetchJob.ScheduleTrigger + ":" + source.Name, FetchJob.Group)
                    .WithCronSchedule(source.Schedule, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
                q.AddTrigger(t => t.ForJob(key).WithIdentity(FetchJob.StartupTrigger + ":" + source.Name, FetchJob.Group).StartNow());
            }
            q.AddJob<ReviewJob>(j => j.WithIdentity(ReviewJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ReviewJob.Key).WithIdentity("weekly", ReviewJob.Key.Group)
                .WithCronSchedule(settings.ReviewSchedule, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(settings.ReviewTimeZone))
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
        });
        // At shutdown a fetch in progress is cancelled and waited for: each day is one
        // transaction, so nothing half-stored remains, and the job ends before its services go.
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
    }

    private static bool IsEmpty(Database database)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("select count(*) from snapshots") == 0;
    }

    /// <summary>A database of generated lists beside the main one (demo.duckdb), built once.</summary>
    private static Database DemoDatabase(CommandLine cli, System.CommandLine.ParseResult parse, Database main)
    {
        var folder = main.InMemory ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(main.Path))!;
        var database = new Database(Path.Combine(folder, "demo.duckdb"));
        cli.Output.WriteLine($"Demo: synthetic lists in {database.Path} (building them the first time takes a few seconds)");
        DemoData.EnsureBuilt(database, cli.Lexicons(parse), cli.Clock);
        return database;
    }
}
