using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using TrendLens.Cli.Commands;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Cli;

/// <summary>
/// The <c>trendlens</c> command line (the contract in DESIGN.md). Exit codes: 0 success,
/// 1 bad input or failed work (one line on stderr), 2 usage error.
/// </summary>
public sealed partial class CommandLine(TextWriter output, TextWriter error, TimeProvider clock, bool interactive)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static string DefaultDatabasePath =>
        Environment.GetEnvironmentVariable("TRENDLENS_DB") is { Length: > 0 } env ? env : Path.Combine("data", "trendlens.duckdb");

    private readonly Option<string> _db = new Option<string>("--db")
    {
        Description = "DuckDB file (default: $TRENDLENS_DB, else data/trendlens.duckdb)",
        Recursive = true,
        DefaultValueFactory = _ => DefaultDatabasePath,
    }.Check(path => !string.IsNullOrWhiteSpace(path), "--db names no file: it expects the path of a DuckDB file");

    private readonly Option<string?> _dashboards = new Option<string?>("--dashboards")
    {
        Description = "folder with the lexicons and dashboards (default: $TRENDLENS_DASHBOARDS, else the nearest dashboards/ folder)",
        Recursive = true,
    }.Check(folder => folder is null || Directory.Exists(folder), "--dashboards names no folder: it expects the folder that holds topics.json, model-families.json and the dashboards");

    public int Run(string[] args)
    {
        // DuckDB starts and opens the file on the other core while the command line is built
        // (Storage.WarmOpen); the process does not exit before it is done. Not when a server owns
        // the database: the command runs there, and starting DuckDB here only took a core from it.
        var warm = DatabaseToWarm(args);
        var warming = warm is not null && !ServerLink.MayOwn(warm) ? TrendLens.Storage.WarmOpen.Start(warm) : null;
        try
        {
            var root = Root;
            // No response files (@FILE): a command run inside a server would read them from the
            // server's working directory. The shell's own expansions do the same job.
            var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
            if (parse.Errors.Count > 0)
            {
                foreach (var line in ParseErrors(parse)) error.WriteLine($"trendlens: {line}");
                error.WriteLine($"Run '{CommandPath(parse.CommandResult.Command)} --help' for usage.");
                return Usage;
            }
            var db = parse.GetValue(_db)!;
            if (UsesTheDatabase(parse, args) && ServerLink.Find(db) is { } server)
            {
                int? answered;
                string? unanswered;
                try
                {
                    var forwarded = ForServer(parse, args, out var spelled);
                    answered = ServerLink.Forward(server, forwarded, output, error, out unanswered, ServerLink.AsGiven(spelled));
                }
                finally
                {
                    foreach (var folder in _forwardedCopies) Directory.Delete(folder, recursive: true);
                    _forwardedCopies.Clear();
                }
                if (answered is { } exit) return exit;
                // Nothing answers there. A server that still holds the file is said so; a process that
                // holds no lock on it (a server being killed, or one that took a dead server's id) is
                // not its server, and the command runs here.
                if (ServerLink.Held(db))
                {
                    error.WriteLine($"trendlens: a server (process {server.Pid}) holds the database but does not answer at {server.Url} ({unanswered}); " +
                        "if it is starting, wait for it; else stop it and run the command again");
                    return Failed;
                }
                ServerLink.RemoveStale(db, server);
            }
            // The help is written here first, to name choice options' defaults as they are typed.
            var help = parse.Action is System.CommandLine.Help.HelpAction ? new StringWriter() : null;
            var code = parse.Invoke(new InvocationConfiguration { Output = help ?? output, Error = error, EnableDefaultExceptionHandler = false });
            if (help is not null) output.Write(ChoiceDefaultsAsTyped(help.ToString()));
            return code;
        }
        finally
        {
            if (warming is not null) TrendLens.Storage.WarmOpen.Release();
        }
    }

    /// <summary>
    /// The database a command will open, read from the words typed before they are parsed, for
    /// DuckDB to open on the other core meanwhile (<see cref="TrendLens.Storage.WarmOpen"/>): null
    /// unless the words are plainly a database command, the root's options and then one of
    /// <see cref="DatabaseCommands"/>, with at most one <c>--db</c> and no response file. A guess
    /// that named the wrong file would hold another database's lock while this process runs.
    /// </summary>
    internal static string? DatabaseToWarm(string[] args)
    {
        string? db = null;
        string? command = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.StartsWith('@') || AsksForHelp([arg])) return null;
            if (arg is "--db" or "--dashboards" && i + 1 < args.Length)
            {
                if (arg == "--db" && !Named(ref db, args[i + 1])) return null;
                i++;
            }
            else if (arg.StartsWith("--db=", StringComparison.Ordinal) || arg.StartsWith("--db:", StringComparison.Ordinal))
            {
                if (!Named(ref db, arg["--db=".Length..])) return null;
            }
            else if (command is null && !arg.StartsWith('-'))
            {
                command = arg;
            }
        }
        return command is not null && DatabaseCommands.Contains(command) ? db ?? DefaultDatabasePath : null;

        // A second --db is an error the parse reports; an empty one names nothing.
        static bool Named(ref string? db, string path)
        {
            if (db is not null || string.IsNullOrWhiteSpace(path)) return false;
            db = path;
            return true;
        }
    }

    /// <summary>Help or the version: answered by the command line alone, without the database.</summary>
    private static bool AsksForHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?" or "--version");

    /// <summary>The commands that open the database, and so run inside a server that owns it (see <see cref="ServerLink"/>).</summary>
    public static readonly IReadOnlySet<string> DatabaseCommands = new HashSet<string> { "import", "fetch", "snapshots", "retag", "train-topics", "explain", "query", "chart", "export", "review" };

    private static bool UsesTheDatabase(ParseResult parse, string[] args) =>
        !AsksForHelp(args) && DatabaseCommands.Contains(TopCommand(parse));

    /// <summary>The command under the root (<c>query</c> for <c>query models</c>).</summary>
    private static string TopCommand(ParseResult parse)
    {
        var command = parse.CommandResult;
        while (command.Parent is CommandResult parent && parent.Command is not RootCommand) command = parent;
        return command.Command.Name;
    }

    /// <summary>Folders of piped input copied for a server to read (<see cref="ForServer"/>), removed once it answered.</summary>
    private readonly List<string> _forwardedCopies = [];

    /// <summary>
    /// The arguments as the server must read them: the database, the lexicons' folder, output
    /// files and the files to import named by absolute paths, since the server has another
    /// working directory.
    /// </summary>
    private string[] ForServer(ParseResult parse, string[] args, out List<(string Sent, string Given)> spelled)
    {
        // Each path as sent and as the user gave it, so that what the server writes names them as given.
        var paths = new List<(string Sent, string Given)>();
        spelled = paths;
        string Full(string given)
        {
            var full = Path.GetFullPath(given);
            paths.Add((full, given));
            return full;
        }
        // A file to import, as the server must open it: by its full path (the server has another
        // working directory), and a pipe (/dev/stdin, a shell's <(…)) copied into a file first, since
        // the server cannot read this process's. A missing file is named back as given.
        string FileForServer(string given)
        {
            if (!File.Exists(given)) return Directory.Exists(given) ? Path.GetFullPath(given) : Full(given);
            try
            {
                using var input = new FileStream(given, FileMode.Open, FileAccess.Read);
                if (input.CanSeek) return Path.GetFullPath(given);
                var folder = Directory.CreateTempSubdirectory("trendlens-input-").FullName;
                _forwardedCopies.Add(folder);
                var copy = Path.Combine(folder, Path.GetFileName(given));
                using (var file = File.Create(copy)) input.CopyTo(file);
                paths.Add((copy, given));
                return copy;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Path.GetFullPath(given); // the server says why it cannot be read
            }
        }
        // The database and the lexicons' folder first: after a "--" of the user's, they would be
        // read as files to import (the server answers only a command that names its database first).
        var result = new List<string> { "--db", Full(parse.GetValue(_db)!) };
        if (parse.GetValue(_dashboards) is null)
        {
            try
            {
                // A folder that is not there ($TRENDLENS_DASHBOARDS misspelt) is not sent: the server
                // would refuse it as an option, where a command that needs no lexicons runs here.
                if (Path.GetFullPath(TrendLens.Tagging.Lexicons.FindDirectory()) is var found && Directory.Exists(found))
                    result.AddRange(["--dashboards", found]);
            }
            catch (TrendLens.Tagging.LexiconException)
            {
                // the server finds its own
            }
        }
        var pathOptions = new HashSet<string> { "--db", "--dashboards", "--out" };
        var importing = TopCommand(parse) is "import" or "train-topics"; // their arguments are files
        // The options of the command that take a value: the word after one is its value, never a
        // file ("import arxiv --source arxiv", with a folder named arxiv here).
        var command = parse.CommandResult.Command;
        var valued = Options(command).Where(o => o.ValueType != typeof(bool) && o.Arity.MaximumNumberOfValues > 0)
            .SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        var named = false; // past the command's own words ("query models"): what follows is its arguments
        var commandWords = new Queue<string>(CommandPath(command).Split(' ').Skip(1));
        var literal = false; // after "--", every word is an argument
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (literal)
            {
                result.Add(importing ? FileForServer(arg) : arg);
            }
            else if (arg == "--")
            {
                literal = true;
                result.Add(arg);
            }
            else if (arg == "--db")
            {
                i++; // named once, above
            }
            else if (arg.StartsWith("--db=", StringComparison.Ordinal) || arg.StartsWith("--db:", StringComparison.Ordinal))
            {
            }
            else if (pathOptions.Contains(arg) && i + 1 < args.Length)
            {
                result.Add(arg);
                result.Add(Full(args[++i]));
            }
            // --out=PATH and --out:PATH, as the parser reads them.
            else if (arg.IndexOfAny(['=', ':']) is > 0 and var eq && pathOptions.Contains(arg[..eq]))
            {
                result.Add(arg[..eq]);
                result.Add(Full(arg[(eq + 1)..]));
            }
            else if (valued.Contains(arg) && i + 1 < args.Length)
            {
                result.Add(arg);
                result.Add(args[++i]);
            }
            else if (!named && commandWords.TryPeek(out var word) && arg == word)
            {
                commandWords.Dequeue();
                named = commandWords.Count == 0;
                result.Add(arg);
            }
            else if (importing && named && (!arg.StartsWith('-') || File.Exists(arg) || Directory.Exists(arg)))
            {
                result.Add(FileForServer(arg));
            }
            else
            {
                result.Add(arg);
            }
        }
        return result.ToArray();
    }


    /// <summary>Every command and option (a new tree each time: commands keep no state between runs).</summary>
    public RootCommand Root => BuildRoot();

    private RootCommand BuildRoot()
    {
        var root = new RootCommand("TrendLens: keeps the history of daily trending paper lists and charts where research is going.");
        root.Options.Add(_db);
        root.Options.Add(_dashboards);
        root.Subcommands.Add(ImportCommand.Build(this));
        root.Subcommands.Add(FetchCommand.Build(this));
        root.Subcommands.Add(SnapshotsCommand.Build(this));
        root.Subcommands.Add(RetagCommand.Build(this));
        root.Subcommands.Add(TrainTopicsCommand.Build(this));
        root.Subcommands.Add(ExplainCommand.Build(this));
        root.Subcommands.Add(QueryCommand.Build(this));
        root.Subcommands.Add(ChartCommand.Build(this));
        root.Subcommands.Add(ExportCommand.Build(this));
        root.Subcommands.Add(ReviewCommand.Build(this));
        root.Subcommands.Add(GenerateCommand.Build(this));
        root.Subcommands.Add(ServeCommand.Build(this));
        return root;
    }

    public TextWriter Output => output;
    public TextWriter Error => error;
    public TimeProvider Clock => clock;
    public bool Interactive => interactive;

    /// <summary>The <c>--db</c> option, for tools that read a TrendLens database as the commands do.</summary>
    public Option<string> DatabaseOption => _db;

    /// <summary>The <c>--dashboards</c> option.</summary>
    public Option<string?> DashboardsOption => _dashboards;

    public Database Database(ParseResult parse) => Waiting(parse.GetValue(_db)!);

    /// <summary>
    /// How long a command waits for another process to let go of its database (DuckDB lets one
    /// process hold the file) before it fails naming it; zero fails at once. trendlens waits
    /// <see cref="DefaultBusyWait"/>, so that a script's commands run at once take turns.
    /// </summary>
    public TimeSpan BusyWait { get; init; }

    public static readonly TimeSpan DefaultBusyWait = TimeSpan.FromSeconds(10);

    private Database Waiting(string path) => new(path)
    {
        BusyWait = BusyWait,
        WaitingForProcess = () => error.WriteLine($"trendlens: waiting for another process to let go of {path} (up to {BusyWait.TotalSeconds:0} s)…"),
    };

    /// <summary>
    /// The database of a command that reads what was imported: a file that does not exist is a
    /// failure naming it (a mistyped <c>--db</c> would otherwise create an empty database and
    /// answer "no rows").
    /// </summary>
    public Database ExistingDatabase(ParseResult parse)
    {
        var path = parse.GetValue(_db)!;
        // Links followed: File.Exists is true for a link whose file is gone.
        if (path != ":memory:" && !File.Exists(TrendLens.Storage.Database.FileOf(path)))
            throw new FileNotFoundException($"no database at {path}: import lists into it first (trendlens --db {path} import FILE…), or name the one you meant with --db or $TRENDLENS_DB");
        return Waiting(path);
    }

    /// <summary>
    /// Brings the rollups up to date before a command reads them. On a terminal a bar follows the
    /// steps of a build (minutes at a million papers); nothing shows when they are current.
    /// </summary>
    public Rollup.RollupBuild RollUp(Database database, DuckDB.NET.Data.DuckDBConnection connection)
    {
        var bar = new ProgressBar(error, 1, interactive);
        var built = new Rollup.RollupRefresher(database).Refresh(connection, step => bar.Report(step.Done, step.Total, "rolling up: " + step.Stage));
        bar.Clear();
        return built;
    }

    /// <summary>The source reads count when none is named: the first configured one (see <see cref="Rollup.ReadSource"/>).</summary>
    public string? PrimarySource() => TrendLensSettings.Load().Sources.FirstOrDefault()?.Name;

    /// <summary>The configured arXiv sources, for charts, exports and reviews of lift (<see cref="TrendLensSettings.BaseSources"/>).</summary>
    public IReadOnlyList<string> BaseSources() => TrendLensSettings.Load().BaseSources();

    public string DashboardsDirectory(ParseResult parse) => parse.GetValue(_dashboards) ?? TrendLens.Tagging.Lexicons.FindDirectory();

    public TrendLens.Tagging.Lexicons Lexicons(ParseResult parse) => TrendLens.Tagging.Lexicons.Load(DashboardsDirectory(parse));

    /// <summary>
    /// The lexicons without the topic reader, for resolving the family and topic names a user
    /// types: that needs only the lexicons' names, and reading the reader's 1.4 MB took 0.1 s of
    /// every such command.
    /// </summary>
    public TrendLens.Tagging.Lexicons LexiconNames(ParseResult parse) => TrendLens.Tagging.Lexicons.Load(DashboardsDirectory(parse), withReader: false);

    /// <summary>Runs a command body; turns expected failures into one line on stderr and exit code 1.</summary>
    public int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is DatabaseBusyException or DatabaseDamagedException or DatabaseReadOnlyException or DatabaseNotWritableException or TrendLens.Dashboards.DemoDatabaseException or TrendLens.Tagging.LexiconException or TrendLens.Dashboards.DashboardException or SettingsException or TrendLens.Rollup.UnknownTagException)
        {
            error.WriteLine($"trendlens: {e.Message}");
            return Failed;
        }
        catch (DuckDB.NET.Data.DuckDBException e) when (DatabaseCheck.IsDamage(e) && Environment.GetEnvironmentVariable("TRENDLENS_DEBUG") is null)
        {
            // Damage found by a read after the file opened.
            error.WriteLine($"trendlens: the database is damaged: {DatabaseCheck.OneLine(e.Message)}; restore it from a backup, or move it aside and import the lists again");
            return Failed;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DuckDB.NET.Data.DuckDBException)
        {
            error.WriteLine($"trendlens: {StorageError(e.Message)}");
            return Failed;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("TRENDLENS_DEBUG") is null)
        {
            error.WriteLine($"trendlens: unexpected error ({e.GetType().Name}): {e.Message.ReplaceLineEndings(" ")} (set TRENDLENS_DEBUG=1 for the stack trace)");
            return Failed;
        }
    }

    /// <summary>
    /// For commands that are one batch of work (import, retag), until the returned scope ends: the
    /// collector stops running in the background beside the work, which took CPU from the two cores
    /// it uses (tagging the archive cold: median 1,603 ms of CPU against 1,713 ms, 9 runs each).
    /// Given what the work is expected to allocate, it does not collect at all until that much (at
    /// most <see cref="MaxUncollectedBytes"/>) is allocated: while a batch's heap only grows, most of
    /// what a collection finds is still in use (archive import: 260 MB allocated, 17 collections
    /// pausing 0.2 s in all). The settings are the process's: with batches in parallel (tests run
    /// commands in one process) the first sets them and the last restores them.
    /// </summary>
    public static IDisposable ForBatchWork(long expectedAllocation = 0)
    {
        lock (BatchGate)
        {
            if (_batches++ == 0)
            {
                _latencyBefore = System.Runtime.GCSettings.LatencyMode;
                System.Runtime.GCSettings.LatencyMode = System.Runtime.GCLatencyMode.Batch;
                if (expectedAllocation > 0)
                {
                    try
                    {
                        // Past the budget the runtime collects as usual and leaves the region itself.
                        GC.TryStartNoGCRegion(Math.Min(expectedAllocation, MaxUncollectedBytes));
                    }
                    catch (ArgumentOutOfRangeException)
                    {
                        // More than this runtime will hold back: collect as usual.
                    }
                    catch (InvalidOperationException)
                    {
                        // A region is in progress already: collect as usual.
                    }
                }
            }
        }
        return new BatchScope();
    }

    /// <summary>The most a batch command allocates before the collector runs (see <see cref="ForBatchWork"/>).</summary>
    public const long MaxUncollectedBytes = 512L * 1024 * 1024;

    private static readonly object BatchGate = new();
    private static int _batches;

    /// <summary>
    /// True while a batch scope holds the collector back: then nothing else in the process should
    /// force a collection, which would end the no-GC region (see DashboardSite's trimming).
    /// </summary>
    public static bool InBatchWork => Volatile.Read(ref _batches) > 0;
    private static System.Runtime.GCLatencyMode _latencyBefore;

    private sealed class BatchScope : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) != 0) return;
            lock (BatchGate)
            {
                if (--_batches > 0) return;
                if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
                {
                    try
                    {
                        GC.EndNoGCRegion();
                    }
                    catch (InvalidOperationException)
                    {
                        // The region had ended already (a collection ran): nothing to end.
                    }
                }
                try
                {
                    System.Runtime.GCSettings.LatencyMode = _latencyBefore;
                }
                catch (InvalidOperationException)
                {
                    // A region the runtime still counts as in progress: its end restores the mode.
                }
            }
        }
    }

    /// <summary>A storage error as one line, with what to do about those a user can fix.</summary>
    public static string StorageError(string message)
    {
        // A write to a database opened read-only (Storage.Database): DuckDB's wording differs by statement, this line does not.
        if (message.Contains("read-only mode", StringComparison.OrdinalIgnoreCase) || message.Contains("readonly database", StringComparison.OrdinalIgnoreCase))
            return DatabaseNotWritableException.Line;
        var line = message.ReplaceLineEndings(" ");
        if (message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
            return line + " — the disk is full: free some space and run it again; everything stored before is kept, nothing of this batch was";
        if (message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
            return line + " — the database is on a read-only file system: point --db at a writable copy";
        if (message.Contains(".wal", StringComparison.Ordinal) && message.Contains("Permission denied", StringComparison.OrdinalIgnoreCase))
            return line + " — DuckDB writes its log (the .wal file) beside the database, and its folder is not writable here: " +
                   "make the folder writable, or point --db at a copy in one that is";
        return line;
    }

    /// <summary>Why a range is empty: its start after its end, or, with no --to, after the latest list stored.</summary>
    public static string FromAfterTo(DateOnly from, DateOnly to, bool toGiven) =>
        toGiven ? "--from is after --to" : $"--from {from:yyyy-MM-dd} is after the latest list stored ({to:yyyy-MM-dd})";

    /// <summary>
    /// Refuses a word of <paramref name="files"/> that looks like an option and names no file
    /// ("--sorce"): a command that takes files would read a mistyped option as one, and go on with
    /// the option's default (lists imported under the wrong source). A usage error instead, with
    /// the nearest option, as for any word the parser does not know.
    /// </summary>
    public static Argument<string[]> FilesNotOptions(Argument<string[]> files)
    {
        files.Validators.Add(result =>
        {
            var command = (result.Parent as System.CommandLine.Parsing.CommandResult)?.Command;
            foreach (var word in result.Tokens.Select(t => t.Value).Where(w => w.Length > 1 && w[0] == '-' && !File.Exists(w) && !Directory.Exists(w)))
            {
                var meant = command is null ? null : Nearest(word, OptionNames(command));
                result.AddError($"Unrecognized command or argument '{word}'." + (meant is not null ? $" Did you mean '{meant}'?" : ""));
            }
        });
        return files;
    }

    public static Option<DateOnly?> DateOption(string name, string description) => new(name)
    {
        Description = description,
        HelpName = "YYYY-MM-DD",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                if (TrendLens.Days.Refusal(d) is not { } refusal) return d;
                result.AddError($"{name}: {refusal}");
                return null;
            }
            result.AddError($"{name} expects a date like 2025-02-14, not '{Printable.Of(text)}'");
            return null;
        },
    };

    public static Option<OutputFormat> FormatOption() => ChoiceOption("--format", "table, csv or json", OutputFormat.Table,
        ("table", OutputFormat.Table), ("csv", OutputFormat.Csv), ("json", OutputFormat.Json));

    /// <summary>
    /// An option taking one word from a closed set, in any case (the help shows the default as
    /// the value's name, "Topics"); anything else is a usage error naming the choices.
    /// </summary>
    public static Option<T> ChoiceOption<T>(string name, string description, T fallback, params (string Word, T Value)[] choices) => new(name)
    {
        Description = description,
        HelpName = string.Join('|', choices.Select(c => c.Word)),
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            foreach (var (word, value) in choices)
                if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase)) return value;
            result.AddError($"{name} expects {string.Join(", ", choices.Select(c => c.Word))}, not '{text}'");
            return fallback;
        },
    };

    /// <summary>
    /// The help as printed, with a choice option's default as it is typed: System.CommandLine
    /// prints the value ("--of &lt;topics|families|terms&gt; … [default: Topics]") and keeps the
    /// means to say otherwise internal.
    /// </summary>
    public static string ChoiceDefaultsAsTyped(string help) => ChoiceDefault().Replace(help, m =>
    {
        var value = m.Groups["default"];
        var word = m.Groups["words"].Value.Split('|').FirstOrDefault(w => w.Equals(value.Value, StringComparison.OrdinalIgnoreCase));
        return word is null ? m.Value : m.Value[..(value.Index - m.Index)] + word + "]";
    });

    /// <summary>An option's lines of the help (a long description wraps): its choices in angle brackets, its default at the end.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"<(?<words>[a-z0-9-]+(?:\|[a-z0-9-]+)+)>(?:[^\n]|\n(?= {3,}[^ -]))*?\[default: (?<default>[^\]\n]+)\]")]
    private static partial System.Text.RegularExpressions.Regex ChoiceDefault();

    /// <summary>
    /// The parse's errors as lines, each in plain words: a word it did not know is given the
    /// nearest command or option it may have meant, and a command given no subcommand (`query`) is
    /// told which there are, instead of only that one was needed.
    /// </summary>
    internal static IReadOnlyList<string> ParseErrors(System.CommandLine.ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        var lines = new List<string>();
        string? needsACommand = null;
        var suggested = false;
        foreach (var e in parse.Errors)
        {
            var token = unmatched.FirstOrDefault(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is null && e.SymbolResult is System.CommandLine.Parsing.CommandResult { Command: var needs } && needs.Subcommands.Count > 0 && needs.Action is null)
            {
                needsACommand = $"'{CommandPath(needs)}' needs a command: {string.Join(", ", needs.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
                lines.Add(needsACommand);
                continue;
            }
            var names = token is null ? [] : token.StartsWith('-')
                ? OptionNames(command)
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            // "help" is asked for as an option.
            var meant = token is null ? null : token == "help" ? "--help" : Nearest(token, names);
            suggested |= meant is not null;
            lines.Add(Plain(e.Message) + (meant is null ? ""
                : meant == token ? " After '--', words are read as arguments, not options."
                : $" Did you mean '{meant}'?"));
        }
        // A command mistyped is said once, by the line that names what was meant.
        if (suggested && needsACommand is not null) lines.Remove(needsACommand);
        return lines;
    }

    /// <summary>" (did you mean 'overview'?)" when one of <paramref name="known"/> is near <paramref name="typed"/>, else nothing.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> known) =>
        Nearest(typed, known) is { } meant ? $" (did you mean '{meant}'?)" : "";

    /// <summary>Every name a user may type for the shown options of <paramref name="command"/>.</summary>
    private static IEnumerable<string> OptionNames(System.CommandLine.Command command) =>
        Options(command).Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name));

    /// <summary>The options a command takes: its own and the recursive ones of the commands above it.</summary>
    private static IEnumerable<System.CommandLine.Option> Options(System.CommandLine.Command command) =>
        command.Options.Concat(command.Parents.OfType<System.CommandLine.Command>().SelectMany(p => Options(p).Where(o => o.Recursive)));

    /// <summary>"trendlens query": the words that run a command.</summary>
    private static string CommandPath(System.CommandLine.Command command) =>
        command.Parents.OfType<System.CommandLine.Command>().FirstOrDefault() is { } parent ? CommandPath(parent) + " " + command.Name : "trendlens";

    /// <summary>
    /// The name <paramref name="typed"/> begins (three letters or more: "--form" for "--format"),
    /// else the closest within a typo or two (fewer for short names), or null.
    /// </summary>
    internal static string? Nearest(string typed, IEnumerable<string> names)
    {
        var distinct = names.Distinct(StringComparer.Ordinal).ToList();
        if (typed.TrimStart('-').Length >= 3 && distinct.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList() is [var only]) return only;
        var (name, distance) = distinct.Select(n => (Name: n, Distance: Distance(typed, n)))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal).FirstOrDefault();
        return name is not null && distance <= Math.Clamp(name.TrimStart('-').Length / 3, 1, 2) ? name : null;
    }

    /// <summary>Edits from one word to the other: a letter added, dropped, changed, or two swapped.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    /// <summary>A parser's message in the user's words: "as expected type 'System.Int32'" is "as a whole number".</summary>
    internal static string Plain(string message) => TypeName().Replace(message, m => m.Groups[1].Value switch
    {
        "System.Int32" or "System.Int64" => "as a whole number",
        "System.Double" => "as a number",
        "System.DateOnly" => "as a date like 2025-02-14",
        _ => m.Value,
    });

    /// <summary>"as expected type 'System.Int32'", or of 'System.Nullable`1[System.Int32]': the type is the first group.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"as expected type '(?:System\.Nullable`1\[)?([^'\]]+)\]?'")]
    private static partial System.Text.RegularExpressions.Regex TypeName();
}

public static class OptionChecks
{
    /// <summary>
    /// Adds a check of the option's value, made only when the value parsed: a value of the wrong
    /// type (<c>--top abc</c>) is then the parser's own usage error, where reading it in a check
    /// would throw.
    /// </summary>
    public static Option<T> Check<T>(this Option<T> option, Func<T, bool> isValid, string message)
    {
        option.Validators.Add(r =>
        {
            T value;
            try
            {
                value = r.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // not of type T: reported by the parser
            }
            if (!isValid(value)) r.AddError(message);
        });
        return option;
    }
}
