using System.CommandLine;
using System.Text.Json;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

/// <summary>
/// <c>trendlens train-topics LABELS...</c>: trains the topic reader (docs/tagging.md, "The topic
/// reader") on papers labelled by hand, reading their text from the database, and writes
/// <c>topic-reader.json</c>; with <c>--cross-validate</c> it measures instead of writing.
/// </summary>
public static class TrainTopicsCommand
{
    public static Command Build(CommandLine cli)
    {
        var files = new Argument<string[]>("LABELS")
        {
            Description = "files of papers labelled by hand, one per line: paper id, a tab, topics separated by ';' ('-' for none)",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--out") { Description = $"where to write the reader (default: {Lexicons.TopicReaderFileName} in the dashboards folder)" };
        var crossValidate = new Option<bool>("--cross-validate")
        {
            Description = "measure instead of writing: train without each file in turn, score that file (rules alone, reader alone, both)",
        };
        var folds = new Option<int?>("--folds")
        {
            Description = "deal the files into N folds and hold out a fold at a time, with --cross-validate (default: one file per fold)",
        };
        folds.Check(v => v is not < 2, "--folds must be 2 or more");
        var minPapers = new Option<int>("--min-papers")
        {
            Description = $"topics with fewer labelled papers than this are left to the rules (default {TopicReader.MinTopicPapers})",
            DefaultValueFactory = _ => TopicReader.MinTopicPapers,
        };
        minPapers.Check(v => v >= 1, "--min-papers must be 1 or more");
        var command = new Command("train-topics", $"Train the topic reader ({Lexicons.TopicReaderFileName}) on papers labelled by hand; run 'trendlens retag' after.");
        command.Arguments.Add(CommandLine.FilesNotOptions(files));
        command.Options.Add(output);
        command.Options.Add(crossValidate);
        command.Options.Add(folds);
        command.Options.Add(minPapers);
        command.Validators.Add(r =>
        {
            if (r.GetResult(folds) is { Implicit: false } && !r.GetValue(crossValidate)) r.AddError("--folds applies only with --cross-validate");
        });
        command.SetAction(parse => cli.Guard(() =>
        {
            // The reader file is what this command writes: it is not read, so one that no longer loads can be replaced.
            var lexicons = TrendLens.Tagging.Lexicons.Load(cli.DashboardsDirectory(parse), withReader: false);
            var labels = parse.GetValue(files)!.Select(f => (File: f, Labels: TopicLabels.Read(f, lexicons.Topics))).ToList();
            var seen = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (file, set) in labels)
                foreach (var id in set.Keys)
                    if (!seen.TryAdd(id, file))
                        throw new LexiconException($"{file}: paper {id} is labelled in {seen[id]} too; a paper belongs to one file");
            if (seen.Count == 0) throw new LexiconException("the label files hold no papers");

            var database = cli.Database(parse);
            Dictionary<string, (string Title, string Abstract)> texts;
            using (var connection = database.Open())
                texts = connection.Rows(SqlCatalog.Get("papers/texts_by_id"), r => (Id: r.GetString(0), Title: r.GetString(1), Abstract: r.GetString(2)),
                        ("ids", string.Join('\u001f', seen.Keys)))
                    .DistinctBy(t => t.Id).ToDictionary(t => t.Id, t => (t.Title, t.Abstract), StringComparer.Ordinal);
            var missing = seen.Keys.Where(id => !texts.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
                throw new LexiconException($"{missing.Count} labelled paper(s) are not in the database (first: {string.Join(", ", missing.Take(5))}); import the lists that hold them first");
            var sets = labels.Select(l => (l.File, Papers: l.Labels.Select(p => new LabelledPaper(p.Key, texts[p.Key].Title, texts[p.Key].Abstract, p.Value)).ToList())).ToList();

            var names = lexicons.Topics.Topics.Select(t => t.Name).ToList();
            if (parse.GetValue(crossValidate))
            {
                if (sets.Count < 2) throw new LexiconException("--cross-validate holds out one file at a time: give two label files or more");
                CrossValidate(cli, lexicons, sets, parse.GetValue(minPapers), parse.GetValue(folds));
                return CommandLine.Ok;
            }

            var papers = sets.SelectMany(s => s.Papers).ToList();
            var trainedOn = $"{papers.Count} papers labelled by hand: {string.Join(", ", sets.Select(s => Path.GetFileName(s.File)))}";
            ProgressBar? progress = null;
            var gate = new object();
            var reader = TopicReader.Train(papers, names, trainedOn, (done, total, topic) =>
            {
                lock (gate) (progress ??= new ProgressBar(cli.Error, total, cli.Interactive)).Report(done, topic);
            }, parse.GetValue(minPapers));
            progress?.Clear();
            var path = parse.GetValue(output) ?? Path.Combine(cli.DashboardsDirectory(parse), Lexicons.TopicReaderFileName);
            Write(reader, path);
            cli.Output.WriteLine($"Trained the topic reader on {papers.Count:N0} papers of {sets.Count} file(s): {reader.Topics.Count} topics " +
                $"({names.Count - reader.Topics.Count} with too few labelled papers are left to the rules), {reader.Idf.Count:N0} words and pairs; wrote {path}. " +
                "Run 'trendlens retag' to tag every paper with it.");
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>Writes the reader whole or not at all: to a file beside it, then renamed over it.</summary>
    private static void Write(TopicReaderFile reader, string path)
    {
        var json = JsonSerializer.Serialize(reader, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true });
        var text = """
            // The topic reader: per topic, the weight of each word and word pair for it (positive) or
            // against it (negative), over tf-idf vectors of unit length (title counted three times).
            // Written by 'trendlens train-topics' from papers labelled by hand; train again rather than
            // edit (docs/tagging.md, "The topic reader"). Delete this file to tag topics by the rules alone.

            """ + json + "\n";
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    /// <summary>Leave files out (<see cref="TopicReaderEvaluation.CrossValidate"/>): a table of each file's scores and all of them together.</summary>
    private static void CrossValidate(CommandLine cli, Lexicons lexicons, List<(string File, List<LabelledPaper> Papers)> sets, int minPapers, int? folds)
    {
        var foldCount = Math.Min(folds ?? sets.Count, sets.Count);
        var progress = new ProgressBar(cli.Error, foldCount, cli.Interactive);
        var scores = TopicReaderEvaluation.CrossValidate(lexicons, sets, (k, files) => progress.Report(k, files), minPapers, foldCount);
        progress.Clear();
        cli.Output.WriteLine(foldCount == sets.Count
            ? "Each file scored by a reader trained on the others (micro precision and recall over every topic):"
            : $"Each file scored by a reader trained on the files outside its fold, {foldCount} folds (micro precision and recall over every topic):");
        cli.Output.WriteLine($"{"held out",-36} {"papers",6}  {"rules P",7} {"R",5}  {"reader P",8} {"R",5}  {"both P",6} {"R",5}");
        foreach (var s in scores)
            cli.Output.WriteLine($"{Path.GetFileName(s.File),-36} {s.Papers,6}  {Format(s.Rules)}  {Format(s.Reader),14}  {Format(s.Both),12}");
        var all = scores.Aggregate((Rules: default(TopicScore), Reader: default(TopicScore), Both: default(TopicScore)), (a, s) => (a.Rules + s.Rules, a.Reader + s.Reader, a.Both + s.Both));
        cli.Output.WriteLine($"{"all",-36} {scores.Sum(s => s.Papers),6}  {Format(all.Rules)}  {Format(all.Reader),14}  {Format(all.Both),12}");
        cli.Output.WriteLine();
        cli.Output.WriteLine("Per topic, the rules with the reader, every file held out in turn:");
        cli.Output.WriteLine($"{"topic",-36} {"labelled",8} {"found",6} {"P",6} {"R",5}");
        foreach (var topic in lexicons.Topics.Topics.Select(t => t.Name))
        {
            var t = scores.Aggregate(default(TopicScore), (a, s) => a + s.ByTopic.GetValueOrDefault(topic));
            cli.Output.WriteLine($"{topic,-36} {t.Right + t.Missed,8} {t.Right + t.Wrong,6} {Format(t)}");
        }
    }

    private static string Format(TopicScore s) => $"{s.Precision,7:0.000} {s.Recall,5:0.000}";
}
