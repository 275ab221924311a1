using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using TrendLens.Snapshots;
using TrendLens.Sources;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// One HTTP client per live source, made patient by Microsoft.Extensions.Http.Resilience
/// (Polly): jittered exponential retries that honour <c>Retry-After</c> on 429
/// and 503, a circuit breaker that rests a failing source, and a timeout per attempt. The body
/// is read inside the attempt (<see cref="BodyInsideAttempt"/>), so a trickling answer is cut
/// by the attempt's timeout and retried like any other slow answer. The total timeout of a day's
/// fetch, every page and retry included, is the fetcher's (<see cref="ListFetcher"/>).
/// </summary>
public static class FetchClients
{
    /// <summary>The largest answer body read for one page.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public const string UserAgent = "TrendLens/1.0 (daily research-list snapshotter; one request per list day, retries with backoff)";

    public static IServiceCollection AddFetchClients(this IServiceCollection services, TrendLensSettings settings)
    {
        foreach (var source in settings.Sources)
        {
            var client = services.AddHttpClient(ClientName(source), http =>
            {
                http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
                http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
                // The resilience pipeline and the fetcher own the timeouts.
                http.Timeout = Timeout.InfiniteTimeSpan;
                http.MaxResponseContentBufferSize = MaxBodyBytes;
            });
            client.AddResilienceHandler("fetch", pipeline =>
            {
                // Timeouts and waits between attempts are real time, whatever clock the scheduler is given.
                pipeline.TimeProvider = TimeProvider.System;
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
            // Added after the resilience handler, so it runs inside each attempt.
            client.AddHttpMessageHandler(() => new BodyInsideAttempt());
            // Redirects are the fetcher's to judge (HfDailyApi follows them on the same host only).
            client.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
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

    /// <summary>
    /// Reads the whole body before the answer leaves the attempt. Without it the body is read by
    /// <see cref="HttpClient"/> after the resilience handler has returned, where no timeout of the
    /// pipeline reaches, and an upstream that trickles bytes holds the fetch forever.
    /// </summary>
    private sealed class BodyInsideAttempt : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            var response = await base.SendAsync(request, cancel);
            try
            {
                await response.Content.LoadIntoBufferAsync(MaxBodyBytes, cancel);
                return response;
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }
}
