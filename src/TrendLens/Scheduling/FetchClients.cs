using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using TrendLens.Sources;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// One HTTP client per live source, made patient by Microsoft.Extensions.Http.Resilience
/// (Polly): a total timeout, jittered exponential retries that honour <c>Retry-After</c> on 429
/// and 503, a circuit breaker that rests a failing source, and a timeout per attempt.
/// </summary>
public static class FetchClients
{
    public const string UserAgent = "TrendLens/1.0 (daily research-list snapshotter; one request per list day, retries with backoff)";

    public static IServiceCollection AddFetchClients(this IServiceCollection services, TrendLensSettings settings)
    {
        foreach (var source in settings.Sources)
        {
            services.AddHttpClient(ClientName(source), http =>
                {
                    http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                    http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                    // The resilience pipeline owns the timeouts.
                    http.Timeout = Timeout.InfiniteTimeSpan;
                    http.MaxResponseContentBufferSize = 64L * 1024 * 1024;
                })
                .AddResilienceHandler("fetch", pipeline =>
                {
                    // Timeouts and waits between attempts are real time, whatever clock the scheduler is given.
                    pipeline.TimeProvider = TimeProvider.System;
                    pipeline.AddTimeout(TimeSpan.FromSeconds(source.TotalTimeoutSeconds));
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(source.Retries, 1),
                        ShouldHandle = args => ValueTask.FromResult(source.Retries > 0 && Transient(args.Outcome)),
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromSeconds(source.RetryDelaySeconds),
                        MaxDelay = TimeSpan.FromSeconds(Math.Max(60, source.RetryDelaySeconds)),
                        ShouldRetryAfterHeader = true,
                    });
                    pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                    {
                        FailureRatio = 0.8,
                        MinimumThroughput = 10,
                        SamplingDuration = TimeSpan.FromMinutes(5),
                        BreakDuration = TimeSpan.FromSeconds(source.BreakSeconds),
                    });
                    pipeline.AddTimeout(TimeSpan.FromSeconds(source.AttemptTimeoutSeconds));
                });
        }
        return services;
    }

    public static HfDailyApi Api(IServiceProvider services, SourceSettings source) =>
        new(services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName(source)));

    private static string ClientName(SourceSettings source) => "source:" + source.Name;

    /// <summary>Worth another try: no answer, a timeout, 408, 429 and 5xx.</summary>
    private static bool Transient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException } => true,
        { Exception: Polly.Timeout.TimeoutRejectedException } => true,
        { Result: { } r } => r.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)r.StatusCode >= 500,
        _ => false,
    };
}
