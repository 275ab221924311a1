using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using TrendLens.Snapshots;
using TrendLens.Sources;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// One HTTP client per live source, made patient by Polly through Microsoft.Extensions.Http.Resilience:
/// jittered exponential retries that honour <c>Retry-After</c> on 429 and 503, a circuit breaker
/// that rests a failing source, and a timeout per attempt. The body is read inside the attempt
/// (<see cref="BodyInsideAttempt"/>), so a trickling answer is cut by the attempt's timeout and
/// retried like any other slow answer. The total timeout of a day's fetch, every page and retry
/// included, is the fetcher's (<see cref="ListFetcher"/>). The server holds one for its lifetime;
/// <c>trendlens fetch</c> makes its own.
/// </summary>
public sealed class FetchClients : IDisposable
{
    /// <summary>The largest answer body read for one page.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public const string UserAgent = "TrendLens/1.0 (daily research-list snapshotter; one request per list day, retries with backoff)";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>> _clients = new(StringComparer.Ordinal);

    /// <summary>The API of <paramref name="source"/>, through <see cref="For"/>.</summary>
    public HfDailyApi Api(SourceSettings source) => new(For(source));

    /// <summary>The client of <paramref name="source"/> (made on first use, kept after).</summary>
    public HttpClient For(SourceSettings source) =>
        _clients.GetOrAdd(source.Name, _ => new Lazy<HttpClient>(() => Client(source))).Value;

    private static HttpClient Client(SourceSettings source)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>
            {
                // Timeouts and waits between attempts are real time, whatever clock the scheduler is given.
                TimeProvider = TimeProvider.System,
            }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(source.Retries, 1),
                ShouldHandle = args => ValueTask.FromResult(source.Retries > 0 && Transient(args.Outcome)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(source.RetryDelaySeconds),
                MaxDelay = TimeSpan.FromSeconds(Math.Max(60, source.RetryDelaySeconds)),
                ShouldRetryAfterHeader = true,
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.8,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromMinutes(5),
                BreakDuration = TimeSpan.FromSeconds(source.BreakSeconds),
            })
            .AddTimeout(TimeSpan.FromSeconds(source.AttemptTimeoutSeconds))
            .Build();
        // Resilience outermost, then the body read inside each attempt; redirects are the
        // fetcher's to judge (HfDailyApi follows them on the same host only).
        var handler = new ResilienceHandler(pipeline)
        {
            InnerHandler = new BodyInsideAttempt
            {
                InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
            },
        };
        var http = new HttpClient(handler)
        {
            // The resilience pipeline and the fetcher own the timeouts.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBodyBytes,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        return http;
    }

    public void Dispose()
    {
        foreach (var client in _clients.Values)
            if (client.IsValueCreated) client.Value.Dispose();
    }

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
