using System.Text;
using System.Text.Json;
using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>The topic reader (dashboards/topic-reader.json): how it weighs in, how it is trained, read and checked.</summary>
public class TopicReaderTests
{
    private const string Robotics = "Robotics and vision-language-action";
    private const string Speech = "Speech and audio";

    private static readonly string[] LexiconOrder = Lexicons.Load(Lexicons.FindDirectory()).Topics.Topics.Select(t => t.Name).ToArray();

    /// <summary>A reader that knows one word, "gripper", for Robotics; its weight and bias set the probability.</summary>
    private static TopicReader Reader(double weight, double bias) => new(new TopicReaderFile
    {
        Threshold = 0.65,
        RuleWeight = 0.2,
        MinKnown = 1,
        Idf = new() { ["gripper"] = 1.0 },
        Topics = [new TopicReaderTopic { Name = Robotics, Bias = bias, Weights = new() { ["gripper"] = weight } }],
    });

    [Fact]
    public void AProbabilityAtTheThreshold_GivesTheTopic_WithoutTheRules()
    {
        // One word of unit length: z = weight + bias = 3, p = 0.95.
        var reader = Reader(weight: 5, bias: -2);

        Assert.Equal([Robotics], reader.Decide("A gripper", "", [], LexiconOrder));
        Assert.Empty(reader.Decide("Nothing here", "", [], LexiconOrder));
    }

    [Fact]
    public void BetweenThresholdLessRuleWeightAndThreshold_OnlyTheRulesTogetherWithTheReaderGiveTheTopic()
    {
        // z = 0, p = 0.5: below 0.65, above 0.65 - 0.2.
        var reader = Reader(weight: 2, bias: -2);
        var p = new double[1];
        reader.Probabilities("A gripper", "", p);
        Assert.Equal(0.5, p[0], 6);

        Assert.Empty(reader.Decide("A gripper", "", [], LexiconOrder));
        Assert.Equal([Robotics], reader.Decide("A gripper", "", [Robotics], LexiconOrder));
    }

    [Fact]
    public void ALowProbability_OverrulesTheRules_AndATopicTheReaderDoesNotKnowIsTheRules()
    {
        var reader = new TopicReader(new TopicReaderFile
        {
            MinKnown = 1,
            Idf = new() { ["gripper"] = 1.0, ["tomato"] = 1.0 },
            Topics = [new TopicReaderTopic { Name = Robotics, Bias = -2, Weights = new() { ["gripper"] = 2 } }],
        });

        // p = σ(-2) = 0.12 < 0.45: the rules' Robotics goes; Speech, unknown to the reader, stays.
        Assert.Equal([Speech], reader.Decide("A tomato", "", [Robotics, Speech], LexiconOrder));
    }

    [Fact]
    public void AText_TheReaderKnowsTooLittleOf_IsTheRules()
    {
        var reader = new TopicReader(new TopicReaderFile
        {
            MinKnown = 2,
            Idf = new() { ["gripper"] = 1.0, ["tomato"] = 1.0 },
            Topics = [new TopicReaderTopic { Name = Robotics, Bias = 5, Weights = new() { ["gripper"] = 1 } }],
        });
        var p = new double[1];

        // One word known of two needed: the reader does not judge, whatever it would say.
        Assert.False(reader.Probabilities("A gripper", "zzz qqq", p));
        Assert.Equal([Speech], reader.Decide("A gripper", "zzz qqq", [Speech], LexiconOrder));
        Assert.True(reader.Probabilities("A gripper", "and a tomato", p));
        Assert.Equal([Speech, Robotics], reader.Decide("A gripper", "and a tomato", [Speech], LexiconOrder)); // in the lexicon's order
    }

    [Fact]
    public void Probabilities_ReadWordsAndPairs_CaseFolded_TitleThreeTimes_StopWordsLeftOut()
    {
        var reader = new TopicReader(new TopicReaderFile
        {
            MinKnown = 1,
            Idf = new() { ["robot"] = 1.0, ["robot arm"] = 1.0 },
            Topics = [new TopicReaderTopic { Name = Robotics, Bias = 0, Weights = new() { ["robot arm"] = 1.0 } }],
        });

        // "the" is a stop word, so "robot the arm" holds the pair "robot arm".
        var (p, reasons) = reader.Explain("", "Robot the ARM", Robotics);
        // Both features once: the pair's value is 1/√2 of unit length.
        Assert.Equal(1 / (1 + Math.Exp(-1 / Math.Sqrt(2))), p, 9);
        Assert.Equal("robot arm", Assert.Single(reasons).Feature);

        // In the title: three times as often, (1 + ln 3) for each, the same unit vector.
        Assert.Equal(p, reader.Explain("Robot arm", "", Robotics).Probability, 9);
        // A pair never spans the title and the abstract.
        Assert.Equal(0.5, reader.Explain("robot", "arm", Robotics).Probability, 9);
    }

    [Fact]
    public void Probabilities_AgreeWithExplain_OnOrdinaryText()
    {
        var file = TopicReader.Train(Corpus(), LexiconOrder, "test", minTopicPapers: 3);
        var reader = new TopicReader(file with { MinKnown = 1 });
        var p = new double[reader.Topics.Count];
        foreach (var (title, text) in new[] { ("Tool-using agents", "An LLM agent calls tools. Ünïcode wörds, 3D, x—y."), ("", ""), ("Speech", "speech speech speech") })
        {
            var read = reader.Probabilities(title, text, p);
            foreach (var topic in reader.Topics)
                Assert.Equal(read ? p[reader.IndexOf(topic)] : double.NaN, reader.Explain(title, text, topic).Probability, 9);
        }
    }

    [Fact]
    public void Probabilities_FromTheTaggersTokens_AreThoseOfTheText()
    {
        // The tagger hands the reader its tokens, whose words are scanned once per thread: the
        // reader must read the same words and pairs as from the text, however the tokenizer joins them.
        var lexicons = Lexicons.Load(Lexicons.FindDirectory());
        var reader = lexicons.Reader!;
        var words = new WordTable(lexicons.Version, new FamilyMatcher(lexicons.Families), new TopicMatcher(lexicons.Topics).Keys);
        var (fromText, fromTokens) = (new double[reader.Topics.Count], new double[reader.Topics.Count]);
        var texts = new[]
        {
            ("Reward-model over-optimization in RLHF", "We study reward hacking of the policy's reward model (RM) in RLHF; the model's reward_model scores drift. GPT-3.5 and Llama-3.1-8B fine-tuned with DPO. We train large language models with reinforcement learning from human feedback and evaluate their reasoning on math benchmarks."),
            ("Vision‑language‑action models for robot manipulation", "A VLA policy maps camera images to gripper actions: pick-and-place, 2025 tasks, 3D scenes, x—y, Ünïcode wörds."),
            ("", "Speech recognition speech synthesis voice cloning; text-to-speech and speech-to-text in one model."),
            ("Reasoning", ""),
            ("A title", "supercalifragilisticexpialidociousreasoningmodelsthatarelong and reasoning models; state-of-the-art 10.5% gains."),
        };
        foreach (var (title, text) in texts)
        {
            var tokens = new List<Token>();
            var sentence = Tokenizer.Tokenize(title, words, tokens);
            var titleTokens = tokens.Count;
            tokens.Add(new Token(".", TokenKind.Punct, sentence));
            Tokenizer.Tokenize(text, words, tokens, sentence + 1);
            // Twice: the second time from the words' cached numbers.
            for (var pass = 0; pass < 2; pass++)
            {
                Assert.Equal(reader.Probabilities(title, text, fromText), reader.Probabilities(tokens, titleTokens, fromTokens));
                for (var t = 0; t < fromText.Length; t++) Assert.Equal(fromText[t], fromTokens[t], 12);
            }
        }
        Assert.True(reader.Probabilities(texts[0].Item1, texts[0].Item2, fromText)); // the reader read the first text, so it was compared
    }

    /// <summary>Twelve papers: six about agents (named in different words), six about speech.</summary>
    private static List<LabelledPaper> Corpus()
    {
        var papers = new List<LabelledPaper>();
        string[] agents = ["planner tool calls", "web navigation tool", "tool use planner", "multi-step tool planner", "browser tool navigation", "planner that calls a tool"];
        string[] speech = ["speech recognition", "spoken dialogue speech", "speech synthesis voice", "voice cloning speech", "speech translation", "voice speech model"];
        for (var i = 0; i < 6; i++)
        {
            papers.Add(new LabelledPaper($"2502.0600{i}", $"Paper {i}", $"We build a {agents[i]} system and test it.", new HashSet<string> { "Agents" }));
            papers.Add(new LabelledPaper($"2502.0610{i}", $"Paper {i + 6}", $"We build a {speech[i]} system and test it.", new HashSet<string> { Speech }));
        }
        return papers;
    }

    [Fact]
    public void ExplainTopic_GivesTheReadersProbabilityAndWords_AndThePhrasesOfTheRules()
    {
        var file = TopicReader.Train(Corpus(), LexiconOrder, "twelve papers", minTopicPapers: 3) with { MinKnown = 1 };
        var json = JsonSerializer.Serialize(file, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
        var tagger = new Tagger(Parse(json), TimeProvider.System);

        var agents = tagger.ExplainTopic("A planner for tool use agents", "The planner calls a tool, then another tool.", "Agents");
        Assert.NotNull(agents.Probability);
        Assert.True(agents.Probability > 0.5, $"{agents.Probability}");
        Assert.Contains("tool", agents.Words);
        Assert.Contains(agents.Phrases, p => p.InTitle > 0);
        Assert.Matches(@"^reader 0\.\d\d \([^)]*tool[^)]*\); phrases: .+ in the title", agents.Describe());

        // A topic the reader does not judge: the phrases alone.
        var math = tagger.ExplainTopic("Math word problems", "We solve math word problems.", "Math");
        Assert.Null(math.Probability);
        Assert.StartsWith("phrases: ", math.Describe());
        Assert.Equal("no phrase of the topic; the reader does not judge it", tagger.ExplainTopic("A tomato", "Red.", "Math").Describe());
    }

    [Fact]
    public void Train_LearnsTheTopicsFromTheWordsOfTheirPapers_AndIsDeterministic()
    {
        var file = TopicReader.Train(Corpus(), LexiconOrder, "twelve papers", minTopicPapers: 3);
        var reader = new TopicReader(file);

        Assert.Equal(["Agents", Speech], reader.Topics);
        Assert.Equal("twelve papers", file.TrainedOn);
        var p = new double[2];
        reader.Probabilities("A new planner", "The planner calls a tool.", p);
        Assert.True(p[reader.IndexOf("Agents")] > 0.65, $"agents {p[0]:0.00}");
        Assert.True(p[reader.IndexOf(Speech)] < 0.45, $"speech {p[1]:0.00}");
        // Words in fewer than three papers are not read; a topic's weights are ordered strongest first.
        Assert.DoesNotContain("navigation", file.Idf.Keys);
        Assert.Equal(file.Topics[0].Weights.Values.OrderByDescending(w => w), file.Topics[0].Weights.Values);
        Assert.Equal(JsonSerializer.Serialize(file), JsonSerializer.Serialize(TopicReader.Train(Corpus(), LexiconOrder, "twelve papers", minTopicPapers: 3)));
    }

    [Fact]
    public void Train_LeavesTopicsWithTooFewLabelledPapersToTheRules()
    {
        var papers = Corpus();
        papers[0] = papers[0] with { Topics = new HashSet<string> { "Agents", "Math" } };

        var file = TopicReader.Train(papers, LexiconOrder, "test", minTopicPapers: 3);

        Assert.DoesNotContain("Math", file.Topics.Select(t => t.Name));
        Assert.Empty(TopicReader.Train(papers, LexiconOrder, "test", minTopicPapers: 7).Topics);
    }

    private static byte[] Bytes(string path) => File.ReadAllBytes(Path.Combine(Lexicons.FindDirectory(), path));

    private static Lexicons Parse(string reader) =>
        Lexicons.Parse(Bytes(Lexicons.FamiliesFile), Bytes(Lexicons.TopicsFile), readerJson: Encoding.UTF8.GetBytes(reader), readerPath: "dir/topic-reader.json");

    [Theory]
    [InlineData("""{"idf":{"xy":1},"topics":[{"name":"Cooking","weights":{"xy":1}}]}""", "$.topics[0] (Cooking).name: 'Cooking' is not a topic of topics.json")]
    [InlineData("""{"idf":{"xy":1},"topics":[{"name":"Agents","weights":{"yz":1}}]}""", "$.topics[0] (Agents).weights: 'yz' is not in $.idf")]
    [InlineData("""{"threshold":0.5,"ruleWeight":0.5,"idf":{},"topics":[]}""", "$.ruleWeight: must be at least 0 and below the threshold (0.5)")]
    [InlineData("""{"threshold":1.5,"idf":{},"topics":[]}""", "$.threshold: must be between 0 and 1")]
    [InlineData("""{"idf":{"xy":-1},"topics":[]}""", "$.idf['xy']: must be a positive number")]
    [InlineData("""{"idf":{"three word pair":1},"topics":[]}""", "$.idf['three word pair']: not a word or a pair of words")]
    [InlineData("""{"idf":{"Upper":1},"topics":[]}""", "$.idf['Upper']: not a word or a pair of words")]
    [InlineData("""{"idf":{"2025":1},"topics":[]}""", "$.idf['2025']: not a word or a pair of words")]
    [InlineData("""{"idf":{},"topics":[],"extra":1}""", "dir/topic-reader.json")]
    [InlineData("""{"idf":{}""", "dir/topic-reader.json")]
    public void AReaderFileThatCannotBeUsed_IsAnErrorNamingTheFileAndTheField(string json, string expected)
    {
        var e = Assert.Throws<LexiconException>(() => Parse(json));

        Assert.StartsWith("dir/topic-reader.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void ARenamedTopic_KeepsItsReader_UnderTheOldNameAmongItsAliases()
    {
        var topics = Encoding.UTF8.GetString(Bytes(Lexicons.TopicsFile));
        Assert.Contains("{ \"name\": \"Agents\",", topics);
        var renamed = Encoding.UTF8.GetBytes(topics.Replace("{ \"name\": \"Agents\",", "{ \"name\": \"AI agents\", \"aliases\": [\"Agents\"],"));
        const string reader = """{"idf":{"xy":1},"topics":[{"name":"Agents","weights":{"xy":1}}]}""";

        var lexicons = Lexicons.Parse(Bytes(Lexicons.FamiliesFile), renamed, readerJson: Encoding.UTF8.GetBytes(reader), readerPath: "dir/topic-reader.json");
        var withoutAlias = Encoding.UTF8.GetBytes(topics.Replace("{ \"name\": \"Agents\",", "{ \"name\": \"AI agents\","));
        var e = Assert.Throws<LexiconException>(() =>
            Lexicons.Parse(Bytes(Lexicons.FamiliesFile), withoutAlias, readerJson: Encoding.UTF8.GetBytes(reader), readerPath: "dir/topic-reader.json"));

        Assert.Equal(["AI agents"], lexicons.Reader!.Topics);
        Assert.Contains("'Agents' is not a topic of topics.json, nor an alias of one", e.Message);
    }

    [Fact]
    public void TheReader_IsPartOfTheLexiconVersion_SoChangingItMakesTagsStale()
    {
        var one = Parse("""{"idf":{"xy":1},"topics":[{"name":"Agents","weights":{"xy":1}}]}""");
        var two = Parse("""{"idf":{"xy":1},"topics":[{"name":"Agents","weights":{"xy":2}}]}""");
        var none = Lexicons.Parse(Bytes(Lexicons.FamiliesFile), Bytes(Lexicons.TopicsFile));

        Assert.NotEqual(one.Version, two.Version);
        Assert.NotEqual(one.Version, none.Version);
        Assert.NotNull(one.Reader);
        Assert.Null(none.Reader);
    }

    [Fact]
    public void TrainTopics_TrainsFromTheDatabase_WritesTheReader_AndRetagUsesIt()
    {
        using var tmp = new TempDir();
        var lines = Corpus().Select((p, i) => JsonSerializer.Serialize(new { date = "2025-02-14", rank = i + 1, id = p.Id, title = p.Title, summary = p.Abstract, authors = Array.Empty<string>() }));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("lists/2025-02-14.jsonl", string.Join("\n", lines))).Code);
        var labels = tmp.File("labels.tsv", "# id, topics\n" + string.Join("\n", Corpus().Select(p => $"{p.Id}\t{string.Join(';', p.Topics)}")) + "\n");
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile, Lexicons.TopicsFile, Lexicons.KeyphrasesFile);
        // A reader file that no longer loads (a number alone is not a feature) is replaced, not in the way.
        File.WriteAllText(Path.Combine(dashboards, Lexicons.TopicReaderFileName), """{"idf":{"2025":1},"topics":[]}""");
        Assert.Equal(1, Run.Cli(tmp.Db, "--dashboards", dashboards, "retag").Code);

        var result = Run.Cli(tmp.Db, "--dashboards", dashboards, "train-topics", labels, "--min-papers", "3");

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("Trained the topic reader on 12 papers of 1 file(s): 2 topics", result.Out);
        var written = Lexicons.Load(dashboards);
        Assert.Equal(["Agents", Speech], written.Reader!.Topics);
        Assert.Equal(0, Run.Cli(tmp.Db, "--dashboards", dashboards, "retag").Code);
        Assert.Equal(written.Version, Run.Scalar<string>(tmp.Db, "select distinct lexicon_version from tag_state"));
    }

    [Fact]
    public void NamesTypedInAQuery_AreResolvedWithoutTheReader_WhichOnlyTaggingNeeds()
    {
        using var tmp = new TempDir();
        var lines = Corpus().Select((p, i) => JsonSerializer.Serialize(new { date = "2025-02-14", rank = i + 1, id = p.Id, title = p.Title, summary = p.Abstract, authors = Array.Empty<string>() }));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("lists/2025-02-14.jsonl", string.Join("\n", lines))).Code);
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile, Lexicons.TopicsFile, Lexicons.KeyphrasesFile);
        File.WriteAllText(Path.Combine(dashboards, Lexicons.TopicReaderFileName), """{"idf":{"2025":1},"topics":[]}""");

        // Tagging reads the reader and cannot go on without it...
        var retag = Run.Cli(tmp.Db, "--dashboards", dashboards, "retag");
        Assert.Equal(1, retag.Code);
        Assert.Contains(Lexicons.TopicReaderFileName, retag.Err);
        // ...but a topic or family typed in a query needs only the lexicons' names.
        var topic = Run.Scalar<string>(tmp.Db, "select topic from paper_topics group by topic order by count(*) desc, topic limit 1");
        var tagged = Run.Scalar<long>(tmp.Db, $"select count(distinct paper_id) from paper_topics where topic = '{topic}'");
        var papers = Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "papers", "--topic", topic.ToLowerInvariant(), "--format", "csv");
        Assert.True(papers.Code == 0, papers.Err);
        Assert.Equal(tagged, papers.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        var families = Run.Cli(tmp.Db, "--dashboards", dashboards, "query", "models", "--family", "Qwen", "--format", "csv");
        Assert.True(families.Code == 0, families.Err);
    }

    [Fact]
    public void TrainTopics_CrossValidate_ScoresEachFileByAReaderTrainedOutsideItsFold_AndWritesNothing()
    {
        using var tmp = new TempDir();
        var lines = Corpus().Select((p, i) => JsonSerializer.Serialize(new { date = "2025-02-14", rank = i + 1, id = p.Id, title = p.Title, summary = p.Abstract, authors = Array.Empty<string>() }));
        Assert.Equal(0, Run.Cli(tmp.Db, "import", tmp.File("lists/2025-02-14.jsonl", string.Join("\n", lines))).Code);
        // Three files of four papers, two of each topic: dealt into two folds, a reader learns from eight or four papers.
        var files = Corpus().Select((p, i) => (p, i)).GroupBy(x => x.i / 2 % 3)
            .Select(g => tmp.File($"labels-{g.Key}.tsv", string.Concat(g.Select(x => $"{x.p.Id}\t{string.Join(';', x.p.Topics)}\n")))).ToArray();
        var output = Path.Combine(tmp.Path, "reader.json");

        var result = Run.Cli(tmp.Db, ["train-topics", .. files, "--cross-validate", "--folds", "2", "--min-papers", "2", "--out", output]);

        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("2 folds", result.Out);
        foreach (var file in files) Assert.Matches($@"(?m)^{Path.GetFileName(file)} +4 ", result.Out);
        Assert.Matches(@"(?m)^all +12 ", result.Out);
        Assert.False(File.Exists(output));

        var one = Run.Cli(tmp.Db, "train-topics", files[0], "--cross-validate");
        Assert.Equal(1, one.Code);
        Assert.Contains("give two label files or more", one.Err);
        Assert.Equal(2, Run.Cli(tmp.Db, "train-topics", files[0], files[1], "--cross-validate", "--folds", "1").Code); // a usage error
        var foldsAlone = Run.Cli(tmp.Db, "train-topics", files[0], files[1], "--folds", "2", "--out", output);
        Assert.Equal(2, foldsAlone.Code);
        Assert.Contains("--folds applies only with --cross-validate", foldsAlone.Err);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("2502.01001\tCooking\n", "labels.tsv line 1: 'Cooking' is not a topic of topics.json")]
    [InlineData("2502.01001\tAgents\n2502.01001\tAgents\n", "labels.tsv line 2: paper 2502.01001 is labelled twice")]
    [InlineData("2502.01001 Agents\n", "labels.tsv line 1: expected 'paper id<TAB>topics")]
    [InlineData("nope\tAgents\n", "1 labelled paper(s) are not in the database (first: nope)")]
    public void TrainTopics_WithLabelsThatCannotBeUsed_FailsWithTheReason_AndWritesNothing(string labels, string expected)
    {
        using var tmp = new TempDir();
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Fixture.Path("hf-jsonl")).Code);
        var output = Path.Combine(tmp.Path, "reader.json");

        var result = Run.Cli(tmp.Db, "train-topics", tmp.File("labels.tsv", labels), "--out", output);

        Assert.Equal(1, result.Code);
        Assert.Contains(expected, result.Err);
        Assert.False(File.Exists(output));
    }
}
