using TrendLens.Cli;

var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected;
return new CommandLine(Console.Out, Console.Error, TimeProvider.System, interactive) { BusyWait = CommandLine.DefaultBusyWait }.Run(args);
