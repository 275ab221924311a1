using System.CommandLine;
using System.Diagnostics;
using Dapper;
using TrendLens.Rollup;

namespace TrendLens.Cli.Commands;

/// <summary>Timings measured inside one process, after a warm-up run, so start-up is not counted.</summary>
public static class BenchCommand
{
    public static Command Build(CommandLine cli)
    {
        var command = new Command("bench", "Measure query speed on the current database (median and p95 of several runs).");
        var runs = new Option<int>("--runs") { Description = "timed runs after one warm-up", DefaultValueFactory = _ => 20 };
        runs.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10_000) r.AddError("--runs must be between 1 and 10000"); });
        var days = new Option<int>("--window-days") { Description = "length of the recent window, ending on the latest list date", DefaultValueFactory = _ => 7 };
        days.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 3650) r.AddError("--window-days must be between 1 and 3650"); });
        var emerging = new Command("emerging", "Time `query emerging` (terms) over the latest window.") { runs, days };
        emerging.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.Database(parse);
            using var connection = database.Open();
            var to = connection.ExecuteScalar<DateOnly?>("select max(list_date) from current_entries");
            if (to is null)
            {
                cli.Error.WriteLine("trendlens: the database holds no lists");
                return CommandLine.Failed;
            }
            var options = new EmergenceOptions { From = to.Value.AddDays(-(parse.GetValue(days) - 1)), To = to.Value };
            var found = Emergence.Rank(database, connection, TagKind.Terms, options).Count;
            var times = new List<double>();
            for (var i = 0; i < parse.GetValue(runs); i++)
            {
                var sw = Stopwatch.StartNew();
                Emergence.Rank(database, connection, TagKind.Terms, options);
                times.Add(sw.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            var papers = connection.ExecuteScalar<long>("select count(distinct paper_id) from current_entries");
            cli.Output.WriteLine(
                $"emerging terms {options.From:yyyy-MM-dd}..{options.To:yyyy-MM-dd} (baseline {options.BaselineDays} days) over {papers:N0} papers: " +
                $"median {Percentile(times, 0.5):0.0} ms, p95 {Percentile(times, 0.95):0.0} ms, {times.Count} runs, {found} terms listed");
            return CommandLine.Ok;
        }));
        command.Subcommands.Add(emerging);
        return command;
    }

    private static double Percentile(List<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
}
