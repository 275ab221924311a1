using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using TrendLens.Cli.Scheduling;
using TrendLens.Cli.Web;
using TrendLens.Dashboards;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli;

/// <summary>The services of a TrendLens server, registered in one place.</summary>
public static class TrendLensServices
{
    /// <summary>
    /// Registers everything <c>serve</c> runs on: its settings (the <c>TrendLens</c> section of
    /// <paramref name="configuration"/>, bound and checked when the host starts), the clock, the
    /// database it owns and its lexicons (<see cref="ServerData"/>), the dashboards and the render
    /// cache (<see cref="DashboardSite"/>), the fetch clients, the background rollups, and the
    /// Quartz schedule of fetches and weekly reviews.
    /// </summary>
    public static IServiceCollection AddTrendLens(this IServiceCollection services, IConfiguration configuration,
        Database database, string dashboardsDirectory, bool demo, TimeProvider clock)
    {
        services.AddOptions<TrendLensSettings>()
            .Configure(settings => TrendLensSettings.Bind(configuration.GetSection(TrendLensSettings.Section), settings))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TrendLensSettings>, TrendLensSettings.Validation>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TrendLensSettings>>().Value);
        services.AddSingleton(clock);

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
        services.AddSingleton(dashboards);
        services.AddSingleton(sp => new ServerData(database, lexicons, demo, sp.GetRequiredService<TrendLensSettings>().DatabaseMemoryMegabytes));
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<TrendLensSettings>();
            return new DashboardSite(sp.GetRequiredService<ServerData>(), dashboards, settings.RenderCacheMegabytes * 1024L * 1024)
            {
                PrimarySource = demo ? DemoData.Source : settings.Sources.FirstOrDefault()?.Name,
                BaseSources = demo ? [DemoData.BaseSource] : settings.BaseSources(),
                Services = sp,
            };
        });
        services.AddSingleton(new LocalAccess(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), dashboardsDirectory));
        services.AddSingleton<FetchClients>();
        services.AddHostedService<RollupService>();

        services.AddQuartz(q =>
        {
            q.UseTimeProvider(clock);
            q.ConfigureScheduler(o => o.ShutdownJobInterruption = ShutdownJobInterruption.WhenWaitingForJobs);
        });
        // Before Quartz's own hosted service, so the jobs are in place when the scheduler starts.
        services.AddHostedService<Schedule>();
        // At shutdown a fetch in progress is cancelled and waited for: each day is one
        // transaction, so nothing half-stored remains, and the job ends before its services go.
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>The settings turn the scheduler on, and the data is not the demo's.</summary>
    public static bool Scheduled(TrendLensSettings settings, bool demo) => settings.Scheduler && !demo;

    /// <summary>
    /// Per source: the daily cron trigger (a misfire fires once) and a start-up trigger that
    /// catches up missed days; and the weekly review. Nothing when the scheduler is off.
    /// </summary>
    private sealed class Schedule(TrendLensSettings settings, ServerData data, ISchedulerFactory schedulers, TimeProvider clock) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancel)
        {
            if (!Scheduled(settings, data.Demo)) return;
            var scheduler = await schedulers.GetScheduler(cancel);
            foreach (var source in settings.Sources)
            {
                var key = FetchJob.KeyFor(source.Name);
                var zone = TimeZoneInfo.FindSystemTimeZoneById(source.TimeZone);
                var job = JobBuilder.Create<FetchJob>().WithIdentity(key).UsingJobData("source", source.Name).StoreDurably().Build();
                var daily = TriggerBuilder.Create(clock).ForJob(key).WithIdentity(FetchJob.ScheduleTrigger + ":" + source.Name, FetchJob.Group)
                    .WithCronSchedule(source.Schedule, c => c.InTimeZone(zone).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build();
                var startUp = TriggerBuilder.Create(clock).ForJob(key).WithIdentity(FetchJob.StartupTrigger + ":" + source.Name, FetchJob.Group).StartNow().Build();
                await scheduler.ScheduleJob(job, [daily, startUp], new ScheduleJobOptions { Replace = true }, cancel);
            }
            var review = JobBuilder.Create<ReviewJob>().WithIdentity(ReviewJob.Key).StoreDurably().Build();
            var weekly = TriggerBuilder.Create(clock).ForJob(ReviewJob.Key).WithIdentity("weekly", ReviewJob.Key.Group)
                .WithCronSchedule(settings.ReviewSchedule, c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(settings.ReviewTimeZone))
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)).Build();
            await scheduler.ScheduleJob(review, [weekly], new ScheduleJobOptions { Replace = true }, cancel);
        }

        public Task StopAsync(CancellationToken cancel) => Task.CompletedTask;
    }
}
