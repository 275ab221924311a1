namespace TrendLens.Cli.Web.Components;

/// <summary>A paper in a <see cref="PaperTable"/>.</summary>
public sealed record PaperRow(string Id, string? Title, long DaysListed, int BestRank, long? Upvotes)
{
    /// <summary>"first – last" day listed, when the table shows it.</summary>
    public string? Listed { get; init; }

    /// <summary>The tags it was chosen by, when the table shows them.</summary>
    public string? Matched { get; init; }

    /// <summary>Why it has the topics it was chosen by (<see cref="TrendLens.Tagging.TopicReason"/>), on a topic's papers.</summary>
    public string? Why { get; init; }
}
