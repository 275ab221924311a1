using System.CommandLine;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

public static class QueryCommand
{
    private static readonly string[] Grains = ["day", "week", "month"];

    public static Command Build(CommandLine cli)
    {
        var command = new Command("query", "Query the stored lists and their tags.");
        command.Subcommands.Add(Shares(cli, "models", "Papers mentioning each model family per period, as a share of papers listed.", "family", "rollup/family_share_by_period", defaultTop: 0));
        command.Subcommands.Add(Shares(cli, "topics", "Papers per research topic per period, as a share of papers listed.", "topic", "rollup/topic_share_by_period", defaultTop: 0));
        command.Subcommands.Add(Shares(cli, "terms", "Papers per keyword per period, as a share of papers listed.", "term", "rollup/term_share_by_period", defaultTop: 20));
        command.Subcommands.Add(Papers(cli));
        return command;
    }

    private static Command Shares(CommandLine cli, string name, string description, string tagColumn, string query, int defaultTop)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var grain = new Option<string>("--grain") { Description = "period length", DefaultValueFactory = _ => "week" };
        grain.AcceptOnlyFromAmong(Grains);
        var top = new Option<int>("--top") { Description = $"keep the N tags with the most papers over the range (0: all; default {defaultTop})", DefaultValueFactory = _ => defaultTop };
        top.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError("--top must be 0 or more");
        });
        var filter = new Option<string[]>("--" + tagColumn) { Description = $"only this {tagColumn} (repeatable)", AllowMultipleArgumentsPerToken = false };
        var format = CommandLine.FormatOption();
        var command = new Command(name, description) { from, to, grain, top, filter, format };
        command.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.Database(parse);
            using var connection = database.Open();
            WarnIfStale(cli, parse, connection);
            var names = parse.GetValue(filter) ?? [];
            var rows = connection.Query<(DateOnly Period, string Tag, long Papers, double Share)>(SqlCatalog.Get(query), new
            {
                from = parse.GetValue(from) ?? DateOnly.MinValue,
                to = parse.GetValue(to) ?? DateOnly.MaxValue,
                grain = parse.GetValue(grain),
                top = parse.GetValue(top),
                names = string.Join('\u001f', names),
            });
            TabularWriter.Write(cli.Output, parse.GetValue(format), ["period", tagColumn, "papers", "share"],
                rows.Select(r => new object?[] { r.Period, r.Tag, r.Papers, r.Share }));
            return CommandLine.Ok;
        }));
        return command;
    }

    private static void WarnIfStale(CommandLine cli, ParseResult parse, DuckDBConnection connection)
    {
        try
        {
            var version = cli.Lexicons(parse).Version;
            if (Tagger.Freshness(connection, version).Warning is { } warning) cli.Error.WriteLine($"trendlens: warning: {warning}");
        }
        catch (LexiconException e)
        {
            cli.Error.WriteLine($"trendlens: warning: cannot check tag freshness: {e.Message}");
        }
    }

    private static Command Papers(CommandLine cli)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var format = CommandLine.FormatOption();
        var command = new Command("papers", "Every paper listed between two dates, in list order.") { from, to, format };
        command.SetAction(parse => cli.Guard(() =>
        {
            using var connection = cli.Database(parse).Open();
            var rows = connection.Query<PaperListed>(SqlCatalog.Get("papers/papers_listed"), new
            {
                from = parse.GetValue(from) ?? DateOnly.MinValue,
                to = parse.GetValue(to) ?? DateOnly.MaxValue,
            });
            TabularWriter.Write(cli.Output, parse.GetValue(format), ["list_date", "rank", "paper_id", "title"],
                rows.Select(r => new object?[] { r.ListDate, r.Rank, r.PaperId, r.Title }));
            return CommandLine.Ok;
        }));
        return command;
    }

    private sealed record PaperListed(DateOnly ListDate, int Rank, string PaperId, string Title, string Source, int? Upvotes);
}
