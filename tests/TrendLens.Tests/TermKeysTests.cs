using Dapper;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Tests;

/// <summary>
/// The keys a rollup reads through the marks the tagger stores beside a paper's terms
/// (sql/schema/039) are those the SQL macro term_key() makes of its forms, which lookups by name
/// and the lexicons' rules go through.
/// </summary>
public class TermKeysTests
{
    [Fact]
    public void Of_IsTermKey_ForEveryAsciiForm()
    {
        using var tmp = new TempDir();
        // Every form of one or two ASCII characters but the separator, and of three from those a key can turn on.
        var ascii = Enumerable.Range(1, 127).Where(c => c != 0x1F).Select(c => (char)c).ToList();
        var forms = ascii.Select(c => c.ToString()).Concat(ascii.SelectMany(a => ascii.Select(b => $"{a}{b}"))).ToList();
        const string turning = "AZaz-@[ `{0";
        forms.AddRange(turning.SelectMany(a => turning.SelectMany(b => turning.Select(c => $"{a}{b}{c}"))));
        forms.AddRange(["LLM", "LLMs", "GPT-4", "Chain-of-Thought", "RL-HF", "self-play", "BERT"]);
        using var connection = new Database(tmp.Db).Open();
        var keyed = connection.ExecuteScalar<string>(
            "select array_to_string(list_transform(string_split($forms, chr(31)), f -> term_key(f)), chr(31))",
            new { forms = string.Join('\u001f', forms) })!.Split('\u001f');

        Assert.Equal(forms.Count, keyed.Length);
        var differ = forms.Select((f, i) => (Form: f, Sql: keyed[i], Net: TermKeys.Of(f))).Where(x => x.Sql != x.Net).Take(5).ToList();
        Assert.True(differ.Count == 0, string.Join("; ", differ.Select(d => $"'{d.Form}': SQL '{d.Sql}', here '{d.Net}'")));
    }

    [Fact]
    public void APaperWithALetterOutsideAscii_IsLeftToSql()
    {
        var marks = new CharBuffer();
        Assert.False(new TermKeys().Write("LLM\u001fSchr\u00f6dinger bridge", "11", marks));
        Assert.Equal(0, marks.Length);
        Assert.Null(TermKeys.Of("\u0130stanbul"));
    }

    [Fact]
    public void Write_MarksEachKeyOnce_EndingWhenAnyOfItsFormsEnds()
    {
        var marks = new CharBuffer();
        new TermKeys().Write(string.Join('\u001f', "Chain-of-Thought", "LLM", "chain of thought", "LLMs", "llm", "LLM"), "001001", marks);

        // "chain of thought" ends through its second form, "LLM" through its second; "llm" is another
        // key, already in lower case, so kept as written.
        Assert.Equal("1A-0a-", marks.ToString());

        // A paper without terms writes nothing.
        marks.Clear();
        Assert.True(new TermKeys().Write("", "", marks));
        Assert.Equal(0, marks.Length);
    }

    /// <summary>
    /// The keys read through the marks the tagger stores for real text equal those made from the
    /// terms alone (as for papers tagged before the marks, sql/schema/039): one row per paper and key.
    /// </summary>
    [Fact]
    public void KeysReadThroughTheMarks_AreTheKeysOfTheStoredTerms()
    {
        using var tmp = new TempDir();
        var lists = new TrendLens.Sources.ListGenerator(11).Generate(new TrendLens.Sources.ListGenerator.Options(new DateOnly(2025, 1, 6), 10, 30, OutageRate: 0));
        TrendLens.Sources.ListGenerator.Write(lists, Path.Combine(tmp.Path, "lists"));
        var hand = tmp.File("2025-01-20.jsonl",
            """{"date":"2025-01-20","rank":1,"id":"2501.20001","title":"Chain-of-Thought for LLMs","summary":"We study chain of thought in LLMs and RL-HF; chain-of-thought helps.","authors":[],"ai_keywords":["Chain of Thought","LLMs"]}""" + "\n" +
            """{"date":"2025-01-20","rank":2,"id":"2501.20002","title":"Schr\u00f6dinger Bridges for Diffusion","summary":"A Schr\u00f6dinger bridge model trains diffusion models faster.","authors":[]}""" + "\n");
        Assert.Equal(0, Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "lists")).Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "import", hand).Code);

        const string keyRows = "select concat_ws('|', paper_id, key, ends) from paper_term_keys order by all";
        var stored = Run.Rows<string>(tmp.Db, keyRows);
        // Only the paper with a letter outside ASCII is left to SQL.
        Assert.Equal(["2501.20002"], Run.Rows<string>(tmp.Db, "select paper_id from paper_terms where key_marks is null"));
        Assert.Equal(0L, Run.Rows<long>(tmp.Db, "select count(*) from paper_terms where length(key_marks) <> length(terms) - length(replace(terms, chr(31), '')) + (terms <> '')::int").Single());

        using (var connection = new Database(tmp.Db).Open())
            connection.Execute("update paper_terms set key_marks = null");
        var fromTerms = Run.Rows<string>(tmp.Db, keyRows);

        Assert.True(stored.Count > 1000, $"{stored.Count} rows");
        Assert.Contains(stored, r => r.StartsWith("2501.20001|chain of thought|", StringComparison.Ordinal));
        Assert.Contains(stored, r => r.StartsWith("2501.20002|schr\u00f6dinger bridge|", StringComparison.Ordinal));
        Assert.Equal(fromTerms, stored);
    }
}
