using System.Globalization;
using System.Xml;

namespace TrendLens.Sources;

/// <summary>
/// Stage 2, Normalize, for the <c>arxiv-atom</c> format: an answer of arXiv's query API (Atom 1.0
/// with the <c>opensearch:</c> and <c>arxiv:</c> extensions). Each <c>entry</c> is a paper: its id
/// is the abs URL's arXiv id without the version, its list date the day of its first version's
/// submission (<c>published</c>, UTC), its rank its place in the answer. A paper listed twice (a
/// cross-list answered on two pages) counts once. With a list date given (a fetch of one day),
/// entries first submitted on another day — replacements of older papers — are left out and
/// counted in a note; without one (an imported file), entries are grouped by their day.
/// </summary>
public static class ArxivAtom
{
    public const string AtomNamespace = "http://www.w3.org/2005/Atom";
    public const string OpenSearchNamespace = "http://a9.com/-/spec/opensearch/1.1/";
    public const string ArxivNamespace = "http://arxiv.org/schemas/atom";

    public static readonly PayloadFormat Format = new("arxiv-atom", [".xml", ".atom"], Read, Recognizes);

    /// <summary>An XML document whose first 2 KiB name the Atom namespace.</summary>
    public static bool Recognizes(ReadOnlySpan<byte> text) =>
        (text.StartsWith("<?xml"u8) || text.StartsWith("<feed"u8)) && text[..Math.Min(text.Length, 2048)].IndexOf("http://www.w3.org/2005/Atom"u8) >= 0;

    /// <summary>What one page of an answer holds, before any filtering.</summary>
    public sealed record Page(int? TotalResults, IReadOnlyList<Entry> Entries);

    /// <summary>One <c>entry</c> as answered.</summary>
    public sealed record Entry(string Id, string Title, string Summary, IReadOnlyList<string> Authors, DateTime Published, DateTime? Updated,
        string? PrimaryCategory, IReadOnlyList<string> Categories, int Line);

    internal static XmlReaderSettings ReaderSettings(long maxCharacters) => new()
    {
        // An answer is data: no DTD, no external entity, nothing fetched while reading.
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 0,
        MaxCharactersInDocument = maxCharacters,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
    };

    public static NormalizedPayload Read(ReadOnlyMemory<byte> text, PayloadContext context)
    {
        var page = Parse(text);
        var notes = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var byDate = new SortedDictionary<DateOnly, List<ListEntry>>();
        var otherDays = 0;
        var twice = 0;
        foreach (var e in page.Entries)
        {
            var day = DateOnly.FromDateTime(e.Published);
            if (context.Date is { } given && day != given)
            {
                otherDays++;
                continue;
            }
            if (!seen.Add(e.Id))
            {
                twice++;
                continue;
            }
            if (!byDate.TryGetValue(day, out var list)) byDate[day] = list = [];
            list.Add(new ListEntry(day, list.Count + 1, e.Id, e.Id, e.Title, e.Summary, e.Authors, PublishedAt: e.Published, SubmittedAt: e.Published));
        }
        if (otherDays > 0) notes.Add($"{otherDays} entr{(otherDays == 1 ? "y" : "ies")} first submitted on another day than {context.Date:yyyy-MM-dd} (replacements of earlier papers) left out");
        if (twice > 0) notes.Add($"{twice} entr{(twice == 1 ? "y" : "ies")} listed twice (cross-lists) counted once");
        if (byDate.Count == 0)
        {
            // An empty answer for a day is that day without submissions; without a day, nothing to store.
            var date = context.Date ?? PayloadNormalizer.DateFromName(context.Origin)
                ?? throw new PayloadException("no entries, and no list date: pass --date YYYY-MM-DD or name the file after the date");
            return new NormalizedPayload(Format, [new DailyList(date, [])], notes);
        }
        return new NormalizedPayload(Format, byDate.Select(kv => new DailyList(kv.Key, kv.Value)).ToList(), notes);
    }

    /// <summary>Parses one answer strictly; throws <see cref="PayloadException"/> with the line and field of what is wrong.</summary>
    public static Page Parse(ReadOnlyMemory<byte> text)
    {
        // An answer of the API has no document type; one with entities could expand without end.
        var head = text.Span[..Math.Min(text.Length, 4096)];
        if (head.IndexOf("<!DOCTYPE"u8) is var doctype and >= 0)
            throw new PayloadException("a document type declaration (<!DOCTYPE …>) is refused: arXiv's answers have none, and its entities are not expanded",
                $"line {head[..doctype].Count((byte)'\n') + 1}");
        using var stream = new MemoryStream(text.ToArray(), writable: false);
        using var reader = XmlReader.Create(stream, ReaderSettings(text.Length + 1L));
        var info = (IXmlLineInfo)reader;
        try
        {
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "feed" || reader.NamespaceURI != AtomNamespace)
                throw new PayloadException($"expected an Atom feed, found <{reader.Name}>", $"line {info.LineNumber}");
            int? total = null;
            var entries = new List<Entry>();
            var depth = reader.Depth;
            reader.Read();
            while (!reader.EOF && reader.Depth > depth)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    reader.Read();
                    continue;
                }
                if (reader.LocalName == "totalResults" && reader.NamespaceURI == OpenSearchNamespace)
                {
                    var line = info.LineNumber;
                    var value = reader.ReadElementContentAsString().Trim();
                    total = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                        ? t : throw new PayloadException($"expected a count, found '{Clip(value)}'", $"line {line}", "opensearch:totalResults");
                }
                else if (reader.LocalName == "entry" && reader.NamespaceURI == AtomNamespace)
                {
                    entries.Add(ReadEntry(reader, info));
                }
                else
                {
                    reader.Skip();
                }
            }
            return new Page(total, entries);
        }
        catch (XmlException e)
        {
            var reason = e.Message;
            var cut = reason.IndexOf(" Line ", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut].TrimEnd();
            throw new PayloadException($"malformed XML: {reason}", $"line {e.LineNumber}, position {e.LinePosition}");
        }
    }

    private static Entry ReadEntry(XmlReader reader, IXmlLineInfo info)
    {
        var line = info.LineNumber;
        var position = $"line {line}";
        string? id = null, title = null, summary = null, primary = null;
        DateTime? published = null, updated = null;
        var authors = new List<string>();
        var categories = new List<string>();
        var depth = reader.Depth;
        if (reader.IsEmptyElement) throw new PayloadException("an empty entry", position);
        reader.Read();
        while (!reader.EOF && reader.Depth > depth)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }
            var ns = reader.NamespaceURI;
            var at = $"line {info.LineNumber}";
            switch (reader.LocalName)
            {
                case "id" when ns == AtomNamespace: id = reader.ReadElementContentAsString(); break;
                case "title" when ns == AtomNamespace: title = reader.ReadElementContentAsString(); break;
                case "summary" when ns == AtomNamespace: summary = reader.ReadElementContentAsString(); break;
                case "published" when ns == AtomNamespace: published = Time(reader.ReadElementContentAsString(), at, "published"); break;
                case "updated" when ns == AtomNamespace: updated = Time(reader.ReadElementContentAsString(), at, "updated"); break;
                case "author" when ns == AtomNamespace:
                    using (var author = reader.ReadSubtree())
                    {
                        while (author.Read())
                            if (author.NodeType == XmlNodeType.Element && author.LocalName == "name" && author.NamespaceURI == AtomNamespace)
                            {
                                var name = PaperIdentity.CleanText(author.ReadElementContentAsString());
                                if (name.Length > 0) authors.Add(name);
                            }
                    }
                    reader.Read();
                    break;
                case "category" when ns == AtomNamespace:
                    if (reader.GetAttribute("term") is { Length: > 0 } term && !categories.Contains(term)) categories.Add(term);
                    reader.Skip();
                    break;
                case "primary_category" when ns == ArxivNamespace:
                    primary = reader.GetAttribute("term");
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        reader.Read();

        if (id is null) throw new PayloadException("an entry without an id", position, "id");
        if (IsErrorEntry(id))
            throw new PayloadException($"arXiv answered with an error: {PaperIdentity.CleanText(summary ?? title ?? "")}", position, "id");
        var paperId = PaperId(id) ?? throw new PayloadException($"expected an arXiv abs URL, found '{Clip(id)}'", position, "id");
        var cleanTitle = PaperIdentity.CleanText(title ?? "");
        if (cleanTitle.Length == 0) throw new PayloadException("an entry without a title", position, "title");
        if (published is null) throw new PayloadException("an entry without its submission time", position, "published");
        return new Entry(paperId, cleanTitle, PaperIdentity.CleanText(summary ?? ""), authors, published.Value, updated, primary, categories, line);
    }

    /// <summary>An error the API answers in place of results (its id is under <c>/api/errors</c>).</summary>
    public static bool IsErrorEntry(string id) => id.Contains("/api/errors", StringComparison.Ordinal);

    /// <summary>
    /// <c>http://arxiv.org/abs/2501.01234v2</c> → <c>2501.01234</c>; old-style ids keep their archive
    /// (<c>cond-mat/0603029</c>). Null when <paramref name="url"/> is no abs URL.
    /// </summary>
    public static string? PaperId(string url)
    {
        var text = url.Trim();
        var at = text.IndexOf("/abs/", StringComparison.Ordinal);
        if (at < 0) return null;
        var id = text[(at + 5)..];
        var version = id.LastIndexOf('v');
        if (version > 0 && version < id.Length - 1 && id[(version + 1)..].All(char.IsAsciiDigit)) id = id[..version];
        if (PaperIdentity.ArxivId(id) is { } modern) return modern;
        var slash = id.IndexOf('/');
        return slash > 0 && id[..slash].All(c => char.IsAsciiLetterLower(c) || c is '-' or '.') && id[(slash + 1)..].Length == 7 && id[(slash + 1)..].All(char.IsAsciiDigit)
            ? id : null;
    }

    private static DateTime Time(string value, string position, string field) =>
        DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime
            : throw new PayloadException($"expected a date and time, found '{Clip(value)}'", position, field);

    private static string Clip(string value) => value.Length <= 60 ? value : value[..57] + "...";

    /// <summary>
    /// One feed of several pages' entries: the first page up to its first entry (the feed's own
    /// elements and namespaces), then every entry's bytes as answered, then the feed's end.
    /// </summary>
    public static byte[] Combine(byte[] firstPage, IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        var head = EntrySpans(firstPage) is { Count: > 0 } spans ? spans[0].Start : FeedEnd(firstPage);
        using var output = new MemoryStream();
        output.Write(firstPage, 0, head);
        foreach (var entry in entries)
        {
            output.Write("  "u8);
            output.Write(entry.Span);
            output.Write("\n"u8);
        }
        output.Write("</feed>\n"u8);
        return output.ToArray();
    }

    /// <summary>
    /// Where each <c>&lt;entry&gt;…&lt;/entry&gt;</c> of an answer lies in its bytes. Atom escapes
    /// markup inside text, so the only <c>&lt;entry</c> and <c>&lt;/entry&gt;</c> are the tags.
    /// </summary>
    public static List<(int Start, int Length)> EntrySpans(byte[] body)
    {
        var spans = new List<(int, int)>();
        var span = body.AsSpan();
        var from = 0;
        while (true)
        {
            var open = IndexOfEntryTag(span, from);
            if (open < 0) break;
            var close = span[open..].IndexOf("</entry>"u8);
            if (close < 0) break;
            var end = open + close + "</entry>".Length;
            spans.Add((open, end - open));
            from = end;
        }
        return spans;
    }

    private static int IndexOfEntryTag(ReadOnlySpan<byte> span, int from)
    {
        while (from < span.Length)
        {
            var at = span[from..].IndexOf("<entry"u8);
            if (at < 0) return -1;
            var next = from + at + "<entry".Length;
            if (next < span.Length && span[next] is (byte)'>' or (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r') return from + at;
            from = next;
        }
        return -1;
    }

    private static int FeedEnd(byte[] body)
    {
        var at = body.AsSpan().LastIndexOf("</feed>"u8);
        return at < 0 ? body.Length : at;
    }

}
