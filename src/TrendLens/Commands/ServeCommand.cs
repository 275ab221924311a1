using System.CommandLine;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TrendLens.Cli.Web;
using TrendLens.Dashboards;
using TrendLens.Storage;

namespace TrendLens.Cli.Commands;

public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static Command Build(CommandLine cli)
    {
        var urls = new Option<string>("--urls") { Description = "where to listen (loopback unless told otherwise)", DefaultValueFactory = _ => DefaultUrls };
        var demo = new Option<bool>("--demo") { Description = "serve a separate database of synthetic lists (built on first use)" };
        var command = new Command("serve", "Serve the dashboards over HTTP.") { urls, demo };
        command.SetAction(parse => cli.Guard(() =>
        {
            var main = cli.Database(parse);
            var useDemo = parse.GetValue(demo) || IsEmpty(main);
            var database = useDemo ? DemoDatabase(cli, parse, main) : main;
            using var app = Create(database, cli.DashboardsDirectory(parse), useDemo, parse.GetValue(urls)!);
            cli.Output.WriteLine($"TrendLens serving {database.Path}{(useDemo ? " (synthetic demo data)" : "")} on {parse.GetValue(urls)}");
            app.Run();
            return CommandLine.Ok;
        }));
        return command;
    }

    public static WebApplication Create(Database database, string dashboardsDirectory, bool demo, string urls)
    {
        var dashboards = DashboardCatalog.Load(dashboardsDirectory);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(new DashboardSite(database, dashboards, demo));
        var app = builder.Build();
        app.UseSecurityHeaders();
        app.MapTrendLens();
        return app;
    }

    private static bool IsEmpty(Database database)
    {
        using var connection = database.Open();
        return connection.ExecuteScalar<long>("select count(*) from snapshots") == 0;
    }

    /// <summary>A database of generated lists beside the main one (demo.duckdb), built once.</summary>
    private static Database DemoDatabase(CommandLine cli, System.CommandLine.ParseResult parse, Database main)
    {
        var folder = main.InMemory ? Path.GetTempPath() : Path.GetDirectoryName(Path.GetFullPath(main.Path))!;
        var database = new Database(Path.Combine(folder, "demo.duckdb"));
        cli.Output.WriteLine($"Demo: synthetic lists in {database.Path} (building them the first time takes a few seconds)");
        DemoData.EnsureBuilt(database, cli.Lexicons(parse), cli.Clock);
        return database;
    }
}
