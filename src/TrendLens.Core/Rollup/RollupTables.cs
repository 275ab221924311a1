using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;

namespace TrendLens.Rollup;

/// <summary>What bringing the rollups up to date built: nothing, the topics' rows alone, the days that changed, or everything.</summary>
public enum RollupBuild
{
    None,
    Topics,
    Days,
    All,
}

/// <summary>
/// Where a rollup is, for a progress bar: <paramref name="Done"/> of <paramref name="Total"/>
/// steps, starting <paramref name="Stage"/>. The total grows once, when a full build knows how
/// many ranges of days it counts.
/// </summary>
public readonly record struct RollupProgress(int Done, int Total, string Stage);

/// <summary>
/// Keeps the derived rollup tables (<c>current_listings</c>, <c>listed_daily</c>,
/// <c>repeat_listings</c>, <c>tags</c>, <c>tag_daily</c>, <c>keyphrase_daily</c>) in step with the
/// lists and tags. Building them all means unnesting every paper's terms (about 3 s on the Daily
/// Papers archive), so after the first build only the list days that changed are rebuilt. When to build is <see cref="RollupRefresher"/>'s to decide.
/// </summary>
public static class RollupTables
{
    private const string Name = "daily";

    /// <summary>
    /// Makes the rollups match the data (the 4–5 ms signature query, then a build of what changed
    /// if anything did) and returns the write generation at which they are known to match, or -1
    /// when a writer committed while the concept map was learned (the data moved on meanwhile).
    /// Called by <see cref="RollupRefresher"/>, which decides when.
    /// </summary>
    internal static long BringUpToDate(Database database, DuckDBConnection connection, out RollupBuild built, Action<RollupProgress>? progress = null)
    {
        var generation = database.WriteGeneration;
        var signature = connection.Single(SqlCatalog.Get("rollup/rollup_signature"), r => r.GetString(0));
        built = RollupBuild.None;
        return Stored(connection) == signature ? generation : Rebuild(database, connection, out built, new Steps(progress));
    }

    /// <summary>The signature of the data the rollups were last built from (the version of what queries read), or null.</summary>
    public static string? BuiltSignature(DuckDBConnection connection) => Stored(connection);

    /// <summary>More changed days than this and the whole rollup is rebuilt instead, which is then cheaper.</summary>
    private const int MaxIncrementalDays = 60;

    /// <summary>
    /// The keyphrase concept map and statistics are learned from all papers (2–3 s on the archive),
    /// so they are learned again only when the tagged papers grew by this share since, or the
    /// lexicons changed; a day's new papers are rolled up with the map at hand.
    /// </summary>
    public const double RelearnGrowth = 0.05;

    private static long Rebuild(Database database, DuckDBConnection connection, out RollupBuild built, Steps steps)
    {
        built = RollupBuild.None;
        var learned = State(connection);
        var (papers, lexicon) = connection.QuerySingle<(long Papers, string? Lexicon)>(SqlCatalog.Get("rollup/tagged_papers_and_lexicon"));
        var relearn = Relearn(learned, (papers, lexicon));

        // What the papers say about keyphrases is learned before taking the write lock, so imports
        // do not wait for it. It is learned from the data as of `learnedFrom`; when a writer
        // commits meanwhile, the rollups are built from the newer data but recorded as of
        // `learnedFrom`, so the next query finds them stale and rolls up again.
        var learnedFrom = connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"));
        // Until the rebuild knows what it builds: learning (4 steps), the listings, one range of days, the finish.
        steps.Remaining((relearn ? Keyphrases.PrepareSteps : 0) + 3);
        if (relearn) Keyphrases.Prepare(connection, steps.Next);
        long rebuiltAt;
        using (database.AcquireWriteLock())
        {
            // Inside the lock no other writer runs: the generation after this lock's release is ours + 1.
            rebuiltAt = database.WriteGeneration + 1;
            var signature = connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature"));
            var state = State(connection);
            if (state.Signature == signature)
            {
                if (relearn) Keyphrases.Discard(connection);
            }
            else
            {
                // Nothing was learned because too little was new when this began; but writers that
                // held the lock meanwhile (imports beside a server) may have added enough since. Built
                // with the map at hand, the rollups are then recorded as of the data this began from,
                // so the next refresh finds them stale and learns again; recorded as current, the map
                // of 949 papers went on counting 4,888.
                var relearnNow = !relearn && Relearn(state, connection.QuerySingle<(long Papers, string? Lexicon)>(SqlCatalog.Get("rollup/tagged_papers_and_lexicon")));
                if (!relearn && !relearnNow) learnedFrom = signature; // nothing learned: built from the data as it is now
                else if (signature != learnedFrom) rebuiltAt = -1; // learned from older data, or to be learned again: not fresh yet
                using var tx = connection.BeginTransaction();
                connection.Execute(SqlCatalog.Get("rollup/rollup_changed_create"), transaction: tx);
                // A retag after an edit of the topics changes every paper's tags but only their
                // topics: their rows are made again (0.1 s on the archive instead of 5–6 s).
                if (!relearn && state.PayloadMax is not null && connection.ExecuteScalar<bool>(SqlCatalog.Get("rollup/topics_only_changed"), transaction: tx))
                {
                    steps.Remaining(1);
                    steps.Next("the topics");
                    connection.Execute(SqlCatalog.Get("rollup/topic_rollup_rebuild"), transaction: tx);
                    Record(connection, tx, learnedFrom, learned.LearnedPapers, learned.LearnedLexicon);
                    tx.Commit();
                    steps.Finish();
                    built = RollupBuild.Topics;
                    return rebuiltAt;
                }
                // Only the list days that changed since the last build (an import or fetch adds a few):
                // ≈ 0.1 s for a day on the archive instead of about 3 s. A retag with a new lexicon changes
                // every day and rebuilds it all.
                var days = state.PayloadMax is not null
                    ? connection.Query<(string Source, DateTime ListDate, long ChangedPapers)>(SqlCatalog.Get("rollup/rollup_days_changed"), transaction: tx).ToList()
                    : null;
                // Which keys are one concept is learned from all papers: when it changes, every
                // day's term counts may change, and the whole rollup is rebuilt.
                var conceptsChanged = relearn && Keyphrases.Install(connection, tx);
                if (days is not null && days.Count <= MaxIncrementalDays && !conceptsChanged)
                {
                    steps.Remaining(1);
                    steps.Next($"the {days.Count} changed day(s)");
                    connection.Execute(SqlCatalog.Get("rollup/rollup_days_create"), transaction: tx);
                    foreach (var day in days)
                        connection.Execute(SqlCatalog.Get("rollup/rollup_days_insert"), new { source = day.Source, list_date = DateOnly.FromDateTime(day.ListDate) }, tx);
                    // The days' keys as text, whether or not the map was learned now: their new terms need names.
                    BuildDayTermKeys(connection, tx);
                    connection.Execute(SqlCatalog.Get("rollup/rollup_days_rebuild"), transaction: tx);
                    connection.Execute(SqlCatalog.Get("rollup/repeat_listings_insert"), transaction: tx);
                    // Relearned keyphrases may differ on every day; otherwise only these days changed.
                    connection.Execute(SqlCatalog.Get(relearn ? "rollup/keyphrase_daily_refill" : "rollup/keyphrase_daily_days"), transaction: tx);
                    connection.Execute(SqlCatalog.Get("rollup/rollup_days_drop"), transaction: tx);
                    built = RollupBuild.Days;
                }
                else
                {
                    if (!relearn)
                    {
                        steps.Remaining(4); // these terms, the listings, one range of days, the finish
                        steps.Next("reading every paper's terms");
                        connection.Execute(SqlCatalog.Get("rollup/term_id_papers_build"), transaction: tx);
                        connection.Execute(SqlCatalog.Get("rollup/term_names_build"), transaction: tx);
                    }
                    RebuildAll(connection, tx, steps: steps);
                    built = RollupBuild.All;
                }
                connection.Execute(SqlCatalog.Get("rollup/term_key_papers_drop"), transaction: tx);
                // Only the rows that changed: rewriting all of them after every import filled the
                // write-ahead log, and its checkpoints stalled every request for a second (load test).
                Record(connection, tx, learnedFrom, relearn ? papers : learned.LearnedPapers, relearn ? lexicon : learned.LearnedLexicon);
                tx.Commit();
                steps.Finish();
            }
        }
        return rebuiltAt;
    }

    /// <summary>Whether the keyphrases must be learned again for these tagged papers and lexicons (<see cref="RelearnGrowth"/>).</summary>
    private static bool Relearn((string? Signature, long? PayloadMax, long? LearnedPapers, string? LearnedLexicon) learned, (long Papers, string? Lexicon) now) =>
        learned.LearnedPapers is not { } before || learned.LearnedLexicon != now.Lexicon || now.Papers >= before * (1 + RelearnGrowth) || now.Papers < before;

    /// <summary>Counts a rebuild's steps for <see cref="RollupProgress"/>: each is announced as it starts.</summary>
    internal sealed class Steps(Action<RollupProgress>? report)
    {
        private int _done;
        private int _total;

        /// <summary>What is left to do from here, once the build knows it better.</summary>
        public void Remaining(int steps) => _total = _done + steps;

        public void Next(string stage)
        {
            report?.Invoke(new RollupProgress(_done, Math.Max(_total, _done + 1), stage));
            _done++;
        }

        public void Finish() => report?.Invoke(new RollupProgress(_done, _done, "done"));
    }

    private static void Record(DuckDBConnection connection, DuckDBTransaction tx, string? signature, long? learnedPapers, string? learnedLexicon) =>
        connection.Execute(SqlCatalog.Get("rollup/rollup_state_record"), new
        {
            name = Name,
            signature,
            learned_papers = learnedPapers,
            learned_lexicon = learnedLexicon,
        }, tx);

    /// <summary>
    /// More ranges of rows than this and the terms of a few days' papers are picked out of all
    /// papers' terms in one statement instead (about 2 s at a million papers on the development
    /// machine, against some 20 ms per range).
    /// </summary>
    internal const int MaxTermRowRanges = 32;

    /// <summary>
    /// The temporary table term_key_papers for the papers listed on the days in rollup_days, read as
    /// ranges of neighbouring rows of paper_terms: a paper is stored when it first comes, so a
    /// day's new papers are neighbours, and a range is read without reading every paper's terms.
    /// Rows closer than a vector of DuckDB's (2,048 rows) share a range.
    /// </summary>
    internal static void BuildDayTermKeys(DuckDBConnection connection, DuckDBTransaction tx, int maxRanges = MaxTermRowRanges, long rowGap = 2048)
    {
        connection.Execute(SqlCatalog.Get("rollup/rollup_days_papers"), transaction: tx);
        var rows = connection.Query<long>(SqlCatalog.Get("rollup/term_rows_of_days"), transaction: tx).ToList();
        var ranges = RowRanges(rows, rowGap).ToList();
        if (ranges.Count > maxRanges)
        {
            connection.Execute(SqlCatalog.Get("rollup/term_key_papers_build_days"), transaction: tx);
            return;
        }
        connection.Execute(SqlCatalog.Get("rollup/term_key_papers_empty"), transaction: tx);
        foreach (var (first, last) in ranges)
            connection.Execute(SqlCatalog.Get("rollup/term_key_papers_build_rows"), new { first, last }, tx);
    }

    /// <summary>Ascending row numbers as ranges: a row within <paramref name="gap"/> of the range before joins it.</summary>
    internal static IEnumerable<(long First, long Last)> RowRanges(IReadOnlyList<long> rows, long gap)
    {
        if (rows.Count == 0) yield break;
        var (first, last) = (rows[0], rows[0]);
        foreach (var row in rows.Skip(1))
        {
            if (row - last > gap)
            {
                yield return (first, last);
                first = row;
            }
            last = row;
        }
        yield return (first, last);
    }

    /// <summary>
    /// The most list entries whose tags are counted per day in one statement of the full
    /// rebuild. Counting the tags of a million papers in one statement ran DuckDB out of memory
    /// below 2 GiB; by ranges of list days of about this many entries the same rebuild completes
    /// within the commands' 1 GiB (Database.DefaultMemoryMegabytes). The Daily Papers archive is
    /// one range.
    /// </summary>
    internal const long EntriesPerRange = 150_000;

    /// <summary>
    /// Every rollup table from scratch: the listings and every kind of tag but terms, then the
    /// terms a range of list days at a time, each range's counts moved into the tables before the next.
    /// Reads every paper's keys by id and the terms' names from the temporary tables
    /// term_id_papers, paper_rows (rollup/term_id_papers_build.sql) and term_names (made by the
    /// learning, rollup/term_stats_rebuild.sql, or else by rollup/term_names_build.sql).
    /// </summary>
    internal static void RebuildAll(DuckDBConnection connection, DuckDBTransaction tx, long entriesPerRange = EntriesPerRange, Steps? steps = null)
    {
        steps ??= new Steps(null);
        steps.Next("the listings");
        connection.Execute(SqlCatalog.Get("rollup/rollup_tables_rebuild"), transaction: tx);
        connection.Execute(SqlCatalog.Get("rollup/repeat_listings_insert"), transaction: tx);
        var days = connection.Query<(DateOnly ListDate, long Papers)>(SqlCatalog.Get("rollup/listed_days"),
            new { from = DateOnly.MinValue, to = DateOnly.MaxValue, source = "" }, tx).ToList();
        var ranges = Ranges(days, entriesPerRange).ToList();
        steps.Remaining(ranges.Count + 1);
        connection.Execute(SqlCatalog.Get("rollup/tag_daily_named_move"), transaction: tx);
        connection.Execute(SqlCatalog.Get("rollup/term_names_check"), transaction: tx);
        foreach (var (from, to) in ranges)
        {
            steps.Next($"tags by day to {to:yyyy-MM-dd}");
            var rows = connection.Query<long>(SqlCatalog.Get("rollup/range_paper_rows"), new { from, to }, tx).ToList();
            var spans = Spans(rows, RangeSpans);
            if (spans.Count == 0) continue;
            (long First, long Last) Span(int i) => spans[Math.Min(i, spans.Count - 1)];
            connection.Execute(SqlCatalog.Get("rollup/term_daily_insert"), new
            {
                from,
                to,
                first1 = Span(0).First, last1 = Span(0).Last,
                first2 = Span(1).First, last2 = Span(1).Last,
                first3 = Span(2).First, last3 = Span(2).Last,
                first4 = Span(3).First, last4 = Span(3).Last,
            }, tx);
            connection.Execute(SqlCatalog.Get("rollup/term_daily_move"), transaction: tx);
        }
        steps.Next("writing the counts");
        connection.Execute(SqlCatalog.Get("rollup/rollup_tables_finish"), transaction: tx);
        connection.Execute(SqlCatalog.Get("rollup/keyphrase_daily_refill"), transaction: tx);
    }

    /// <summary>How many spans of rows narrow one range's count in the full rebuild (rollup/term_daily_insert.sql).</summary>
    internal const int RangeSpans = 4;

    /// <summary>
    /// Ascending, distinct rows as at most <paramref name="count"/> spans that hold them all, cut
    /// at the widest gaps. At a million papers a range of days' papers sit in two places of
    /// term_id_papers: the papers first stored by the daily list, and the base source's new ones.
    /// Counting the last range read 2.4 times as fast within two spans as between the lowest
    /// row and the highest.
    /// </summary>
    internal static IReadOnlyList<(long First, long Last)> Spans(IReadOnlyList<long> rows, int count)
    {
        if (rows.Count == 0) return [];
        var cuts = Enumerable.Range(1, rows.Count - 1)
            .OrderByDescending(i => rows[i] - rows[i - 1])
            .Take(count - 1)
            .Order();
        var spans = new List<(long First, long Last)>();
        var start = 0;
        foreach (var cut in cuts)
        {
            spans.Add((rows[start], rows[cut - 1]));
            start = cut;
        }
        spans.Add((rows[start], rows[^1]));
        return spans;
    }

    /// <summary>Consecutive ranges of the days given, each of at most <paramref name="entries"/> entries unless one day alone has more.</summary>
    internal static IEnumerable<(DateOnly From, DateOnly To)> Ranges(IReadOnlyList<(DateOnly ListDate, long Papers)> days, long entries)
    {
        var start = 0;
        long sum = 0;
        for (var i = 0; i < days.Count; i++)
        {
            if (i > start && sum + days[i].Papers > entries)
            {
                yield return (days[start].ListDate, days[i - 1].ListDate);
                (start, sum) = (i, 0);
            }
            sum += days[i].Papers;
        }
        if (days.Count > 0) yield return (days[start].ListDate, days[^1].ListDate);
    }

    /// <summary>The sources with stored lists, for validating a source filter.</summary>
    public static IReadOnlyList<string> Sources(DuckDBConnection connection) =>
        connection.Rows(SqlCatalog.Get("snapshots/sources_stored"), r => r.GetString(0));

    private static string? Stored(DuckDBConnection connection) => State(connection).Signature;

    /// <summary>What the rollups were last built from; all nulls when they never were.</summary>
    private static (string? Signature, long? PayloadMax, long? LearnedPapers, string? LearnedLexicon) State(DuckDBConnection connection) =>
        connection.Rows(SqlCatalog.Get("rollup/rollup_state"), r => (r.NullableString(0), r.NullableInt64(1), r.NullableInt64(2), r.NullableString(3)), ("name", Name))
            .FirstOrDefault();
}
