using System.Text.Json;
using TrendLens.Storage;

namespace TrendLens.Tests;

/// <summary>
/// One key per concept, learned across papers, and names resolved the way tags are made: on small
/// lists written here, through the real command line and real DuckDB files.
/// </summary>
public class KeyphraseTests
{
    private static readonly DateOnly Monday = new(2025, 2, 10);

    private static string Entry(DateOnly date, int rank, string id, string title, string summary, params string[] keywords) =>
        JsonSerializer.Serialize(new
        {
            date = date.ToString("yyyy-MM-dd"), rank, id, title, summary, upvotes = 10 - rank, authors = new[] { "A. Author" },
            ai_keywords = keywords.Length == 0 ? null : keywords,
        });

    /// <summary>Writes one hf-jsonl file per day; returns the folder.</summary>
    private static string Lists(TempDir tmp, string folder, params (DateOnly Date, string[] Entries)[] days)
    {
        foreach (var (date, entries) in days)
            tmp.File($"{folder}/{date:yyyy-MM-dd}.jsonl", string.Join('\n', entries) + "\n");
        return Path.Combine(tmp.Path, folder);
    }

    private static (DateOnly, string[]) DayOne => (Monday, [
        Entry(Monday, 1, "2502.10001", "Thinking step by step", "We prompt with Chain-of-Thought (CoT) reasoning steps and a latent world model."),
        Entry(Monday, 2, "2502.10002", "Prompting large models", "Chain-of-thought (CoT) prompting improves large language models (LLMs) and latent world models."),
        Entry(Monday, 3, "2502.10003", "Faithful reasoning", "We study CoT faithfulness with a latent world model of the task."),
        Entry(Monday, 4, "2502.10004", "Long traces", "Chain-of-thought traces are long; Qwen3 and QWEN3-8B baselines agree."),
        Entry(Monday, 5, "2502.10005", "A Text-to-Image model", "A Text-to-Image model gives High-Quality outputs, unlike Qwen3."),
    ]);

    /// <summary>Two of day one's papers (those naming Qwen3) listed again, unchanged: a day without a new paper.</summary>
    private static (DateOnly, string[]) DayThree => (Monday.AddDays(2), [.. DayOne.Item2.Skip(3).Select(e => e.Replace(Monday.ToString("yyyy-MM-dd"), Monday.AddDays(2).ToString("yyyy-MM-dd")))]);

    private static (DateOnly, string[]) DayTwo => (Monday.AddDays(1), [
        Entry(Monday.AddDays(1), 1, "2502.11001", "Images from words", "text-to-image generation of high-quality images."),
        Entry(Monday.AddDays(1), 2, "2502.11002", "Planning in latent space", "Latent world models plan; a chain-of-thought critic helps."),
        Entry(Monday.AddDays(1), 3, "2502.11003", "Code", "A language model for code."),
        Entry(Monday.AddDays(1), 4, "2502.11004", "Charts", "A vision model for charts."),
    ]);

    private static string Csv(CliResult result)
    {
        Assert.True(result.Code == 0, result.Err);
        return result.Out;
    }

    /// <summary>`query papers --term` as CSV: the papers a typed name resolves to.</summary>
    private static string PapersOf(TempDir tmp, string term) => Csv(Run.Cli(tmp.Db, "query", "papers", "--term", term, "--format", "csv"));

    /// <summary>Reinforcement learning written out and as "RL" (all capitals, so kept as written), and "RL" inside "RLHF".</summary>
    private static (DateOnly, string[]) DayFour => (Monday.AddDays(3), [
        Entry(Monday.AddDays(3), 1, "2502.13001", "Rewards", "We train with reinforcement learning (RL) from verifiable rewards."),
        Entry(Monday.AddDays(3), 2, "2502.13002", "Policies", "Reinforcement learning (RL) improves text-to-image policies; RL is sample hungry."),
        Entry(Monday.AddDays(3), 3, "2502.13003", "Feedback", "RLHF aligns Chain-of-Thought models."),
        Entry(Monday.AddDays(3), 4, "2502.13004", "Agents", "An RL agent plays games."),
    ]);

    [Fact]
    public void ThePapersOfANamedTerm_AreThoseItsTags_Say()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo, DayFour));
        using var connection = new Database(tmp.Db).Open();
        var concepts = connection.Rows("select distinct tag from paper_tags where kind = 'term' order by tag", r => r.GetString(0));
        List<string> Papers(string sql, string name) =>
            [.. connection.Rows(sql, r => r.GetString(0), ("name", name)).Order(StringComparer.Ordinal)];

        // term_papers (sql/schema/035) keys only the window's papers whose text can hold the name; every concept must
        // still get all of its papers, over every day and over one day.
        const string always = "select paper_id from term_papers($name, date '1900-01-01', date '9999-12-31', '')";
        var differ = concepts.Where(c =>
            !Papers("select distinct paper_id from paper_tags where kind = 'term' and tag = $name", c)
                .SequenceEqual(Papers(always, c))).ToList();
        var dayFour = $"date '{Monday.AddDays(3):yyyy-MM-dd}'";
        var differOnDayFour = concepts.Where(c =>
            !Papers($"select distinct paper_id from paper_tags where kind = 'term' and tag = $name and paper_id in (select paper_id from current_listings where list_date = {dayFour})", c)
                .SequenceEqual(Papers($"select paper_id from term_papers($name, {dayFour}, {dayFour}, 'hf-daily')", c))).ToList();

        Assert.True(concepts.Count > 100, $"{concepts.Count} concepts");
        Assert.Empty(differ);
        Assert.Empty(differOnDayFour);
        Assert.NotEmpty(Papers($"select paper_id from term_papers($name, {dayFour}, {dayFour}, 'hf-daily')", "RL"));
        Assert.Empty(Papers($"select paper_id from term_papers($name, {dayFour}, {dayFour}, 'arxiv')", "RL"));
        // "RL" and "reinforcement learning" are one concept, named by the acronym three papers write: the paper
        // that says only "RL" counts under it, by the key in capitals; "RLHF" alone does not.
        Assert.Equal(["RL"], connection.Rows("select concept from term_concepts where key = 'reinforcement learning'", r => r.GetString(0)));
        Assert.Equal(["2502.13001", "2502.13002", "2502.13004"], Papers(always, "RL"));
        var listed = PapersOf(tmp, "RL");
        Assert.Equal(4, listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and three papers
    }

    [Fact]
    public void AnAcronymThatPapersDefine_IsOneConceptWithItsLongForm()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo));

        var byAcronym = PapersOf(tmp, "CoT");
        var byLongForm = PapersOf(tmp, "chain of thought");
        var shares = Csv(Run.Cli(tmp.Db, "query", "terms", "--term", "cot", "--term", "Chain-of-Thought", "--grain", "week", "--format", "csv"));

        Assert.Equal(byAcronym, byLongForm);
        Assert.Equal(6, byAcronym.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and five papers
        // One series, shown by its most used form (four papers write chain-of-thought, three CoT), counting each paper once.
        Assert.Equal("period,term,papers,share\n2025-02-10,chain-of-thought,5,0.5555555555555556\n", shares);
    }

    [Fact]
    public void AnAcronymThatStartsWithADimension_IsOneConceptWithItsLongForm()
    {
        using var tmp = new TempDir();
        var day = Monday.AddDays(4);
        // "3D" is one initial of "3DGS"; "480p" and "7B" stay no acronyms of what comes before them.
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", (day, [
            Entry(day, 1, "2502.14001", "Fast scenes", "We render with 3D Gaussian Splatting (3DGS) at high frame rates."),
            Entry(day, 2, "2502.14002", "Sparse views", "3D Gaussian Splatting (3DGS) needs many views; we need few."),
            Entry(day, 3, "2502.14003", "Editing", "We edit 3DGS scenes with text."),
            Entry(day, 4, "2502.14004", "Meshes", "Meshes from 3D Gaussian Splatting keep detail in video at Low Resolution (480p)."),
        ])));

        var byAcronym = PapersOf(tmp, "3DGS");
        var byLongForm = PapersOf(tmp, "3D gaussian splatting");

        Assert.Equal(byLongForm, byAcronym);
        Assert.Equal(5, byAcronym.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and four papers
        Assert.Equal(1, Run.Scalar<long>(tmp.Db, "select count(*) from term_concepts where reason = 'acronym' and key in ('3dgs', '3d gaussian splatting')"));
    }

    [Fact]
    public void APhraseThatSaysAnAcronym_IsThePhraseThatSaysItsLongForm()
    {
        using var tmp = new TempDir();
        var day = Monday.AddDays(4);
        // Day one defines CoT as chain-of-thought in two papers; these say it inside a longer phrase.
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo, (day, [
            Entry(day, 1, "2502.14001", "Thinking longer", "Long CoT helps math."),
            Entry(day, 2, "2502.14002", "Distilling traces", "We distill long chain-of-thought data."),
            Entry(day, 3, "2502.14003", "Short traces", "A short CoT suffices."),
        ])));

        var byAcronym = PapersOf(tmp, "long CoT");
        var byLongForm = PapersOf(tmp, "long chain-of-thought");

        Assert.Equal(byAcronym, byLongForm);
        Assert.Equal(3, byAcronym.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and two papers
        Assert.Equal(1, Run.Scalar<long>(tmp.Db, "select count(*) from term_concepts where key in ('long cot', 'long chain of thought') and reason = 'acronym'"));
        // No paper writes "short chain-of-thought": the phrase stays as written.
        Assert.Equal(0, Run.Scalar<long>(tmp.Db, "select count(*) from term_concepts where key = 'short cot'"));
    }

    [Fact]
    public void AModelAfterItsMakersName_IsThatModel()
    {
        using var tmp = new TempDir();
        var day = Monday.AddDays(4);
        // o1 and o3 are OpenAI's (dashboards/model-families.json); "OpenAI" before them names the maker.
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", (day, [
            Entry(day, 1, "2502.14001", "Reasoning models", "We compare OpenAI o1 with o3 on math."),
            Entry(day, 2, "2502.14002", "Slow thinking", "Models like o1 think before they answer."),
            Entry(day, 3, "2502.14003", "Budgets", "OpenAI o1 spends many tokens; so does o1 elsewhere."),
            Entry(day, 4, "2502.14004", "Other makers", "OpenAI codex and Google search are no models of a family."),
        ])));

        var byMaker = PapersOf(tmp, "OpenAI o1");
        var byModel = PapersOf(tmp, "o1");

        Assert.Equal(byModel, byMaker);
        Assert.Equal(4, byModel.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header and three papers
        Assert.Equal(["openai o1"], Run.Rows<string>(tmp.Db, "select key from term_concepts where reason = 'organization' order by key"));
    }

    [Fact]
    public void AQuantityIsNoName_ButADimensionedAcronymIs()
    {
        using var tmp = new TempDir();
        var day = Monday.AddDays(4);
        // Without ai_keywords to judge by, one word of letters and digits is a name when it starts
        // with a letter or a dimension ("4DGS"), not when it is a quantity ("480p", "1st").
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", (day, [
            Entry(day, 1, "2502.14001", "Dynamic scenes", "We render videos at 480p with 4DGS and win 1st place with Octo2."),
            Entry(day, 2, "2502.14002", "Fast scenes", "Frames at 480p come from 4DGS; we rank 1st beside Octo2."),
        ])));

        var keyphrase = Run.Rows<string>(tmp.Db, "select concept from term_stats where keyphrase and concept in ('480p', '1st', '4dgs', 'octo2') order by concept");

        Assert.Equal(["4dgs", "octo2"], keyphrase);
    }

    [Fact]
    public void CaseHyphenAndPluralVariants_AreOneKey_ShownByTheMostUsedForm()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo));

        var qwen = new[] { "Qwen3", "qwen3", "QWEN3" }.Select(t => Csv(Run.Cli(tmp.Db, "query", "terms", "--term", t, "--grain", "week", "--format", "csv"))).ToList();
        var image = Csv(Run.Cli(tmp.Db, "query", "terms", "--term", "text to image", "--term", "HIGH-QUALITY", "--grain", "week", "--format", "csv"));

        Assert.All(qwen, q => Assert.Equal(qwen[0], q));
        Assert.Contains("2025-02-10,Qwen3,2,", qwen[0]);
        Assert.Contains("2025-02-10,text-to-image,2,", image);
        Assert.Contains("2025-02-10,high-quality,2,", image);
    }

    [Fact]
    public void APhraseMostlyInsideALongerOne_IsThatConcept()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo));

        var fragment = Csv(Run.Cli(tmp.Db, "query", "terms", "--term", "latent world", "--grain", "week", "--format", "csv"));

        Assert.Equal("period,term,papers,share\n2025-02-10,latent world model,4,0.4444444444444444\n", fragment);
        Assert.Equal("part_of", Run.Scalar<string>(tmp.Db, "select reason from term_concepts where key = 'latent world'"));
    }

    [Theory]
    [InlineData("terms", "--term", "latnet world modle", "no keyword 'latnet world modle' in the stored lists; nearest: latent world model")]
    [InlineData("models", "--family", "Qwne", "no model family 'Qwne' in model-families.json or the stored tags; nearest: Qwen")]
    [InlineData("topics", "--topic", "Reasoningg", "no topic 'Reasoningg' in topics.json or the stored tags; nearest: Reasoning")]
    [InlineData("models", "--family", "NoSuch", "no model family 'NoSuch' in model-families.json or the stored tags; none is close to that name")]
    [InlineData("topics", "--topic", "Nope", "no topic 'Nope' in topics.json or the stored tags; none is close to that name")]
    public void ANameThatResolvesToNothing_IsAnErrorWithTheNearestNames(string query, string option, string name, string message)
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo));

        var result = Run.Cli(tmp.Db, "query", query, option, name);
        var papers = Run.Cli(tmp.Db, "query", "papers", option, name);

        Assert.Equal(1, result.Code);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"trendlens: {message}", result.Err);
        Assert.Equal((1, ""), (papers.Code, papers.Out));
    }

    [Fact]
    public void AFamilyNamedByAnAlias_OrInAnyCase_IsThatFamily()
    {
        using var tmp = new TempDir();
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", DayOne, DayTwo));

        var canonical = Csv(Run.Cli(tmp.Db, "query", "models", "--family", "Qwen", "--grain", "week", "--format", "csv"));

        Assert.Contains("2025-02-10,Qwen,2,", canonical);
        Assert.Equal(canonical, Csv(Run.Cli(tmp.Db, "query", "models", "--family", "qwen", "--grain", "week", "--format", "csv")));
    }

    /// <summary>Which keys are one concept is learned from all papers; importing day by day must end where a retag of everything does.</summary>
    [Fact]
    public void ConceptsAndCounts_AfterImportsDayByDay_EqualAFreshImportAndARetag()
    {
        using var tmp = new TempDir();
        var one = Lists(tmp, "one", DayOne);
        var two = Lists(tmp, "two", DayTwo);
        var three = Lists(tmp, "three", DayThree);
        var all = Lists(tmp, "all", DayOne, DayTwo, DayThree);
        var (stepwise, fresh) = (Path.Combine(tmp.Path, "stepwise.duckdb"), Path.Combine(tmp.Path, "fresh.duckdb"));
        const string derived = """
            select 'concept', key, concept from term_concepts
            union all select 'stats', concept, display || '|' || papers || '|' || keyphrase from term_stats where papers > 1
            union all select 'daily', g.tag, d.list_date || '|' || d.papers from tag_daily d join tags g using (kind, tag_id) where d.kind = 'term'
            union all select 'keyphrase', tag, display || '|' || tag_id from keyphrase_tags
            union all select 'keyphrase_daily', tag_id::varchar, source || '|' || list_date || '|' || papers from keyphrase_daily
            order by all
            """;

        Run.Cli(stepwise, "import", one);
        Csv(Run.Cli(stepwise, "query", "terms", "--format", "csv"));
        Run.Cli(stepwise, "import", two);
        Csv(Run.Cli(stepwise, "query", "terms", "--format", "csv"));
        var learned = Run.Scalar<long>(stepwise, "select learned_papers from rollup_state");
        Run.Cli(stepwise, "import", three); // no new paper: rolled up with the keyphrases at hand
        Csv(Run.Cli(stepwise, "query", "terms", "--format", "csv"));
        Assert.Equal(learned, Run.Scalar<long>(stepwise, "select learned_papers from rollup_state"));
        var dayByDay = Run.Rows<(string, string, string)>(stepwise, derived);
        Run.Cli(fresh, "import", all);
        Csv(Run.Cli(fresh, "query", "terms", "--format", "csv"));
        Assert.Equal(0, Run.Cli(stepwise, "retag").Code);
        Csv(Run.Cli(stepwise, "query", "terms", "--format", "csv"));

        Assert.Contains(dayByDay, r => r.Item1 == "concept" && r.Item2 == "cot");
        // The keyphrases' tags that keyphrase reads join are term_stats' keyphrases, under their tag ids.
        const string keyphraseTags = "select tag, display, tag_id::varchar from keyphrase_tags order by all";
        const string keyphraseStats = "select concept, display, hash('term', concept)::varchar from term_stats where keyphrase order by all";
        Assert.NotEmpty(Run.Rows<(string, string, string)>(stepwise, keyphraseTags));
        Assert.Equal(Run.Rows<(string, string, string)>(stepwise, keyphraseStats), Run.Rows<(string, string, string)>(stepwise, keyphraseTags));
        // keyphrase_daily is tag_daily's rows of those keyphrases, on every day.
        const string keyphraseDaily = "select tag_id::varchar, source, list_date || '|' || papers from keyphrase_daily order by all";
        const string keyphraseRowsOfTagDaily = "select tag_id::varchar, source, list_date || '|' || papers from tag_daily where kind = 'term' and tag_id in (select tag_id from keyphrase_tags) order by all";
        Assert.Contains(Run.Rows<(string, string, string)>(stepwise, keyphraseDaily), r => r.Item3.StartsWith(Monday.AddDays(2).ToString("yyyy-MM-dd"), StringComparison.Ordinal));
        Assert.Equal(Run.Rows<(string, string, string)>(stepwise, keyphraseRowsOfTagDaily), Run.Rows<(string, string, string)>(stepwise, keyphraseDaily));
        Assert.Equal(dayByDay, Run.Rows<(string, string, string)>(fresh, derived));
        Assert.Equal(dayByDay, Run.Rows<(string, string, string)>(stepwise, derived));
    }

    [Fact]
    public void EmergingVersions_ListANewModelOnTwoPapers_WithItsFamily()
    {
        using var tmp = new TempDir();
        var days = new List<(DateOnly, string[])>();
        var serial = 0;
        for (var date = Monday.AddDays(-91); date < Monday; date = date.AddDays(1))
        {
            if (date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            days.Add((date, Enumerable.Range(1, 4).Select(r =>
                Entry(date, r, $"2501.{++serial:00000}", $"Study {serial}", r == 1 ? "We compare with GPT-4o on agents." : "A transformer for tables.")).ToArray()));
        }
        days.Add((Monday, [Entry(Monday, 1, "2502.20001", "GPT-7 arrives", "We evaluate GPT-7 and GPT-4o on math."), Entry(Monday, 2, "2502.20002", "Tables", "A transformer for tables.")]));
        days.Add((Monday.AddDays(2), [Entry(Monday.AddDays(2), 1, "2502.20003", "Agents", "GPT-7-mini and GPT-7 agents plan."), Entry(Monday.AddDays(2), 2, "2502.20004", "More tables", "A transformer for tables.")]));
        Run.Cli(tmp.Db, "import", Lists(tmp, "lists", [.. days]));

        var versions = Csv(Run.Cli(tmp.Db, "query", "emerging", "--of", "versions", "--from", "2025-02-10", "--to", "2025-02-14", "--format", "csv"));
        var lines = versions.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("term,score,papers,baseline_papers,first_seen,family", lines[0]);
        Assert.StartsWith("GPT-7,", Assert.Single(lines, l => l.StartsWith("GPT-7,")));
        Assert.EndsWith(",2,0,2025-02-10,GPT", lines.Single(l => l.StartsWith("GPT-7,")));
        Assert.DoesNotContain(lines, l => l.StartsWith("GPT-4o,"));
    }
}
