using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TrendLens.Cli.Web.Pages;
using TrendLens.Tagging;

namespace TrendLens.Cli.Web;

/// <summary>What the server knows of itself for the command line: the token in its link file and the lexicons' folder.</summary>
public sealed record LocalAccess(string Token, string DashboardsDirectory);

/// <summary>
/// The command line run inside the server (<c>POST /api/cli</c>, with the token of the link file,
/// from this machine only; see <see cref="ServerLink"/>) and a retag with the lexicons as they
/// are on disk now (<c>POST /api/retag</c>, with the admin token, or from the form on /admin/runs).
/// </summary>
public static class LocalEndpoints
{
    /// <summary>A command's words: room for a shell's expansion of tens of thousands of files by their full paths.</summary>
    private const long MaxRequestBytes = 64L * 1024 * 1024;

    public static IEndpointRouteBuilder MapTrendLensLocal(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cli", Cli);
        app.MapPost("/api/retag", Retag);
        return app;
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);

    private static async Task<IResult> Cli(HttpContext http, DashboardSite site, LocalAccess local, TimeProvider clock)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(local.Token))))
            return Error(401, "this endpoint needs the token of the server's link file beside the database");
        if (http.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
            return Error(403, "the command line is served to this machine only");
        if (http.Request.ContentLength > MaxRequestBytes) return Error(413, "the command is too long");

        string[] args;
        try
        {
            var request = await JsonSerializer.DeserializeAsync(http.Request.Body, ServerLinkJson.Default.Request, http.RequestAborted);
            args = request?.Args ?? throw new JsonException("no args");
        }
        catch (JsonException e)
        {
            return Error(400, $"the command is not readable: {e.Message}");
        }
        // The command line sends the database first (ServerLink's callers: CommandLine.ForServer).
        var db = args.Length >= 2 && args[0] == "--db" ? args[1] : null;
        if (db is null || !string.Equals(TrendLens.Storage.Database.FileOf(db), TrendLens.Storage.Database.FileOf(site.Database.Path), StringComparison.Ordinal))
            return Error(400, $"this server owns {site.WithoutDirectory(Path.GetFullPath(site.Database.Path))}, not the database the command names");
        // Named as the server names it, whatever links the command went through: DuckDB opens one
        // database per spelling of a path, and two of one file in a process would both write it.
        args[1] = Path.GetFullPath(site.Database.Path);

        var command = args.FirstOrDefault(CommandLine.DatabaseCommands.Contains);
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.StartAsync(http.RequestAborted);
        var code = await ServerLink.Serve(args, clock, http.Response.Body, http.RequestAborted);
        // A retag from the command line also makes the server tag what it fetches from now on with those lexicons.
        if (command == "retag" && code == CommandLine.Ok && TryLoad(Dashboards(args, local)) is { } lexicons)
            site.Data.UseLexicons(lexicons);
        return Results.Empty;
    }

    private static string Dashboards(string[] args, LocalAccess local) =>
        Array.IndexOf(args, "--dashboards") is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : local.DashboardsDirectory;

    private static Lexicons? TryLoad(string directory)
    {
        try
        {
            return Lexicons.Load(directory);
        }
        catch (LexiconException)
        {
            return null;
        }
    }

    private static async Task<IResult> Retag(HttpContext http, DashboardSite site, TrendLensSettings settings, LocalAccess local, TimeProvider clock)
    {
        var fromForm = http.Request.HasFormContentType;
        if (fromForm)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            var token = form["token"].ToString();
            if (token.Length > 0) http.Request.Headers.Authorization = "Bearer " + token;
        }
        if (AdminEndpoints.RefuseUnlessAdmin(http, settings) is { } refused) return refused;
        if (site.Demo) return Error(409, "this server shows the synthetic demo database; retagging it is off");
        if (http.Request.Query.Count > 0) return Error(400, "POST /api/retag takes no parameters");

        Lexicons lexicons;
        try
        {
            lexicons = Lexicons.Load(local.DashboardsDirectory);
        }
        catch (LexiconException e)
        {
            return Error(422, $"the lexicons do not load, nothing was retagged: {e.Message}");
        }
        var run = await Task.Run(() =>
        {
            using var connection = site.Database.Open();
            return new Tagger(lexicons, clock).Retag(site.Database, connection);
        });
        site.Data.UseLexicons(lexicons);
        if (!fromForm)
            return Results.Json(new { papers = run.Papers, lexicon_version = run.LexiconVersion, seconds = Math.Round(run.Elapsed.TotalSeconds, 2) });
        return HtmlPages.Page<RetaggedPage>(http, new { Papers = (long)run.Papers, Seconds = run.Elapsed.TotalSeconds, run.LexiconVersion });
    }
}
