using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace TrendLens.Sources;

/// <summary>One list date's answer from a live source: the payload to snapshot and how it was obtained.</summary>
/// <param name="Payload">
/// The response body verbatim when the list came in one page; for several pages, one JSON array
/// of every page's elements, each element's bytes as received.
/// </param>
/// <param name="Rows">Entries in the payload; −1 when the body is not a list (the Snapshot stage says why).</param>
/// <param name="Format">How the Normalize stage reads the payload.</param>
public sealed record FetchedList(DateOnly Date, byte[] Payload, int Pages, int Rows, string Url, PayloadFormat Format);

/// <summary>A fetch that got no usable answer: an HTTP error after the retries, a refused connection, a timeout.</summary>
public sealed class FetchException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Stage 1, Fetch, for sources of kind <c>hf-daily-api</c>:
/// <c>GET {base}/api/daily_papers?date=YYYY-MM-DD&amp;limit=N</c> (plus the source's own query
/// parameters, such as <c>sort=trending</c>), following pagination until the list is complete. The
/// <see cref="HttpClient"/> brings the timeouts, retries and circuit breaker (configured where the client is registered); this class only speaks the protocol.
/// </summary>
public sealed class HfDailyApi(HttpClient http, long maxListBytes = HfDailyApi.MaxListBytes)
{
    public const string Kind = "hf-daily-api";
    public const int MaxPages = 20;
    public const int MaxPageSize = 100;
    /// <summary>The most bytes one list date's pages may add up to; a larger answer is refused, not buffered.</summary>
    public const long MaxListBytes = 64L * 1024 * 1024;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    /// <summary>
    /// Asks for <paramref name="pageSize"/> rows a page and follows a <c>Link: &lt;…&gt;; rel="next"</c>
    /// header on the same host; without one, a full page is followed by the next page number
    /// (<c>p=1</c>, <c>p=2</c>, …), since a page of exactly the page size may be a truncated list.
    /// Stops at a short page, an empty page or a page with no paper not seen before.
    /// </summary>
    public async Task<FetchedList> FetchAsync(Uri baseUrl, DateOnly date, int pageSize, CancellationToken cancel, IReadOnlyDictionary<string, string>? query = null)
    {
        if (pageSize is < 1 or > MaxPageSize) throw new ArgumentOutOfRangeException(nameof(pageSize), $"page size must be 1 to {MaxPageSize}");
        var first = SourceHttp.Url(baseUrl, $"api/daily_papers?date={date:yyyy-MM-dd}&limit={pageSize}", query);
        var url = first;
        var bodies = new List<byte[]>();
        var elements = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        for (var page = 0; ; page++)
        {
            var (body, next) = await GetPage(url, first, cancel);
            bytes += body.Length;
            if (bytes > maxListBytes) throw new FetchException($"{first.AbsoluteUri}: the pages add up to more than {maxListBytes:N0} bytes; stopped");
            bodies.Add(body);
            var rows = Elements(body);
            if (rows is null)
            {
                // Not a JSON list (an HTML error page with status 200, malformed JSON): on the first
                // page, the payload goes to the Snapshot stage, which quarantines it with the parse error.
                if (page == 0) return new FetchedList(date, body, 1, -1, first.AbsoluteUri, PayloadFormat.HfJson);
                throw new FetchException($"page {page + 1} of {first.AbsoluteUri} is not a JSON list ({url.AbsoluteUri})");
            }
            var added = 0;
            foreach (var (raw, id) in rows)
            {
                if (id is not null && !seen.Add(id)) continue;
                elements.Add(raw);
                added++;
            }
            if (rows.Count == 0 || added == 0) break;
            next ??= rows.Count >= pageSize ? PageUrl(first, page + 1) : null;
            if (next is null) break;
            if (page + 1 >= MaxPages) throw new FetchException($"{first.AbsoluteUri}: more than {MaxPages} pages; stopped");
            if (!SourceHttp.SameOrigin(next, first)) throw new FetchException($"{first.AbsoluteUri}: the next page is on another host ({next.GetLeftPart(UriPartial.Authority)}); not followed");
            url = next;
        }

        var payload = bodies.Count == 1 ? bodies[0] : Combine(elements);
        return new FetchedList(date, payload, bodies.Count, elements.Count, first.AbsoluteUri, PayloadFormat.HfJson);
    }

    private async Task<(byte[] Body, Uri? Next)> GetPage(Uri url, Uri first, CancellationToken cancel)
    {
        var answer = await SourceHttp.GetAsync(http, url, first, cancel);
        if (!answer.Succeeded) throw new FetchException(SourceHttp.Failure(answer));
        return (answer.Body, NextLink(answer.Headers, answer.Url));
    }

    /// <summary>Each element's raw JSON and its paper id, or null when the body is not a JSON array (or a <c>{"data": [...]}</c> wrapper).</summary>
    private static List<(string Raw, string? Id)>? Elements(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body, JsonOptions);
            var array = doc.RootElement.ValueKind switch
            {
                JsonValueKind.Array => doc.RootElement,
                JsonValueKind.Object when doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array => data,
                _ => default,
            };
            if (array.ValueKind != JsonValueKind.Array) return null;
            var result = new List<(string, string?)>();
            foreach (var e in array.EnumerateArray())
                result.Add((e.GetRawText(), PaperId(e)));
            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? PaperId(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object) return null;
        if (entry.TryGetProperty("paper", out var paper) && paper.ValueKind == JsonValueKind.Object
            && paper.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String) return id.GetString();
        return entry.TryGetProperty("id", out var flat) && flat.ValueKind == JsonValueKind.String ? flat.GetString() : null;
    }

    private static byte[] Combine(List<string> elements)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < elements.Count; i++)
        {
            if (i > 0) text.Append(',');
            text.Append('\n').Append(elements[i]);
        }
        return Encoding.UTF8.GetBytes(text.Append("\n]\n").ToString());
    }

    private static Uri PageUrl(Uri first, int page) => new(first.AbsoluteUri + $"&p={page}");

    /// <summary>The target of a <c>rel="next"</c> link (RFC 8288), resolved against the page's URL.</summary>
    private static Uri? NextLink(HttpResponseHeaders headers, Uri current)
    {
        if (!headers.TryGetValues("Link", out var values)) return null;
        foreach (var value in values)
        {
            foreach (var part in value.Split(','))
            {
                var open = part.IndexOf('<');
                var close = part.IndexOf('>');
                if (open < 0 || close < open) continue;
                var parameters = part[(close + 1)..].Replace(" ", "", StringComparison.Ordinal);
                if (!parameters.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) && !parameters.Contains("rel=next", StringComparison.OrdinalIgnoreCase)) continue;
                if (Uri.TryCreate(current, part[(open + 1)..close].Trim(), out var next)) return next;
            }
        }
        return null;
    }
}
