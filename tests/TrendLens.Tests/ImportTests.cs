using Dapper;
using TrendLens.Storage;
using TrendLens.Snapshots;

namespace TrendLens.Tests;

public class ImportTests
{
    private const string CountsSql = """
        select (select count(*) from snapshots)::int, (select count(*) from list_entries)::int,
               (select count(*) from papers)::int, (select count(*) from quarantine)::int
        """;

    private static (int Snapshots, int Entries, int Papers, int Quarantined) Counts(string db) =>
        Run.Rows<(int, int, int, int)>(db, CountsSql).Single();

    [Fact]
    public void Import_JsonlDirectory_StoresEveryDayAndPaper()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));

        Assert.Equal(0, result.Code);
        Assert.Equal((3, 6, 5, 0), Counts(tmp.Db));
        Assert.Contains("3 new snapshot(s)", result.Out);
    }

    [Fact]
    public void Import_SamePayloadTwice_AddsNothing()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"));
        var before = Counts(tmp.Db);
        var payloadsBefore = Run.Scalar<long>(tmp.Db, "select count(*) from payloads");

        var again = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"));

        Assert.Equal(0, again.Code);
        Assert.Contains("4 unchanged", again.Out);
        Assert.Equal(before, Counts(tmp.Db));
        Assert.Equal(payloadsBefore, Run.Scalar<long>(tmp.Db, "select count(*) from payloads"));
    }

    [Fact]
    public void Import_ChangedUpvotes_AddsOneRevisionThatViewsRead()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));
        var changed = File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-10.jsonl")).Replace("\"upvotes\":42", "\"upvotes\":43");
        var file = tmp.File("again/2025-02-10.jsonl", changed);

        var result = Run.Cli(tmp.Db, "import", file);

        Assert.Equal(0, result.Code);
        Assert.Contains("new revision 2", result.Out);
        Assert.Equal(4, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        Assert.Equal(43, Run.Scalar<int>(tmp.Db, "select upvotes from current_entries where paper_id = '2502.01001'"));
        Assert.Equal(2, Run.Scalar<int>(tmp.Db, "select count(*)::int from list_entries where paper_id = '2502.01001'"));
        var statuses = Run.Cli(tmp.Db, "snapshots", "--format", "csv").Out;
        Assert.Contains("hf-daily,2025-02-10,1,superseded,3,", statuses);
        Assert.Contains("hf-daily,2025-02-10,2,current,3,", statuses);
    }

    [Fact]
    public void Import_OldRevisionAgain_AddsNothing()
    {
        using var tmp = new TempDir();
        var original = Fixture.Path("hf-jsonl/list-2025-02-10.jsonl");
        var changed = tmp.File("b/2025-02-10.jsonl", File.ReadAllText(original).Replace("\"upvotes\":42", "\"upvotes\":50"));
        Run.Cli(tmp.Db, "import", original);
        Run.Cli(tmp.Db, "import", changed);

        var result = Run.Cli(tmp.Db, "import", original);

        Assert.Contains("unchanged (same as revision 1; revision 2, stored later, stays current)", result.Out);
        Assert.Equal(2, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
        // The current revision again says only that.
        Assert.Contains("unchanged (same as revision 2)\n", Run.Cli(tmp.Db, "import", changed).Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Import_ANulInATitle_KeepsTheRestOfTheTitle()
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-02-20.jsonl",
            """{"date":"2025-02-20","id":"2502.09002","title":"Before\u0000after","summary":"S.","upvotes":1,"authors":["A B"]}""" + "\n");

        Assert.Equal(0, Run.Cli(tmp.Db, "import", file).Code);

        Assert.Equal("Before\uFFFDafter", Run.Scalar<string>(tmp.Db, "select title from list_entries"));
    }

    [Fact]
    public void Import_RawPayload_IsKeptVerbatimWithItsSha256()
    {
        using var tmp = new TempDir();
        var file = Fixture.Path("hf-json/2025-02-13.json");
        Run.Cli(tmp.Db, "import", file);

        var content = Run.Blobs(tmp.Db, "select content from payload_content").Single();
        var sha = Run.Scalar<string>(tmp.Db, "select sha256 from payloads");
        var bytes = File.ReadAllBytes(file);
        Assert.Equal(bytes, content);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), sha);
    }

    [Fact]
    public void Import_ApiResponse_ReadsPaperFieldsFirstThenEntryFields()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-json/2025-02-13.json")).Code);

        var rows = Run.Rows<(DateOnly ListDate, int Rank, string PaperId, string Title, string Authors, int Upvotes, int Comments, string Keywords, string Repo, int? Stars, string? Org)>(tmp.Db, """
            select list_date, rank, paper_id, title, array_to_string(authors, '|'), upvotes, num_comments,
                   array_to_string(ai_keywords, '|'), github_repo, github_stars, organization_name
            from list_entries order by rank
            """);
        Assert.Equal(new DateOnly(2025, 2, 13), rows[0].ListDate);
        Assert.Equal("2502.04001", rows[0].PaperId);
        Assert.Equal("Mixture-of-Experts Routing at Scale", rows[0].Title);
        Assert.Equal("Gus Builder|Hal Runner", rows[0].Authors);
        Assert.Equal((55, 4, 99), (rows[0].Upvotes, rows[0].Comments, rows[0].Stars!.Value));
        Assert.Equal("Example Lab", rows[0].Org);
        // Version suffix dropped; keywords and repo found at entry level when the paper lacks them.
        Assert.Equal("2502.04002", rows[1].PaperId);
        Assert.Equal("world models|benchmark", rows[1].Keywords);
        Assert.Equal("https://example.org/wm", rows[1].Repo);
    }

    [Fact]
    public void Import_DataWrapper_TakesItsDate()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-json/wrapped.json"));

        Assert.Equal(0, result.Code);
        Assert.Equal(new DateOnly(2025, 2, 14), Run.Scalar<DateOnly>(tmp.Db, "select list_date from snapshots"));
    }

    [Fact]
    public void Import_ApiResponseWithoutDate_IsQuarantinedAndAsksForDate()
    {
        using var tmp = new TempDir();
        var file = tmp.File("response.json", File.ReadAllText(Fixture.Path("hf-json/2025-02-13.json")));

        var result = Run.Cli(tmp.Db, "import", file);
        Assert.Equal(1, result.Code);
        Assert.Contains("--date", result.Err);

        var withDate = Run.Cli(tmp.Db, "import", file, "--date", "2025-02-13");
        Assert.Equal(0, withDate.Code);
        Assert.Equal(2, Run.Scalar<int>(tmp.Db, "select count(*)::int from current_entries"));
    }

    [Fact]
    public void Import_Directory_GoesInDateOrderAndListsWhatItSkipped()
    {
        using var tmp = new TempDir();
        var dir = Directory.CreateDirectory(Path.Combine(tmp.Path, "in")).FullName;
        // Name order (a, b, c) differs from date order (11th, 10th, 12th).
        foreach (var (prefix, day) in new[] { ("a", "11"), ("b", "10"), ("c", "12") })
            File.Copy(Fixture.Path($"hf-jsonl/list-2025-02-{day}.jsonl"), Path.Combine(dir, $"{prefix}-2025-02-{day}.jsonl"));
        tmp.File("in/README.md", "notes");
        tmp.File("in/sub/2025-01-01.jsonl", "{}");

        // Named relative to where the command runs: the lines name every file, imported or skipped, by its full path.
        var result = Run.Cli(tmp.Db, "import", Path.GetRelativePath(Environment.CurrentDirectory, dir));

        Assert.Equal(0, result.Code);
        var order = result.Out.Split('\n').Where(l => l.Contains("new (revision 1")).Select(l => l[(l.IndexOf("hf-daily ", StringComparison.Ordinal) + 9)..][..10]).ToList();
        Assert.Equal(["2025-02-10", "2025-02-11", "2025-02-12"], order);
        Assert.Contains($"Skipped 2: {Path.Combine(dir, "README.md")} (not .json, .jsonl, .ndjson, .txt, .xml, .atom); " +
            $"{Path.Combine(dir, "sub")} (a directory; directories are not searched)", result.Out);
        Assert.Contains(Path.Combine(dir, "b-2025-02-10.jsonl"), result.Out);
    }

    [Fact]
    public void Import_MissingPath_FailsWithReason()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "nope.jsonl"));

        Assert.Equal(1, result.Code);
        Assert.Contains("nope.jsonl: no such file or directory", result.Err);
    }

    [Theory]
    [InlineData("query", "models")]
    [InlineData("export", "overview", "--out", "overview.png")]
    [InlineData("review", "2025-W07", "--out", "w07")]
    [InlineData("retag")]
    public void AReadingCommand_OnADatabaseThatDoesNotExist_FailsNamingIt_AndCreatesNothing(params string[] command)
    {
        using var tmp = new TempDir();
        var db = Path.Combine(tmp.Path, "mistyped", "x.duckdb");

        var result = Run.Cli(db, [.. command.Select(a => a is "overview.png" or "w07" ? Path.Combine(tmp.Path, a) : a)]);

        Assert.Equal(1, result.Code);
        Assert.Contains($"no database at {db}", result.Err);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void AReadingCommand_ThroughALinkWhoseFileIsGone_FailsNamingIt_AndCreatesNothing()
    {
        using var tmp = new TempDir();
        var link = Path.Combine(tmp.Path, "link.duckdb");
        File.CreateSymbolicLink(link, Path.Combine(tmp.Path, "gone.duckdb"));

        var result = Run.Cli(link, "snapshots");

        Assert.Equal(1, result.Code);
        Assert.Contains($"no database at {link}", result.Err);
        Assert.Equal([link], Directory.GetFileSystemEntries(tmp.Path));
    }

    [Fact]
    public void Import_BadFormatName_IsAUsageError()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), "--format", "xml");

        Assert.Equal(2, result.Code);
        Assert.False(File.Exists(tmp.Db));
    }

    [Fact]
    public void Import_ExplicitFormat_OverridesDetection()
    {
        using var tmp = new TempDir();
        var file = tmp.File("list-2025-03-11.data", File.ReadAllText(Fixture.Path("hf-text/page.txt")));

        var result = Run.Cli(tmp.Db, "import", file, "--format", "hf-text", "--date", "2025-03-11");

        Assert.Equal(0, result.Code);
        Assert.Equal(2, Run.Scalar<int>(tmp.Db, "select count(*)::int from list_entries"));
    }

    [Fact]
    public void QueryPapers_TitleWithComma_IsQuotedInCsv()
    {
        using var tmp = new TempDir();
        var file = tmp.File("2025-04-01.jsonl", """{"id":"2504.00001","title":"Hello, \"World\"","summary":"x","authors":[]}""" + "\n");
        Run.Cli(tmp.Db, "import", file);

        var result = Run.Cli(tmp.Db, "query", "papers", "--format", "csv");

        Assert.Contains("2025-04-01,1,2504.00001,\"Hello, \"\"World\"\"\"", result.Out);
    }

    [Fact]
    public void QueryPapers_BadDate_IsAUsageError()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "query", "papers", "--from", "2025-13-01");

        Assert.Equal(2, result.Code);
        Assert.Contains("--from expects a date like 2025-02-14", result.Err);
    }

    [Fact]
    public void Migrations_AreRecordedInOrderAndAppliedOnce()
    {
        using var tmp = new TempDir();
        using (new Database(tmp.Db).Open()) { }
        using var connection = new Database(tmp.Db).Open();

        var versions = connection.Query<int>("select version from schema_migrations order by applied_at, version").ToList();
        Assert.NotEmpty(versions);
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Distinct(), versions);
    }

    [Fact]
    public void Migration011_DatabaseWithTermLists_KeepsEveryPaperTag()
    {
        using var tmp = new TempDir();
        // A database as migrations 001-010 left it, with terms stored as lists.
        using (var old = MigratedUpTo(tmp.Db, "schema/011"))
        {
            old.Execute("""
                insert into paper_terms values
                    ('2501.00001', ['LoRA', 'low-rank adaptation', 'fine-tuning'], ['LoRA']),
                    ('2501.00002', [], []),
                    ('2501.00003', ['agent'], []);
                insert into paper_topics values ('2501.00003', 'Agents');
                """);
        }

        using var connection = new Database(tmp.Db).Open();

        var terms = connection.Query<(string PaperId, string Term)>(
            "select paper_id, unnest(string_split(terms, chr(31))) from paper_terms where terms <> '' order by all").ToList();
        Assert.Equal(
            [("2501.00001", "LoRA"), ("2501.00001", "fine-tuning"), ("2501.00001", "low-rank adaptation"), ("2501.00003", "agent")],
            terms);
        Assert.Equal("Agents", connection.ExecuteScalar<string>("select tag from paper_tags where kind = 'topic'"));
        Assert.Equal(3L, connection.ExecuteScalar<long>("select count(*) from paper_terms"));
        Assert.Equal("LoRA", connection.ExecuteScalar<string>("select ai_terms from paper_terms where paper_id = '2501.00001'"));
    }

    [Fact]
    public void Migration025_StoredPayloads_MoveIntoParts_Verbatim()
    {
        using var tmp = new TempDir();
        var random = new Random(25);
        byte[] Bytes(int n) { var b = new byte[n]; random.NextBytes(b); return b; }
        // A payload kept whole, one of a single part, an empty one, and a streamed one in three blocks.
        var whole = Bytes(2 * PayloadParts.PartBytes + 17);
        var small = Bytes(5);
        var blocks = new[] { Bytes(PayloadParts.PartBytes + 1), Bytes(3 * PayloadParts.PartBytes), Bytes(10) };
        using (var old = MigratedUpTo(tmp.Db, "schema/025"))
        {
            foreach (var (id, content, size) in new[] { (1L, whole, whole.Length), (2L, small, small.Length), (3L, Array.Empty<byte>(), 0), (4L, Array.Empty<byte>(), blocks.Sum(b => b.Length)) })
                old.Execute("insert into payloads values ($id, 'sha' || $id, 'hf-json', 'a.json', $size, $content, now()::timestamp)", new { id, size = (long)size, content });
            // Stored in the opposite order: the parts keep the blocks' order, not the table's.
            for (var seq = blocks.Length - 1; seq >= 0; seq--)
                old.Execute("insert into payload_chunks values (4, $seq, $content)", new { seq, content = blocks[seq] });
        }

        using var connection = new Database(tmp.Db).Open();

        byte[] Content(long id) => Run.Blobs(tmp.Db, $"select content from payload_content where payload_id = {id}").Single();
        Assert.Equal(whole, Content(1));
        Assert.Equal(small, Content(2));
        Assert.Empty(Content(3));
        Assert.Equal(blocks.SelectMany(b => b).ToArray(), Content(4));
        Assert.Equal(3L, connection.ExecuteScalar<long>("select count(*) from payload_parts where payload_id = 1"));
        Assert.True(connection.ExecuteScalar<long>("select max(octet_length(content)) from payload_parts") <= PayloadParts.PartBytes);
        Assert.Equal(0L, connection.ExecuteScalar<long>("select count(*) from duckdb_columns() where table_name = 'payloads' and column_name = 'content'"));
        Assert.Equal(0L, connection.ExecuteScalar<long>("select count(*) from duckdb_tables() where table_name = 'payload_chunks'"));
        Assert.Equal(whole.LongLength, connection.ExecuteScalar<long>("select size_bytes from payloads where payload_id = 1"));
    }

    [Fact]
    public void Migration041_LongTextColumns_AreStoredUncompressed_AndEveryRowStaysInItsPlace()
    {
        using var tmp = new TempDir();
        const int Rows = 3_000;
        // A database as migrations 001-040 left it, with rows whose long text columns repeat, so that
        // DuckDB's own analysis would pick dictionary compression for them.
        using (var old = MigratedUpTo(tmp.Db, "schema/041"))
        {
            old.Execute($"""
                insert into list_entries (source, list_date, revision, rank, paper_id, title, abstract, authors, text_md5)
                select 'hf-daily', date '2025-01-06' + (i // 100)::int, 1, (i % 100)::int, 'p' || (i % 7), 'Title ' || (i % 3), 'Abstract ' || (i % 5), [], 'md5-' || (i % 2)
                from range({Rows}) r(i);
                insert into payload_parts select i // 10, (i % 10)::int, ('part ' || (i % 4))::blob from range({Rows}) r(i);
                insert into paper_terms select 'p' || (i % 7), 'terms ' || (i % 3), '', null, 'ends', 'marks ' || (i % 2) from range({Rows}) r(i);
                checkpoint;
                """);
        }
        const string ListEntries = "select rowid, rank, paper_id, title, abstract, text_md5 from list_entries order by rowid";
        const string Parts = "select rowid, payload_id, seq, content::varchar from payload_parts order by rowid";
        const string Terms = "select rowid, paper_id, terms, ends, key_marks from paper_terms order by rowid";
        List<(long, int, string, string, string, string)> entriesBefore;
        List<(long, long, int, string)> partsBefore;
        List<(long, string, string, string, string)> termsBefore;
        using (var raw = new DuckDB.NET.Data.DuckDBConnection($"Data Source={tmp.Db}"))
        {
            raw.Open();
            entriesBefore = raw.Query<(long, int, string, string, string, string)>(ListEntries).ToList();
            partsBefore = raw.Query<(long, long, int, string)>(Parts).ToList();
            termsBefore = raw.Query<(long, string, string, string, string)>(Terms).ToList();
            Assert.Contains("Dictionary", raw.Query<string>("select compression from pragma_storage_info('list_entries') where column_name = 'title'"));
        }

        using var connection = new Database(tmp.Db).Open();
        connection.Execute("checkpoint");

        // The same rows in the same places: the Rollup stage reads neighbouring rows of paper_terms as ranges.
        Assert.Equal(entriesBefore, connection.Query<(long, int, string, string, string, string)>(ListEntries).ToList());
        Assert.Equal(partsBefore, connection.Query<(long, long, int, string)>(Parts).ToList());
        Assert.Equal(termsBefore, connection.Query<(long, string, string, string, string)>(Terms).ToList());
        string[] Compressions(string table, string column) => connection.Query<string>(
            "select distinct compression from pragma_storage_info($table) where column_name = $column and segment_type in ('VARCHAR', 'BLOB')",
            new { table, column }).ToArray();
        foreach (var (table, column) in new[] { ("list_entries", "paper_id"), ("list_entries", "title"), ("list_entries", "abstract"), ("list_entries", "text_md5"),
                     ("payload_parts", "content"), ("paper_terms", "paper_id"), ("paper_terms", "terms"), ("paper_terms", "ends"), ("paper_terms", "key_marks") })
            Assert.True(Compressions(table, column) is ["Uncompressed"], $"{table}.{column}: {string.Join(", ", Compressions(table, column))}");
        // Columns that repeat keep DuckDB's choice.
        Assert.Equal(["Dictionary"], Compressions("list_entries", "source"));
    }

    [Fact]
    public void Migration012_StoredEntries_GetTheTextMd5TheTagStageCompares()
    {
        using var tmp = new TempDir();
        var day = new DateOnly(2025, 1, 6);
        // A database as migrations 001-011 left it: three listed papers, one tagged from its current
        // text, one from an older text, one not tagged.
        using (var old = MigratedUpTo(tmp.Db, "schema/012"))
        {
            old.Execute("insert into payloads values (1, 'sha', 'hf-json', 'a.json', 1, '\\x00'::blob, now()::timestamp)");
            old.Execute("insert into snapshots values ('hf-daily', $day, 1, 1, 3, now()::timestamp)", new { day });
            foreach (var (id, rank, keywords) in new[] { ("2501.00001", 1, "agents,planning"), ("2501.00002", 2, null), ("2501.00003", 3, "") })
                old.Execute("""
                    insert into list_entries (source, list_date, revision, rank, paper_id, title, abstract, authors, ai_keywords)
                    values ('hf-daily', $day, 1, $rank, $id, 'Title ' || $id, 'Abstract of ' || $id || ' with ünïcode.', [],
                            case when $keywords = '' then []::varchar[] else string_split($keywords, ',') end)
                    """, new { day, rank, id, keywords });
            old.Execute("insert into tag_state values ('2501.00001', $md5, 'v', now()::timestamp), ('2501.00002', 'an older text', 'v', now()::timestamp)",
                new { md5 = TrendLens.Tagging.Tagger.TextMd5("Title 2501.00001", "Abstract of 2501.00001 with ünïcode.", ["agents", "planning"]) });
        }

        using var connection = new Database(tmp.Db).Open();

        var entries = connection.Query<(string Id, string Title, string Abstract, string? Keywords, string Md5)>(
            "select paper_id, title, abstract, array_to_string(ai_keywords, chr(31)), text_md5 from list_entries order by paper_id").ToList();
        Assert.Equal(3, entries.Count);
        foreach (var e in entries)
            Assert.Equal(TrendLens.Tagging.Tagger.TextMd5(e.Title, e.Abstract, e.Keywords?.Split('\u001f')), e.Md5);
        Assert.Equal(entries.Select(e => e.Md5), connection.Query<string>("select text_md5 from papers order by paper_id"));
        connection.Execute("create temp table tags_ahead (paper_id varchar, text_md5 varchar)");
        connection.Execute(SqlCatalog.Get("tagging/papers_to_tag"), new { all = false });
        var pending = connection.Query<string>("select paper_id from papers_to_tag order by paper_id").ToList();
        Assert.Equal(["2501.00002", "2501.00003"], pending);
    }

    [Fact]
    public void Database_Open_SetsTheMemoryLimit_AndSetMemoryLimitChangesIt()
    {
        using var tmp = new TempDir();
        using var connection = new Database(tmp.Db).Open();
        Assert.Equal("1.0 GiB", connection.ExecuteScalar<string>("select current_setting('memory_limit')"));
        Assert.False(connection.ExecuteScalar<bool>("select current_setting('preserve_insertion_order')"));

        Database.SetMemoryLimit(connection, 1536);

        Assert.Equal("1.5 GiB", connection.ExecuteScalar<string>("select current_setting('memory_limit')"));
    }

    [Fact]
    public void Database_Checkpoint_StoresTextWithoutFsst()
    {
        using var tmp = new TempDir();
        using var connection = new Database(tmp.Db).Open();
        // Text that FSST compresses well, so DuckDB would pick it if allowed (see sql/storage/storage_settings.sql).
        connection.Execute("""
            create table texts as
            select 'Abstract ' || i || ': we study large language models and their reasoning on benchmark ' || (i % 97) as text
            from range(20000) r(i)
            """);
        connection.Execute("checkpoint");

        var methods = connection.Query<string>("select distinct compression from pragma_storage_info('texts') where segment_type = 'VARCHAR'").ToList();
        Assert.NotEmpty(methods);
        Assert.DoesNotContain("FSST", methods);
    }

    [Fact]
    public void Database_OpenedAgainAfterEveryConnectionClosed_StillStoresTextWithoutFsst()
    {
        using var tmp = new TempDir();
        var database = new Database(tmp.Db);
        using (var first = database.Open())
        using (var second = database.Open())
            Assert.Equal("FSST", second.ExecuteScalar<string>("select current_setting('disabled_compression_methods')"));

        // With the last connection DuckDB closed the file, and with it the setting.
        using var again = database.Open();
        Assert.Equal("FSST", again.ExecuteScalar<string>("select current_setting('disabled_compression_methods')"));
    }

    [Fact]
    public void PayloadQueue_ReadBeforeTheHandOver_TellsOnlyOfPayloadsNotStoredBefore()
    {
        var files = TrendLens.Snapshots.FileImporter.Plan([Fixture.Path("hf-jsonl")]).Files;
        using var queue = TrendLens.Snapshots.FileImporter.Read(files, "hf-daily", null, null, new DateOnly(2026, 1, 1));
        // Every file is read and normalized before the queue learns what was stored before.
        var prepared = queue.Prepared().ToList();
        Assert.Equal(files.Count, prepared.Count);
        var storedBefore = new HashSet<string> { prepared[0].Payload!.Sha256 };
        var heard = new System.Collections.Concurrent.ConcurrentBag<string>();

        queue.HandOver(storedBefore, p => heard.Add(p.Sha256));
        queue.Finish();

        Assert.Equal(prepared.Skip(1).Select(p => p.Payload!.Sha256).Order(), heard.Order());
    }

    [Fact]
    public async Task PayloadQueue_DisposedWithoutAHandOver_StopsReading()
    {
        var files = TrendLens.Snapshots.FileImporter.Plan([Fixture.Path("hf-jsonl")]).Files;
        var queue = TrendLens.Snapshots.FileImporter.Read(files, "hf-daily", null, null, new DateOnly(2026, 1, 1));
        // As when the database cannot be opened: the reader waits for a hand-over that never comes.
        await Task.Run(queue.Dispose).WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Returns once <paramref name="take"/> is inside the budget's wait, and fails if it got its bytes instead.</summary>
    private static async Task Waiting(TrendLens.Snapshots.FileImporter.ReadAhead budget, Task take)
    {
        for (var i = 0; i < 400 && budget.Waiting == 0 && !take.IsCompleted; i++) await Task.Delay(25);
        Assert.False(take.IsCompleted, "the reader got its bytes over the budget");
        Assert.Equal(1, budget.Waiting);
    }

    [Fact]
    public async Task ReadAhead_OverBudget_WaitsForStoredBytesAndStopsWhenCancelled()
    {
        var budget = new TrendLens.Snapshots.FileImporter.ReadAhead(100);
        using var cancel = new CancellationTokenSource();
        budget.Take(60, cancel.Token);
        var second = Task.Run(() => budget.Take(60, cancel.Token));
        await Waiting(budget, second); // 120 bytes would be over the budget
        budget.Return(60);
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        // A file bigger than the whole budget waits only until nothing else is pending.
        var big = Task.Run(() => budget.Take(1_000, cancel.Token));
        await Waiting(budget, big);
        budget.Return(60);
        await big.WaitAsync(TimeSpan.FromSeconds(10));

        var blocked = Task.Run(() => budget.Take(1, cancel.Token));
        await Waiting(budget, blocked);
        cancel.Cancel();
        await Assert.ThrowsAsync<OperationCanceledException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>A database with the migrations before <paramref name="next"/> applied, as an older TrendLens left it.</summary>
    private static DuckDB.NET.Data.DuckDBConnection MigratedUpTo(string path, string next)
    {
        var old = new DuckDB.NET.Data.DuckDBConnection($"Data Source={path}");
        old.Open();
        old.Execute("create table schema_migrations (version integer primary key, name varchar not null, applied_at timestamp not null)");
        foreach (var name in SqlCatalog.Names.Where(n => n.StartsWith("schema/0", StringComparison.Ordinal) && string.CompareOrdinal(n, next) < 0).Order(StringComparer.Ordinal))
        {
            old.Execute(SqlCatalog.Get(name));
            old.Execute("insert into schema_migrations values ($version, $name, now()::timestamp)", new { version = int.Parse(name[7..10]), name });
        }
        return old;
    }

    [Fact]
    public void SqlCatalog_UnknownName_FailsListingKnownNames()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => SqlCatalog.Get("papers/no_such_query"));
        Assert.Contains("papers/papers_listed", e.Message);
    }
}

public class EmptyListTests
{
    [Fact]
    public void Attack_Import_EmptyListForStoredDay_KeepsTheDayAndTheRawAnswer()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));
        var before = Run.Rows<(string, int, long)>(tmp.Db, "select list_date::varchar, revision, entries from snapshots order by 1, 2");
        var empty = tmp.File("empty/2025-02-10.json", "[]");

        var result = Run.Cli(tmp.Db, "import", empty);

        Assert.Equal(0, result.Code);
        Assert.Contains("empty list (kept as no list", result.Out);
        Assert.Equal(before, Run.Rows<(string, int, long)>(tmp.Db, "select list_date::varchar, revision, entries from snapshots order by 1, 2"));
        Assert.Equal(3, Run.Scalar<int>(tmp.Db, "select count(*)::int from current_entries where list_date = '2025-02-10'"));
        var csv = Run.Cli(tmp.Db, "snapshots", "--format", "csv").Out;
        Assert.Contains("hf-daily,2025-02-10,1,current,3,", csv);
        Assert.Contains("hf-daily,2025-02-10,,no-list,0,", csv);
        Assert.Equal("[]"u8.ToArray(), Run.Blobs(tmp.Db, "select p.content from no_lists n join payload_content p on p.payload_id = n.payload_id").Single());
    }

    [Fact]
    public void Import_EmptyListTwice_RecordsItOnce()
    {
        using var tmp = new TempDir();
        var empty = tmp.File("empty/2025-02-15.json", "[]");
        Run.Cli(tmp.Db, "import", empty);

        var again = Run.Cli(tmp.Db, "import", empty);

        Assert.Equal(0, again.Code);
        Assert.Equal(1, Run.Scalar<int>(tmp.Db, "select count(*)::int from no_lists"));
        Assert.Equal(0, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));
    }
}

/// <summary>What one import of the fixture lists leaves, read by several tests (imported once for the class).</summary>
public class ImportedFixtureTests(ImportedFixture imported) : IClassFixture<ImportedFixture>
{
    [Fact]
    public void Import_PaperOnTwoDays_IsOnePaperWithTwoListings()
    {
        var (days, first, last) = Run.Rows<(long, DateOnly, DateOnly)>(imported.Db,
            "select days_listed, first_listed, last_listed from papers where paper_id = '2502.01002'").Single();
        Assert.Equal(2, days);
        Assert.Equal(new DateOnly(2025, 2, 10), first);
        Assert.Equal(new DateOnly(2025, 2, 11), last);
        Assert.Equal([17, 21], Run.Rows<int>(imported.Db, "select upvotes from current_entries where paper_id = '2502.01002' order by list_date"));
    }

    [Fact]
    public void QueryPapers_Csv_HasContractColumnsAndRange()
    {
        var result = Run.Cli(imported.Db, "query", "papers", "--from", "2025-02-11", "--to", "2025-02-12", "--format", "csv");

        Assert.Equal(0, result.Code);
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("list_date,rank,paper_id,title", lines[0]);
        Assert.Equal(
        [
            "2025-02-11,1,2502.02001,Agents that Plan with Qwen2.5",
            "2025-02-11,2,2502.01002,Long Context Retrieval with Tiny Caches",
            "2025-02-12,1,2502.03001,Diffusion Models for Tabular Data",
        ], lines[1..]);
    }
}
