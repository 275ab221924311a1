using System.CommandLine;
using Dapper;
using TrendLens.Storage;

namespace TrendLens.Cli.Commands;

public static class SnapshotsCommand
{
    private static readonly string[] Columns = ["source", "list_date", "revision", "status", "entries", "sha256"];

    public static Command Build(CommandLine cli)
    {
        var format = CommandLine.FormatOption();
        var command = new Command("snapshots", "List stored snapshots, their revisions, and quarantined payloads.") { format };
        command.SetAction(parse => cli.Guard(() =>
        {
            using var connection = cli.ExistingDatabase(parse).Open();
            var rows = connection.Query(SqlCatalog.Get("snapshots/snapshots_stored"))
                .Cast<IDictionary<string, object?>>()
                .ToList();
            var fmt = parse.GetValue(format);
            // The CSV columns are a contract; the table also shows where a payload came from and why it was quarantined.
            var columns = fmt == OutputFormat.Csv ? Columns : [.. Columns, "origin", "error"];
            TabularWriter.Write(cli.Output, fmt, columns, rows.Select(r => columns.Select(c => r[c]).ToArray()));
            return CommandLine.Ok;
        }));
        return command;
    }
}
