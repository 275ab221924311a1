using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TrendLens.Sources;

/// <summary>Where a payload came from and what the user said about it.</summary>
/// <param name="Origin">File path or URL; a <c>YYYY-MM-DD</c> in its name is a date hint.</param>
/// <param name="Date">The list date given with <c>--date</c>, if any.</param>
/// <param name="Today">Today's date, for inferring the year of an <c>hf-text</c> date line.</param>
public sealed record PayloadContext(string Origin, DateOnly? Date, DateOnly Today)
{
    /// <summary>
    /// The kind of the configured source the payload is stored under, when it is one: a format
    /// that belongs to another kind (arXiv's Atom under the Daily Papers list) is refused.
    /// </summary>
    public SourceKind? SourceKind { get; init; }
}

/// <summary>Stage 2, Normalize: raw bytes in a known format → daily lists of <see cref="ListEntry"/>.</summary>
public static partial class PayloadNormalizer
{
    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = 64 };

    [GeneratedRegex(@"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")]
    private static partial Regex DateInName();

    public static NormalizedPayload Normalize(ReadOnlyMemory<byte> payload, PayloadFormat? format, PayloadContext context)
    {
        var text = PayloadText.ValidUtf8(payload);
        var actual = format ?? Detect(text.Span, context.Origin);
        if (SourceKind.OtherOwner(actual, context.SourceKind) is { } owner)
            throw new PayloadException($"this is a list of source kind '{owner.Kind}' (format {actual.Name}), but this source is of kind '{context.SourceKind!.Kind}': "
                + $"import it with --source naming a source of kind '{owner.Kind}'");
        return actual.Read(text, context);
    }

    /// <summary>
    /// A format that recognizes its first bytes (a source kind's, such as arXiv's Atom) is that
    /// format; otherwise <c>[</c> or a <c>{"data": …}</c> wrapper is hf-json; one object per line is hf-jsonl;
    /// anything else is hf-text, unless the file's extension says JSON (then JSON parsing
    /// reports what is wrong, e.g. an HTML error page saved as <c>.json</c>).
    /// </summary>
    public static PayloadFormat Detect(ReadOnlySpan<byte> text, string origin)
    {
        var ext = Path.GetExtension(origin).ToLowerInvariant();
        var trimmed = text.TrimStart(" \t\r\n"u8);
        foreach (var known in PayloadFormats.All)
            if (known.Recognizes is { } recognizes && recognizes(trimmed)) return known;
        if (trimmed.IsEmpty) return ext == ".jsonl" || ext == ".ndjson" ? PayloadFormat.HfJsonl : PayloadFormat.HfJson;
        if (trimmed[0] == (byte)'[') return PayloadFormat.HfJson;
        if (trimmed[0] == (byte)'{')
        {
            var newline = trimmed.IndexOf((byte)'\n');
            var firstLine = newline < 0 ? trimmed : trimmed[..newline];
            try
            {
                using var doc = JsonDocument.Parse(firstLine.ToArray(), JsonOptions);
                return doc.RootElement.TryGetProperty("data", out _) ? PayloadFormat.HfJson : PayloadFormat.HfJsonl;
            }
            catch (JsonException)
            {
                // A pretty-printed object spans lines: a wrapper, not JSON Lines.
                return ext is ".jsonl" or ".ndjson" ? PayloadFormat.HfJsonl : PayloadFormat.HfJson;
            }
        }
        return ext switch
        {
            ".json" => PayloadFormat.HfJson,
            ".jsonl" or ".ndjson" => PayloadFormat.HfJsonl,
            _ => PayloadFormat.HfText,
        };
    }

    public static DateOnly? DateFromName(string origin)
    {
        var m = DateInName().Match(Path.GetFileName(origin));
        return m.Success && DateOnly.TryParseExact(m.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : null;
    }

    internal static NormalizedPayload HfJson(ReadOnlyMemory<byte> text, PayloadContext context)
    {
        using var doc = ParseJson(text, lineOffset: 0);
        var root = doc.RootElement;
        JsonElement array;
        DateOnly? wrapperDate = null;
        var prefix = "$";
        if (root.ValueKind == JsonValueKind.Array)
        {
            array = root;
        }
        else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data))
        {
            if (data.ValueKind != JsonValueKind.Array)
                throw new PayloadException($"expected an array of entries, found {JsonEntryReader.Describe(data)}", "$", "data");
            array = data;
            prefix = "$.data";
            wrapperDate = new JsonEntryReader(root, "$").Date("date");
        }
        else
        {
            throw new PayloadException(
                $"expected a JSON array of entries or an object with a 'data' array, found {JsonEntryReader.Describe(root)}", "$");
        }

        var date = ResolveDate(context, wrapperDate, "the wrapper's 'date'")
            ?? throw new PayloadException(
                "cannot tell the list date: an API response carries none; pass --date YYYY-MM-DD or name the file after the date");

        var entries = new List<ListEntry>(array.GetArrayLength());
        var i = 0;
        foreach (var element in array.EnumerateArray())
        {
            var position = $"{prefix}[{i}]";
            entries.Add(JsonEntryReader.For(element, position).Read(date, i + 1));
            i++;
        }
        return new NormalizedPayload(PayloadFormat.HfJson, [new DailyList(date, entries)], []);
    }

    internal static NormalizedPayload HfJsonl(ReadOnlyMemory<byte> text, PayloadContext context)
    {
        var byDate = new SortedDictionary<DateOnly, List<ListEntry>>();
        var fallbackDate = ResolveDate(context, null, "");
        var span = text.Span;
        var lineNumber = 0;
        var start = 0;
        while (start < span.Length)
        {
            var end = span[start..].IndexOf((byte)'\n');
            var lineLength = end < 0 ? span.Length - start : end;
            lineNumber++;
            var line = text.Slice(start, lineLength);
            start += lineLength + 1;
            if (line.Span.Trim(" \t\r"u8).IsEmpty) continue;

            var entry = JsonlEntry(line, lineNumber, context, fallbackDate, date => byDate.TryGetValue(date, out var l) ? l.Count + 1 : 1);
            if (!byDate.TryGetValue(entry.ListDate, out var list)) byDate[entry.ListDate] = list = [];
            if (list.Any(e => e.Rank == entry.Rank)) throw RankTwice(entry, lineNumber);
            list.Add(entry);
        }
        if (byDate.Count == 0) throw new PayloadException("no entries: every line is blank");
        var lists = byDate.Select(kv => new DailyList(kv.Key, kv.Value.OrderBy(e => e.Rank).ToList())).ToList();
        return new NormalizedPayload(PayloadFormat.HfJsonl, lists, []);
    }

    /// <summary>
    /// One non-blank line of hf-jsonl as an entry of its list date (the line's <c>date</c>, else
    /// <paramref name="fallbackDate"/>); a line without a rank gets <paramref name="nextRank"/> of its date.
    /// </summary>
    internal static ListEntry JsonlEntry(ReadOnlyMemory<byte> line, int lineNumber, PayloadContext context, DateOnly? fallbackDate, Func<DateOnly, int> nextRank)
    {
        var position = $"line {lineNumber}";
        using var doc = ParseJson(line, lineNumber - 1);
        var reader = JsonEntryReader.For(doc.RootElement, position);
        var lineDate = reader.Date("date");
        if (lineDate is { } ld && context.Date is { } given && ld != given)
            throw new PayloadException($"the line says {PaperIdentity.Format(ld)} but --date says {PaperIdentity.Format(given)}", position, "date");
        var date = lineDate ?? fallbackDate
            ?? throw new PayloadException("no list date: the line has no 'date'; pass --date YYYY-MM-DD or name the file after the date", position, "date");
        var rank = reader.Int("rank");
        if (rank is < 1) throw new PayloadException($"expected a rank of 1 or more, found {rank}", position, "rank");
        return reader.Read(date, rank ?? nextRank(date));
    }

    internal static PayloadException RankTwice(ListEntry entry, int lineNumber) =>
        new($"rank {entry.Rank} appears twice on {PaperIdentity.Format(entry.ListDate)}", $"line {lineNumber}", "rank");

    /// <summary>The date a JSON Lines line without one belongs to: --date, else the file name's.</summary>
    internal static DateOnly? JsonlFallbackDate(PayloadContext context) => ResolveDate(context, null, "");

    /// <summary>--date wins; a date in the payload must agree with it; else the file name's date.</summary>
    private static DateOnly? ResolveDate(PayloadContext context, DateOnly? fromPayload, string payloadLabel)
    {
        if (context.Date is { } given)
        {
            if (fromPayload is { } p && p != given)
                throw new PayloadException($"{payloadLabel} is {PaperIdentity.Format(p)} but --date says {PaperIdentity.Format(given)}");
            return given;
        }
        return fromPayload ?? DateFromName(context.Origin);
    }

    private static JsonDocument ParseJson(ReadOnlyMemory<byte> json, int lineOffset)
    {
        try
        {
            return JsonDocument.Parse(json, JsonOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1 + lineOffset;
            var column = (e.BytePositionInLine ?? 0) + 1;
            var reason = e.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd();
            var trimmed = json.Span.TrimStart(" \t\r\n"u8);
            if (!trimmed.IsEmpty && trimmed[0] == (byte)'<')
                reason = "this is HTML (an error page?), not JSON";
            throw new PayloadException($"malformed JSON: {reason}", $"line {line}, byte {column}");
        }
    }
}
