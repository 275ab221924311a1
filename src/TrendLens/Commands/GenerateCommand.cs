using System.CommandLine;
using TrendLens.Sources;

namespace TrendLens.Cli.Commands;

public static class GenerateCommand
{
    public static Command Build(CommandLine cli)
    {
        var outDir = new Option<string>("--out") { Description = "directory to write YYYY-MM-DD.jsonl files and planted-trends.tsv into", Required = true };
        var seed = new Option<int>("--seed") { Description = "same seed, same lists", DefaultValueFactory = _ => 1 };
        var start = CommandLine.DateOption("--from", "first day (default: 2025-01-06)");
        var days = new Option<int>("--days") { Description = "calendar days to cover", DefaultValueFactory = _ => 365 };
        var perDay = new Option<int>("--papers-per-day") { Description = "mean list size", DefaultValueFactory = _ => 30 };
        days.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 20_000) r.AddError("--days must be between 1 and 20000"); });
        perDay.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 5_000) r.AddError("--papers-per-day must be between 1 and 5000"); });
        var command = new Command("generate", "Write synthetic daily lists with planted trends (hf-jsonl), for tests, benchmarks and the demo.")
            { outDir, seed, start, days, perDay };
        command.SetAction(parse => cli.Guard(() =>
        {
            var archive = new ListGenerator(parse.GetValue(seed)).Generate(new ListGenerator.Options(
                parse.GetValue(start) ?? new DateOnly(2025, 1, 6), parse.GetValue(days), parse.GetValue(perDay)));
            var dir = parse.GetValue(outDir)!;
            ListGenerator.Write(archive, dir);
            cli.Output.WriteLine($"Wrote {archive.Days.Count:N0} daily lists ({archive.Days.Sum(d => d.Entries.Count):N0} papers, " +
                $"{archive.MissingDays.Count} weekday outages) and {archive.Trends.Count} planted trends to {dir}.");
            return CommandLine.Ok;
        }));
        return command;
    }
}
