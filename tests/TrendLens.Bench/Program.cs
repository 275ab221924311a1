using System.CommandLine;
using TrendLens.Bench;
using TrendLens.Cli;

// trendlens-bench: the `bench` commands of docs/benchmarks.md, with trendlens's --db and
// --dashboards options and its exit codes.
var cli = new CommandLine(Console.Out, Console.Error, TimeProvider.System, interactive: false);
var root = new RootCommand("Benchmarks of a TrendLens database or a running server (docs/benchmarks.md).");
root.Options.Add(cli.DatabaseOption);
root.Options.Add(cli.DashboardsOption);
foreach (var command in BenchCommand.Build(cli).Subcommands) root.Subcommands.Add(command);
var parse = root.Parse(args);
if (parse.Errors.Count > 0)
{
    foreach (var e in parse.Errors) Console.Error.WriteLine($"trendlens-bench: {e.Message}");
    return CommandLine.Usage;
}
return parse.Invoke();
