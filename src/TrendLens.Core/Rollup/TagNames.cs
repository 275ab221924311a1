using Dapper;
using DuckDB.NET.Data;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Rollup;

/// <summary>A name that no stored tag answers to; the message names the nearest ones.</summary>
public sealed class UnknownTagException(string message) : Exception(message);

/// <summary>
/// What a user types after <c>--term</c>, <c>--family</c>, <c>--topic</c> (or in <c>term=</c>,
/// <c>family=</c>, <c>topic=</c>) resolved to the stored tag through the same keys as tagging:
/// <c>Qwen3</c>, <c>qwen3</c> and <c>QWEN3</c> are one term, <c>CoT</c> is the concept
/// chain-of-thought, <c>qwen</c> and <c>ChatGPT</c> are families. A name that resolves to
/// nothing is an error naming the nearest known names, never a series of zeros.
/// </summary>
public static class TagNames
{
    /// <summary>Each typed name's stored tag, in order, without repeats; the rollups must be fresh.</summary>
    /// <param name="aliases">Earlier names of topics, with the names they now have: queries still accept them.</param>
    public static IReadOnlyList<string> Resolve(DuckDBConnection connection, TagKind kind, IReadOnlyList<string> typed, IReadOnlyCollection<string>? lexiconNames = null,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        var tags = new List<string>();
        foreach (var typedName in typed)
        {
            if (typedName.Any(char.IsControl))
                throw new UnknownTagException($"a name must not contain control characters ('{new string(typedName.Select(c => char.IsControl(c) ? '\uFFFD' : c).ToArray())}')");
            var name = aliases?.FirstOrDefault(a => a.Key.Equals(typedName.Trim(), StringComparison.OrdinalIgnoreCase)).Value ?? typedName;
            var tag = Find(connection, kind, name.Trim(), lexiconNames ?? []) ?? throw Unknown(connection, kind, name, lexiconNames ?? []);
            if (!tags.Contains(tag)) tags.Add(tag);
        }
        return tags;
    }

    /// <summary>
    /// Each typed name's stored tag as <see cref="Resolve(DuckDBConnection, TagKind, IReadOnlyList{string}, IReadOnlyCollection{string}?, IReadOnlyDictionary{string, string}?)"/>
    /// gives it, with the lexicons' families or topics as the names to suggest and a topic's earlier
    /// names (<c>aliases</c>) accepted. Lexicons are read only for families and topics; null, none.
    /// </summary>
    public static IReadOnlyList<string> Resolve(DuckDBConnection connection, TagKind kind, IReadOnlyList<string> typed, Lexicons? lexicons)
    {
        IReadOnlyCollection<string> known = kind switch
        {
            TagKind.Families => lexicons?.Families.Families.Select(f => f.Name).ToList() ?? [],
            TagKind.Topics => lexicons?.Topics.Topics.Select(t => t.Name).ToList() ?? [],
            _ => [],
        };
        var aliases = kind == TagKind.Topics
            ? lexicons?.Topics.Topics.SelectMany(t => t.Aliases.Select(a => (a, t.Name))).ToDictionary(x => x.a, x => x.Name, StringComparer.OrdinalIgnoreCase)
            : null;
        return Resolve(connection, kind, typed, known, aliases);
    }

    /// <summary>The stored tags of the names that resolve, leaving out those that do not (names the program itself showed).</summary>
    public static IReadOnlyList<string> ResolveKnown(DuckDBConnection connection, TagKind kind, IReadOnlyList<string> shown) =>
        shown.Select(n => Find(connection, kind, n.Trim(), [])).OfType<string>().Distinct().ToList();

    /// <summary>The name each stored tag is shown by (a term's most used form, a version as written).</summary>
    public static string Display(DuckDBConnection connection, TagKind kind, string tag) =>
        connection.ExecuteScalar<string?>(SqlCatalog.Get("rollup/tag_display_name"), new { kind = kind.Column(), tag }) ?? tag;

    private static string? Find(DuckDBConnection connection, TagKind kind, string name, IReadOnlyCollection<string> lexiconNames)
    {
        if (name.Length == 0) return null;
        var column = kind.Column();
        // Without Dapper (Storage/PlainSql): a read command resolves the names it is given before it answers.
        string? Text(string query, params (string Name, object? Value)[] parameters) =>
            connection.Rows(SqlCatalog.Get(query), r => r.NullableString(0), parameters).FirstOrDefault();
        bool Stored(string tag) =>
            connection.Single(SqlCatalog.Get("rollup/tag_stored"), r => r.GetBoolean(0), ("kind", column), ("tag", tag));

        switch (kind)
        {
            case TagKind.Terms:
            {
                var key = Text("rollup/term_key", ("folded", Terms.Key(name)))!;
                foreach (var candidate in new[] { key, key.ToUpperInvariant(), key.ToLowerInvariant() }.Distinct())
                {
                    var concept = Text("rollup/term_concept", ("key", candidate)) ?? candidate;
                    if (Stored(concept)) return concept;
                }
                return null;
            }
            case TagKind.Versions:
            {
                var key = Text("rollup/version_key", ("name", name))!;
                return Stored(key) ? key : null;
            }
            case TagKind.Families:
            {
                // The family's name in any case, or one of its aliases (ChatGPT is GPT), known to the lexicon even before any paper names it.
                var family = lexiconNames.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? Text("rollup/tag_by_name", ("kind", column), ("name", name))
                    ?? Text("rollup/family_by_name_rule", ("folded", Terms.Key(name)));
                return family;
            }
            default:
                return lexiconNames.FirstOrDefault(n => n.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? Text("rollup/tag_by_name", ("kind", column), ("name", name));
        }
    }

    /// <summary>
    /// How similar (Jaro-Winkler, 0 to 1) a name must be to one typed to be offered in its place:
    /// misspellings ("Qwne", "KV cashe", "Reasoningg", "latnet world modle") score 0.93–0.98; the
    /// nearest names to words that name nothing ("NoSuch": DINO, Orca; "Nope": Code generation) 0.54–0.61.
    /// </summary>
    private const double NearEnough = 0.8;

    private static UnknownTagException Unknown(DuckDBConnection connection, TagKind kind, string name, IReadOnlyCollection<string> lexiconNames)
    {
        var nearest = connection.Query<(string Name, double Similarity)>(SqlCatalog.Get("rollup/tag_names_nearest"), new { kind = kind.Column(), name, lexicon = string.Join('\u001f', lexiconNames) }).ToList();
        var close = nearest.Where(n => n.Similarity >= NearEnough).Select(n => n.Name).ToList();
        var (what, where) = kind switch
        {
            TagKind.Terms => ("keyword", "the stored lists"),
            TagKind.Families => ("model family", "model-families.json or the stored tags"),
            TagKind.Topics => ("topic", "topics.json or the stored tags"),
            _ => ("model version", "the stored lists"),
        };
        var hint = nearest.Count == 0 ? "none are stored yet" : close.Count == 0 ? "none is close to that name" : "nearest: " + string.Join(", ", close);
        return new UnknownTagException($"no {what} '{name}' in {where}; {hint}");
    }
}
