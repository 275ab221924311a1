using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>The tricky cases of tagging, each on its own, with the shipped lexicons.</summary>
public class TaggingTests
{
    private static readonly Tagger Tagger = new(Lexicons.Load(Lexicons.FindDirectory()), TimeProvider.System);

    private static string[] Families(string text) =>
        Tagger.Tag("", text, null).Families.Select(f => f.Family).Order().ToArray();

    private static IReadOnlyDictionary<string, TermEvidence> Terms(string text, IReadOnlyList<string>? ai = null) =>
        Tagger.Tag("", text, ai).Terms;

    [Theory]
    [InlineData("We compare against GPT-4o and GPT-3.5-turbo.", "GPT")]
    [InlineData("Our model is fine-tuned from Qwen2.5-7B-Instruct.", "Qwen")]
    [InlineData("DeepSeek-R1 shows long chains of thought.", "DeepSeek")]
    [InlineData("Mixtral 8x7B routes tokens to experts.", "Mistral")]
    [InlineData("We build on LLaMA-2 and Llama-3.1-8B.", "Llama")]
    [InlineData("Features come from DINOv2 and SigLIP.", "CLIP,DINO")]
    [InlineData("A RoBERTa-BiLSTM classifier.", "BERT,LSTM")]
    [InlineData("We distill into DeepSeek-R1-Distill-Qwen-7B.", "DeepSeek,Qwen")]
    [InlineData("OpenAI's o1 and o3-mini reason at length.", "OpenAI o-series")]
    [InlineData("We evaluate GPT-o3 as a judge.", "OpenAI o-series")]
    [InlineData("Vision Transformers (ViTs) and diffusion transformers.", "Transformer")]
    public void Variants_RollUpToTheirFamily(string text, string expected) =>
        Assert.Equal(expected.Split(','), Families(text));

    [Fact]
    public void Lineage_RoBERTaCountsUnderBertWithItsOwnMemberName()
    {
        var mention = Assert.Single(Tagger.Tag("", "We fine-tune DeBERTa-v3 on the task.", null).Families);
        Assert.Equal(("BERT", "DeBERTa"), (mention.Family, mention.Member));
    }

    [Fact]
    public void Repetitions_CountOncePerPaper()
    {
        var families = Tagger.Tag("Qwen2 everywhere", "Qwen2 beats Qwen1.5; Qwen2-VL too. Qwen, Qwen, Qwen.", null).Families;
        Assert.Single(families);
    }

    [Theory]
    [InlineData("Claude Shannon founded information theory; we revisit his entropy.")]
    [InlineData("The Gemini constellation is visible in winter.")]
    [InlineData("We report the Phi coefficient between the two labels.")]
    [InlineData("A Falcon rocket launch from the SpaceX pad.")]
    [InlineData("The mistral wind shapes the coast; Mistral winds are strong.")]
    [InlineData("An Orca whale pod and a killer whale.")]
    [InlineData("The Alpaca is a domesticated animal related to the llama farm.")]
    [InlineData("Grokking: transformers generalize long after overfitting, a grokked network.")]
    [InlineData("Sharpness-aware minimization (SAM) flattens the loss landscape.")]
    [InlineData("The Mamba is a venomous snake.")]
    public void OrdinaryWords_AreNotModelMentions(string text) =>
        Assert.DoesNotContain(Families(text), f => f is "Claude" or "Gemini" or "Phi" or "Falcon" or "Mistral" or "Orca" or "Alpaca" or "Grok" or "SAM" or "Mamba");

    [Theory]
    [InlineData("We compare with Claude 3.5 Sonnet.", "Claude")]
    [InlineData("Gemini-1.5-Pro fails on this task.", "Gemini")]
    [InlineData("A planner based on Phi-3 Mini.", "Phi")]
    [InlineData("Falcon-40B is our baseline.", "Falcon")]
    [InlineData("Mamba-2 layers replace attention.", "Mamba")]
    [InlineData("Models like Mistral-7B improve.", "Mistral")]
    [InlineData("Orca 2 learns to reason.", "Orca")]
    public void AmbiguousNames_WithAVersion_Count(string text, string family) =>
        Assert.Contains(family, Families(text));

    [Theory]
    [InlineData("We query proprietary models such as GPT-4 and Claude.", "Claude")]
    [InlineData("Strong closed models, including Gemini and GPT-4o, still fail.", "Gemini")]
    [InlineData("The Mamba architecture scans sequences in linear time.", "Mamba")]
    [InlineData("We prompt SAM with boxes to segment objects.", "SAM")]
    [InlineData("The Whisper encoder transcribes speech.", "Whisper")]
    public void AmbiguousNames_WithACueNearby_Count(string text, string family) =>
        Assert.Contains(family, Families(text));

    [Theory]
    [InlineData("Open-Sora generates videos.", "Sora")]
    [InlineData("video-SALMONN-o1 reasons over audio-visual inputs.", "OpenAI o-series")]
    [InlineData("We train with LLaMA-Factory on our data.", "Llama")]
    [InlineData("Win rates on AlpacaEval 2.0 improve.", "Alpaca")]
    public void NamesBorrowedByOtherProjects_DoNotCount(string text, string family) =>
        Assert.DoesNotContain(family, Families(text));

    [Fact]
    public void Tokenizer_KeepsCompoundNamesWhole()
    {
        var words = Tokenizer.Tokenize("GPT-3.5, RoBERTa-BiLSTM and Llama-3.1-8B beat BERT4Rec (o1-preview's KV cache).")
            .Where(t => t.IsWord).Select(t => t.Text).ToArray();
        Assert.Equal(["GPT-3.5", "RoBERTa-BiLSTM", "and", "Llama-3.1-8B", "beat", "BERT4Rec", "o1-preview", "KV", "cache"], words);
    }

    [Fact]
    public void Terms_IncludeCompoundsTheirHyphenPartsAndPhrases()
    {
        var terms = Terms("A RoBERTa-BiLSTM model with a KV cache for test-time scaling.");
        Assert.Contains("RoBERTa-BiLSTM", terms.Keys);
        Assert.Contains("RoBERTa", terms.Keys);
        Assert.Contains("BiLSTM", terms.Keys);
        Assert.Contains("KV cache", terms.Keys);
        Assert.Contains("test-time scaling", terms.Keys);
        Assert.Contains("test", terms.Keys);
        Assert.DoesNotContain("with", terms.Keys);
        Assert.DoesNotContain("model with", terms.Keys);
    }

    [Theory]
    [InlineData("LLMs", "LLM")]
    [InlineData("VLMs", "VLM")]
    [InlineData("models", "model")]
    [InlineData("policies", "policy")]
    [InlineData("caches", "cache")]
    [InlineData("approaches", "approach")]
    [InlineData("analysis", "analysis")]
    [InlineData("robotics", "robotics")]
    [InlineData("Transformers", "transformer")]
    [InlineData("LoRA", "LoRA")]
    [InlineData("CLIP", "CLIP")]
    [InlineData("vision-language models", "vision-language model")]
    public void Fold_PluralsAndCase(string phrase, string key) => Assert.Equal(key, TrendLens.Tagging.Terms.Key(phrase));

    [Fact]
    public void Terms_PossessiveIsDropped()
    {
        Assert.Contains("model", Terms("The model's accuracy improves.").Keys);
        Assert.DoesNotContain("model's", Terms("The model's accuracy improves.").Keys);
    }

    [Theory]
    [InlineData("We use Low-Rank Adaptation (LoRA) to tune.", "low-rank adaptation", "LoRA")]
    [InlineData("Retrieval-Augmented Generation (RAG) helps.", "retrieval-augmented generation", "RAG")]
    [InlineData("A sparse Mixture-of-Experts (MoE) layer.", "mixture-of-expert", "MoE")]
    [InlineData("Large language models (LLMs) are everywhere.", "large language model", "LLM")]
    public void Terms_AcronymDefinition_KeepsBothFormsAndRecordsTheDefinition(string text, string longForm, string acronym)
    {
        var tags = Tagger.Tag("", text, null);
        Assert.Contains(acronym, tags.Terms.Keys);
        Assert.Contains(longForm, tags.Terms.Keys);
        Assert.Contains((acronym, longForm), tags.Definitions);
    }

    [Fact]
    public void Terms_AKeywordWrittenAsADefinition_IsTwoKeywordsAndADefinition()
    {
        var tags = Tagger.Tag("", "We train with group relative policy optimization and GRPO variants.", ["Group Relative Policy Optimization (GRPO)", "reward (R)"]);
        Assert.Equal(TermEvidence.TextAndAi, tags.Terms["GRPO"]);
        Assert.Equal(TermEvidence.TextAndAi, tags.Terms["group relative policy optimization"]);
        Assert.Contains(("GRPO", "group relative policy optimization"), tags.Definitions);
        // "R" is no acronym of "reward": the keyword is kept whole.
        Assert.DoesNotContain(tags.Definitions, d => d.Acronym == "R");
    }

    [Theory]
    [InlineData("We compare to Qwen2.5-VL-7B-Instruct and DeepSeek-R1-Distill-Qwen-7B.", "Qwen2.5-VL", "DeepSeek-R1")]
    [InlineData("Llama 3.1 8B and GPT-4o-2024-08-06 are baselines.", "Llama 3.1", "GPT-4o")]
    [InlineData("We release gpt-oss-120b results next to o3-mini.", "gpt-oss", "o3-mini")]
    [InlineData("Unlike Llama 4 Scout, Gemini 2.5 Pro reasons.", "Llama 4 Scout", "Gemini 2.5 Pro")]
    [InlineData("We train Kimi-VL-A3B-Thinking and Qwen3-30B-A3B.", "Kimi-VL", "Qwen3")]
    [InlineData("Baselines: Wan2.2-I2V-A14B and Gemma 3 E4B.", "Wan2.2", "Gemma 3")]
    [InlineData("Distilled into Qwen3-30A3B and Nemotron-Nano12B-v2.", "Qwen3", "Nemotron-Nano")]
    public void Versions_AreNamedAsWritten_WithoutSizesVariantsAndDates(string text, string first, string second)
    {
        var versions = Tagger.Tag("", text, null).Versions.Select(v => v.Version).ToList();
        Assert.Contains(first, versions);
        Assert.Contains(second, versions);
    }

    [Theory]
    [InlineData("We build on Qwen and LLaMA models.")]
    [InlineData("GPTs and Llama-based agents are compared.")]
    [InlineData("A Llama3B student learns from Qwen7B.")]
    public void Versions_AFamilyNameAloneIsNoVersion(string text)
    {
        var tags = Tagger.Tag("", text, null);
        Assert.NotEmpty(tags.Families);
        Assert.Empty(tags.Versions);
    }

    [Fact]
    public void Terms_AModelNamesPartThatStandsAlone_IsThatModel()
    {
        var terms = Terms("We distill DeepSeek-R1 into a small model; R1-style training and GPT-4o judges help. R1 wins.");
        Assert.DoesNotContain("r1", terms.Keys);
        Assert.DoesNotContain("4o", terms.Keys);
        Assert.Contains("DeepSeek-R1", terms.Keys);
        Assert.Contains("GPT-4o", terms.Keys);
    }

    [Fact]
    public void Terms_CountedOncePerPaper()
    {
        var terms = Terms("World models, world models and more world models.");
        Assert.Single(terms.Keys, k => k == "world model");
    }

    [Fact]
    public void Terms_AiKeywordsAreEvidenceNeverTheOnlySourceOfACountedTerm()
    {
        var terms = Terms("We study speculative decoding for chatbots.", ["speculative decoding", "quantum teleportation"]);
        Assert.Equal(TermEvidence.TextAndAi, terms["speculative decoding"]);
        Assert.Equal(TermEvidence.AiOnly, terms["quantum teleportation"]);
        Assert.Equal(TermEvidence.Text, terms["chatbot"]);
    }

    [Fact]
    public void Topics_IncludeAndExcludeRules()
    {
        var rag = Tagger.Tag("Retrieval-augmented generation for QA", "We improve RAG pipelines.", null).Topics;
        Assert.Contains("Retrieval-augmented generation", rag);

        var hate = Tagger.Tag("Hate speech detection", "We classify hate speech in posts.", null).Topics;
        Assert.DoesNotContain("Speech and audio", hate);

        var asr = Tagger.Tag("Robust speech recognition", "We improve speech recognition in noise.", null).Topics;
        Assert.Contains("Speech and audio", asr);
    }

    [Fact]
    public void Topics_FamiliesCanImplyATopic()
    {
        Assert.Contains("State-space models", Tagger.Tag("Vision Mamba", "A Mamba backbone for images with selective scans.", null).Topics);
    }

    [Fact]
    public void Lexicons_ShipEnoughFamiliesAndTopics()
    {
        var lexicons = Lexicons.Load(Lexicons.FindDirectory());
        Assert.True(lexicons.Families.Families.Count(f => f.Kind == "model") >= 30);
        Assert.Contains(lexicons.Families.Families, f => f.Kind == "architecture" && f.Name == "Transformer");
        Assert.True(lexicons.Topics.Topics.Count >= 25);
    }

    [Fact]
    public void Lexicon_UnknownField_IsAnErrorNamingFileAndField()
    {
        var families = """{ "genericCues": [], "families": [ { "name": "X", "kind": "model", "aliases": ["Xx"], "colour": "red" } ] }"""u8.ToArray();
        var topics = """{ "topics": [] }"""u8.ToArray();
        var e = Assert.Throws<LexiconException>(() => Lexicons.Parse(families, topics, "fam.json", "top.json"));
        Assert.Contains("fam.json", e.Message);
        Assert.Contains("colour", e.Message);
    }

    [Theory]
    [InlineData("""{ "topics": [ { "name": "A", "include": ["agent"], "include": ["agents"] } ] }""",
        "top.json at $.topics[0].include (line 1): 'include' is given twice")]
    [InlineData("""{ "topics": [ { "name": "A", "inclde": ["agent"] } ] }""",
        "top.json at $.topics[0].inclde (line 1): unknown field 'inclde'; the fields here are name, ")]
    [InlineData("""{ "topics": [ { "name": "A", "include": ["agent"], "threshold": "high" } ] }""",
        "top.json at $.topics[0].threshold (line 1): expected a number")]
    [InlineData("""{ "topics": [ { "name": "A", "include": "agent" } ] }""",
        "top.json at $.topics[0].include (line 1): expected a list ([ … ])")]
    [InlineData("""{ "topics": [ { "name": null, "include": ["agent"] } ] }""",
        "top.json at $.topics[0].name (line 1): must not be null")]
    [InlineData("  \n", "top.json at $ (line 2): the file is empty")]
    public void Lexicon_MistakesInAnEditedFile_AreSaidInTheFilesWords(string topics, string expected)
    {
        var families = """{ "genericCues": [], "families": [] }"""u8.ToArray();
        var e = Assert.Throws<LexiconException>(() => Lexicons.Parse(families, System.Text.Encoding.UTF8.GetBytes(topics), "fam.json", "top.json"));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain(".NET", e.Message);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void Lexicon_TopicTermWithStopWord_IsRejected()
    {
        var families = """{ "genericCues": [], "families": [] }"""u8.ToArray();
        var topics = """{ "topics": [ { "name": "MoE", "include": ["mixture of experts"] } ] }"""u8.ToArray();
        var e = Assert.Throws<LexiconException>(() => Lexicons.Parse(families, topics, "fam.json", "top.json"));
        Assert.Contains("top.json at $.topics[0] (MoE).include", e.Message);
    }

    [Fact]
    public void Lexicon_Version_ChangesWithContent()
    {
        var families = """{ "genericCues": [], "families": [] }"""u8.ToArray();
        var a = Lexicons.Parse(families, """{ "topics": [ { "name": "A", "include": ["agent"] } ] }"""u8.ToArray());
        var b = Lexicons.Parse(families, """{ "topics": [ { "name": "A", "include": ["agents"] } ] }"""u8.ToArray());
        Assert.NotEqual(a.Version, b.Version);
        // Comments, layout and a trailing comma are not content: the tags stay current.
        var c = Lexicons.Parse(families, """
            {
              // what the topics are
              "topics": [ { "name": "A",   "include": ["agent"], } ],
            }
            """u8.ToArray());
        Assert.Equal(a.Version, c.Version);
    }

    [Fact]
    public void Tag_SamePaper_SameTagsWhateverTheThreadTaggedBefore()
    {
        // Each tagging thread keeps a table of the words it has seen, per lexicon version; the
        // tags must not depend on it.
        const string title = "Low-Rank Adaptation (LoRA) for Qwen2.5 agents";
        const string text = "We apply low-rank adaptation (LoRA) to Qwen2.5-7B and GPT-4o with a KV cache, and "
            + "retrieval-augmented generation helps the agents; Claude Shannon would approve.";
        string[] ai = ["low-rank adaptation", "KV cache", "agents", "a keyword phrase that this abstract lacks"];
        var dir = Lexicons.FindDirectory();
        var families = File.ReadAllBytes(Path.Combine(dir, Lexicons.FamiliesFile));
        var topics = File.ReadAllBytes(Path.Combine(dir, Lexicons.TopicsFile));
        var other = new Tagger(Lexicons.Parse(families, [.. topics, (byte)'\n']), TimeProvider.System);
        Assert.NotEqual(Tagger.LexiconVersion, other.LexiconVersion);

        var fresh = OnNewThread(() => Tagger.Tag(title, text, ai));
        var after = OnNewThread(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                Tagger.Tag($"Paper {i} on LoRA", $"Agents {i} use adaptation and a KV-cache-{i} of Qwen{i}.", ["agents", $"word{i}"]);
                other.Tag("Another lexicon", "Low-Rank Adaptation (LoRA) again.", null);
            }
            return Tagger.Tag(title, text, ai);
        });

        Assert.Equal(fresh.Terms.OrderBy(t => t.Key, StringComparer.Ordinal), after.Terms.OrderBy(t => t.Key, StringComparer.Ordinal));
        Assert.Equal(fresh.Families, after.Families);
        Assert.Equal(fresh.Topics, after.Topics);
        Assert.Equal(fresh.Versions, after.Versions);
        Assert.Equal(fresh.Definitions, after.Definitions);
        Assert.Equal(TermEvidence.TextAndAi, fresh.Terms["low-rank adaptation"]);
        Assert.Equal(TermEvidence.Text, fresh.Terms["LoRA"]);
        Assert.Contains(("LoRA", "low-rank adaptation"), fresh.Definitions);
        Assert.Equal(TermEvidence.TextAndAi, fresh.Terms["KV cache"]);
        Assert.Equal(TermEvidence.AiOnly, fresh.Terms["a keyword phrase that this abstract lack"]);
        Assert.Equal(["GPT", "Qwen"], fresh.Families.Select(f => f.Family).Order());

        static PaperTags OnNewThread(Func<PaperTags> tag) => Task.Factory.StartNew(tag, TaskCreationOptions.LongRunning).Result;
    }

    [Fact]
    public void FamilyMatcher_CouldMatch_EveryAliasAndNotPlainWords()
    {
        var lexicon = Lexicons.Load(Lexicons.FindDirectory()).Families;
        var matcher = new FamilyMatcher(lexicon);
        foreach (var family in lexicon.Families)
            foreach (var alias in family.Aliases.Concat(family.Derived.SelectMany(d => d.Aliases)))
            {
                var words = alias.Split(' ');
                Assert.True(matcher.CouldMatch(words[0]), $"{family.Name}: {alias}");
                // Inside a compound only single-word aliases match.
                if (words.Length == 1) Assert.True(matcher.CouldMatch("x-" + alias + "-2"), $"{family.Name}: x-{alias}-2");
            }
        Assert.False(matcher.CouldMatch("whatever"));
        Assert.False(matcher.CouldMatch("training"));
    }
}

/// <summary>The rules of topics.json, without the topic reader (TopicReaderTests) weighing in.</summary>
public class TopicRuleTests
{
    private static readonly Tagger Tagger = new(Lexicons.Load(Lexicons.FindDirectory()).WithoutReader(), TimeProvider.System);

    private static IReadOnlyList<string> Topics(string title, string text) => Tagger.Tag(title, text, null).Topics;

    [Fact]
    public void APassingMentionOfAGenericWord_IsNoTopic_ButTheTopicsOwnPhrasesAre()
    {
        Assert.DoesNotContain("Safety and alignment", Topics("Better image captions", "We improve semantic alignment between image and text features for captioning."));
        Assert.DoesNotContain("Benchmarks and evaluation", Topics("Faster decoding", "We evaluate on standard benchmarks and report results on each benchmark."));
        Assert.Contains("Safety and alignment", Topics("Attacks on chat models", "We study jailbreak prompts; a jailbreak bypasses the safety guardrail of an LLM."));
        Assert.Contains("Benchmarks and evaluation", Topics("CodeArena: A Benchmark for Repository Agents", "We introduce CodeArena with 500 tasks."));
    }

    [Theory]
    [InlineData("Training small students without distillation", "We show that distillation is not needed: without distillation, the student matches the teacher.",
                "Training small students with distillation", "We show that distillation is needed: with distillation, the student matches the teacher.")]
    [InlineData("A distillation-free recipe", "Our distillation-free recipe needs no distillation loss.",
                "A distillation recipe", "Our distillation recipe needs a distillation loss.")]
    [InlineData("Small students", "We train the student without any knowledge distillation and use no distillation loss.",
                "Small students", "We train the student with knowledge distillation and use a distillation loss.")]
    public void ADeniedPhrase_IsNoSayingOfTheTopic(string title, string text, string affirmedTitle, string affirmedText)
    {
        // A topic of a user's own, whose words papers often deny.
        using var tmp = new TempDir();
        var dashboards = tmp.Dashboards("dashboards", Lexicons.FamiliesFile, Lexicons.KeyphrasesFile);
        File.WriteAllText(Path.Combine(dashboards, Lexicons.TopicsFile), """
            {"topics": [{"name": "Knowledge distillation", "include": ["knowledge distillation"], "cues": ["distillation"]}]}
            """);
        var tagger = new Tagger(Lexicons.Load(dashboards), TimeProvider.System);
        Assert.DoesNotContain("Knowledge distillation", tagger.Tag(title, text, null).Topics);
        Assert.Contains("Knowledge distillation", tagger.Tag(affirmedTitle, affirmedText, null).Topics);
    }

    [Fact]
    public void ANegationDeniesOnlyThePhraseAfterIt()
    {
        Assert.Contains("Safety and alignment", Topics("Jailbreaks without gradients", "We study jailbreak prompts that need no gradient access."));
        Assert.Contains("Reasoning", Topics("Reasoning in small models", "Not only do small models reason: chain-of-thought reasoning helps them."));
    }

    [Fact]
    public void ACueCounts_InTheTitle_OrBesideAnotherCueOfTheTopic()
    {
        Assert.DoesNotContain("Reasoning", Topics("A new tokenizer", "Our tokenizer also helps reasoning."));
        Assert.Contains("Reasoning", Topics("Reasoning with smaller models", "Small models reason in steps: reasoning improves, and so does their reasoning on puzzles."));
        Assert.Contains("Reasoning", Topics("A new tokenizer", "We improve multi-step reasoning and chain-of-thought faithfulness."));
    }

    [Fact]
    public void TitleCuesSaidAgainAndAgainInTheAbstract_CountAsOneInTheTitle()
    {
        // Four sayings of "benchmark" and "evaluation" are a paper that reports results; five, one about evaluating.
        Assert.DoesNotContain("Benchmarks and evaluation", Topics("How far do reasoning models get?",
            "An evaluation on four benchmarks. Each benchmark is hard, and the evaluation shows gaps."));
        Assert.Contains("Benchmarks and evaluation", Topics("How far do reasoning models get?",
            "An evaluation on four benchmarks. Each benchmark is hard, the evaluation shows gaps, and our evaluation protocol is shared."));
    }

    [Fact]
    public void RetrievalAloneIsNoRetrievalAugmentedGeneration()
    {
        Assert.DoesNotContain("Retrieval-augmented generation", Topics("Dense retrieval with late interaction",
            "We scale multimodal retrieval: retrieval quality rises with the number of vectors per document retrieval query."));
        Assert.Contains("Retrieval-augmented generation", Topics("Better retrieval for RAG",
            "Retrieval-augmented generation depends on the retriever; we train the retriever with the generator's feedback."));
    }

    [Fact]
    public void PhrasesMatchInsideHyphenatedCompounds()
    {
        Assert.Contains("Video generation", Topics("Joint Video-Audio generation", "A model for joint video-audio generation with one diffusion transformer."));
        Assert.Contains("Efficient inference", Topics("Visual-token compression for MLLMs", "Visual-token compression cuts the cost of multimodal LLMs."));
    }

    [Fact]
    public void EditingInsideVideoEditing_IsNoImageEditing()
    {
        Assert.DoesNotContain("Image generation and editing", Topics("Video editing with a diffusion transformer",
            "Video editing follows the user's instruction; our editing keeps every frame consistent."));
        Assert.Contains("Image generation and editing", Topics("Instruction-based image editing",
            "Editing follows the user's instruction; our editing keeps the subject."));
    }

    [Fact]
    public void ADatasetInTheTitle_IsAPaperAboutData()
    {
        Assert.Contains("Data and synthetic data", Topics("LVD-2M: A Long-take Video Dataset",
            "Two million long-take videos with temporally dense captions for training video models."));
        Assert.DoesNotContain("Data and synthetic data", Topics("Long-take video models",
            "We train on a dataset of long-take videos with temporally dense captions."));
        Assert.DoesNotContain("Data and synthetic data", Topics("SciQA: A Benchmark Dataset for Scientific Questions",
            "Questions written by scientists, to test how well language models answer them."));
    }

    [Fact]
    public void AnAcronymInItsDefinition_IsNoSecondSaying()
    {
        var once = Tagger.TopicEvidence("A new sampler", "We train a diffusion transformer (DiT) on images.", null);
        Assert.Contains(once, e => e.Phrase == "diffusion transformer" && e.Text == 1);
        Assert.DoesNotContain(once, e => e.Phrase == "DiT");

        var again = Tagger.TopicEvidence("A new sampler", "We train a diffusion transformer (DiT) on images; the DiT samples in four steps.", null);
        Assert.Contains(again, e => e.Phrase == "DiT" && e.Text == 1);

        // Its keyword terms are unchanged: the acronym stands whole, ending a phrase, as a name does.
        var stored = Tagger.TagForStorage("A new sampler", "We train a diffusion transformer (DiT) on images. DiT blocks scale.", null);
        var terms = stored.Terms.Split(StoredTags.Separator);
        Assert.Equal('1', stored.Ends[Array.IndexOf(terms, "DiT")]);
    }

    [Fact]
    public void PartsBeforeAStopWord_DoNotReadOnIntoTheWordsAfterTheCompound()
    {
        var evidence = Tagger.TopicEvidence("Image-to-video generation with camera paths",
            "We animate a still photo: image-to-video generation that follows a camera path.", null);

        Assert.Contains(evidence, e => e.Topic == "Video generation" && e.Phrase == "video generation" && e.Title == 1 && e.Text == 1);
        Assert.DoesNotContain(evidence, e => e.Topic == "Image generation and editing" && e.Phrase == "image generation");
    }

    [Fact]
    public void TopicEvidence_SaysWhichPhrasesCountedAndWhere()
    {
        var evidence = Tagger.TopicEvidence("Jailbreak attacks", "A jailbreak study with semantic alignment of features.", null);

        Assert.Contains(evidence, e => e.Topic == "Safety and alignment" && e.Phrase == "jailbreak" && e.Title == 1 && e.Text == 1);
        Assert.DoesNotContain(evidence, e => e.Topic == "Safety and alignment" && e.Phrase == "alignment");
    }

    [Fact]
    public void LexiconVersion_FromTheBytesAlone_IsTheVersionOfTheLoadedLexicons()
    {
        var directory = Lexicons.FindDirectory();
        Assert.Equal(Lexicons.Load(directory).Version, Lexicons.VersionOf(directory));
    }
}
