using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using TrendLens.Cli.Scheduling;
using TrendLens.Cli.Web.Pages;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Cli.Web;

/// <summary>The run history and coverage page, and the write API (admin token required).</summary>
public static class AdminEndpoints
{
    public const int MaxFetchDays = 31;
    // Under Kestrel's own 30 MB request limit, so the answer is this one, with its reason.
    public const long MaxImportBytes = 25L * 1024 * 1024;

    public static IEndpointRouteBuilder MapTrendLensAdmin(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/runs", Runs);
        app.MapGet("/admin/runs.json", RunsJson);
        app.MapPost("/api/fetch", Fetch);
        app.MapPost("/api/import", Import);
        return app;
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new { error = message }, statusCode: status);

    /// <summary>Null when the request carries the configured admin token; otherwise the answer to send.</summary>
    public static IResult? RefuseUnlessAdmin(HttpContext http, TrendLensSettings settings)
    {
        if (settings.AdminToken.Length == 0)
            return Error(403, "writes are disabled: no admin token is configured (set TRENDLENS_ADMIN_TOKEN or TrendLens:AdminToken)");
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(401, "this endpoint needs Authorization: Bearer <admin token>");
        }
        var given = Encoding.UTF8.GetBytes(header[scheme.Length..].Trim());
        var expected = Encoding.UTF8.GetBytes(settings.AdminToken);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected)))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Error(401, "the admin token is wrong");
        }
        return null;
    }

    private static readonly HashSet<string> FetchParameters = ["source", "date", "from", "to", "refetch"];

    private static async Task<IResult> Fetch(HttpContext http, DashboardSite site, TrendLensSettings settings, FetchClients clients, TimeProvider clock)
    {
        if (RefuseUnlessAdmin(http, settings) is { } refused) return refused;
        if (site.Demo) return Error(409, "this server shows the synthetic demo database; fetching into it is off");
        var query = http.Request.Query;
        if (QueryStrings.Refusal(query, FetchParameters) is { } refusal) return Error(400, refusal);
        if (settings.Sources.Count == 0) return Error(409, "no live source is configured (TrendLens:Sources)");
        var name = query["source"].FirstOrDefault();
        var source = settings.Find(name);
        if (source is null) return Error(400, $"no source '{name}'; configured: {string.Join(", ", settings.Sources.Select(s => s.Name))}");

        if (!PageParameters.TryDate(query["date"].FirstOrDefault(), "date", out var date, out var error)
            || !PageParameters.TryDate(query["from"].FirstOrDefault(), "from", out var from, out error)
            || !PageParameters.TryDate(query["to"].FirstOrDefault(), "to", out var to, out error))
            return Error(400, error);
        if (date is not null && (from is not null || to is not null)) return Error(400, "give date, or from and to, not both");
        if ((from is null) != (to is null)) return Error(400, "give both from and to");
        if (from > to) return Error(400, "from is after to");
        if (from is not null && to!.Value.DayNumber - from.Value.DayNumber + 1 > MaxFetchDays) return Error(400, $"at most {MaxFetchDays} days at a time");
        var refetch = query["refetch"].FirstOrDefault() switch
        {
            null or "" or "0" or "false" => false,
            "1" or "true" => true,
            _ => (bool?)null,
        };
        if (refetch is null) return Error(400, "refetch must be 1 or 0");

        var fetcher = new ListFetcher(clients.Source(source), site.Lexicons, clock);
        IReadOnlyList<FetchRun> runs;
        if (date is null && from is null)
        {
            runs = await fetcher.CatchUpAsync(site.Database, source.ToFetchSource(), source.CatchUpDays, source.Lag(), "api", http.RequestAborted, source.BackfillDays);
        }
        else
        {
            var days = date is { } d ? [d] : Enumerable.Range(0, to!.Value.DayNumber - from!.Value.DayNumber + 1).Select(i => from.Value.AddDays(i)).ToList();
            runs = await fetcher.FetchAsync(site.Database, source.ToFetchSource(), days, "api", http.RequestAborted, refetch: refetch.Value);
        }
        return Results.Json(new
        {
            source = source.Name,
            runs = runs.Select(r => new
            {
                list_date = r.ListDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                status = r.Status,
                entries_added = r.EntriesAdded,
                revision = r.Revision,
                pages = r.Pages,
                duration_ms = r.DurationMs,
                error = r.Error,
            }),
        });
    }

    private static readonly HashSet<string> ImportParameters = ["source", "date", "format", "name"];

    /// <summary>
    /// One payload in any import format as the request body; <c>?source=&amp;date=&amp;format=&amp;name=</c>
    /// (<c>name</c>: the file name it came from, a date hint). Stored through the Snapshot stage
    /// exactly as <c>trendlens import</c> stores a file: 200 with the days stored, or 422 with the
    /// reason when it went to quarantine.
    /// </summary>
    private static async Task<IResult> Import(HttpContext http, DashboardSite site, TrendLensSettings settings, TimeProvider clock)
    {
        if (RefuseUnlessAdmin(http, settings) is { } refused) return refused;
        if (site.Demo) return Error(409, "this server shows the synthetic demo database; importing into it is off");
        var query = http.Request.Query;
        if (QueryStrings.Refusal(query, ImportParameters) is { } refusal) return Error(400, refusal);
        var source = query["source"].FirstOrDefault() ?? SnapshotWriter.DefaultSource;
        if (source.Length is 0 or > 64 || source.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            return Error(400, "source must be 1 to 64 letters, digits, '-', '_' or '.'");
        if (!PageParameters.TryDate(query["date"].FirstOrDefault(), "date", out var date, out var error)) return Error(400, error);
        var formatName = query["format"].FirstOrDefault() ?? "auto";
        if (!PayloadFormats.Names.Contains(formatName)) return Error(400, $"format must be one of {string.Join(", ", PayloadFormats.Names)}");
        var name = query["name"].FirstOrDefault() ?? "";
        if (name.Length > 200 || name.IndexOfAny(['/', '\\', '\0']) >= 0) return Error(400, "name must be a file name (no folders), at most 200 characters");
        if (http.Request.ContentLength > MaxImportBytes) return Error(413, $"a payload is at most {MaxImportBytes / (1024 * 1024)} MB");

        var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            if (body.Length + read > MaxImportBytes) return Error(413, $"a payload is at most {MaxImportBytes / (1024 * 1024)} MB");
            body.Write(buffer, 0, read);
        }
        if (body.Length == 0) return Error(400, "the request body is empty: send the payload as the body");

        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var origin = "api:" + (name.Length > 0 ? name : $"upload-{clock.GetUtcNow():yyyyMMddTHHmmss}");
        SnapshotOutcome outcome;
        string? tagError;
        using (var connection = site.Database.Open())
            (outcome, tagError) = new SnapshotWriter(clock).StoreAndTag(site.Database, connection, body.ToArray(), source,
                PayloadFormats.Parse(formatName),
                new PayloadContext(origin, date, today) { SourceKind = settings.KindOfSource(source) }, site.Lexicons);
        var answer = new
        {
            source,
            sha256 = outcome.Sha256,
            format = outcome.Format?.Name,
            days = outcome.Days.Select(d => new
            {
                list_date = d.ListDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                status = d.Status switch { DayStatus.New => "new", DayStatus.Revised => "revised", DayStatus.NoList => "no-list", _ => "unchanged" },
                revision = d.Revision,
                entries = d.Entries,
            }),
            notes = tagError is null ? outcome.Notes : [.. outcome.Notes, tagError],
            error = outcome.Error,
            quarantined = outcome.Quarantined,
        };
        return Results.Json(answer, statusCode: outcome.Failed ? 422 : 200);
    }

    public sealed record RunRow(long RunId, string Source, DateOnly ListDate, string Trigger, DateTime StartedAt, long DurationMs, string Status,
        int EntriesAdded, int? Revision, int? Pages, string? Error);

    /// <summary>One day of a source in the coverage calendar: present, no-list, failed or missing.</summary>
    public sealed record CalendarDay(string Source, DateOnly ListDate, string State, long Runs, string? LastError);

    private const int CalendarDays = 91;

    private static (List<RunRow> Runs, List<CalendarDay> Calendar, DateOnly From, DateOnly To) Read(DashboardSite site, TimeProvider clock)
    {
        using var connection = site.Database.Open();
        var runs = connection.Query<RunRow>(SqlCatalog.Get("fetch/fetch_runs_recent"), new { limit = 200 }).ToList();
        var to = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = to.AddDays(1 - CalendarDays);
        var calendar = connection.Query<CalendarDay>(SqlCatalog.Get("fetch/fetch_calendar"), new { from, to }).ToList();
        return (runs, calendar, from, to);
    }

    private static IResult RunsJson(HttpContext http, DashboardSite site, TimeProvider clock)
    {
        if (QueryStrings.Refusal(http.Request.Query, NoParameters) is { } refusal) return Error(400, refusal);
        var (runs, calendar, _, _) = Read(site, clock);
        return Results.Json(new
        {
            runs = runs.Select(r => new
            {
                run_id = r.RunId, source = r.Source, list_date = r.ListDate, trigger = r.Trigger,
                started_at = DateTime.SpecifyKind(r.StartedAt, DateTimeKind.Utc), duration_ms = r.DurationMs, status = r.Status,
                entries_added = r.EntriesAdded, revision = r.Revision, pages = r.Pages, error = r.Error,
            }),
            coverage = calendar.Select(c => new { source = c.Source, list_date = c.ListDate, state = c.State, runs = c.Runs, last_error = c.LastError }),
        });
    }

    /// <summary>The run history takes no parameters: anything in its query is a mistake to say.</summary>
    private static readonly HashSet<string> NoParameters = [];

    private static IResult Runs(HttpContext http, DashboardSite site, TrendLensSettings settings, TimeProvider clock)
    {
        // An HTML page: its refusals are text, as the dashboards' are; the JSON twin answers JSON.
        if (QueryStrings.Refusal(http.Request.Query, NoParameters) is { } refusal) return DashboardEndpoints.BadRequest(refusal);
        var (runs, calendar, from, to) = Read(site, clock);
        return HtmlPages.Page<RunsPage>(http, new
        {
            Sources = settings.Sources, Scheduled = settings.Scheduler && !site.Demo, From = from, To = to,
            Calendar = calendar, Runs = runs, Retag = !site.Demo,
        });
    }
}
