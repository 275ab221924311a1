using System.CommandLine;
using System.Diagnostics;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

public static class RetagCommand
{
    public static Command Build(CommandLine cli)
    {
        var command = new Command("retag", "Rebuild every paper's keywords, model-family mentions and topics from the lexicons in dashboards/.");
        command.SetAction(parse => cli.Guard(() =>
        {
            using var batchWork = CommandLine.ForBatchWork();
            var tagger = new Tagger(cli.Lexicons(parse), cli.Clock);
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            DatabaseNotWritableException.ThrowIfReadOnly(connection);
            var run = tagger.Retag(database, connection);
            cli.Output.WriteLine(Describe("Retagged", run));
            // Rolled up here, as after an import, so that the next chart does not wait for it.
            // (Beside a server, its own refresher may have rolled up first: the line says what
            // changed, which is the same either way, not what this call happened to build.)
            var rolling = Stopwatch.StartNew();
            cli.RollUp(database, connection);
            cli.Output.WriteLine($"Rolled up in {rolling.Elapsed.TotalSeconds:0.0} s{(run.TopicsOnly ? " (only the topics changed)" : "")}: queries, charts and reviews read it from here.");
            return CommandLine.Ok;
        }));
        return command;
    }

    public static string Describe(string verb, TagRun run) =>
        $"{verb} {run.Papers:N0} paper(s) in {run.Elapsed.TotalSeconds:0.00} s " +
        (run.TaggedAhead > 0 ? $"({run.TaggedAhead:N0} of them while importing; " : "(") +
        $"read {run.Phases.Read.TotalSeconds:0.00} s, tag {run.Phases.Tag.TotalSeconds:0.00} s, write {run.Phases.Write.TotalSeconds:0.00} s, partly at once) with lexicon {run.LexiconVersion}" +
        (run.TopicsOnly ? " (topics written again; terms and model families were of today's lexicons already)" : "") + ": " +
        $"{run.Terms:N0} terms, {run.Families:N0} family mentions, {run.Topics:N0} topic tags.";
}
