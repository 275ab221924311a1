using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using TrendLens.Snapshots;
using TrendLens.Sources;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// One HTTP client and one fetcher (<see cref="IListSource"/>) per live source, whatever its kind.
/// The client is made patient by Polly through Microsoft.Extensions.Http.Resilience: jittered
/// exponential retries that honour <c>Retry-After</c> on 429 and 503 (unless the kind paces and
/// retries by itself, <see cref="SourceKind.PacesItself"/>: then one connection and no retries of
/// the client's), a circuit breaker that rests a failing source, and a timeout per attempt. The body is read inside the attempt
/// (<see cref="BodyInsideAttempt"/>), so a trickling answer is cut by the attempt's timeout and
/// retried like any other slow answer. The total timeout of a day's fetch, every page and retry
/// included, is the fetcher's (<see cref="ListFetcher"/>). The server holds one for its lifetime;
/// <c>trendlens fetch</c> makes its own.
/// </summary>
/// <param name="pacing">The clock a self-pacing kind waits on; the system clock unless a test skips the waits.</param>
public sealed class FetchClients(TimeProvider? pacing = null) : IDisposable
{
    /// <summary>The largest answer body read for one page.</summary>
    public const long MaxBodyBytes = 64L * 1024 * 1024;

    public const string UserAgent = "TrendLens/1.0 (research-list snapshotter: one list a day per source, requests paced and retried with backoff)";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<HttpClient>> _clients = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<IListSource>> _sources = new(StringComparer.Ordinal);

    /// <summary>
    /// The fetcher of <paramref name="source"/> (made on first use, kept after, so a kind that paces
    /// its requests paces every fetch of this process), through <see cref="For"/>.
    /// </summary>
    public IListSource Source(SourceSettings source) =>
        _sources.GetOrAdd(source.Name, _ => new Lazy<IListSource>(() => source.KindOf().Open(source.ToConfig(), For(source), pacing ?? TimeProvider.System))).Value;

    /// <summary>The client of <paramref name="source"/> (made on first use, kept after).</summary>
    public HttpClient For(SourceSettings source) =>
        _clients.GetOrAdd(source.Name, _ => new Lazy<HttpClient>(() => Client(source))).Value;

    private static HttpClient Client(SourceSettings source)
    {
        var kind = source.KindOf();
        var retries = kind.PacesItself ? 0 : source.Retries;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>
            {
                // Timeouts and waits between attempts are real time, whatever clock the scheduler is given.
                TimeProvider = TimeProvider.System,
            }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(retries, 1),
                ShouldHandle = args => ValueTask.FromResult(retries > 0 && Transient(args.Outcome)),
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
        // fetcher's to judge (SourceHttp follows them on the same host only).
        var handler = new ResilienceHandler(pipeline)
        {
            InnerHandler = new BodyInsideAttempt
            {
                InnerHandler = new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    MaxConnectionsPerServer = kind.PacesItself ? 1 : int.MaxValue,
                },
            },
        };
        var http = new HttpClient(handler)
        {
            // The resilience pipeline and the fetcher own the timeouts.
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBodyBytes,
        };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        http.DefaultRequestHeaders.Accept.ParseAdd(kind.Accept);
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
