namespace TrendLens.Sources;

/// <summary>One paper on one day's list, as normalized from any source format.</summary>
public sealed record ListEntry(
    DateOnly ListDate,
    int Rank,
    string PaperId,
    string? ArxivId,
    string Title,
    string Abstract,
    IReadOnlyList<string> Authors,
    DateTime? PublishedAt = null,
    DateTime? SubmittedAt = null,
    int? Upvotes = null,
    int? NumComments = null,
    IReadOnlyList<string>? AiKeywords = null,
    string? AiSummary = null,
    string? GithubRepo = null,
    int? GithubStars = null,
    string? ProjectPage = null,
    string? Organization = null,
    string? OrganizationName = null);

/// <summary>One day's list from one payload.</summary>
public sealed record DailyList(DateOnly ListDate, IReadOnlyList<ListEntry> Entries);

/// <summary>What a payload normalized into, plus notes worth telling the user (e.g. an inferred date).</summary>
public sealed record NormalizedPayload(PayloadFormat Format, IReadOnlyList<DailyList> Lists, IReadOnlyList<string> Notes);

/// <summary>
/// A payload format: its name (stored with every payload, accepted by <c>import --format</c>) and
/// how Stage 2 reads it. The Daily Papers formats are built in; a source kind brings its own
/// (<see cref="SourceKind.Formats"/>), so a new format is added where its kind lives.
/// </summary>
public sealed class PayloadFormat
{
    public static readonly PayloadFormat HfJson = new("hf-json", [".json"], PayloadNormalizer.HfJson);
    public static readonly PayloadFormat HfJsonl = new("hf-jsonl", [".jsonl", ".ndjson"], PayloadNormalizer.HfJsonl);
    public static readonly PayloadFormat HfText = new("hf-text", [".txt"], (text, context) => HfTextReader.Read(System.Text.Encoding.UTF8.GetString(text.Span), context));

    /// <param name="name">Lower case, as stored and typed after <c>--format</c>.</param>
    /// <param name="extensions">File extensions an import of a folder picks up for it (<c>.json</c>).</param>
    /// <param name="read">Valid UTF-8 text → daily lists; throws <see cref="PayloadException"/> saying where and why.</param>
    /// <param name="recognizes">True when the first bytes are certainly this format (for <c>--format auto</c>).</param>
    public PayloadFormat(string name, IReadOnlyList<string> extensions, Func<ReadOnlyMemory<byte>, PayloadContext, NormalizedPayload> read,
        Func<ReadOnlySpan<byte>, bool>? recognizes = null)
    {
        Name = name;
        Extensions = extensions;
        Read = read;
        Recognizes = recognizes;
    }

    public string Name { get; }
    public IReadOnlyList<string> Extensions { get; }
    public Func<ReadOnlyMemory<byte>, PayloadContext, NormalizedPayload> Read { get; }
    public Func<ReadOnlySpan<byte>, bool>? Recognizes { get; }

    public override string ToString() => Name;
}

public static class PayloadFormats
{
    /// <summary>Every format: the built-in ones, then those of the source kinds.</summary>
    public static IReadOnlyList<PayloadFormat> All { get; } =
        [PayloadFormat.HfJson, PayloadFormat.HfJsonl, PayloadFormat.HfText, .. SourceKind.All.SelectMany(k => k.Formats)];

    /// <summary>What <c>--format</c> accepts: <c>auto</c> and every format's name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", .. All.Select(f => f.Name)];

    /// <summary>Parses a format name; null means "auto".</summary>
    public static PayloadFormat? Parse(string name) =>
        name == "auto" ? null
        : All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"unknown format '{name}' (expected one of {string.Join(", ", Names)})");
}

/// <summary>
/// A payload that could not be normalized. <see cref="Position"/> says where (a line, or a
/// JSON path) and <see cref="Field"/> which field, when known.
/// </summary>
public sealed class PayloadException(string message, string? position = null, string? field = null) : Exception(message)
{
    public string? Position { get; } = position;
    public string? Field { get; } = field;

    /// <summary>"line 3, field 'upvotes': expected an integer" — without the file name.</summary>
    public string Describe()
    {
        var where = string.Join(", ", new[] { Position, Field is null ? null : $"field '{Field}'" }.Where(s => s is not null));
        // A message quotes the input it refuses: one line, on a terminal the input cannot steer.
        return Printable.Of(where.Length == 0 ? Message : $"{where}: {Message}");
    }
}
