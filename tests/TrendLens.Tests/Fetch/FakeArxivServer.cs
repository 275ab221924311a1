using System.Collections.Concurrent;
using System.Globalization;
using System.Security;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// A stand-in for arXiv's query API on a loopback port (a real Kestrel): per submission day, the
/// papers of fixtures written here, answered as Atom pages by <c>start</c> and <c>max_results</c>
/// for the categories the query names; scripted answers first, one per request. It notes each
/// request's time on the test's clock and how many were in flight at once.
/// </summary>
public sealed partial class FakeArxivServer : IAsyncDisposable
{
    /// <summary>One paper: its versioned id, categories (the first is primary) and first submission time.</summary>
    public sealed record Paper(string Id, int Version, string Title, string Summary, string[] Categories, DateTime Published);

    public sealed record Reply(int Status, string Body, string? RetryAfter = null);

    public sealed record Seen(DateOnly Day, int Start, int MaxResults, string[] Categories, DateTimeOffset At, string UserAgent);

    [GeneratedRegex(@"submittedDate:\[(\d{8})0000 TO (\d{8})2359\]")]
    private static partial Regex DayPattern();

    [GeneratedRegex(@"cat:([A-Za-z.-]+)")]
    private static partial Regex CategoryPattern();

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<DateOnly, List<Paper>> _days = new();
    private readonly ConcurrentQueue<Reply> _script = new();
    private int _inFlight;

    public ConcurrentQueue<Seen> Requests { get; } = new();
    public int MostAtOnce { get; private set; }

    /// <summary>Answer every paper of a page twice over (a cross-list the API repeats on the next page).</summary>
    public bool RepeatAcrossPages { get; set; }

    public Uri BaseUrl { get; }

    private FakeArxivServer(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
        BaseUrl = new Uri(app.Urls.First() + "/");
    }

    public static async Task<FakeArxivServer> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        var app = builder.Build();
        FakeArxivServer? server = null;
        app.MapGet("/api/query", (HttpContext http) => server!.Answer(http));
        await app.StartAsync();
        server = new FakeArxivServer(app, clock);
        return server;
    }

    public void SetDay(DateOnly day, IEnumerable<Paper> papers) => _days[day] = papers.ToList();

    public void Script(params Reply[] replies)
    {
        foreach (var r in replies) _script.Enqueue(r);
    }

    private readonly ConcurrentDictionary<int, ConcurrentQueue<Reply>> _pageScript = new();

    /// <summary>Replies for the next requests of the page starting at <paramref name="start"/>, before any <see cref="Script"/>ed reply.</summary>
    public void ScriptPage(int start, params Reply[] replies)
    {
        var queue = _pageScript.GetOrAdd(start, _ => new ConcurrentQueue<Reply>());
        foreach (var r in replies) queue.Enqueue(r);
    }

    /// <summary><paramref name="count"/> papers first submitted on <paramref name="day"/>, an hour apart from 00:30 UTC.</summary>
    public static List<Paper> Papers(DateOnly day, int count, string category = "cs.LG") =>
        Enumerable.Range(1, count)
            .Select(i => new Paper($"{day:yyMM}.{day.Day:00}{i:000}", 1, $"Paper {i} of {day:yyyy-MM-dd}: Sparse attention for long-context LLM inference",
                $"We propose a sparse attention kernel.\n  It speeds up long-context inference by {i}x.", [category, "cs.CL"],
                day.ToDateTime(new TimeOnly(0, 30)).AddMinutes(7 * i)))
            .ToList();

    private async Task Answer(HttpContext http)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        MostAtOnce = Math.Max(MostAtOnce, inFlight);
        try
        {
            var query = http.Request.Query;
            var search = query["search_query"].ToString();
            var dayMatch = DayPattern().Match(search);
            var day = dayMatch.Success ? DateOnly.ParseExact(dayMatch.Groups[1].Value, "yyyyMMdd", CultureInfo.InvariantCulture) : default;
            var categories = CategoryPattern().Matches(search).Select(m => m.Groups[1].Value).ToArray();
            var start = int.TryParse(query["start"], out var s) ? s : 0;
            var max = int.TryParse(query["max_results"], out var m) ? m : 10;
            Requests.Enqueue(new Seen(day, start, max, categories, _clock.GetUtcNow(), http.Request.Headers.UserAgent.ToString()));
            // Long enough for a second connection, were one opened, to arrive meanwhile.
            await Task.Delay(20);

            if ((_pageScript.TryGetValue(start, out var scripted) && scripted.TryDequeue(out var reply)) || _script.TryDequeue(out reply))
            {
                http.Response.StatusCode = reply.Status;
                if (reply.RetryAfter is not null) http.Response.Headers.RetryAfter = reply.RetryAfter;
                http.Response.ContentType = "application/atom+xml; charset=utf-8";
                await http.Response.WriteAsync(reply.Body);
                return;
            }

            var all = (_days.GetValueOrDefault(day) ?? []).Where(p => p.Categories.Intersect(categories).Any()).ToList();
            var page = all.Skip(start).Take(max).ToList();
            if (RepeatAcrossPages && start > 0) page = [.. all.Skip(start - 1).Take(1), .. page];
            http.Response.ContentType = "application/atom+xml; charset=utf-8";
            await http.Response.WriteAsync(Feed(page, all.Count, start, max));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>An answer in the API's format: the opensearch totals, then one entry per paper.</summary>
    public static string Feed(IReadOnlyList<Paper> papers, int total, int start = 0, int max = 10)
    {
        var text = new StringBuilder();
        text.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        text.Append("<feed xmlns=\"http://www.w3.org/2005/Atom\" xmlns:opensearch=\"http://a9.com/-/spec/opensearch/1.1/\" xmlns:arxiv=\"http://arxiv.org/schemas/atom\">\n");
        text.Append("  <id>https://arxiv.org/api/fake</id>\n  <title>arXiv Query</title>\n  <updated>2025-02-14T00:00:00Z</updated>\n");
        text.Append($"  <opensearch:totalResults>{total}</opensearch:totalResults>\n");
        text.Append($"  <opensearch:startIndex>{start}</opensearch:startIndex>\n");
        text.Append($"  <opensearch:itemsPerPage>{max}</opensearch:itemsPerPage>\n");
        foreach (var p in papers) text.Append(Entry(p));
        text.Append("</feed>\n");
        return text.ToString();
    }

    public static string Entry(Paper p)
    {
        static string X(string s) => SecurityElement.Escape(s);
        var text = new StringBuilder();
        text.Append("  <entry>\n");
        text.Append($"    <id>http://arxiv.org/abs/{p.Id}v{p.Version}</id>\n");
        text.Append($"    <title>{X(p.Title)}</title>\n");
        text.Append($"    <updated>{p.Published.AddDays(p.Version - 1):yyyy-MM-ddTHH:mm:ssZ}</updated>\n");
        text.Append($"    <link href=\"https://arxiv.org/abs/{p.Id}v{p.Version}\" rel=\"alternate\" type=\"text/html\"/>\n");
        text.Append($"    <summary>{X(p.Summary)}</summary>\n");
        text.Append("    <author>\n      <name>Ann Author</name>\n    </author>\n    <author>\n      <name>Bo Writer</name>\n    </author>\n");
        text.Append($"    <arxiv:primary_category term=\"{p.Categories[0]}\"/>\n");
        foreach (var c in p.Categories) text.Append($"    <category term=\"{c}\" scheme=\"http://arxiv.org/schemas/atom\"/>\n");
        text.Append($"    <published>{p.Published:yyyy-MM-ddTHH:mm:ssZ}</published>\n");
        text.Append("  </entry>\n");
        return text.ToString();
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

/// <summary>
/// A clock on which every wait ends at once and moves the time on by its length: a fetch that
/// paces its requests runs at full speed, and the times it would have waited can be read.
/// </summary>
public sealed class SkippingClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Add(ref _ticks, Math.Max(0, dueTime.Ticks));
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
        return new Fired();
    }

    private sealed class Fired : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
