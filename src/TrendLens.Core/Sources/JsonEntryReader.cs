using System.Globalization;
using System.Text.Json;

namespace TrendLens.Sources;

/// <summary>
/// Reads the fields of one list entry with strict types. Looks in <c>paper</c> first and falls
/// back to the entry itself, so both API entries (nested <c>paper</c>) and flat archive lines fit.
/// </summary>
internal readonly struct JsonEntryReader(JsonElement entry, string position)
{
    private readonly JsonElement? _paper = entry.TryGetProperty("paper", out var p) && p.ValueKind == JsonValueKind.Object ? p : null;

    public static JsonEntryReader For(JsonElement entry, string position)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw new PayloadException($"expected an entry object, found {Describe(entry)}", position);
        if (entry.TryGetProperty("paper", out var p) && p.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw new PayloadException($"expected an object, found {Describe(p)}", position, "paper");
        return new JsonEntryReader(entry, position);
    }

    public ListEntry Read(DateOnly listDate, int rank)
    {
        var rawId = String("id", required: true)!;
        var title = PaperIdentity.CleanText(String("title", required: true)!);
        if (title.Length == 0) throw Error("the title is empty", "title");
        var arxiv = PaperIdentity.ArxivId(rawId);
        var org = Find("organization");
        string? orgName = null, orgFull = null;
        if (org is { } o)
        {
            if (o.Value.ValueKind != JsonValueKind.Object)
                throw Error($"expected an object with name and fullname, found {Describe(o.Value)}", o.Name);
            orgName = StringIn(o.Value, "name", o.Name);
            orgFull = StringIn(o.Value, "fullname", o.Name);
        }

        return new ListEntry(
            listDate,
            rank,
            arxiv ?? PaperIdentity.FromTitle(title),
            arxiv,
            title,
            PaperIdentity.CleanText(String("summary", required: true)!),
            Authors(),
            Timestamp("publishedAt"),
            Timestamp("submittedOnDailyAt"),
            Int("upvotes"),
            Int("numComments"),
            StringArray("ai_keywords"),
            String("ai_summary"),
            String("githubRepo"),
            Int("githubStars"),
            String("projectPage"),
            orgName,
            orgFull);
    }

    public string? String(string name, bool required = false)
    {
        if (Find(name) is not { } f)
        {
            if (required) throw Error("missing", name);
            return null;
        }
        if (f.Value.ValueKind != JsonValueKind.String)
            throw Error($"expected a string, found {Describe(f.Value)}", f.Name);
        return Text(f.Value, f.Name);
    }

    public int? Int(string name)
    {
        if (Find(name) is not { } f) return null;
        if (f.Value.ValueKind != JsonValueKind.Number || !f.Value.TryGetInt32(out var v))
            throw Error($"expected an integer, found {Describe(f.Value)}", f.Name);
        return v;
    }

    public DateOnly? Date(string name)
    {
        var s = String(name);
        if (s is null) return null;
        if (!DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            throw Error($"expected a date like 2025-02-14, found \"{PayloadText.Preview(s)}\"", name);
        return d;
    }

    private DateTime? Timestamp(string name)
    {
        var s = String(name);
        if (s is null) return null;
        if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            throw Error($"expected an ISO-8601 timestamp, found \"{PayloadText.Preview(s)}\"", name);
        return t.UtcDateTime;
    }

    private IReadOnlyList<string>? StringArray(string name)
    {
        if (Find(name) is not { } f) return null;
        if (f.Value.ValueKind != JsonValueKind.Array)
            throw Error($"expected an array of strings, found {Describe(f.Value)}", f.Name);
        var list = new List<string>(f.Value.GetArrayLength());
        var i = 0;
        foreach (var item in f.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw Error($"expected a string, found {Describe(item)}", $"{f.Name}[{i}]");
            list.Add(Text(item, $"{f.Name}[{i}]"));
            i++;
        }
        return list;
    }

    /// <summary>Authors as plain names (archive) or as objects with a <c>name</c> (API).</summary>
    private IReadOnlyList<string> Authors()
    {
        if (Find("authors") is not { } f) return [];
        if (f.Value.ValueKind != JsonValueKind.Array)
            throw Error($"expected an array of authors, found {Describe(f.Value)}", f.Name);
        var list = new List<string>(f.Value.GetArrayLength());
        var i = 0;
        foreach (var item in f.Value.EnumerateArray())
        {
            // The field's name is made only when it is needed (the archive lists 101,000 authors).
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    list.Add(Text(item, $"{f.Name}[{i}]"));
                    break;
                case JsonValueKind.Object:
                    list.Add(StringIn(item, "name", $"{f.Name}[{i}]") ?? throw Error("missing", $"{f.Name}[{i}].name"));
                    break;
                default:
                    throw Error($"expected an author name or object, found {Describe(item)}", $"{f.Name}[{i}]");
            }
            i++;
        }
        return list;
    }

    private string? StringIn(JsonElement obj, string name, string parent)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String)
            throw Error($"expected a string, found {Describe(v)}", $"{parent}.{name}");
        return Text(v, $"{parent}.{name}");
    }

    /// <summary>A present, non-null field: in <c>paper</c> first, else on the entry.</summary>
    private (string Name, JsonElement Value)? Find(string name)
    {
        if (_paper is { } p && p.TryGetProperty(name, out var pv) && pv.ValueKind != JsonValueKind.Null)
            return ("paper." + name, pv);
        if (entry.TryGetProperty(name, out var ev) && ev.ValueKind != JsonValueKind.Null)
            return (name, ev);
        return null;
    }

    private PayloadException Error(string message, string field) => new(message, position, field);

    /// <summary>
    /// A string's text. JSON may escape half of a UTF-16 pair alone ("\ud800"), which is no
    /// text at all: the payload is refused with the field, as for a wrong type. A NUL ("\u0000")
    /// becomes U+FFFD: stored as it is, it ended the text there (the raw payload keeps it).
    /// </summary>
    private string Text(JsonElement value, string field)
    {
        try
        {
            var text = value.GetString()!;
            return text.Contains('\0') ? text.Replace('\0', '\uFFFD') : text;
        }
        catch (InvalidOperationException)
        {
            throw Error("a string with half of a UTF-16 pair escaped alone (\\ud800 to \\udfff), which is not text", field);
        }
    }

    internal static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"string \"{PayloadText.Preview(TextOrNothing(e), 30)}\"",
        JsonValueKind.Number => $"number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"boolean {e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => e.ValueKind.ToString(),
    };

    private static string TextOrNothing(JsonElement e)
    {
        try
        {
            return e.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            return "(not text)";
        }
    }
}
