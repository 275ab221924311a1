using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace TrendLens.Tests.Fetch;

/// <summary>
/// A stand-in for the Daily Papers API on a loopback port (a real Kestrel): healthy lists per
/// date in the API's wire format, paginated by <c>limit</c> and <c>p</c>, and scripted faults
/// that are answered first, one per request.
/// </summary>
public sealed class FakeHfServer : IAsyncDisposable
{
    /// <summary>
    /// A scripted answer. <paramref name="Trickle"/> sends the headers at once, then the body one
    /// byte at a time with that pause between bytes (a stalled or throttled upstream).
    /// <paramref name="Location"/> makes it a redirect.
    /// </summary>
    public sealed record Reply(int Status, string Body, string ContentType = "application/json", TimeSpan Delay = default, string? RetryAfter = null,
        TimeSpan Trickle = default, string? Location = null);

    public sealed record Seen(DateOnly Date, int Page, int Limit, DateTimeOffset At, string Query = "");

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<DateOnly, IReadOnlyList<string>> _lists = new();
    private readonly ConcurrentDictionary<DateOnly, ConcurrentQueue<Reply>> _scripts = new();

    public ConcurrentQueue<Seen> Requests { get; } = new();

    /// <summary>Send <c>Link: &lt;…&gt;; rel="next"</c> on a page that has more after it.</summary>
    public bool LinkHeaders { get; set; }

    public Uri BaseUrl { get; }

    private FakeHfServer(WebApplication app)
    {
        _app = app;
        BaseUrl = new Uri(app.Urls.First() + "/");
    }

    public static async Task<FakeHfServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        var app = builder.Build();
        FakeHfServer? server = null;
        app.MapGet("/api/daily_papers", (HttpContext http) => server!.Answer(http));
        await app.StartAsync();
        server = new FakeHfServer(app);
        return server;
    }

    public void SetList(DateOnly date, IReadOnlyList<string> entries) => _lists[date] = entries;

    public void Script(DateOnly date, params Reply[] replies)
    {
        var queue = _scripts.GetOrAdd(date, _ => new ConcurrentQueue<Reply>());
        foreach (var r in replies) queue.Enqueue(r);
    }

    public int RequestsFor(DateOnly date) => Requests.Count(r => r.Date == date);

    private async Task Answer(HttpContext http)
    {
        var query = http.Request.Query;
        var date = DateOnly.ParseExact(query["date"].ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var limit = int.TryParse(query["limit"], out var l) ? l : 50;
        var page = int.TryParse(query["p"], out var p) ? p : 0;
        Requests.Enqueue(new Seen(date, page, limit, DateTimeOffset.UtcNow, http.Request.QueryString.Value ?? ""));

        if (_scripts.TryGetValue(date, out var script) && script.TryDequeue(out var reply))
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(reply.Delay, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            http.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null) http.Response.Headers.RetryAfter = reply.RetryAfter;
            if (reply.Location is not null) http.Response.Headers.Location = reply.Location;
            http.Response.ContentType = reply.ContentType;
            if (reply.Trickle <= TimeSpan.Zero)
            {
                await http.Response.WriteAsync(reply.Body);
                return;
            }
            try
            {
                await http.Response.StartAsync(http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
                foreach (var b in System.Text.Encoding.UTF8.GetBytes(reply.Body))
                {
                    await http.Response.Body.WriteAsync(new[] { b }, http.RequestAborted);
                    await http.Response.Body.FlushAsync(http.RequestAborted);
                    await Task.Delay(reply.Trickle, http.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client gave up on the trickle, as it should.
            }
            return;
        }

        var entries = _lists.GetValueOrDefault(date) ?? [];
        var slice = entries.Skip(page * limit).Take(limit).ToList();
        if (LinkHeaders && (page + 1) * limit < entries.Count)
            http.Response.Headers.Link = $"<{BaseUrl}api/daily_papers?date={date:yyyy-MM-dd}&limit={limit}&p={page + 1}>; rel=\"next\"";
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync("[" + string.Join(",", slice) + "]");
    }

    /// <summary>One entry in the API's wire format: an outer object with a nested <c>paper</c>.</summary>
    public static string Entry(string id, string title, string summary, int upvotes, DateOnly date) =>
        JsonSerializer.Serialize(new
        {
            paper = new
            {
                id,
                authors = new object[] { new { _id = "a-" + id, name = "Ann Author", hidden = false } },
                publishedAt = $"{date.AddDays(-1):yyyy-MM-dd}T00:00:00.000Z",
                title,
                summary,
                upvotes,
                discussionId = "d-" + id,
            },
            publishedAt = $"{date.AddDays(-1):yyyy-MM-dd}T20:00:00.000Z",
            title,
            thumbnail = $"https://example.org/{id}.png",
            numComments = 0,
            isAuthorParticipating = false,
        });

    /// <summary>A list of <paramref name="count"/> papers for a day, upvotes descending.</summary>
    public static List<string> List(DateOnly date, int count) =>
        Enumerable.Range(1, count)
            .Select(i => Entry($"{date:yyMM}.{date.Day:00}{i:000}", $"Paper {i} of {date:yyyy-MM-dd}: Sparse Mixture-of-Experts with Qwen2.5",
                "We study mixture-of-experts routing with a Qwen2.5-7B backbone and report results.", 500 - i, date))
            .ToList();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
