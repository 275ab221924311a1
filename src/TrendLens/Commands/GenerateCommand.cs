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
        var baseSource = new Option<string>("--base-source")
        {
            Description = "also write a base source's lists, several times as long and holding each daily list, into OUT/NAME/ (hf-json; import with --source NAME)",
            HelpName = "NAME",
        };
        var baseMultiple = new Option<int>("--base-multiple") { Description = "the base lists' length as a multiple of the daily lists'", DefaultValueFactory = _ => 6 };
        baseMultiple.Check(v => v is >= 2 and <= 50, "--base-multiple must be between 2 and 50");
        baseSource.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is { } name && (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || name.StartsWith('.')))
                r.AddError("--base-source must be a name of letters, digits, '-', '_' or '.' (it names a folder and a source)");
        });
        days.Check(v => v is >= 1 and <= 20_000, "--days must be between 1 and 20000");
        perDay.Check(v => v is >= 1 and <= 5_000, "--papers-per-day must be between 1 and 5000");
        var command = new Command("generate", "Write synthetic daily lists with planted trends (hf-jsonl), for tests, benchmarks and the demo.")
            { outDir, seed, start, days, perDay, baseSource, baseMultiple };
        command.SetAction(parse => cli.Guard(() =>
        {
            var named = parse.GetValue(baseSource);
            var archive = new ListGenerator(parse.GetValue(seed)).Generate(new ListGenerator.Options(
                parse.GetValue(start) ?? new DateOnly(2025, 1, 6), parse.GetValue(days), parse.GetValue(perDay)) { BaseMultiple = named is null ? 0 : parse.GetValue(baseMultiple) });
            var dir = parse.GetValue(outDir)!;
            ListGenerator.Write(archive, dir);
            cli.Output.WriteLine($"Wrote {archive.Days.Count:N0} daily lists ({archive.Days.Sum(d => d.Entries.Count):N0} papers, " +
                $"{archive.MissingDays.Count} weekday outages) and {archive.Trends.Count} planted trends to {dir}.");
            if (named is not null)
            {
                var baseDir = Path.Combine(dir, named);
                ListGenerator.WriteBaseLists(archive, baseDir);
                cli.Output.WriteLine($"Wrote {archive.BaseDays.Count:N0} lists of the base source ({archive.BaseDays.Sum(d => d.Entries.Count):N0} papers, each daily list among them) " +
                    $"to {baseDir}; import them with --source {named}.");
            }
            return CommandLine.Ok;
        }));
        return command;
    }
}
