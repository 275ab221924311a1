using System.Globalization;
using System.CommandLine;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Rollup;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli.Commands;

public static class QueryCommand
{
    private static readonly string[] Grains = ["day", "week", "month"];

    public static Command Build(CommandLine cli)
    {
        var command = new Command("query", "Query the stored lists and their tags.");
        command.Subcommands.Add(Shares(cli, "models", "Papers mentioning each model family per period, as a share of papers listed.", "family", "rollup/family_share_by_period", defaultTop: 0));
        command.Subcommands.Add(Shares(cli, "topics", "Papers per research topic per period, as a share of papers listed.", "topic", "rollup/topic_share_by_period", defaultTop: 0));
        command.Subcommands.Add(Shares(cli, "terms", "Papers per keyword per period, as a share of papers listed.", "term", "rollup/term_share_by_period", defaultTop: 20));
        command.Subcommands.Add(Emerging(cli));
        command.Subcommands.Add(BurstsCommand(cli));
        command.Subcommands.Add(Papers(cli));
        command.Subcommands.Add(Coverage(cli));
        command.Subcommands.Add(LiftCommand(cli));
        return command;
    }

    private static Command Coverage(CommandLine cli)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var grain = new Option<string>("--grain") { Description = "period length", DefaultValueFactory = _ => "week" };
        grain.AcceptOnlyFromAmong(Grains);
        var format = CommandLine.FormatOption();
        var source = SourceOption();
        var command = new Command("coverage", "Papers listed, days with a list and weekdays expected, per period.") { from, to, grain, source, format };
        InOrder(command, from, to);
        command.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (CheckedSource(cli, parse, source, connection) is not { } src) return CommandLine.Failed;
            cli.RollUp(database, connection);
            // Read without Dapper, like the checks before it (see PlainSql): the answer comes sooner.
            var rows = connection.Rows(SqlCatalog.Get("rollup/coverage_by_period"),
                r => (Period: r.GetFieldValue<DateOnly>(0), Papers: r.GetInt64(1), DaysListed: r.GetInt64(2), DaysExpected: r.GetInt64(3)),
                ("from", parse.GetValue(from) ?? DateOnly.MinValue),
                ("to", parse.GetValue(to) ?? DateOnly.MaxValue),
                ("grain", parse.GetValue(grain)),
                ("source", src));
            TabularWriter.Write(cli.Output, parse.GetValue(format), ["period", "papers_listed", "days_listed", "days_expected"],
                rows.Select(r => new object?[] { r.Period, r.Papers, r.DaysListed, r.DaysExpected }));
            return CommandLine.Ok;
        }));
        return command;
    }

    private static Option<TagKind> OfOption() => CommandLine.ChoiceOption("--of", "rank keywords (terms), model families, topics or named model versions", TagKind.Terms,
        ("terms", TagKind.Terms), ("families", TagKind.Families), ("topics", TagKind.Topics), ("versions", TagKind.Versions));

    private static Option<RankedWords> WordsOption() => CommandLine.ChoiceOption("--words", "keywords ranked: keyphrases, or all terms", RankedWords.Keyphrases,
        ("keyphrases", RankedWords.Keyphrases), ("all", RankedWords.All));

    /// <summary>The typed names as stored tags of <paramref name="kind"/> (an unknown one is an error naming the nearest).</summary>
    private static IReadOnlyList<string> Resolved(CommandLine cli, ParseResult parse, DuckDBConnection connection, TagKind kind, IReadOnlyList<string> names)
    {
        if (names.Count == 0) return [];
        return TagNames.Resolve(connection, kind, names, kind is TagKind.Families or TagKind.Topics ? cli.LexiconNames(parse) : null);
    }

    /// <summary>The names given with --term, --family and --topic, and the kind they imply when --of is not given.</summary>
    private static (TagKind Kind, string[] Names) Filter(ParseResult parse, Option<TagKind>? of, Option<string[]> terms, Option<string[]> families, Option<string[]> topics)
    {
        var t = parse.GetValue(terms) ?? [];
        var f = parse.GetValue(families) ?? [];
        var p = parse.GetValue(topics) ?? [];
        var explicitKind = of is not null && parse.GetResult(of) is { Implicit: false };
        var kind = explicitKind ? parse.GetValue(of!) : f.Length > 0 ? TagKind.Families : p.Length > 0 ? TagKind.Topics : TagKind.Terms;
        var names = kind switch { TagKind.Families => f, TagKind.Topics => p, _ => t };
        return (kind, names);
    }

    /// <summary>
    /// Names of one kind at a time, and of the kind --of ranks (--term for terms and versions):
    /// a filter that would be ignored is a usage error (exit 2), not a silently wider answer.
    /// </summary>
    private static void OneKindOfNames(Command command, Option<TagKind>? of, Option<string[]> terms, Option<string[]> families, Option<string[]> topics) =>
        command.Validators.Add(result =>
        {
            var given = new[] { terms, families, topics }.Where(o => result.GetResult(o) is { Tokens.Count: > 0 }).ToList();
            if (given.Count > 1)
            {
                result.AddError("give --term, --family or --topic, not several kinds at once");
                return;
            }
            if (given.Count == 0 || of is null || result.GetResult(of) is not { Implicit: false, Tokens.Count: > 0 } ofResult) return;
            TagKind kind;
            try
            {
                kind = result.GetValue(of);
            }
            catch (InvalidOperationException)
            {
                return; // a word --of does not know is reported by --of
            }
            var filter = given[0];
            var fits = kind switch
            {
                TagKind.Families => filter == families,
                TagKind.Topics => filter == topics,
                _ => filter == terms,
            };
            if (!fits)
                result.AddError($"{filter.Name} does not go with --of {ofResult.Tokens[0].Value}: " + (kind switch
                {
                    TagKind.Families => "name model families with --family",
                    TagKind.Topics => "name topics with --topic",
                    TagKind.Versions => "name model versions with --term",
                    _ => "name keywords with --term",
                }) + $", or leave out --of ({filter.Name} implies it)");
        });

    private static (Option<string[]>, Option<string[]>, Option<string[]>) NameFilters() => (
        new Option<string[]>("--term") { Description = "only this keyword (repeatable)" },
        new Option<string[]>("--family") { Description = "only this model family (repeatable; implies --of families)" },
        new Option<string[]>("--topic") { Description = "only this topic (repeatable; implies --of topics)" });

    /// <summary>--from after --to is a usage error (exit 2), as on the pages, not an empty answer.</summary>
    private static void InOrder(Command command, Option<DateOnly?> from, Option<DateOnly?> to) =>
        command.Validators.Add(result =>
        {
            DateOnly? f, t;
            try
            {
                (f, t) = (result.GetValue(from), result.GetValue(to));
            }
            catch (InvalidOperationException)
            {
                return; // a date that does not parse is reported by its option
            }
            if (f > t) result.AddError("--from is after --to");
        });

    private static Option<string> SourceOption() => new("--source")
    {
        Description = $"only the lists of this source, or {ReadSource.Every} (default: the first configured source when it has lists, else every source)",
        HelpName = "NAME",
        DefaultValueFactory = _ => "",
    };

    /// <summary>
    /// The source to read ('' = every source) from the --source given (see <see cref="ReadSource"/>);
    /// null (after saying why on stderr) when no stored source has that name.
    /// </summary>
    private static string? CheckedSource(CommandLine cli, ParseResult parse, Option<string> option, DuckDBConnection connection)
    {
        var given = parse.GetValue(option) ?? "";
        var stored = RollupTables.Sources(connection);
        if (ReadSource.Resolve(given, cli.PrimarySource, stored) is { } source) return source;
        cli.Error.WriteLine("trendlens: " + ReadSource.Unknown(given, stored));
        return null;
    }

    /// <summary>On stderr, when a range holds no list: where the stored lists are, so an empty answer is not read as a finding.</summary>
    private static bool OutsideTheLists(CommandLine cli, DuckDBConnection connection, DateOnly from, DateOnly to)
    {
        var (first, last) = connection.QuerySingle<(DateOnly? First, DateOnly? Last)>(SqlCatalog.Get("snapshots/list_date_range"));
        if (first is null || last is null) cli.Error.WriteLine("trendlens: no list is stored yet (import or fetch some first)");
        else if (to < first || from > last)
            cli.Error.WriteLine($"trendlens: no list {Asked(from, to)}; the lists stored run from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}");
        else return false;
        return true;
    }

    /// <summary>The range asked for in words: an end not given (the command's open bound) is not printed as a date.</summary>
    private static string Asked(DateOnly from, DateOnly to) =>
        (from == DateOnly.MinValue, to == DateOnly.MaxValue) switch
        {
            (false, true) => $"from {from:yyyy-MM-dd} on",
            (true, false) => $"up to {to:yyyy-MM-dd}",
            (true, true) => "at all",
            _ => $"from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}",
        };

    /// <summary>
    /// On stderr, when the range leaves out a weekday of its first or last week or month: that
    /// period's row counts only the days in the range, though it is labelled by the period's start.
    /// </summary>
    private static void CutPeriods(CommandLine cli, List<DateOnly> periods, string grain, DateOnly? from, DateOnly? to)
    {
        if (grain is not ("week" or "month")) return;
        var (first, last) = (periods.Min(), periods.Max());
        var lastEnd = grain == "month" ? last.AddMonths(1).AddDays(-1) : last.AddDays(6);
        var cut = new List<string>();
        if (from is { } f && Days.HasWeekday(first, f.AddDays(-1))) cut.Add($"{first:yyyy-MM-dd} counts {f:yyyy-MM-dd} onward only");
        if (to is { } t && Days.HasWeekday(t.AddDays(1), lastEnd)) cut.Add($"{last:yyyy-MM-dd} counts up to {t:yyyy-MM-dd} only");
        if (cut.Count > 0) cli.Error.WriteLine($"trendlens: the range cuts a {grain}: {string.Join("; ", cut)}");
    }

    private static DateOnly LatestListDate(DuckDBConnection connection) =>
        connection.QuerySingle<(DateOnly? First, DateOnly? Last)>(SqlCatalog.Get("snapshots/list_date_range")).Last ?? DateOnly.FromDateTime(DateTime.UtcNow);

    private static Command Emerging(CommandLine cli)
    {
        var from = CommandLine.DateOption("--from", "first day of the recent window (default: 6 days before --to)");
        var to = CommandLine.DateOption("--to", "last day of the recent window (default: the latest list date)");
        var baseline = new Option<int>("--baseline-days") { Description = "length of the baseline window before --from", DefaultValueFactory = _ => 90 };
        var minPapers = new Option<int>("--min-papers") { Description = "minimum papers with the tag in the recent window (versions: at most 2)", DefaultValueFactory = _ => 3 };
        var minDays = new Option<int>("--min-days") { Description = "minimum list days with the tag in the recent window", DefaultValueFactory = _ => 2 };
        var top = new Option<int>("--top") { Description = "how many to list at most (0: all that rose)", DefaultValueFactory = _ => 20 };
        var words = WordsOption();
        var minScore = new Option<double>("--min-score")
        {
            Description = "list tags whose rise scores at least this (the one-sided p-value as a normal quantile; 3.09 is p = 0.001)",
            DefaultValueFactory = _ => EmergenceOptions.DefaultMinScore,
        };
        var minRatio = new Option<double>("--min-ratio") { Description = "... and whose rate ratio is at least this with 95% confidence", DefaultValueFactory = _ => 1.5 };
        var of = OfOption();
        var (terms, families, topics) = NameFilters();
        var source = SourceOption();
        var format = CommandLine.FormatOption();
        baseline.Check(v => v >= 1, "--baseline-days must be 1 or more: the rise is measured against it");
        foreach (var o in new[] { minPapers, minDays, top })
            o.Check(v => v >= 0, $"{o.Name} must be 0 or more");
        minRatio.Check(v => v >= 0, "--min-ratio must be 0 or more");
        minScore.Check(double.IsFinite, "--min-score must be a number");
        var command = new Command("emerging", "Tags that rose significantly in a recent window against the window before it (exact test of two rates).")
            { from, to, baseline, minPapers, minDays, top, minScore, minRatio, words, of, terms, families, topics, source, format };
        InOrder(command, from, to);
        OneKindOfNames(command, of, terms, families, topics);
        command.SetAction(parse => cli.Guard(() =>
        {
            // Read on another core while the database opens; used after the rollup (WarnIfStale).
            var lexicon = LexiconVersion(cli, parse);
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (CheckedSource(cli, parse, source, connection) is not { } src) return CommandLine.Failed;
            var end = parse.GetValue(to) ?? LatestListDate(connection);
            var start = parse.GetValue(from) ?? end.AddDays(-6);
            if (start > end)
            {
                cli.Error.WriteLine("trendlens: " + CommandLine.FromAfterTo(start, end, parse.GetValue(to) is not null));
                return CommandLine.Usage;
            }
            var (kind, typed) = Filter(parse, of, terms, families, topics);
            cli.RollUp(database, connection);
            WarnIfStale(cli, lexicon, connection);
            var options = new EmergenceOptions
            {
                From = start,
                To = end,
                BaselineDays = parse.GetValue(baseline),
                MinPapers = parse.GetValue(minPapers),
                MinDays = parse.GetValue(minDays),
                Top = parse.GetValue(top),
                MinScore = parse.GetValue(minScore),
                MinRatio = parse.GetValue(minRatio),
                Words = parse.GetValue(words),
                Names = Resolved(cli, parse, connection, kind, typed),
                Source = src,
            };
            var asked = kind == TagKind.Versions ? options.ForVersions() : options;
            var result = Emergence.Rank(database, connection, kind, asked);
            var fmt = parse.GetValue(format);
            var versions = kind == TagKind.Versions;
            string[] columns = fmt == OutputFormat.Csv
                ? ["term", "score", "papers", "baseline_papers", "first_seen"]
                : ["term", "score", "papers", "baseline_papers", "first_seen", "days", "listed", "baseline_listed", "ratio", "ratio_low", "p", "new"];
            if (versions) columns = [.. columns, "family"];
            // Notes go under the table's title, or to stderr beside CSV and JSON.
            var note = fmt == OutputFormat.Table ? cli.Output : cli.Error;
            var prefix = fmt == OutputFormat.Table ? "" : "trendlens: ";
            if (fmt == OutputFormat.Table) cli.Output.WriteLine($"Rose in {result.Windows}:");
            // A window outside every list says where the lists are, as the other queries do.
            if (result.Tags.Count == 0 && !(result.Candidates == 0 && OutsideTheLists(cli, connection, start, end)))
                note.WriteLine(prefix + (result.NoComparison is { } none
                    ? $"{none}; a later --from or fewer --baseline-days compares with stored lists"
                    : $"{EmergenceResult.NothingRose} ({result.Candidates} candidate{(result.Candidates == 1 ? "" : "s")} tested{NearestMiss(result.Closest, asked)})"));
            if (result.Tags.Count > 0 || fmt != OutputFormat.Table)
                TabularWriter.Write(cli.Output, fmt, columns, result.Tags.Select(r =>
                {
                    object?[] row = fmt == OutputFormat.Csv
                        ? [r.Display, Math.Round(r.Score, 4), r.Papers, r.BaselinePapers, r.FirstSeen]
                        : [r.Display, Math.Round(r.Score, 4), r.Papers, r.BaselinePapers, r.FirstSeen, r.Days, r.Listed, r.BaselineListed,
                            double.IsFinite(r.Ratio) ? Math.Round(r.Ratio, 3) : null, double.IsFinite(r.RatioLow) ? Math.Round(r.RatioLow, 3) : null,
                            fmt == OutputFormat.Table ? r.P.ToString("G2", CultureInfo.InvariantCulture) : r.P, fmt == OutputFormat.Json ? r.New : r.New ? "new" : ""];
                    return versions ? [.. row, r.Family] : row;
                }));
            // The names asked for that did not rise, each with its reason.
            if (result.NoComparison is null)
                foreach (var why in Emergence.WhyNotListed(connection, kind, asked, result))
                    note.WriteLine(prefix + why);
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>"; the closest, 'x' (6 papers on 6 days, 0 in the baseline), scored 2.53 (p = 0.0057), below --min-score 3.09", or "".</summary>
    private static string NearestMiss(NearMiss? miss, EmergenceOptions o)
    {
        if (miss is null) return "";
        var c = CultureInfo.InvariantCulture;
        var counts = $"; the closest, '{miss.Display}' ({miss.Papers} paper{(miss.Papers == 1 ? "" : "s")} on {miss.Days} day{(miss.Days == 1 ? "" : "s")}, {miss.BaselinePapers} in the baseline), ";
        return counts + (miss.Score < o.MinScore
            ? $"scored {miss.Score.ToString("0.00", c)} (p = {miss.P.ToString("G2", c)}), below --min-score {o.MinScore.ToString("0.##", c)}"
            : $"had a rate ratio of at least {miss.RatioLow.ToString("0.00", c)} with 95 % confidence, below --min-ratio {o.MinRatio.ToString("0.##", c)}");
    }

    private static Command LiftCommand(CommandLine cli)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var grain = new Option<string>("--grain") { Description = "period length; all: one period, the whole range", DefaultValueFactory = _ => "week" };
        grain.AcceptOnlyFromAmong([.. Grains, "all"]);
        var top = new Option<int?>("--top") { HelpName = "N", Description = $"keep the N tags whose shares differ most surely, half over- and half under-represented (0: all; default: all topics or families, {Lift.DefaultTopTerms} keyphrases)" };
        top.Check(v => v is not < 0, "--top must be 0 or more");
        var of = CommandLine.ChoiceOption("--of", "compare topics, model families or keyphrases (terms)", TagKind.Topics,
            ("topics", TagKind.Topics), ("families", TagKind.Families), ("terms", TagKind.Terms));
        var source = new Option<string>("--source") { Description = "the list compared: the community's picks", HelpName = "NAME", DefaultValueFactory = _ => Lift.DefaultSource };
        var @base = new Option<string>("--base") { Description = "the list compared against: the base rate", HelpName = "NAME", DefaultValueFactory = _ => Lift.DefaultBase };
        var format = CommandLine.FormatOption();
        var command = new Command("lift", "Each tag's share of one source's papers against its share of a base source's, per period, with a 95% interval.")
            { of, source, @base, from, to, grain, top, format };
        InOrder(command, from, to);
        command.SetAction(parse => cli.Guard(() =>
        {
            if (parse.GetValue(source) is not { Length: > 0 } named || named == parse.GetValue(@base) || parse.GetValue(@base) is not { Length: > 0 })
            {
                cli.Error.WriteLine("trendlens: --source and --base name two different sources; lift compares one against the other");
                return CommandLine.Usage;
            }
            if (named == ReadSource.Every || parse.GetValue(@base) == ReadSource.Every)
            {
                cli.Error.WriteLine($"trendlens: --source and --base each name one stored source; '{ReadSource.Every}' pools every source, which lift cannot compare");
                return CommandLine.Usage;
            }
            // Read on another core while the database opens; used after the rollup (WarnIfStale).
            var lexicon = LexiconVersion(cli, parse);
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            // Two stored sources, each named: neither a default nor 'all' (every source) stands in for one.
            var (src, against) = (named, parse.GetValue(@base)!);
            var stored = RollupTables.Sources(connection);
            if (new[] { src, against }.FirstOrDefault(s => !stored.Contains(s)) is { } missing)
            {
                var hint = missing is Lift.DefaultSource or Lift.DefaultBase ? Lift.FetchHint(missing) : "";
                cli.Error.WriteLine($"trendlens: {ReadSource.Unknown(missing, stored, orEvery: false)}{hint}");
                return CommandLine.Failed;
            }
            cli.RollUp(database, connection);
            WarnIfStale(cli, lexicon, connection);
            var kind = parse.GetValue(of);
            var options = new LiftOptions
            {
                From = parse.GetValue(from) ?? DateOnly.MinValue,
                To = parse.GetValue(to) ?? DateOnly.MaxValue,
                Grain = parse.GetValue(grain)!,
                Top = parse.GetValue(top),
                Source = src,
                Base = against,
            };
            var result = Lift.Compute(connection, kind, options);
            if (result.Rows.Count == 0)
            {
                // A range outside every list says where the lists are, as the other queries do.
                if (result.From is not null || !OutsideTheLists(cli, connection, options.From, options.To))
                    cli.Error.WriteLine($"trendlens: {result.Describe(options)}{(result.From is null ? "" : ": no tag to compare")}{(result.Where is { } where ? $" ({where})" : "")}");
            }
            else
            {
                if (result.Cut(options) is { } cut) cli.Error.WriteLine($"trendlens: {cut}");
                if (options.Grain != "all") CutPeriods(cli, result.Rows.Select(r => r.Period).Distinct().ToList(), options.Grain, result.From, result.To);
            }
            // The CSV columns are a contract; table and JSON also carry the counts behind each share.
            var fmt = parse.GetValue(format);
            string[] columns = fmt == OutputFormat.Csv
                ? ["period", "tag", "share", "base_share", "lift", "low", "high"]
                : ["period", "tag", "share", "base_share", "lift", "low", "high", "papers", "listed", "base_papers", "base_listed"];
            // The table rounds to four decimals, and a smaller number to two significant digits: a base share of 0.00004 is not 0.
            object? Shown(double? x) => x is { } v && fmt == OutputFormat.Table
                ? v == 0 || Math.Abs(v) >= 0.001 ? Math.Round(v, 4) : Lift.TwoDigits(v)
                : x;
            TabularWriter.Write(cli.Output, fmt, columns, Lift.Ordered(result.Rows).Select(r => new object?[]
            {
                r.Period, r.Tag, Shown(r.Share), Shown(r.BaseShare), Shown(r.Lift?.Lift), Shown(r.Lift?.Low), Shown(r.Lift?.High),
                r.Papers, r.Listed, r.BasePapers, r.BaseListed,
            }));
            return CommandLine.Ok;
        }));
        return command;
    }

    private static Command BurstsCommand(CommandLine cli)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var s = new Option<double>("--s") { Description = "burst rate as a multiple of the base rate", DefaultValueFactory = _ => 2.0 };
        var gamma = new Option<double>("--gamma") { Description = "cost of entering a burst, times ln(days)", DefaultValueFactory = _ => 1.5 };
        var minLength = new Option<int>("--min-length") { Description = "shortest burst kept, in list days", DefaultValueFactory = _ => 2 };
        var minPapers = new Option<int>("--min-papers") { Description = "tags with fewer papers in the range are not examined", DefaultValueFactory = _ => 5 };
        var top = new Option<int>("--top") { Description = "how many to list, by weight (0: all)", DefaultValueFactory = _ => 50 };
        var words = WordsOption();
        var of = OfOption();
        var (terms, families, topics) = NameFilters();
        var source = SourceOption();
        var format = CommandLine.FormatOption();
        s.Check(v => v > 1, "--s must be more than 1");
        gamma.Check(v => v >= 0, "--gamma must be 0 or more");
        foreach (var o in new[] { minLength, minPapers, top })
            o.Check(v => v >= 0, $"{o.Name} must be 0 or more");
        var command = new Command("bursts", "Burst intervals per tag (Kleinberg's two-state model on daily counts, against the 90 days before).")
            { from, to, s, gamma, minLength, minPapers, top, words, of, terms, families, topics, source, format };
        InOrder(command, from, to);
        OneKindOfNames(command, of, terms, families, topics);
        command.SetAction(parse => cli.Guard(() =>
        {
            // Read on another core while the database opens; used after the rollup (WarnIfStale).
            var lexicon = LexiconVersion(cli, parse);
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (CheckedSource(cli, parse, source, connection) is not { } src) return CommandLine.Failed;
            var (kind, typed) = Filter(parse, of, terms, families, topics);
            cli.RollUp(database, connection);
            WarnIfStale(cli, lexicon, connection);
            var names = Resolved(cli, parse, connection, kind, typed);
            var bursts = Bursts.Detect(database, connection, kind, new BurstOptions
            {
                From = parse.GetValue(from) ?? DateOnly.MinValue,
                To = parse.GetValue(to) ?? DateOnly.MaxValue,
                S = parse.GetValue(s),
                Gamma = parse.GetValue(gamma),
                MinLength = parse.GetValue(minLength),
                MinPapers = parse.GetValue(minPapers),
                Top = parse.GetValue(top),
                Words = parse.GetValue(words),
                Names = names,
                Source = src,
            });
            TabularWriter.Write(cli.Output, parse.GetValue(format), ["term", "start", "end", "weight"],
                bursts.Select(b => new object?[] { b.Display, b.Start, b.End, Math.Round(b.Weight, 4) }));
            // An empty answer is a finding: nothing was said at a rate well above its 90 days before.
            if (bursts.Count == 0)
                cli.Error.WriteLine($"trendlens: no bursts: {(typed.Length > 0 ? string.Join(", ", typed.Select(t => $"'{t}'")) + " did not rise" : "no tag rose")} to {parse.GetValue(s):0.##} times its rate of the 90 days before "
                    + "for long enough (docs/emergence.md, \"Bursts\"; a tag said steadily over the whole range has none)");
            return CommandLine.Ok;
        }));
        return command;
    }

    private static Command Shares(CommandLine cli, string name, string description, string tagColumn, string query, int defaultTop)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var grain = new Option<string>("--grain") { Description = "period length", DefaultValueFactory = _ => "week" };
        grain.AcceptOnlyFromAmong(Grains);
        var top = new Option<int>("--top") { Description = "keep the N tags with the most papers over the range (0: all)", DefaultValueFactory = _ => defaultTop };
        top.Check(v => v >= 0, "--top must be 0 or more");
        var filter = new Option<string[]>("--" + tagColumn) { Description = $"only this {tagColumn} (repeatable)", AllowMultipleArgumentsPerToken = false };
        var source = SourceOption();
        var format = CommandLine.FormatOption();
        var command = new Command(name, description) { from, to, grain, top, filter, source, format };
        InOrder(command, from, to);
        var words = WordsOption();
        if (tagColumn == "term") command.Options.Add(words);
        command.SetAction(parse => cli.Guard(() =>
        {
            // Read on another core while the database opens; used after the rollup (WarnIfStale).
            var lexicon = LexiconVersion(cli, parse);
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (CheckedSource(cli, parse, source, connection) is not { } src) return CommandLine.Failed;
            cli.RollUp(database, connection);
            WarnIfStale(cli, lexicon, connection);
            var kind = tagColumn switch { "family" => TagKind.Families, "topic" => TagKind.Topics, _ => TagKind.Terms };
            var names = Resolved(cli, parse, connection, kind, parse.GetValue(filter) ?? []);
            var (start, end, n) = (parse.GetValue(from) ?? DateOnly.MinValue, parse.GetValue(to) ?? DateOnly.MaxValue, parse.GetValue(top));
            // The most frequent keywords are keyphrases, not "model" and "large".
            if (kind == TagKind.Terms && names.Count == 0 && n > 0 && parse.GetValue(words) == RankedWords.Keyphrases)
            {
                (names, n) = (Keyphrases.Top(connection, start, end, n, src), 0);
                if (names.Count == 0)
                {
                    cli.Error.WriteLine("trendlens: no keyphrase is listed in this range (--words all ranks every term; --term names any)");
                    TabularWriter.Write(cli.Output, parse.GetValue(format), ["period", tagColumn, "papers", "share"], []);
                    return CommandLine.Ok;
                }
            }
            // Read without Dapper, like the checks before it (see PlainSql): the answer comes sooner.
            var rows = connection.Rows(SqlCatalog.Get(query),
                r => (Period: r.GetFieldValue<DateOnly>(0), Tag: r.GetString(1), Papers: r.GetInt64(2), Share: r.GetDouble(3),
                      Listed: r.GetInt64(4), DaysListed: r.GetInt64(5), DaysExpected: r.GetInt64(6)),
                ("from", start), ("to", end), ("grain", parse.GetValue(grain)), ("top", n), ("names", string.Join('\u001f', names)), ("source", src));
            if (rows.Count == 0) OutsideTheLists(cli, connection, start, end);
            else CutPeriods(cli, rows.Select(r => r.Period).ToList(), parse.GetValue(grain)!, parse.GetValue(from), parse.GetValue(to));
            // The CSV columns are a contract; table and JSON also carry the period's coverage.
            var fmt = parse.GetValue(format);
            string[] columns = fmt == OutputFormat.Csv
                ? ["period", tagColumn, "papers", "share"]
                : ["period", tagColumn, "papers", "share", "listed", "days_listed", "days_expected"];
            TabularWriter.Write(cli.Output, fmt, columns,
                rows.Select(r => new object?[] { r.Period, r.Tag, r.Papers, fmt == OutputFormat.Table ? Math.Round(r.Share, 4) : r.Share, r.Listed, r.DaysListed, r.DaysExpected }));
            return CommandLine.Ok;
        }));
        return command;
    }

    /// <summary>
    /// The version of the lexicons in the dashboards folder, read on another core: reading and
    /// hashing them takes about 30 ms of a read command, which opening the database hides.
    /// </summary>
    private static Task<string> LexiconVersion(CommandLine cli, ParseResult parse) =>
        Task.Run(() => Lexicons.VersionOf(cli.DashboardsDirectory(parse)));

    /// <summary>On stderr, when some papers' tags are stale or missing. Called after the rollups were brought up to date.</summary>
    private static void WarnIfStale(CommandLine cli, Task<string> lexiconVersion, DuckDBConnection connection)
    {
        try
        {
            var version = lexiconVersion.GetAwaiter().GetResult();
            if (Tagger.FreshnessAtRollup(connection, version).Warning is { } warning) cli.Error.WriteLine($"trendlens: warning: {warning}");
        }
        catch (LexiconException e)
        {
            cli.Error.WriteLine($"trendlens: warning: cannot check tag freshness: {e.Message}");
        }
    }

    private static Command Papers(CommandLine cli)
    {
        var from = CommandLine.DateOption("--from", "first list date, inclusive");
        var to = CommandLine.DateOption("--to", "last list date, inclusive");
        var (terms, families, topics) = NameFilters();
        var source = SourceOption();
        var format = CommandLine.FormatOption();
        var command = new Command("papers", "Every paper listed between two dates, in list order; with filters, only those carrying the tags.")
            { from, to, terms, families, topics, source, format };
        InOrder(command, from, to);
        OneKindOfNames(command, null, terms, families, topics);
        command.SetAction(parse => cli.Guard(() =>
        {
            var database = cli.ExistingDatabase(parse);
            using var connection = database.Open();
            if (CheckedSource(cli, parse, source, connection) is not { } src) return CommandLine.Failed;
            var (kind, typed) = Filter(parse, null, terms, families, topics);
            if (typed.Length > 0) cli.RollUp(database, connection);
            var names = Resolved(cli, parse, connection, kind, typed);
            // Read without Dapper, like the checks before it (see PlainSql): the answer comes sooner.
            var rows = connection.Rows(SqlCatalog.Get("papers/papers_listed"),
                r => (ListDate: r.GetFieldValue<DateOnly>(0), Rank: r.GetInt32(1), PaperId: r.GetString(2), Title: r.NullableString(3)),
                ("from", parse.GetValue(from) ?? DateOnly.MinValue),
                ("to", parse.GetValue(to) ?? DateOnly.MaxValue),
                ("kind", kind.Column()),
                ("names", string.Join('\u001f', names)),
                ("source", src));
            TabularWriter.Write(cli.Output, parse.GetValue(format), ["list_date", "rank", "paper_id", "title"],
                rows.Select(r => new object?[] { r.ListDate, r.Rank, r.PaperId, r.Title }));
            return CommandLine.Ok;
        }));
        return command;
    }
}
