using Dapper;
using System.Text.Json;
using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>Tagging through the command line: import tags, retag rebuilds, queries roll up shares.</summary>
public class TagCommandTests
{
    [Fact]
    public void Import_TagsTheNewPapers()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));

        Assert.Equal(0, result.Code);
        Assert.Contains("Tagged 5 paper(s)", result.Out);
        var families = Run.Rows<(string, string)>(tmp.Db, "select paper_id, family from paper_families order by paper_id, family");
        Assert.Equal([("2502.01001", "GPT"), ("2502.01001", "Llama"), ("2502.01003", "Whisper"), ("2502.02001", "Qwen")], families);
        Assert.Equal(5, Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_state"));
    }

    [Fact]
    public void Import_TagsMadeWhileImporting_AreTheTagsARetagMakes()
    {
        using var tmp = new TempDir();
        // Non-ASCII text, hard wraps, ai_keywords (some longer than three words) and none: the
        // text hash made in .NET must equal DuckDB's for each, or the paper is tagged twice.
        var extra = tmp.File("c/2025-02-14.jsonl", string.Join("\n",
            """{"date":"2025-02-14","rank":1,"id":"2502.04001","title":"Über-fast LoRA for Llama-3.1-8B","summary":"Low-Rank Adaptation (LoRA) of\n  Llama-3.1-8B — 4× faster; naïve baselines’ drift.","authors":["Zoë Ω"],"ai_keywords":["LoRA","low-rank adaptation of large language models","Llama-3.1-8B"]}""",
            """{"date":"2025-02-14","rank":2,"id":"2502.04002","title":"Agents that plan","summary":"An agent plans with GPT-4o and tools.","authors":[],"ai_keywords":[]}""",
            """{"date":"2025-02-14","rank":3,"id":"2502.04003","title":"Mamba for speech","summary":"A state space model (Mamba-2) for speech recognition.","authors":["A B"]}"""));

        var result = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"), extra);

        Assert.Equal(0, result.Code);
        var papers = Run.Scalar<int>(tmp.Db, "select count(*)::int from papers");
        Assert.Contains($"Tagged {papers} paper(s)", result.Out);
        Assert.Contains($"({papers} of them while importing;", result.Out);
        const string tagsSql = """
            select paper_id, kind, tag from paper_tags
            union all select paper_id, 'ai', ai_terms from paper_terms
            union all select paper_id, 'definitions', definitions from paper_terms
            union all select paper_id, 'version', version || '/' || family from paper_versions
            union all select paper_id, 'member', member || '/' || evidence from paper_families
            order by all
            """;
        var whileImporting = Run.Rows<(string, string, string)>(tmp.Db, tagsSql);
        Assert.Contains(("2502.04001", "term", "lora"), whileImporting);
        Assert.Contains(("2502.04001", "version", "Llama-3.1/Llama"), whileImporting);
        Assert.Contains(("2502.04001", "definitions", "LoRA\u001elow-rank adaptation"), whileImporting);
        Assert.Contains(("2502.04003", "family", "Mamba"), whileImporting);

        Assert.Equal(0, Run.Cli(tmp.Db, "retag").Code);

        Assert.Equal(whileImporting, Run.Rows<(string, string, string)>(tmp.Db, tagsSql));
    }

    [Fact]
    public void TagPending_TagsMadeAheadFromAnotherText_AreNotUsed()
    {
        var database = new TrendLens.Storage.Database(":memory:");
        using var connection = database.Open();
        var tagger = new Tagger(Lexicons.Load(Lexicons.FindDirectory()), TimeProvider.System);
        var day = new DateOnly(2025, 2, 14);
        byte[] Payload(string summary) => System.Text.Encoding.UTF8.GetBytes(
            $$$"""[{"paper":{"id":"2502.05001","title":"A study","summary":"{{{summary}}}","authors":[]}},{"paper":{"id":"2502.05002","title":"Agents plan","summary":"An LLM agent plans with tool calling.","authors":[]}}]""");
        var stored = Payload("Post-training quantization of Llama-3 to 4-bit weights.");
        using (var batch = new TrendLens.Snapshots.SnapshotWriter(TimeProvider.System).Begin(database, connection))
        {
            batch.Add(stored, "hf-daily", TrendLens.Sources.PayloadFormat.HfJson, new TrendLens.Sources.PayloadContext("a.json", day, day));
            batch.Commit();
        }
        using var ahead = new TagAhead(tagger, 2);
        // The first paper was tagged ahead from another text than the one stored; the second from the same.
        ahead.Add(TrendLens.Snapshots.PreparedPayload.From(Payload("We train a speech recognition model for speech."), "hf-daily", TrendLens.Sources.PayloadFormat.HfJson,
            new TrendLens.Sources.PayloadContext("b.json", day, day)));

        var run = tagger.TagPending(database, connection, ahead);

        Assert.Equal(2, run.Papers);
        Assert.Equal(1, run.TaggedAhead);
        var topics = connection.Query<(string, string)>("select paper_id, topic from paper_topics order by all").ToList();
        Assert.Contains(("2502.05001", "Quantization"), topics);
        Assert.DoesNotContain(("2502.05001", "Speech and audio"), topics);
        Assert.Contains(("2502.05002", "Agents"), topics);
        Assert.Equal("Llama", connection.ExecuteScalar<string>("select family from paper_families where paper_id = '2502.05001'"));
    }

    [Fact]
    public void TagPending_InSeveralCommits_LeavesEveryPaperTaggedOnce()
    {
        var database = new TrendLens.Storage.Database(":memory:");
        using var connection = database.Open();
        // Two papers a batch, two batches a commit: eleven papers are written in three transactions.
        var tagger = new Tagger(Lexicons.Load(Lexicons.FindDirectory()), TimeProvider.System) { BatchSize = 2, BatchesPerCommit = 2 };
        var day = new DateOnly(2025, 2, 14);
        void Store(string summary, string file)
        {
            var payload = System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(1, 11).Select(i =>
                $$$"""{"paper":{"id":"2502.06{{{i:000}}}","title":"Paper {{{i}}}","summary":"{{{summary}}} Case {{{i}}}.","authors":[]}}""")) + "]");
            using var batch = new TrendLens.Snapshots.SnapshotWriter(TimeProvider.System).Begin(database, connection);
            batch.Add(payload, "hf-daily", TrendLens.Sources.PayloadFormat.HfJson, new TrendLens.Sources.PayloadContext(file, day, day));
            batch.Commit();
        }
        (int Rows, int Papers, int Quantization, int Speech) Counts() => connection.QuerySingle<(int, int, int, int)>("""
            select
                (select count(*)::int from tag_state),
                (select count(distinct paper_id)::int from tag_state),
                (select count(*)::int from paper_topics where topic = 'Quantization'),
                (select count(*)::int from paper_topics where topic = 'Speech and audio')
            """);

        Store("Post-training quantization of Llama-3 to 4-bit weights.", "a.json");
        Assert.Equal(11, tagger.TagPending(database, connection).Papers);
        Assert.Equal((11, 11, 11, 0), Counts());

        // A new revision changes every text: each paper's old tags go in the commit that writes its new ones.
        Store("We train a speech recognition model for speech.", "b.json");
        Assert.Equal(11, tagger.TagPending(database, connection).Papers);
        Assert.Equal((11, 11, 0, 11), Counts());
        Assert.Equal(11, connection.ExecuteScalar<int>("select count(*)::int from paper_terms"));
        Assert.Equal(0, tagger.TagPending(database, connection).Papers);
    }

    [Fact]
    public void Retag_InPipelinedBatches_GivesEachPaperTheTagsOfItsOwnText()
    {
        var database = new TrendLens.Storage.Database(":memory:");
        using var connection = database.Open();
        // Three papers a batch: one batch is tagged while the one before it is written.
        var tagger = new Tagger(Lexicons.Load(Lexicons.FindDirectory()), TimeProvider.System) { BatchSize = 3, BatchesPerCommit = 1 };
        var day = new DateOnly(2025, 2, 14);
        // Speech on the primes, so that no two batches have the same pattern.
        static bool Speech(int i) => i is 2 or 3 or 5 or 7 or 11 or 13;
        static string Summary(int i) => Speech(i)
            ? "We train a speech recognition model for speech."
            : "Post-training quantization of Llama-3 to 4-bit weights.";
        var payload = System.Text.Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Range(1, 14).Select(i =>
            $$$"""{"paper":{"id":"2502.07{{{i:000}}}","title":"Paper {{{i}}}","summary":"{{{Summary(i)}}}","authors":[]}}""")) + "]");
        using (var batch = new TrendLens.Snapshots.SnapshotWriter(TimeProvider.System).Begin(database, connection))
        {
            batch.Add(payload, "hf-daily", TrendLens.Sources.PayloadFormat.HfJson, new TrendLens.Sources.PayloadContext("a.json", day, day));
            batch.Commit();
        }

        Assert.Equal(14, tagger.Retag(database, connection).Papers);

        var topics = connection.Query<(string PaperId, string Topic)>(
            "select paper_id, topic from paper_topics where topic in ('Quantization', 'Speech and audio')").ToList();
        var expected = Enumerable.Range(1, 14)
            .Select(i => ($"2502.07{i:000}", Speech(i) ? "Speech and audio" : "Quantization")).Order().ToList();
        Assert.Equal(expected, topics.Order().ToList());
        Assert.Equal(14, connection.ExecuteScalar<int>("select count(distinct paper_id)::int from paper_terms"));
    }

    [Fact]
    public void Explain_SaysWhichTopicsAPaperHas_AndWhyOthersAreNot()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));
        var stored = Run.Rows<string>(tmp.Db, "select topic from paper_topics where paper_id = '2502.01002' order by topic");

        var all = Run.Cli(tmp.Db, "explain", "2502.01002");
        var asked = Run.Cli(tmp.Db, "explain", "2502.01002", "--topic", "quantization");
        var unknownPaper = Run.Cli(tmp.Db, "explain", "2502.99999");
        var unknownTopic = Run.Cli(tmp.Db, "explain", "2502.01002", "--topic", "Cooking");

        Assert.Equal(0, all.Code);
        Assert.StartsWith("2502.01002: Long Context Retrieval with Tiny Caches\n", all.Out);
        // The topics it says the paper has are those the import stored, with the phrases that count.
        Assert.NotEmpty(stored);
        var has = all.Out.Split('\n').Where(l => l.StartsWith("  has  ", StringComparison.Ordinal)).Select(l => l[7..l.IndexOf(':')]).Order().ToList();
        Assert.Equal(stored, has);
        Assert.Contains("  has  Long context: ", all.Out);
        Assert.Contains("\u201clong context\u201d in the title", all.Out);
        Assert.Contains("A paper has a topic when", all.Out);
        Assert.Equal(0, asked.Code);
        Assert.Contains("  not  Quantization: ", asked.Out);
        Assert.DoesNotContain("Long context", asked.Out);
        Assert.Equal((1, "trendlens: no paper '2502.99999' is stored\n"), (unknownPaper.Code, unknownPaper.Err));
        Assert.Equal(2, unknownTopic.Code);
        Assert.StartsWith("trendlens: no topic 'Cooking' in topics.json; the topics are Quantization, ", unknownTopic.Err);
    }

    [Fact]
    public void Import_SecondTime_TagsNothingAgain()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));

        var again = Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));

        Assert.DoesNotContain("Tagged", again.Out);
        Assert.Equal(5, Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_state"));
    }

    [Fact]
    public void Import_ChangedAbstract_RetagsThatPaperOnly()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));
        var changed = File.ReadAllText(Fixture.Path("hf-jsonl/list-2025-02-12.jsonl")).Replace("We train a diffusion model on tables.", "We train a diffusion model on tables with Gemma-2.");
        var file = tmp.File("b/2025-02-12.jsonl", changed);

        var result = Run.Cli(tmp.Db, "import", file);

        Assert.Contains("Tagged 1 paper(s)", result.Out);
        Assert.Equal("Gemma", Run.Scalar<string>(tmp.Db, "select family from paper_families where paper_id = '2502.03001'"));
        Assert.Equal(5, Run.Scalar<int>(tmp.Db, "select count(*)::int from tag_state"));
    }

    [Fact]
    public void Retag_AfterAnEditOfTheTopicsAlone_WritesTheTopics_AsAFullRetagWould()
    {
        using var tmp = new TempDir();
        string Dashboards(string name) => tmp.Dashboards(name, Lexicons.FamiliesFile, Lexicons.TopicsFile, Lexicons.KeyphrasesFile);
        var before = Dashboards("before");
        var after = Dashboards("after");
        var topics = Path.Combine(after, Lexicons.TopicsFile);
        File.WriteAllText(topics, File.ReadAllText(topics).Replace("\"topics\": [", "\"topics\": [\n    { \"name\": \"Tabular data\", \"include\": [\"table\", \"tabular\"] },"));
        var edited = Path.Combine(tmp.Path, "edited.duckdb");
        var fresh = Path.Combine(tmp.Path, "fresh.duckdb");
        Run.Cli(edited, "--dashboards", before, "import", Fixture.Path("hf-jsonl"));
        Run.Cli(fresh, "--dashboards", after, "import", Fixture.Path("hf-jsonl"));
        const string tags = """
            select 'term', paper_id, terms || '|' || ai_terms || '|' || definitions || '|' || ends from paper_terms
            union all select 'family', paper_id, family || '|' || coalesce(member, '') || '|' || evidence from paper_families
            union all select 'version', paper_id, version || '|' || family from paper_versions
            union all select 'topic', paper_id, topic from paper_topics
            union all select 'state', paper_id, text_md5 || '|' || lexicon_version || '|' || terms_version from tag_state
            order by all
            """;

        // The rollups after it: only the topics' rows are made again, and they are those of a full build.
        TagRun run;
        TrendLens.Rollup.RollupBuild built;
        var database = new TrendLens.Storage.Database(edited);
        using (var connection = database.Open())
        {
            run = new Tagger(Lexicons.Load(after), TimeProvider.System).Retag(database, connection);
            built = new TrendLens.Rollup.RollupRefresher(database).Refresh(connection);
        }
        Run.Cli(fresh, "--dashboards", after, "query", "topics");
        Assert.True(run.TopicsOnly);
        Assert.Equal(TrendLens.Rollup.RollupBuild.Topics, built);
        const string rollups = """
            select 'tags', kind || '|' || tag || '|' || tag_id || '|' || first_seen from tags
            union all select 'daily', kind || '|' || tag_id || '|' || source || '|' || list_date || '|' || papers from tag_daily
            union all select 'keyphrase', tag_id || '|' || source || '|' || list_date || '|' || papers from keyphrase_daily
            order by all
            """;
        Assert.Equal(Run.Rows<(string, string)>(fresh, rollups), Run.Rows<(string, string)>(edited, rollups));
        Assert.Contains(Run.Rows<(string, string)>(edited, rollups), r => r.Item1 == "tags" && r.Item2.StartsWith("topic|Tabular data|", StringComparison.Ordinal));
        var again = Run.Cli(edited, "--dashboards", after, "retag");

        Assert.Contains("(topics written again; terms and model families were of today's lexicons already)", again.Out);
        Assert.Contains("Rolled up in ", again.Out);
        Assert.Contains(" s (only the topics changed): queries, charts and reviews read it from here.", again.Out);
        var expected = Run.Rows<(string, string, string)>(fresh, tags);
        Assert.Contains(("topic", "2502.03001", "Tabular data"), expected);
        Assert.Equal(expected, Run.Rows<(string, string, string)>(edited, tags));

        // An edit of the keyphrases changes terms: everything is written again.
        var keyphrases = Path.Combine(after, Lexicons.KeyphrasesFile);
        File.WriteAllText(keyphrases, File.ReadAllText(keyphrases).Replace("\"stop\": [", "\"stop\": [\"widget\", "));
        var full = Run.Cli(edited, "--dashboards", after, "retag");
        Assert.Equal(0, full.Code);
        Assert.DoesNotContain("topics written again", full.Out);
        Assert.DoesNotContain("only the topics changed", full.Out);
        Assert.Equal(1, Run.Scalar<int>(edited, "select count(distinct terms_version)::int from tag_state"));
    }

    [Fact]
    public void ALexiconThatIsNotJson_IsSaid_NotAStaleTagWarningThatSendsToRetag()
    {
        using var tmp = new TempDir();
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile, Lexicons.TopicsFile);
        Run.Cli(tmp.Db, "--dashboards", dashboards, "import", Fixture.Path("hf-jsonl"));
        File.WriteAllText(Path.Combine(dashboards, Lexicons.TopicsFile), "{\n  \"topics\": [ { \"name\": \"A\" \n");

        var models = Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "models", "--format", "csv");

        Assert.Equal(0, models.Code);
        Assert.StartsWith("period,family,papers,share\n", models.Out);
        Assert.Contains("warning: cannot check tag freshness: ", models.Err);
        Assert.Contains("topics.json (line 3): not valid JSON, so no rules can be read from it; fix it, then run `trendlens retag`", models.Err);
        Assert.DoesNotContain("older lexicon", models.Err);
    }

    [Fact]
    public void LexiconChange_IsReportedAsStaleUntilRetag()
    {
        using var tmp = new TempDir();
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile, Lexicons.TopicsFile);
        Run.Cli(tmp.Db, "--dashboards", dashboards, "import", Fixture.Path("hf-jsonl"));
        Assert.DoesNotContain("warning", Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "topics").Err);

        // A user adds a topic.
        var topics = Path.Combine(dashboards, Lexicons.TopicsFile);
        File.WriteAllText(topics, File.ReadAllText(topics).Replace("\"topics\": [", "\"topics\": [\n    { \"name\": \"Tabular data\", \"include\": [\"table\", \"tabular\"] },"));

        var stale = Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "topics");
        Assert.Contains("5 paper(s) are tagged with an older lexicon", stale.Err);
        Assert.DoesNotContain("Tabular data", stale.Out);

        var retag = Run.Cli(tmp.Db, "--dashboards", dashboards, "retag");
        Assert.Equal(0, retag.Code);
        Assert.Contains("Retagged 5 paper(s)", retag.Out);

        var fresh = Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "topics", "--topic", "Tabular data", "--format", "csv");
        Assert.DoesNotContain("warning", fresh.Err);
        Assert.Equal("period,topic,papers,share\n2025-02-10,Tabular data,1,0.2\n", fresh.Out);
    }

    [Fact]
    public void BrokenLexicon_FailsRetagWithFileAndField_AndImportKeepsTheData()
    {
        using var tmp = new TempDir();
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile);
        File.WriteAllText(Path.Combine(dashboards, Lexicons.TopicsFile), """{ "topics": [ { "name": "X", "include": ["x"], "colour": "red" } ] }""");

        var import = Run.Cli(tmp.Db, "--dashboards", dashboards, "import", Fixture.Path("hf-jsonl"));
        Assert.Equal(1, import.Code);
        Assert.Contains("imported, but not tagged", import.Err);
        Assert.Contains("topics.json", import.Err);
        Assert.Equal(3, Run.Scalar<int>(tmp.Db, "select count(*)::int from snapshots"));

        var retag = Run.Cli(tmp.Db, "--dashboards", dashboards, "retag");
        Assert.Equal(1, retag.Code);
        Assert.Contains("colour", retag.Err);
    }

    [Fact]
    public void PapersImportedUntagged_AreReportedByQueries_UntilARetagTagsThem()
    {
        using var tmp = new TempDir();
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile, Lexicons.TopicsFile);
        var topics = Path.Combine(dashboards, Lexicons.TopicsFile);
        var good = File.ReadAllText(topics);
        File.WriteAllText(topics, "{ not json");
        Assert.Equal(1, Run.Cli(tmp.Db, "--dashboards", dashboards, "import", Fixture.Path("hf-jsonl")).Code);
        File.WriteAllText(topics, good);

        // The query rolls up the untagged papers first, then reports them from what that rollup counted.
        foreach (var args in new[] { new[] { "query", "topics" }, ["query", "emerging", "--of", "topics"], ["query", "bursts", "--of", "topics"] })
            Assert.Contains("0 paper(s) are tagged with an older lexicon and 5 are not tagged", Run.Cli(tmp.Db, ["--dashboards", dashboards, .. args]).Err);

        Assert.Equal(0, Run.Cli(tmp.Db, "--dashboards", dashboards, "retag").Code);
        var fresh = Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "topics");
        Assert.Equal(0, fresh.Code);
        Assert.DoesNotContain("warning", fresh.Err);
    }

    [Fact]
    public void QueryModels_WeekGrain_SharesOfDistinctPapersListed()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), Fixture.Path("hf-json/2025-02-13.json"));

        var result = Run.Cli(tmp.Db, "query", "models", "--grain", "week", "--format", "csv");

        // Week of Monday 2025-02-10: 7 distinct papers (one is listed on two days).
        Assert.Equal(0, result.Code);
        Assert.Equal(
            "period,family,papers,share\n" +
            "2025-02-10,GPT,1,0.14285714285714285\n" +
            "2025-02-10,Llama,1,0.14285714285714285\n" +
            "2025-02-10,Qwen,1,0.14285714285714285\n" +
            "2025-02-10,Whisper,1,0.14285714285714285\n",
            result.Out);
    }

    /// <summary>
    /// Two sources list a paper on the same day with different texts: its title, abstract and tags
    /// come from one listing, that of the source whose name sorts last, whichever was imported
    /// first (DuckDB keeps the first of equal maxima it meets, so the order of the imports decided).
    /// </summary>
    [Fact]
    public void APaperTwoSourcesListTheSameDay_TakesItsTextFromOneOfThem_TheSameEveryTime()
    {
        using var tmp = new TempDir();
        var list = Fixture.Path("hf-jsonl/list-2025-02-11.jsonl");
        var other = Path.Combine(tmp.Path, "list-2025-02-11.jsonl");
        File.WriteAllText(other, File.ReadAllText(list)
            .Replace("Agents that Plan with Qwen2.5", "State Space Agents with Mamba")
            .Replace("An agent framework built on Qwen2.5-7B for planning.", "A planning agent built on Mamba-2.8B."));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", list, "--source", "a").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", other, "--source", "b").Code);

        Assert.Equal(("State Space Agents with Mamba", "A planning agent built on Mamba-2.8B."),
            Run.Rows<(string, string)>(tmp.Db, "select title, abstract from papers where paper_id = '2502.02001'").Single());
        Assert.Equal(["Mamba"], Run.Rows<string>(tmp.Db, "select family from paper_families where paper_id = '2502.02001' order by all"));
        var models = Run.Cli(tmp.Db, "query", "models", "--grain", "day", "--source", "all", "--format", "csv");
        Assert.Equal(0, models.Code);
        Assert.Contains("2025-02-11,Mamba,1,", models.Out);
        Assert.DoesNotContain("Qwen", models.Out);
    }

    /// <summary>
    /// The per-period shares are sums of daily rollups corrected for papers listed more than once
    /// in a period; they must equal a plain count of distinct papers, whatever the grain, kind
    /// and source filter. Here one paper is on two days, and two days are listed by two sources.
    /// </summary>
    [Theory]
    [InlineData("models", "family")]
    [InlineData("topics", "topic")]
    [InlineData("terms", "term")]
    public void Shares_WithRepeatedListingsAndTwoSources_EqualDistinctPaperCounts(string query, string kind)
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), "--source", "a").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-11.jsonl"), Fixture.Path("hf-jsonl/list-2025-02-12.jsonl"), "--source", "b").Code);

        foreach (var grain in new[] { "day", "week", "month" })
        {
            foreach (var source in new[] { "", "all", "a", "b" })
            {
                var args = new List<string> { "query", query, "--grain", grain, "--top", "0", "--format", "json" };
                if (source != "") args.AddRange(["--source", source]);
                var only = source == "all" ? "" : source;
                var result = Run.Cli(tmp.Db, [.. args]);
                Assert.Equal(0, result.Code);
                var actual = JsonDocument.Parse(result.Out).RootElement.EnumerateArray()
                    .Where(r => r.GetProperty("papers").GetInt64() > 0)
                    .Select(r => $"{r.GetProperty("period").GetString()} {r.GetProperty(kind).GetString()} {r.GetProperty("papers").GetInt64()}")
                    .Order(StringComparer.Ordinal).ToList();
                var expected = Run.Rows<(DateTime Period, string Tag, long Papers)>(tmp.Db, $"""
                    select date_trunc('{grain}', e.list_date)::date, coalesce(d.display, t.tag), count(distinct e.paper_id)
                    from current_entries e
                    join paper_tags t on t.paper_id = e.paper_id and t.kind = '{kind}'
                    left join tag_display d on d.kind = t.kind and d.tag = t.tag
                    where '{only}' = '' or e.source = '{only}'
                    group by all
                    """)
                    .Select(r => $"{r.Period:yyyy-MM-dd} {r.Tag} {r.Papers}")
                    .Order(StringComparer.Ordinal).ToList();
                Assert.NotEmpty(expected);
                Assert.Equal(expected, actual);
            }
        }
        var unknown = Run.Cli(tmp.Db, "query", query, "--source", "c");
        Assert.Equal(1, unknown.Code);
        Assert.Equal("trendlens: no lists from source 'c'; stored sources: a, b (or all)\n", unknown.Err);
    }

    [Fact]
    public void Reads_CountThePrimarySourceAlone_UnlessAllIsAsked()
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-11.jsonl")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl/list-2025-02-12.jsonl"), "--source", "arxiv").Code);

        long Listed(params string[] source)
        {
            var result = Run.Cli(tmp.Db, ["query", "coverage", "--from", "2025-02-10", "--to", "2025-02-16", "--grain", "week", "--format", "json", .. source]);
            Assert.True(result.Code == 0, result.Err);
            return JsonDocument.Parse(result.Out).RootElement.EnumerateArray().Sum(r => r.GetProperty("papers_listed").GetInt64());
        }

        var daily = Run.Scalar<long>(tmp.Db, "select count(distinct paper_id) from current_entries where source = 'hf-daily'");
        var pooled = Run.Scalar<long>(tmp.Db, "select count(distinct paper_id) from current_entries");
        Assert.True(pooled > daily);
        Assert.Equal(daily, Listed());
        Assert.Equal(daily, Listed("--source", "hf-daily"));
        Assert.Equal(pooled, Listed("--source", "all"));
    }

    [Fact]
    public void QueryCoverage_CountsListDaysAgainstWeekdays()
    {
        using var tmp = new TempDir();
        // Mon 2025-02-10, Tue 11, Wed 12 and Fri 14 have lists; Thu 13 is missing.
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"), tmp.File("2025-02-14.jsonl", """{"id":"2502.09999","title":"T","summary":"S","authors":[]}""" + "\n"));

        var result = Run.Cli(tmp.Db, "query", "coverage", "--grain", "week", "--format", "csv");

        Assert.Equal("period,papers_listed,days_listed,days_expected\n2025-02-10,6,4,5\n", result.Out);
        // A range that ends or starts on the missing Thursday still expects it: the stored lists run
        // from Monday to Friday, whatever the range's own first and last list.
        Assert.EndsWith(",3,4\n", Run.Cli(tmp.Db, "query", "coverage", "--grain", "week", "--from", "2025-02-10", "--to", "2025-02-13", "--format", "csv").Out);
        Assert.EndsWith(",1,2\n", Run.Cli(tmp.Db, "query", "coverage", "--grain", "week", "--from", "2025-02-13", "--to", "2025-02-16", "--format", "csv").Out);
        Assert.EndsWith(",3,3\n", Run.Cli(tmp.Db, "query", "coverage", "--grain", "week", "--from", "2025-02-08", "--to", "2025-02-12", "--format", "csv").Out);
    }

    [Fact]
    public void Query_BadGrainOrTop_IsAUsageError()
    {
        using var tmp = new TempDir();
        Assert.Equal(2, Run.Cli(tmp.Db, "query", "models", "--grain", "year").Code);
        Assert.Equal(2, Run.Cli(tmp.Db, "query", "terms", "--top", "-1").Code);
    }
}

public class QueryPapersFilterTests
{
    [Fact]
    public void QueryPapers_TwoKindsOfFilter_IsAUsageError()
    {
        using var tmp = new TempDir();
        Assert.Equal(2, Run.Cli(tmp.Db, "query", "papers", "--family", "Qwen", "--term", "agent").Code);
    }

    [Fact]
    public void EmergingAndBursts_ANameFilterOfAnotherKindThanOf_IsAUsageError_NotIgnored()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl"));

        var versions = Run.Cli(tmp.Db, "query", "emerging", "--of", "versions", "--family", "Qwen");
        var mixed = Run.Cli(tmp.Db, "query", "bursts", "--term", "agent", "--topic", "Agents");
        var topics = Run.Cli(tmp.Db, "query", "emerging", "--of", "topics", "--term", "agent");

        Assert.Equal((2, 2, 2), (versions.Code, mixed.Code, topics.Code));
        Assert.Contains("--family does not go with --of versions: name model versions with --term, or leave out --of (--family implies it)", versions.Err);
        Assert.Contains("give --term, --family or --topic, not several kinds at once", mixed.Err);
        Assert.Contains("--term does not go with --of topics: name topics with --topic", topics.Err);
        // The filters that match what --of ranks still work.
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "emerging", "--of", "families", "--family", "Qwen").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "bursts", "--family", "Qwen").Code);
    }

    [Fact]
    public void Emerging_ABaselineOfNoDays_IsAUsageError()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "query", "emerging", "--baseline-days", "0");

        Assert.Equal(2, result.Code);
        Assert.Contains("--baseline-days must be 1 or more", result.Err);
    }
}

public class ChartCommandTests
{
    [Fact]
    public void Chart_UnknownPanel_ListsTheKnownOnes()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "chart", "models/nope", "--out", Path.Combine(tmp.Path, "x.png"));

        Assert.Equal(1, result.Code);
        Assert.Contains("overview/families", result.Err);
    }

    [Fact]
    public void Chart_BadOutputExtension_IsAUsageError()
    {
        using var tmp = new TempDir();
        Assert.Equal(2, Run.Cli(tmp.Db, "chart", "models/families", "--out", Path.Combine(tmp.Path, "x.gif")).Code);
    }
}

public class ExportCommandTests
{
    [Fact]
    public void Export_UnknownDashboard_ListsTheKnownOnes()
    {
        using var tmp = new TempDir();
        var result = Run.Cli(tmp.Db, "export", "nope", "--out", Path.Combine(tmp.Path, "x.png"));

        Assert.Equal(1, result.Code);
        Assert.Contains("overview", result.Err);
    }
}

/// <summary>Read-only commands (query, chart, export) over the fixture lists, imported once for the class.</summary>
public class QueryCommandTests(ImportedFixture imported) : IClassFixture<ImportedFixture>
{
    [Fact]
    public void QueryModels_DayGrainAndFamilyFilter()
    {
        var result = Run.Cli(imported.Db, "query", "models", "--grain", "day", "--family", "Qwen", "--family", "GPT", "--format", "csv");

        // Every day with a list has a row for each family asked for: zero is a value, a day without a list is a gap.
        Assert.Equal(
            "period,family,papers,share\n" +
            "2025-02-10,GPT,1,0.3333333333333333\n2025-02-10,Qwen,0,0\n" +
            "2025-02-11,Qwen,1,0.5\n2025-02-11,GPT,0,0\n" +
            "2025-02-12,GPT,0,0\n2025-02-12,Qwen,0,0\n",
            result.Out);
    }

    [Fact]
    public void QueryTerms_TopAndRange()
    {
        var result = Run.Cli(imported.Db, "query", "terms", "--grain", "month", "--top", "1", "--words", "all", "--format", "csv");
        var keyphrases = Run.Cli(imported.Db, "query", "terms", "--grain", "month", "--top", "1", "--format", "csv");

        // In these few lists no phrase is in two papers with evidence that it is a keyphrase (a
        // concept of one paper never is); every term may rank with --words all.
        Assert.Equal("period,term,papers,share\n", keyphrases.Out);
        Assert.Contains("no keyphrase is listed in this range", keyphrases.Err);
        // The top term over the range is the one in most papers, ties broken by name.
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("period,term,papers,share", lines[0]);
        Assert.Single(lines[1..]);
        Assert.StartsWith("2025-02-01,", lines[1]);
    }

    [Fact]
    public void QueryTerms_TermFilter_CountsPapersNotListings()
    {
        var result = Run.Cli(imported.Db, "query", "terms", "--grain", "month", "--term", "KV cache", "--format", "csv");

        Assert.Equal("period,term,papers,share\n2025-02-01,KV cache,1,0.2\n", result.Out);
    }

    [Fact]
    public void QueryShares_WhenTheRangeCutsAPeriod_SayWhichDaysItsRowCounts()
    {
        // Lists on 2025-02-10 (Monday) to 2025-02-12.
        var cut = Run.Cli(imported.Db, "query", "topics", "--grain", "week", "--from", "2025-02-11", "--to", "2025-02-12", "--format", "csv");
        var whole = Run.Cli(imported.Db, "query", "topics", "--grain", "week", "--from", "2025-02-10", "--to", "2025-02-14", "--format", "csv");
        var month = Run.Cli(imported.Db, "query", "topics", "--grain", "month", "--from", "2025-02-01", "--to", "2025-02-28", "--format", "csv");

        Assert.Equal(0, cut.Code);
        Assert.Contains("the range cuts a week: 2025-02-10 counts 2025-02-11 onward only; 2025-02-10 counts up to 2025-02-12 only", cut.Err);
        // Monday to Friday leaves out only the weekend, when no list is expected; so does February from the 1st (a Saturday).
        Assert.DoesNotContain("cuts", whole.Err);
        Assert.DoesNotContain("cuts", month.Err);
        Assert.StartsWith("period,topic,papers,share\n2025-02-10,", whole.Out);
    }

    [Fact]
    public void QueryShares_OutsideTheStoredLists_SayWhereTheListsAre()
    {
        var future = Run.Cli(imported.Db, "query", "topics", "--from", "2030-01-01", "--to", "2030-02-01", "--format", "csv");
        var inside = Run.Cli(imported.Db, "query", "topics", "--from", "2025-02-10", "--to", "2025-02-12", "--format", "csv");

        Assert.Equal(0, future.Code);
        Assert.Equal("period,topic,papers,share\n", future.Out);
        Assert.Contains("no list from 2030-01-01 to 2030-02-01; the lists stored run from 2025-02-10 to 2025-02-12", future.Err);
        Assert.DoesNotContain("no list from", inside.Err);
        // One end given: the other is not printed as a date.
        Assert.Contains("no list from 2030-01-01 on; the lists stored run from 2025-02-10 to 2025-02-12",
            Run.Cli(imported.Db, "query", "models", "--from", "2030-01-01").Err);
        Assert.Contains("no list up to 2020-01-31; the lists stored run from 2025-02-10 to 2025-02-12",
            Run.Cli(imported.Db, "query", "topics", "--to", "2020-01-31").Err);
        var emerging = Run.Cli(imported.Db, "query", "emerging", "--from", "2030-01-01", "--to", "2030-01-10");
        Assert.Contains("no list from 2030-01-01 to 2030-01-10; the lists stored run from 2025-02-10 to 2025-02-12", emerging.Err);
        Assert.DoesNotContain(Rollup.EmergenceResult.NothingRose, emerging.Out);
    }

    [Fact]
    public void QueryModels_Json_CarriesCoverage()
    {
        var json = Run.Cli(imported.Db, "query", "models", "--family", "Qwen", "--grain", "week", "--format", "json").Out;

        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal(5, row.GetProperty("listed").GetInt32());
        Assert.Equal(3, row.GetProperty("days_listed").GetInt32());
        Assert.Equal(3, row.GetProperty("days_expected").GetInt32());
    }

    [Fact]
    public void QueryPapers_FamilyFilter_KeepsOnlyPapersNamingIt()
    {
        var result = Run.Cli(imported.Db, "query", "papers", "--family", "Qwen", "--format", "csv");

        Assert.Equal("list_date,rank,paper_id,title\n2025-02-11,1,2502.02001,Agents that Plan with Qwen2.5\n", result.Out);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("svg")]
    public void Chart_WritesThePanelAsTheServerDrawsIt(string ext)
    {
        using var tmp = new TempDir();
        var output = Path.Combine(tmp.Path, "out", "families." + ext);

        var result = Run.Cli(imported.Db, "chart", "models/families", "--out", output, "--grain", "day", "--width", "640", "--height", "360");

        Assert.True(result.Code == 0, result.Err);
        var bytes = File.ReadAllBytes(output);
        if (ext == "png")
        {
            int Read(int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            Assert.Equal((640, 360), (Read(16), Read(20)));
        }
        else
        {
            Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(bytes));
        }
    }

    [Fact]
    public void Chart_WithTopic_DrawsOnlyThatTopic_AndSaysWhatItCannotDraw()
    {
        using var tmp = new TempDir();
        string Chart(string name) => Path.Combine(tmp.Path, name);
        var all = Run.Cli(imported.Db, "chart", "overview/topics", "--out", Chart("all.svg"), "--from", "2025-02-10", "--to", "2025-02-14", "--grain", "day");
        var one = Run.Cli(imported.Db, "chart", "overview/topics", "--out", Chart("one.svg"), "--from", "2025-02-10", "--to", "2025-02-14", "--grain", "day", "--topic", "agents");

        Assert.True(all.Code == 0 && one.Code == 0, all.Err + one.Err);
        Assert.Contains("Long context", File.ReadAllText(Chart("all.svg")));
        var drawn = File.ReadAllText(Chart("one.svg"));
        Assert.Contains("Agents", drawn);
        Assert.DoesNotContain("Long context", drawn);
        int Rows(string output) => int.Parse(System.Text.RegularExpressions.Regex.Match(output, @"(\d+) rows").Groups[1].Value);
        Assert.InRange(Rows(one.Out), 1, Rows(all.Out) - 1);

        var unknown = Run.Cli(imported.Db, "chart", "overview/topics", "--out", Chart("x.png"), "--topic", "Cooking");
        Assert.Equal(1, unknown.Code);
        Assert.Contains("no topic 'Cooking'", unknown.Err);
        var otherKind = Run.Cli(imported.Db, "chart", "models/families", "--out", Chart("x.png"), "--topic", "Agents");
        Assert.Equal(2, otherKind.Code);
        Assert.Contains("--topic picks the series of a panel of topics, and models/families is not one", otherKind.Err);
        Assert.Equal(2, Run.Cli(imported.Db, "chart", "overview/topics", "--out", Chart("x.png"), "--topic", "Agents", "--family", "Qwen").Code);
        Assert.False(File.Exists(Chart("x.png")));
    }

    [Fact]
    public void Export_WritesOneCompositePngOfTheDashboard()
    {
        using var tmp = new TempDir();
        var output = Path.Combine(tmp.Path, "overview.png");

        var result = Run.Cli(imported.Db, "export", "overview", "--out", output, "--grain", "day");

        Assert.True(result.Code == 0, result.Err);
        var bytes = File.ReadAllBytes(output);
        int Read(int at) => (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
        // Five panels, two to a row: three rows of 420 px plus header, footer and margins.
        Assert.Equal(24 * 3 + 900 * 2, Read(16));
        Assert.Equal(70 + 40 + 24 * 4 + 420 * 3, Read(20));
    }

    [Fact]
    public void ChartAndExport_AtScale2_HaveTwiceThePixels_AndAreNotBlank()
    {
        using var tmp = new TempDir();
        var chart = Path.Combine(tmp.Path, "families.png");
        var export = Path.Combine(tmp.Path, "overview.png");

        Assert.Equal(0, Run.Cli(imported.Db, "chart", "overview/families", "--out", chart, "--scale", "2").Code);
        Assert.Equal(0, Run.Cli(imported.Db, "export", "overview", "--out", export, "--scale", "2").Code);
        var tooBig = Run.Cli(imported.Db, "chart", "overview/families", "--out", chart, "--scale", "5");

        using (var bitmap = SkiaSharp.SKBitmap.Decode(chart)) Assert.Equal((1800, 840), (bitmap.Width, bitmap.Height));
        using (var bitmap = SkiaSharp.SKBitmap.Decode(export))
        {
            Assert.Equal((2 * (24 * 3 + 900 * 2), 2 * (70 + 40 + 24 * 4 + 420 * 3)), (bitmap.Width, bitmap.Height));
            // The panels are drawn at full resolution, not blown up: a row of the family chart has fine detail.
            var distinct = Enumerable.Range(0, bitmap.Width).Select(x => bitmap.GetPixel(x, 2 * 200)).Distinct().Count();
            Assert.True(distinct > 20, $"{distinct} colours across a row");
        }
        Assert.Equal(2, tooBig.Code);
        Assert.Contains("--scale must be from 1 to 4", tooBig.Err);
    }
}
