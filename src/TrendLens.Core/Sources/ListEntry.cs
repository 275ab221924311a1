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

public enum PayloadFormat
{
    HfJson,
    HfJsonl,
    HfText,
}

public static class PayloadFormats
{
    public static string Name(this PayloadFormat format) => format switch
    {
        PayloadFormat.HfJson => "hf-json",
        PayloadFormat.HfJsonl => "hf-jsonl",
        PayloadFormat.HfText => "hf-text",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static readonly IReadOnlyList<string> Names = ["auto", "hf-json", "hf-jsonl", "hf-text"];

    /// <summary>Parses a format name; null means "auto".</summary>
    public static PayloadFormat? Parse(string name) => name switch
    {
        "auto" => null,
        "hf-json" => PayloadFormat.HfJson,
        "hf-jsonl" => PayloadFormat.HfJsonl,
        "hf-text" => PayloadFormat.HfText,
        _ => throw new ArgumentException($"unknown format '{name}' (expected one of {string.Join(", ", Names)})"),
    };
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
        return where.Length == 0 ? Message : $"{where}: {Message}";
    }
}
