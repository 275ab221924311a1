using System.CommandLine;
using System.Globalization;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

/// <summary>
/// <c>trendlens explain PAPER [--topic T]...</c>: whether a stored paper has each topic with
/// today's lexicons, and why or why not: the phrases of the topic's rules it says and the topic
/// reader's probability with the words that raised it. For whoever edits topics.json, and for a
/// paper that is missing from a topic's list.
/// </summary>
public static class ExplainCommand
{
    public static Command Build(CommandLine cli)
    {
        var paper = new Argument<string>("PAPER") { Description = "the paper's id, as stored (e.g. 2502.05415)" };
        var topics = new Option<string[]>("--topic")
        {
            Description = "only this topic (repeatable; a name or an earlier name); default: the topics the paper has, and those with any evidence",
        };
        var command = new Command("explain", "Say which topics a stored paper has with today's lexicons, and why or why not.") { paper, topics };
        command.SetAction(parse => cli.Guard(() =>
        {
            var lexicons = cli.Lexicons(parse);
            var asked = new List<string>();
            foreach (var typed in parse.GetValue(topics) ?? [])
            {
                if (lexicons.Topics.Named(typed, StringComparer.OrdinalIgnoreCase) is not { } topic)
                {
                    cli.Error.WriteLine($"trendlens: no topic '{typed}' in {Lexicons.TopicsFile}; the topics are {string.Join(", ", lexicons.Topics.Topics.Select(t => t.Name))}");
                    return CommandLine.Usage;
                }
                asked.Add(topic.Name);
            }
            var id = parse.GetValue(paper)!.Trim();
            using var connection = cli.ExistingDatabase(parse).Open();
            var texts = connection.Rows(SqlCatalog.Get("papers/texts_by_id"), r => (Title: r.GetString(1), Abstract: r.GetString(2)), ("ids", id));
            if (texts.Count == 0)
            {
                cli.Error.WriteLine($"trendlens: no paper '{id}' is stored");
                return CommandLine.Failed;
            }
            var (title, @abstract) = texts[0];
            var tagger = new Tagger(lexicons, cli.Clock);
            var has = tagger.Tag(title, @abstract, null).Topics.ToHashSet(StringComparer.Ordinal);
            var reasons = (asked.Count > 0 ? asked : lexicons.Topics.Topics.Select(t => t.Name))
                .Select(t => (Topic: t, Has: has.Contains(t), Reason: tagger.ExplainTopic(title, @abstract, t)))
                .Where(x => asked.Count > 0 || x.Has || x.Reason.Phrases.Any(p => p.Role != "Exclude") || x.Reason.Probability >= NearProbability)
                .OrderByDescending(x => x.Has).ThenByDescending(x => x.Reason.Probability ?? 0)
                .ToList();

            cli.Output.WriteLine($"{id}: {title}");
            if (reasons.Count == 0) cli.Output.WriteLine("  no topic, and no phrase of any topic");
            foreach (var (topic, tagged, reason) in reasons)
                cli.Output.WriteLine($"  {(tagged ? "has" : "not")}  {topic}: {reason.Describe()}");
            var phrases = $"the topic's phrases make {Number(TopicMatcher.Enough)} points (or the topic's own threshold)";
            cli.Output.WriteLine(lexicons.Reader is { } r
                ? $"A paper has a topic when the topic reader's probability reaches {Number(r.Threshold)}, or {Number(r.WithRulesThreshold)} when {phrases}; " +
                  "where the reader does not judge (a topic it was not trained for, a paper with too few words it knows), the phrases alone decide. docs/tagging.md, \"Topics\"."
                : $"A paper has a topic when {phrases}. docs/tagging.md, \"Topics\".");
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>Without --topic, a topic the reader gives this much is shown even with no phrase: a near miss.</summary>
    private const double NearProbability = 0.3;

    private static string Number(double x) => x.ToString("0.##", CultureInfo.InvariantCulture);
}
