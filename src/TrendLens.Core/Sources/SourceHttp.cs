using System.Net.Http.Headers;

namespace TrendLens.Sources;

/// <summary>One answer of a source: the final URL (after redirects on the same host), status, headers and body.</summary>
public sealed record SourceAnswer(Uri Url, int Status, string? Reason, HttpResponseHeaders Headers, byte[] Body)
{
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The wait a 429 or 503 asks for (<c>Retry-After</c> as seconds or a date), if any.</summary>
    public TimeSpan? RetryAfter(DateTimeOffset now) =>
        Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };
}

/// <summary>
/// The GET every source kind makes: redirects followed on the same host only (a list is taken
/// from the source asked, never from wherever it points: another host's body stored as the day's
/// list would be a list nobody published), and every way of getting no answer turned into a
/// <see cref="FetchException"/> that says which. Timeouts, retries and the circuit breaker are
/// the <see cref="HttpClient"/>'s.
/// </summary>
public static class SourceHttp
{
    /// <summary>Redirects followed for one request, on the same host only.</summary>
    public const int MaxRedirects = 5;

    /// <summary>Gets <paramref name="url"/>; any status comes back (the caller judges it), no answer at all throws.</summary>
    public static async Task<SourceAnswer> GetAsync(HttpClient http, Uri url, Uri origin, CancellationToken cancel)
    {
        for (var redirects = 0; ; redirects++)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancel);
            }
            catch (HttpRequestException e)
            {
                throw new FetchException($"{url.AbsoluteUri}: {Describe(e)}", e);
            }
            catch (Exception e) when (e is TaskCanceledException or TimeoutException || e.GetType().Name == "TimeoutRejectedException")
            {
                if (cancel.IsCancellationRequested) throw;
                throw new FetchException($"{url.AbsoluteUri}: no answer in time ({e.Message})", e);
            }
            catch (Exception e) when (e.GetType().Name == "BrokenCircuitException")
            {
                throw new FetchException($"{url.AbsoluteUri}: not tried, the source failed repeatedly and is resting ({e.Message})", e);
            }
            using (response)
            {
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
                {
                    var target = new Uri(url, location);
                    if (!SameOrigin(target, origin))
                        throw new FetchException($"{url.AbsoluteUri}: redirected to another host ({target.GetLeftPart(UriPartial.Authority)}); not followed");
                    if (redirects + 1 > MaxRedirects) throw new FetchException($"{url.AbsoluteUri}: more than {MaxRedirects} redirects; stopped");
                    url = target;
                    continue;
                }
                var body = response.IsSuccessStatusCode ? await response.Content.ReadAsByteArrayAsync(cancel) : [];
                return new SourceAnswer(url, (int)response.StatusCode, response.ReasonPhrase, response.Headers, body);
            }
        }
    }

    /// <summary>
    /// <paramref name="path"/> (with its query) under a source's base URL, plus the source's own
    /// query parameters (<c>&amp;name=value</c>, escaped, in name order).
    /// </summary>
    public static Uri Url(Uri baseUrl, string path, IReadOnlyDictionary<string, string>? query)
    {
        var root = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        var extra = query is null ? "" : string.Concat(query.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"&{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        return new Uri(root, path + extra);
    }

    /// <summary>"https://host/path: HTTP 503 Service Unavailable".</summary>
    public static string Failure(SourceAnswer answer) => $"{answer.Url.AbsoluteUri}: HTTP {answer.Status} {answer.Reason}".TrimEnd();

    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static string Describe(HttpRequestException e) =>
        e.HttpRequestError switch
        {
            HttpRequestError.ConnectionError => "connection failed (" + (e.InnerException?.Message ?? e.Message) + ")",
            HttpRequestError.NameResolutionError => "host name not found (" + e.Message + ")",
            _ => e.Message,
        };
}
