using System.CommandLine;
using Dapper;
using TrendLens.Storage;

namespace TrendLens.Cli.Commands;

public static class QueryCommand
{
    public static Command Build(CommandLine cli)
    {
        var command = new Command("query", "Query the stored lists and their tags.");
        command.Subcommands.Add(Papers(cli));
        return command;
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
