using Dapper;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Tests;

/// <summary>Rollups rebuilt day by day after an import must equal rollups built from scratch.</summary>
public class RollupTests
{
    private static string Line(string date, int rank, string id, string title, string summary) =>
        $$"""{"date":"{{date}}","rank":{{rank}},"id":"{{id}}","title":"{{title}}","summary":"{{summary}}","authors":[]}""" + "\n";

    private static string Contents(string db) => string.Join("\n",
        Run.Rows<string>(db, "select concat_ws('|', source, list_date, paper_id) from current_listings order by all").Prepend("current_listings")
            .Concat(Run.Rows<string>(db, "select concat_ws('|', source, list_date, papers) from listed_daily order by all").Prepend("listed_daily"))
            .Concat(Run.Rows<string>(db, "select concat_ws('|', kind, tag_id, source, list_date, papers) from tag_daily order by all").Prepend("tag_daily"))
            .Concat(Run.Rows<string>(db, "select concat_ws('|', kind, tag, tag_id, first_seen) from tags order by all").Prepend("tags"))
            .Concat(Run.Rows<string>(db, "select concat_ws('|', counted_in, source, list_date, paper_id) from repeat_listings order by all").Prepend("repeat_listings"))
            .Concat(Run.Rows<string>(db, "select concat_ws('|', tag_id, source, list_date, papers) from keyphrase_daily order by all").Prepend("keyphrase_daily")));

    /// <summary>Generated lists of <paramref name="days"/> days from <paramref name="from"/> written under <paramref name="folder"/> and imported.</summary>
    private static void ImportGenerated(TempDir tmp, int seed, DateOnly from, int days, int papersPerDay, string folder)
    {
        var lists = new TrendLens.Sources.ListGenerator(seed).Generate(new TrendLens.Sources.ListGenerator.Options(from, days, papersPerDay, OutageRate: 0));
        TrendLens.Sources.ListGenerator.Write(lists, Path.Combine(tmp.Path, folder));
        var import = Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, folder));
        Assert.True(import.Code == 0, import.Err);
    }

    [Fact]
    public async Task PapersTaggedWhileARollupWaitsForTheWriteLock_AreLearnedFrom_NotCountedAsCurrentWithTheOldMap()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, seed: 5, new DateOnly(2025, 1, 6), days: 60, papersPerDay: 30, "base");
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        // One more day, stored and tagged but not rolled up: too few papers (under 5 %) to learn again.
        var day = new TrendLens.Sources.ListGenerator(6).Generate(new TrendLens.Sources.ListGenerator.Options(new DateOnly(2025, 3, 10), 1, 30, OutageRate: 0));
        TrendLens.Sources.ListGenerator.Write(day, Path.Combine(tmp.Path, "day"));
        var clock = new FixedClock(Run.Today);
        new TrendLens.Snapshots.FileImporter(new TrendLens.Snapshots.SnapshotWriter(clock)).Import(database, connection,
            TrendLens.Snapshots.FileImporter.Plan([Path.Combine(tmp.Path, "day")]).Files, "hf-daily", null, null, DateOnly.FromDateTime(Run.Today.UtcDateTime), null, _ => { });
        new TrendLens.Tagging.Tagger(TrendLens.Tagging.Lexicons.Load(TrendLens.Tagging.Lexicons.FindDirectory()), clock).TagPending(database, connection);

        // A rollup begins (nothing to learn), and waits for the write lock held here; meanwhile a
        // writer of this process tags many more papers (rows added to tag_state stand for them).
        long freshAt;
        using (var writing = database.AcquireWriteLock())
        {
            using var waiting = new ManualResetEventSlim();
            var rollup = Task.Run(() =>
            {
                Database.WaitingForWriter.Value = waiting.Set;
                using var own = database.Open();
                return RollupTables.BringUpToDate(database, own, out _);
            });
            Assert.True(waiting.Wait(TimeSpan.FromSeconds(60)), "the rollup waits for the write lock");
            connection.Execute("insert into tag_state select * replace ('more-' || paper_id as paper_id) from tag_state");
            writing.Dispose();
            freshAt = await rollup;
        }

        // Built with the map at hand, but not recorded as current: the next refresh learns from every paper.
        Assert.Equal(-1, freshAt);
        Assert.NotEqual(connection.ExecuteScalar<string>(SqlCatalog.Get("rollup/rollup_signature")), RollupTables.BuiltSignature(connection));
    }

    /// <summary>Per source ('' = all) and period: distinct papers and list days, counted from the listings themselves.</summary>
    private static string CoverageCounted(string db, string grain) => string.Join("\n", Run.Rows<string>(db, $"""
        select concat_ws('|', source, period, papers, days)
        from (
            select s.source, date_trunc('{grain}', l.list_date)::date as period, count(distinct l.paper_id) as papers, count(distinct l.list_date) as days
            from (select distinct source from current_listings union all select '') s
            join current_listings l on s.source = '' or l.source = s.source
            group by all)
        """).Order(StringComparer.Ordinal));

    /// <summary>The same from the period_coverage macro, which queries read.</summary>
    private static string CoverageRead(string db, string grain) => string.Join("\n",
        Run.Rows<string>(db, "select distinct source from current_listings union all select '' order by all").SelectMany(source => Run.Rows<string>(db, $"""
            select concat_ws('|', '{source}', period, listed, days_listed)
            from period_coverage('2000-01-01'::date, '2100-01-01'::date, '{grain}', '{source}')
            """)).Order(StringComparer.Ordinal));

    /// <summary>
    /// Papers listed on several days or by several sources count once per period: after day-by-day
    /// rebuilds that add, move and drop repeated papers, the repeated listings equal a full
    /// rebuild's, and every period's papers and days equal those counted from the listings.
    /// </summary>
    [Fact]
    public void RepeatedListings_FollowEveryRevision_AndPeriodsCountEachPaperOnce()
    {
        using var tmp = new TempDir();
        string Day(string date, params string[] ids) => string.Concat(ids.Select((id, i) => Line(date, i + 1, id, $"Paper {id} on widgets", "We study widgets with Llama.")));
        var first = tmp.File("a/2025-03-03.jsonl", Day("2025-03-03", "2503.00001", "2503.00002", "2503.00003"));
        var second = tmp.File("a/2025-03-04.jsonl", Day("2025-03-04", "2503.00001", "2503.00004"));
        var nextWeek = tmp.File("a/2025-03-10.jsonl", Day("2025-03-10", "2503.00002", "2503.00005"));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", first, second, nextWeek).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", first, "--source", "mirror").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        Assert.Equal(CoverageCounted(tmp.Db, "week"), CoverageRead(tmp.Db, "week"));

        // 2503.00001 leaves the second day (now listed once per source), 2503.00003 joins it
        // (twice in the week), 2503.00005 appears in the mirror (once in each source).
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("b/2025-03-04.jsonl", Day("2025-03-04", "2503.00004", "2503.00003"))).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("c/2025-03-11.jsonl", Day("2025-03-11", "2503.00005")), "--source", "mirror").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code); // the changed days only
        var incremental = Contents(tmp.Db);
        foreach (var grain in new[] { "day", "week", "month" })
            Assert.Equal(CoverageCounted(tmp.Db, grain), CoverageRead(tmp.Db, grain));
        Assert.Contains("|mirror|2025-03-11|2503.00005", incremental); // pooled: also on hf-daily's 2025-03-10
        Assert.DoesNotContain("mirror|mirror|2025-03-11", incremental); // once in the mirror
        Assert.Contains("hf-daily|hf-daily|2025-03-04|2503.00003", incremental);
        Assert.DoesNotContain("hf-daily|hf-daily|2025-03-03|2503.00001", incremental);

        Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code); // everything again
        Assert.Equal(incremental, Contents(tmp.Db));
    }

    /// <summary>The full rebuild counted a range of list days at a time gives what it gives in one range (two sources, days of one paper set).</summary>
    [Fact]
    public void AFullRebuildByRangesOfDays_EqualsOneInOneRange()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 5, new DateOnly(2025, 1, 6), 21, 20, "lists");
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-11.jsonl"), "--source", "mirror").Code);
        var oneRange = Contents(tmp.Db);

        // Every day a range of its own: the same counts, firsts and ids.
        var database = new Database(tmp.Db);
        using (var connection = database.Open())
        {
            using var tx = connection.BeginTransaction();
            connection.Execute(SqlCatalog.Get("rollup/term_id_papers_build"), transaction: tx);
            connection.Execute(SqlCatalog.Get("rollup/term_names_build"), transaction: tx);
            RollupTables.RebuildAll(connection, tx, entriesPerRange: 1);
            connection.Execute(SqlCatalog.Get("rollup/term_key_papers_drop"), transaction: tx);
            tx.Commit();
        }

        Assert.True(Run.Scalar<long>(tmp.Db, "select count(distinct list_date) from current_listings") > 10);
        Assert.Equal(oneRange, Contents(tmp.Db));
    }

    /// <summary>
    /// The full rebuild counts terms by id and names them from term_names: a term whose id a
    /// family already holds stops the build before any count moves, and a count of an id without
    /// a name fails instead of making a tag without one.
    /// </summary>
    [Fact]
    public void MovingTermCounts_AnIdHeldElsewhereOrWithoutAName_StopsTheBuild()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 7, new DateOnly(2025, 1, 6), 3, 20, "lists");
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        const string setUp = """
            create or replace temp table term_names as select tag_id, tag from tags where kind = 'term';
            create or replace temp table term_daily (tag_id ubigint, source varchar, list_date date, papers bigint);
            delete from tags where kind = 'term';
            """;

        using (var tx = connection.BeginTransaction())
        {
            connection.Execute(setUp, transaction: tx);
            connection.Execute(SqlCatalog.Get("rollup/term_names_check"), transaction: tx);
            connection.Execute("insert into term_daily select tag_id, 'hf-daily', date '2030-01-06', 2 from term_names order by tag limit 1", transaction: tx);
            connection.Execute(SqlCatalog.Get("rollup/term_daily_move"), transaction: tx);
            Assert.Equal(connection.ExecuteScalar<string>("select tag from term_names order by tag limit 1", transaction: tx),
                connection.ExecuteScalar<string>("select tag from tags where kind = 'term' and first_seen = date '2030-01-06'", transaction: tx));
            Assert.Equal(2, connection.ExecuteScalar<long>("select papers from tag_daily where kind = 'term' and list_date = date '2030-01-06'", transaction: tx));

            connection.Execute("insert into term_daily values (42, 'hf-daily', date '2030-01-07', 1)", transaction: tx);
            var nameless = Assert.ThrowsAny<Exception>(() => connection.Execute(SqlCatalog.Get("rollup/term_daily_move"), transaction: tx));
            Assert.Contains("NOT NULL", nameless.Message);
            tx.Rollback();
        }

        using (var tx = connection.BeginTransaction())
        {
            connection.Execute(setUp, transaction: tx);
            connection.Execute("insert into term_names select tag_id, 'not that family' from tags where kind = 'family' order by tag limit 1", transaction: tx);
            var stopped = Assert.ThrowsAny<Exception>(() => connection.Execute(SqlCatalog.Get("rollup/term_names_check"), transaction: tx));
            Assert.Contains("two tags share an id", stopped.Message);
        }
    }

    /// <summary>
    /// The full rebuild ends by checking the ids of every tag it made: two tags with one id (which
    /// would merge their counts) stop it.
    /// </summary>
    [Fact]
    public void FinishingTheRebuild_TwoTagsWithOneId_StopsTheBuild()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 7, new DateOnly(2025, 1, 6), 3, 20, "lists");
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        const string countsMoved = """
            create or replace temp table tag_daily_named (kind varchar, tag varchar, tag_id ubigint, source varchar, list_date date, papers bigint);
            create or replace temp table term_daily (tag_id ubigint, source varchar, list_date date, papers bigint);
            """;

        using (var tx = connection.BeginTransaction())
        {
            connection.Execute(countsMoved, transaction: tx);
            connection.Execute(SqlCatalog.Get("rollup/rollup_tables_finish"), transaction: tx);
            tx.Rollback();
        }

        using (var tx = connection.BeginTransaction())
        {
            connection.Execute(countsMoved, transaction: tx);
            connection.Execute("insert into tags select 'term', 'not that family', tag_id, first_seen from tags where kind = 'family' order by tag limit 1", transaction: tx);
            var stopped = Assert.ThrowsAny<Exception>(() => connection.Execute(SqlCatalog.Get("rollup/rollup_tables_finish"), transaction: tx));
            Assert.Contains("two tags share an id", stopped.Message);
        }
    }

    /// <summary>
    /// A full build tells a progress bar each step as it starts, in order, one at a time, and
    /// ends at its total; a build with nothing to do tells nothing.
    /// </summary>
    [Fact]
    public void AFullBuild_ReportsEachStepInOrder_AndEndsAtItsTotal()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 6, new DateOnly(2025, 1, 6), 10, 20, "lists");
        Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null, learned_papers = null returning 1");

        var lastDay = Run.Rows<string>(tmp.Db, "select strftime(max(list_date), '%Y-%m-%d') from current_entries").Single();
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        var steps = new List<RollupProgress>();
        Assert.Equal(RollupBuild.All, new RollupRefresher(database).Refresh(connection, steps.Add));

        Assert.Equal(
            ["reading every paper's terms", "counting terms by key", "learning the concept map", "learning the keyphrases", "the listings",
             $"tags by day to {lastDay}", "writing the counts", "done"],
            steps.Select(s => s.Stage));
        Assert.Equal(Enumerable.Range(0, steps.Count), steps.Select(s => s.Done));
        Assert.All(steps.SkipLast(1), s => Assert.True(s.Done < s.Total, $"{s.Done} of {s.Total} at {s.Stage}"));
        Assert.Equal(steps[^1].Done, steps[^1].Total);
        Assert.Equal(steps[^2].Total, steps[^1].Total);

        var again = new List<RollupProgress>();
        Assert.Equal(RollupBuild.None, new RollupRefresher(database).Refresh(connection, again.Add));
        Assert.Empty(again);
    }

    /// <summary>On a terminal, a command that has to roll up shows the build's steps; one that finds the rollups current shows nothing.</summary>
    [Fact]
    public void ACommandThatRollsUp_ShowsTheStepsOnATerminal_AndNothingWhenCurrent()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 8, new DateOnly(2025, 1, 6), 5, 10, "lists");
        Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null, learned_papers = null returning 1");
        string OnATerminal()
        {
            var error = new StringWriter();
            Assert.Equal(0, new TrendLens.Cli.CommandLine(TextWriter.Null, error, new FixedClock(Run.Today), interactive: true).Run(["--db", tmp.Db, "query", "coverage"]));
            return error.ToString();
        }

        var building = OnATerminal();
        Assert.Contains("rolling up: reading every paper's terms", building);
        Assert.Contains("rolling up: done", building);
        Assert.DoesNotContain("rolling up", OnATerminal());
    }

    [Theory]
    [InlineData(new long[] { 5, 5, 5, 5 }, 10, "0-1 2-3")]
    [InlineData(new long[] { 5, 20, 5 }, 10, "0-0 1-1 2-2")]
    [InlineData(new long[] { 3, 3, 3 }, 100, "0-2")]
    [InlineData(new long[] { }, 10, "")]
    public void RangesOfDays_HoldAtMostTheEntriesAsked_UnlessOneDayHasMore(long[] papers, long entries, string expected)
    {
        var first = new DateOnly(2025, 1, 1);
        var days = papers.Select((p, i) => (first.AddDays(i), p)).ToList();

        var ranges = RollupTables.Ranges(days, entries).Select(r => $"{r.From.DayNumber - first.DayNumber}-{r.To.DayNumber - first.DayNumber}");

        Assert.Equal(expected, string.Join(' ', ranges));
    }

    [Theory]
    [InlineData(new long[] { 7 }, "7-7")]
    [InlineData(new long[] { 1, 2, 3, 2051, 4100 }, "1-2051 4100-4100")]
    [InlineData(new long[] { 5, 900000, 900001 }, "5-5 900000-900001")]
    [InlineData(new long[] { }, "")]
    public void RowRanges_JoinRowsWithinTheGap(long[] rows, string expected) =>
        Assert.Equal(expected, string.Join(' ', RollupTables.RowRanges(rows, 2048).Select(r => $"{r.First}-{r.Last}")));

    [Theory]
    [InlineData(new long[] { 7 }, 4, "7-7")]
    [InlineData(new long[] { 1, 2, 3, 500, 501, 900000, 900001 }, 2, "1-501 900000-900001")]
    [InlineData(new long[] { 1, 2, 3, 500, 501, 900000, 900001 }, 3, "1-3 500-501 900000-900001")]
    [InlineData(new long[] { 1, 2, 3, 500, 501, 900000, 900001 }, 1, "1-900001")]
    [InlineData(new long[] { }, 4, "")]
    public void Spans_CutAtTheWidestGaps(long[] rows, int count, string expected) =>
        Assert.Equal(expected, string.Join(' ', RollupTables.Spans(rows, count).Select(s => $"{s.First}-{s.Last}")));

    /// <summary>Whatever the rows, the spans hold every one of them, in order, and no more spans than asked.</summary>
    [Fact]
    public void Spans_HoldEveryRow()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            var rows = Enumerable.Range(0, random.Next(1, 300))
                .Select(_ => (long)random.Next(0, trial % 2 == 0 ? 1_000 : 1_000_000))
                .Distinct().Order().ToList();
            var count = random.Next(1, 6);

            var spans = RollupTables.Spans(rows, count);

            Assert.InRange(spans.Count, 1, count);
            Assert.All(rows, row => Assert.Contains(spans, s => s.First <= row && row <= s.Last));
            Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.True(pair.First.Last < pair.Second.First));
        }
    }

    /// <summary>
    /// A database whose papers were tagged before the tagger stored how their terms are keyed
    /// rolls up to the same counts, concepts and keyphrases from their terms (sql/schema/039) as
    /// one with the marks.
    /// </summary>
    [Fact]
    public void Rollup_ThroughTheKeyMarks_EqualsTheRollupFromTheTerms()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 3, new DateOnly(2025, 1, 6), 15, 40, "lists");
        const string learned = "select concat_ws('|', key, concept) from term_concepts union all select concat_ws('|', concept, display, papers, ends, kw_papers, confirmed, keyphrase, reason) from term_stats order by all";
        var withKeys = Contents(tmp.Db);
        var conceptsWithKeys = Run.Rows<string>(tmp.Db, learned);

        using (var connection = new Database(tmp.Db).Open())
        {
            connection.Execute("update paper_terms set key_marks = null");
            connection.Execute("delete from rollup_state");
        }
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);

        Assert.Equal(withKeys, Contents(tmp.Db));
        Assert.Equal(conceptsWithKeys, Run.Rows<string>(tmp.Db, learned));
        Assert.True(conceptsWithKeys.Count > 100, $"{conceptsWithKeys.Count} rows");
    }

    /// <summary>
    /// A day's papers' terms read by ranges of rows (a new day's papers are neighbours; a paper
    /// listed again is far before them) are those read by paper id from every paper's terms.
    /// </summary>
    [Fact]
    public void TermsOfADay_ReadByRangesOfRows_AreThoseReadByPaperId()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 7, new DateOnly(2025, 1, 6), 10, 30, "lists");
        // The day lists two new papers and, as it was, one listed on the first day: its terms are
        // not written again, so they stay far before the new papers'.
        var first = Directory.GetFiles(Path.Combine(tmp.Path, "lists")).Order(StringComparer.Ordinal).First();
        var again = System.Text.Json.Nodes.JsonNode.Parse(File.ReadLines(first).First())!.AsObject();
        again["date"] = "2025-01-27";
        again["rank"] = 2;
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("2025-01-27.jsonl",
            Line("2025-01-27", 1, "2501.19001", "Speculative Decoding with Mamba Drafts", "A Mamba-2 draft model speeds up Qwen2.5 decoding.") +
            again.ToJsonString() + "\n" +
            Line("2025-01-27", 3, "2501.19002", "Mixture-of-Experts for Time Series", "MoE layers forecast time series."))).Code);

        var database = new Database(tmp.Db);
        using var connection = database.Open();
        string Read(Action<DuckDB.NET.Data.DuckDBTransaction> build)
        {
            using var tx = connection.BeginTransaction();
            connection.Execute("create or replace temp table rollup_days as select 'hf-daily' as source, '2025-01-27'::date as list_date", transaction: tx);
            build(tx);
            var rows = string.Join("\n", connection.Query<string>("select concat_ws('|', r.paper_id, k.key, k.ends) from term_key_papers k join paper_rows r on r.paper_row = k.paper_row order by all", transaction: tx));
            tx.Rollback();
            return rows;
        }

        var byPaperId = Read(tx =>
        {
            connection.Execute(SqlCatalog.Get("rollup/rollup_days_papers"), transaction: tx);
            connection.Execute(SqlCatalog.Get("rollup/term_key_papers_build_days"), transaction: tx);
        });
        // Rows closer than 16 share a range here, so that a few hundred papers make two ranges.
        var byRanges = Read(tx => RollupTables.BuildDayTermKeys(connection, tx, rowGap: 16));
        var fallBack = Read(tx => RollupTables.BuildDayTermKeys(connection, tx, maxRanges: 1, rowGap: 16));
        int ranges;
        using (var tx = connection.BeginTransaction())
        {
            connection.Execute("create or replace temp table rollup_days as select 'hf-daily' as source, '2025-01-27'::date as list_date", transaction: tx);
            connection.Execute(SqlCatalog.Get("rollup/rollup_days_papers"), transaction: tx);
            ranges = RollupTables.RowRanges(connection.Query<long>(SqlCatalog.Get("rollup/term_rows_of_days"), transaction: tx).ToList(), 16).Count();
            tx.Rollback();
        }

        Assert.Equal(3, byPaperId.Split('\n').Select(r => r.Split('|')[0]).Distinct().Count());
        Assert.Equal(byPaperId, byRanges);
        Assert.Equal(byPaperId, fallBack);
        Assert.Equal(2, ranges);
    }

    /// <summary>
    /// A day rolled up on its own moves a tag's first day earlier when it is earlier than the tag's
    /// first, and later again when a revision drops the tag from it, as a full rebuild has them.
    /// </summary>
    [Fact]
    public void FirstSeen_FollowsAnEarlierDayAndItsRevision_AsAFullRebuildHasIt()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 3, new DateOnly(2025, 1, 6), 14, 30, "base");
        var learned = Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state");
        string FirstSeen() => Run.Rows<string>(tmp.Db, "select first_seen::varchar from tags where kind = 'term' and tag = 'quokka'").SingleOrDefault() ?? "none";
        string Full()
        {
            Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null returning 1");
            Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
            return Contents(tmp.Db);
        }

        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("a/2025-03-10.jsonl",
            Line("2025-03-10", 1, "2503.07001", "Quokka Agents at Scale", "A quokka agent plans long tasks."))).Code);
        Assert.Equal("2025-03-10", FirstSeen());
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("b/2025-03-03.jsonl",
            Line("2025-03-03", 1, "2503.03001", "Quokka Drafts for Decoding", "A quokka draft model speeds up decoding.") +
            Line("2025-03-03", 2, "2503.03002", "Video Diffusion in Practice", "A video diffusion model."))).Code);
        var incremental = Contents(tmp.Db);
        Assert.Equal("2025-03-03", FirstSeen());
        Assert.Contains("term|quokka|", incremental);
        Assert.Equal(Full(), incremental);

        // A revision of the earlier day drops its quokka paper: first seen on the later day again.
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("c/2025-03-03.jsonl",
            Line("2025-03-03", 2, "2503.03002", "Video Diffusion in Practice", "A video diffusion model."))).Code);
        var revised = Contents(tmp.Db);
        Assert.Equal("2025-03-10", FirstSeen());
        Assert.Equal(learned, Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state")); // rolled up by days, not learned again
        Assert.Equal(Full(), revised);
    }

    /// <summary>A new snapshot that reuses a stored payload (the same file under a second source) is rolled up like any other.</summary>
    [Fact]
    public void SnapshotsOfAStoredPayload_AreRolledUpToo()
    {
        using var tmp = new TempDir();
        var day = Fixture.Path("hf-jsonl/list-2025-02-11.jsonl");
        var original = File.ReadAllText(day);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", day, "--source", "mirror").Code);
        var changed = tmp.File("a/list-2025-02-11.jsonl", original + Line("2025-02-11", 9, "2502.05002", "Mixture-of-Experts for Time Series", "MoE layers forecast time series."));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", changed, "--source", "mirror").Code);

        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        var incremental = Contents(tmp.Db);
        Run.Scalar<long>(tmp.Db, "delete from rollup_state returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);

        Assert.Contains("mirror|2025-02-11", incremental);
        Assert.Contains("mirror|2025-02-11|2502.05002", incremental);
        Assert.Equal(Contents(tmp.Db), incremental);
    }

    [Fact]
    public void SmallNewDay_IsRolledUpWithTheConceptMapAtHand_AndGrowthLearnsItAgain()
    {
        using var tmp = new TempDir();
        ImportGenerated(tmp, 3, new DateOnly(2025, 1, 6), 14, 30, "base");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        var learned = Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state");
        Assert.Equal(Run.Scalar<long>(tmp.Db, "select count(*) from tag_state"), learned);
        var concepts = Run.Rows<string>(tmp.Db, "select key || '>' || concept from term_concepts order by all");

        // Two papers more (under a twentieth): rolled up, not learned again.
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("2025-01-20.jsonl",
            Line("2025-01-20", 1, "2501.09001", "Speculative Decoding with Mamba Drafts", "A Mamba-2 draft model speeds up Qwen2.5 decoding.") +
            Line("2025-01-20", 2, "2501.09002", "Mixture-of-Experts for Time Series", "MoE layers forecast time series with DeepSeek-V3 routing."))).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);

        Assert.Equal(learned, Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state"));
        Assert.Equal(concepts, Run.Rows<string>(tmp.Db, "select key || '>' || concept from term_concepts order by all"));
        Assert.Equal(2L, Run.Scalar<long>(tmp.Db, "select papers from listed_daily where list_date = '2025-01-20'"));
        Assert.True(Run.Scalar<long>(tmp.Db, """
            select count(*) from tag_daily d join tags t using (kind, tag_id)
            where d.list_date = '2025-01-20' and t.kind = 'family' and t.tag = 'Mamba'
            """) == 1, "the new day's family mention is rolled up");
        var incremental = Contents(tmp.Db);

        // The same concept map, built from scratch: the same rollups.
        Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        Assert.Equal(incremental, Contents(tmp.Db));

        // A tenth more papers: learned again; the new days' counts equal those of a build from scratch.
        ImportGenerated(tmp, 4, new DateOnly(2025, 2, 3), 2, 30, "more");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        Assert.Equal(Run.Scalar<long>(tmp.Db, "select count(*) from tag_state"), Run.Scalar<long>(tmp.Db, "select learned_papers from rollup_state"));
        var relearned = Contents(tmp.Db);
        Run.Scalar<long>(tmp.Db, "update rollup_state set signature = 'stale', payload_max = null returning 1");
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "coverage").Code);
        Assert.Equal(relearned, Contents(tmp.Db));
    }

    [Fact]
    public void EveryTagging_IsRecordedAfterTheOneBefore_EvenWhenTheClockReadsTheSame()
    {
        var t = new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(12_345);

        Assert.Equal(t.AddTicks(-5), Tagging.Tagger.TaggedAt(t, null)); // to the microsecond the database keeps
        Assert.Equal(t.AddTicks(-5), Tagging.Tagger.TaggedAt(t, t.AddSeconds(-1)));
        Assert.Equal(t.AddTicks(5), Tagging.Tagger.TaggedAt(t, t.AddTicks(-5)));
        Assert.Equal(t.AddSeconds(1).AddTicks(5), Tagging.Tagger.TaggedAt(t, t.AddSeconds(1)));
    }

    [Fact]
    public void ARetagWithAnotherLexicon_ChangesTheRollupSignature_AtTheSameClockReading()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        var database = new Database(tmp.Db);
        using var connection = database.Open();
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var dir = Tagging.Lexicons.FindDirectory();
        var families = File.ReadAllBytes(Path.Combine(dir, Tagging.Lexicons.FamiliesFile));
        var topics = File.ReadAllBytes(Path.Combine(dir, Tagging.Lexicons.TopicsFile));
        string Signature() => connection.Single(SqlCatalog.Get("rollup/rollup_signature"), r => r.GetString(0));

        new Tagging.Tagger(Tagging.Lexicons.Parse(families, topics), clock).Retag(database, connection);
        var first = Signature();
        // Another lexicon (its topics file differs by a line end) at the same clock reading: the
        // same papers, the same count, a new tagging the rollups must see.
        new Tagging.Tagger(Tagging.Lexicons.Parse(families, [.. topics, (byte)'\n']), clock).Retag(database, connection);

        Assert.NotEqual(first, Signature());
        Assert.Equal(1L, Run.Scalar<long>(tmp.Db, "select count(distinct tagged_at) from tag_state"));
    }
}
