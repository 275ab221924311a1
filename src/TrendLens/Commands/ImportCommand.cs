using System.CommandLine;
using System.Diagnostics;
using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

public static class ImportCommand
{
    public static Command Build(CommandLine cli)
    {
        var paths = CommandLine.FilesNotOptions(new Argument<string[]>("PATH") { Description = "files or directories of daily lists", Arity = ArgumentArity.OneOrMore });
        var source = new Option<string>("--source") { Description = "source name the lists are stored under", DefaultValueFactory = _ => SnapshotWriter.DefaultSource };
        var format = new Option<string>("--format") { Description = "payload format", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong([.. PayloadFormats.Names]);
        var date = CommandLine.DateOption("--date", "the list date, when the payload does not say it");
        var command = new Command("import", $"Import daily lists from files or directories ({string.Join(", ", PayloadFormats.Names.Where(n => n != "auto"))}).") { paths, source, format, date };
        command.SetAction(parse => cli.Guard(() => Run(cli, parse, parse.GetValue(paths)!, parse.GetValue(source)!,
            PayloadFormats.Parse(parse.GetValue(format)!), parse.GetValue(date))));
        return command;
    }

    private static int Run(CommandLine cli, ParseResult parse, string[] paths, string source, PayloadFormat? format, DateOnly? date)
    {
        if (string.IsNullOrWhiteSpace(source))
        {
            cli.Error.WriteLine("trendlens: --source must not be empty");
            return CommandLine.Usage;
        }

        var plan = FileImporter.Plan(paths);
        foreach (var m in plan.Missing) cli.Error.WriteLine($"trendlens: {m}: no such file or directory");
        if (plan.Files.Count == 0)
        {
            cli.Error.WriteLine("trendlens: nothing to import" + (plan.Skipped.Count > 0 ? $" ({plan.Skipped.Count} paths skipped: not data files)" : ""));
            return CommandLine.Failed;
        }

        // Importing and tagging allocates about 12 times the bytes read (the Daily Papers archive:
        // 262 MB for 22 MB of files).
        using var batchWork = CommandLine.ForBatchWork(16 * TotalBytes(plan.Files));
        var today = DateOnly.FromDateTime(cli.Clock.GetUtcNow().UtcDateTime);
        // Reading and normalizing start now, on another core, while the database opens.
        // A configured source takes only its own kind's formats (and the built-in ones).
        var kind = TrendLensSettings.Load().KindOfSource(source);
        if (format is not null && SourceKind.OtherOwner(format, kind) is { } owner)
        {
            cli.Error.WriteLine($"trendlens: --format {format.Name} is the format of a '{owner.Kind}' source, but '{source}' is of kind '{kind!.Kind}'");
            return CommandLine.Usage;
        }
        using var files = FileImporter.Read(plan.Files, source, format, date, today, kind: kind);
        var importer = new FileImporter(new SnapshotWriter(cli.Clock));
        var progress = new ProgressBar(cli.Error, plan.Files.Count, cli.Interactive && plan.Files.Count >= 5);
        var perFileLines = !cli.Interactive || plan.Files.Count < 5;
        var stopwatch = Stopwatch.StartNew();
        int newDays = 0, revised = 0, unchanged = 0, noList = 0, quarantined = 0, failed = 0, entries = 0;

        void Committed(SnapshotOutcome outcome)
        {
            foreach (var note in outcome.Notes)
            {
                progress.Clear();
                cli.Error.WriteLine($"trendlens: {outcome.Origin}: {note}");
            }
            if (outcome.Failed)
            {
                progress.Clear();
                cli.Error.WriteLine($"trendlens: {outcome.Origin}: {outcome.Error}" + (outcome.Quarantined ? " (payload kept in quarantine)" : ""));
                if (outcome.Quarantined) quarantined++; else failed++;
                return;
            }
            foreach (var day in outcome.Days)
            {
                switch (day.Status)
                {
                    case DayStatus.New: newDays++; entries += day.Entries; break;
                    case DayStatus.Revised: revised++; entries += day.Entries; break;
                    case DayStatus.NoList: noList++; break;
                    default: unchanged++; break;
                }
                if (perFileLines)
                    cli.Output.WriteLine($"{outcome.Origin}: {outcome.Source} {day.ListDate:yyyy-MM-dd} {Describe(day)}");
            }
        }

        var database = cli.Database(parse);
        // The lexicons are read while the database opens, and the papers tagged on the other
        // cores while they are stored (Tagging/TagAhead).
        var loading = Task.Run(() => new Tagger(cli.Lexicons(parse), cli.Clock));
        string? tagging;
        TimeSpan? rolledUp = null;
        var importedIn = TimeSpan.Zero;
        using (var connection = database.Open())
        {
            DatabaseNotWritableException.ThrowIfReadOnly(connection);
            TrendLens.Dashboards.DemoData.ThrowIfDemo(connection, database.Path);
            // While storing, the import keeps every core busy itself (reading, storing, tagging
            // ahead); a DuckDB worker thread only added this thread spinning while it waited for
            // the worker (archive import: 2.87 vs 3.01 s of CPU, medians of 9). The Tag stage and
            // the final checkpoint have the cores to themselves and get them back. (Without
            // Dapper, like the import's other first commands: see Storage/PlainSql.)
            connection.Run(SqlCatalog.Get("storage/threads_single"));
            var tagger = Loaded(loading, out tagging);
            using (var ahead = tagger is null ? null : new TagAhead(tagger, Environment.ProcessorCount))
            {
                importer.Import(database, connection, files,
                    (done, file) => progress.Report(done, Path.GetFileName(file)), Committed, ahead is null ? null : ahead.Add);
                connection.Run(SqlCatalog.Get("storage/threads_reset"));
                progress.Clear();
                if (tagger is not null) TagNewPapers(cli, tagger, database, connection, ahead);
            }
            importedIn = stopwatch.Elapsed;
            // The tags made ahead and the batch's uncollected allocations are garbage now: handing
            // their memory back before the rollup takes DuckDB's keeps the import's peak to the
            // larger of the two phases instead of their sum (1M papers: 3.6 GB before).
            batchWork.Dispose();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // The database is left ready: the rollups every read needs are brought up to date now,
            // for the days this import changed (all of them, for a new database), instead of by
            // whichever query comes first.
            if (tagger is not null && newDays + revised > 0)
            {
                var rolling = Stopwatch.StartNew();
                cli.RollUp(database, connection);
                rolledUp = rolling.Elapsed;
            }
            // Stale or missing tags, as the rollup just counted them (counting them again took
            // 0.4 s at a million papers), or counted now when nothing was rolled up.
            if (tagger is not null)
            {
                var freshness = rolledUp is null ? Tagger.Freshness(connection, tagger.LexiconVersion) : Tagger.FreshnessAtRollup(connection, tagger.LexiconVersion);
                if (freshness.Warning is { } warning) cli.Error.WriteLine($"trendlens: warning: {warning}");
            }
        }

        cli.Output.WriteLine(
            $"Imported {plan.Files.Count:N0} file(s) in {importedIn.TotalSeconds:0.0} s: {newDays:N0} new snapshot(s), " +
            $"{revised:N0} new revision(s), {unchanged:N0} unchanged, {quarantined:N0} quarantined" +
            (noList > 0 ? $", {noList:N0} empty (kept as no list)" : "") +
            (failed > 0 ? $", {failed:N0} unreadable" : "") + $"; {entries:N0} list entries added.");
        if (rolledUp is { } rolled) cli.Output.WriteLine($"Rolled up in {rolled.TotalSeconds:0.0} s: queries, charts and reviews read it from here.");
        if (plan.Skipped.Count > 0)
            // By full path, as the lines of the files imported name them (and the same whether or not a server runs the import).
            cli.Output.WriteLine($"Skipped {plan.Skipped.Count}: " + string.Join("; ", plan.Skipped.Select(s => $"{Path.GetFullPath(s.Path)} ({s.Reason})")));
        if (tagging is not null) cli.Error.WriteLine($"trendlens: imported, but not tagged: {tagging}; fix that and run `trendlens retag`");
        // `serve` on a database without lists serves the demo's instead, and goes on doing so.
        if (newDays + revised > 0 && !database.InMemory && ServeCommand.DemoPath(database) is var demo
            && !string.Equals(Database.FileOf(demo), Database.FileOf(database.Path), StringComparison.Ordinal) && ServerLink.Find(demo) is { } server)
            cli.Error.WriteLine($"trendlens: note: the server at {server.Url} (process {server.Pid}) serves the demo data in {demo}, not these lists; " +
                "stop it and start `trendlens serve` again to serve them");
        return quarantined + failed + plan.Missing.Count > 0 || tagging is not null ? CommandLine.Failed : CommandLine.Ok;
    }

    /// <summary>The tagger, or null and why the lexicons could not be read.</summary>
    private static Tagger? Loaded(Task<Tagger> loading, out string? error)
    {
        try
        {
            error = null;
            return loading.GetAwaiter().GetResult();
        }
        catch (LexiconException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>Tags the papers this import added or changed, with the tags made while they were stored.</summary>
    private static void TagNewPapers(CommandLine cli, Tagger tagger, Database database,
        DuckDB.NET.Data.DuckDBConnection connection, TagAhead? ahead)
    {
        var run = tagger.TagPending(database, connection, ahead);
        if (run.Papers > 0) cli.Output.WriteLine(RetagCommand.Describe("Tagged", run));
    }

    private static long TotalBytes(IEnumerable<string> files)
    {
        long total = 0;
        foreach (var file in files)
        {
            try
            {
                total += new FileInfo(file).Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable: the import says so when it gets there.
            }
        }
        return total;
    }

    private static string Entries(int n) => n == 1 ? "1 entry" : $"{n} entries";

    private static string Describe(DayOutcome day) => day.Status switch
    {
        DayStatus.New => $"new (revision 1, {Entries(day.Entries)})",
        DayStatus.Revised => $"new revision {day.Revision} ({Entries(day.Entries)})",
        DayStatus.NoList => "empty list (kept as no list; stored revisions unchanged)",
        _ => $"unchanged ({SnapshotWriter.SameAs(day.Revision, day.Current)})",
    };
}
