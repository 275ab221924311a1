using System.Globalization;

namespace TrendLens.Sources;

/// <summary>
/// Stage 1, Fetch, for sources of kind <c>arxiv</c>: one day's new submissions in the configured
/// categories from arXiv's query API,
/// <c>GET {base}/api/query?search_query=(cat:cs.LG OR …) AND submittedDate:[D0000 TO D2359]&amp;sortBy=submittedDate&amp;sortOrder=ascending&amp;start=S&amp;max_results=N</c>,
/// page after page until <c>opensearch:totalResults</c> are read. A page that holds fewer entries
/// than asked for before that total is reached, counts fewer papers than an earlier page, or is no
/// arXiv answer (arXiv's API answers an empty or short page now and then) is asked again; still so
/// after the source's retries, the day fails and nothing of it is stored, so that the next run
/// fetches it whole instead of keeping a day with papers missing. So does a day whose pages
/// overlapped, leaving fewer distinct papers than the total.
/// arXiv's terms are kept by construction: requests go one at a time, the next starts at least
/// <see cref="ArxivOptions.RequestSpacingSeconds"/> after the previous one ended, whoever asks
/// (one instance per source, shared by every fetch of this process), and a 429 or 503 waits what
/// its <c>Retry-After</c> says before the same page is asked again. Waits run on the given
/// <see cref="TimeProvider"/>.
/// </summary>
public sealed class ArxivApi(HttpClient http, SourceConfig config, ArxivOptions options, int retries, TimeSpan retryDelay, TimeProvider clock)
{
    /// <summary>The most results arXiv serves for one query.</summary>
    public const int MaxResultsPerQuery = 30_000;

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the day fails and is tried on the next run.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);

    private const string NotStored = "nothing of the day is stored, and it is tried again on the next run";

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private DateTimeOffset? _lastEnded;

    public async Task<FetchedList> FetchAsync(DateOnly date, CancellationToken cancel)
    {
        var first = PageUrl(date, 0);
        var pages = new List<byte[]>();
        var entries = new List<ReadOnlyMemory<byte>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        // The day's count of papers, the largest any page has given: a page that counts fewer
        // (arXiv answers an empty page with a total of 0 now and then) is a short page too.
        var dayTotal = 0;
        while (true)
        {
            var url = PageUrl(date, start);
            byte[] body;
            ArxivAtom.Page page;
            for (var attempt = 0; ; attempt++)
            {
                body = await GetPaced(url, first, cancel, attempt == 0 ? TimeSpan.Zero : Backoff(attempt - 1));
                string problem;
                try
                {
                    page = ArxivAtom.Parse(body);
                    var total = Math.Min(page.TotalResults ?? 0, MaxResultsPerQuery);
                    var expected = Math.Min(config.PageSize, Math.Max(total, dayTotal) - start);
                    if (total < dayTotal) problem = $"it counts {total} papers where an earlier page counted {dayTotal}";
                    else if (page.Entries.Count < expected) problem = $"{page.Entries.Count} entries where {expected} were expected ({total} in all, {start} read before)";
                    else
                    {
                        dayTotal = total;
                        break;
                    }
                }
                catch (PayloadException e)
                {
                    // The first page goes to the Snapshot stage as it is, which quarantines it with the reason.
                    if (pages.Count == 0) return new FetchedList(date, body, 1, -1, first.AbsoluteUri, ArxivAtom.Format);
                    problem = $"page {pages.Count + 1} of {first.AbsoluteUri} is not an arXiv answer ({e.Describe()})";
                }
                if (attempt >= retries)
                    throw new FetchException($"{url.AbsoluteUri}: {problem}, asked {attempt + 1} time{(attempt == 0 ? "" : "s")}; " + NotStored);
            }
            pages.Add(body);
            var spans = ArxivAtom.EntrySpans(body);
            if (spans.Count != page.Entries.Count)
                throw new FetchException($"{url.AbsoluteUri}: {page.Entries.Count} entries read but {spans.Count} found in the text; not stored");
            for (var i = 0; i < spans.Count; i++)
                if (seen.Add(page.Entries[i].Id))
                    entries.Add(body.AsMemory(spans[i].Start, spans[i].Length));
            start += page.Entries.Count;
            if (page.Entries.Count == 0 || start >= dayTotal) break;
        }
        // Pages that overlap (arXiv's order shifted while paging) leave papers unread.
        if (seen.Count < dayTotal)
            throw new FetchException($"{first.AbsoluteUri}: {seen.Count} distinct papers read where arXiv counts {dayTotal} (its pages overlapped); " + NotStored);
        var payload = pages.Count == 1 ? pages[0] : ArxivAtom.Combine(pages[0], entries);
        return new FetchedList(date, payload, pages.Count, entries.Count, first.AbsoluteUri, ArxivAtom.Format);
    }

    /// <summary>The query URL of one page of <paramref name="date"/>'s submissions.</summary>
    public Uri PageUrl(DateOnly date, int start)
    {
        var day = date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var categories = string.Join(" OR ", options.Categories.Select(c => "cat:" + c));
        var search = $"({categories}) AND submittedDate:[{day}0000 TO {day}2359]";
        return SourceHttp.Url(config.BaseUrl, $"api/query?search_query={Uri.EscapeDataString(search)}&sortBy=submittedDate&sortOrder=ascending" +
            $"&start={start}&max_results={config.PageSize}", config.Query);
    }

    /// <summary>The wait before asking again after the <paramref name="attempt"/>-th failure (from 0): doubling from the source's retry delay.</summary>
    private TimeSpan Backoff(int attempt) => retryDelay * Math.Pow(2, attempt);

    /// <summary>One page, after the spacing arXiv asks for (or <paramref name="wait"/> when longer); 429 and 503 retried after their <c>Retry-After</c>.</summary>
    private async Task<byte[]> GetPaced(Uri url, Uri first, CancellationToken cancel, TimeSpan wait)
    {
        await _oneAtATime.WaitAsync(cancel);
        try
        {
            var spacing = TimeSpan.FromSeconds(options.RequestSpacingSeconds);
            for (var attempt = 0; ; attempt++)
            {
                if (_lastEnded is { } last)
                {
                    var due = last + (wait > spacing ? wait : spacing) - clock.GetUtcNow();
                    if (due > TimeSpan.Zero) await Task.Delay(due, clock, cancel);
                }
                SourceAnswer answer;
                try
                {
                    answer = await SourceHttp.GetAsync(http, url, first, cancel);
                }
                finally
                {
                    _lastEnded = clock.GetUtcNow();
                }
                if (answer.Succeeded) return answer.Body;
                var transient = answer.Status is 429 or 500 or 502 or 503 or 504;
                if (!transient || attempt >= retries) throw new FetchException(SourceHttp.Failure(answer) + (transient ? $" after {attempt + 1} attempts" : ""));
                var asked = answer.RetryAfter(clock.GetUtcNow());
                if (asked > MaxRetryAfter)
                    throw new FetchException($"{SourceHttp.Failure(answer)}, Retry-After {asked.Value.TotalSeconds:0} s (more than {MaxRetryAfter.TotalMinutes:0} min); the day is tried again on the next run");
                wait = asked ?? Backoff(attempt);
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
