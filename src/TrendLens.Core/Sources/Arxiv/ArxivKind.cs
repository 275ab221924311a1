using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace TrendLens.Sources;

/// <summary>The <c>Options</c> of an <c>arxiv</c> source.</summary>
public sealed class ArxivOptions
{
    /// <summary>arXiv categories whose new submissions make the list; a paper in several counts once.</summary>
    public List<string> Categories { get; set; } = [];

    /// <summary>The least time between the end of one request and the start of the next (arXiv asks for 3 s).</summary>
    public double RequestSpacingSeconds { get; set; } = 3;

    public static readonly IReadOnlyList<string> DefaultCategories = ["cs.LG", "cs.CL", "cs.CV", "cs.AI"];
}

/// <summary>
/// Everything submitted to arXiv in the configured categories (<c>"Kind": "arxiv"</c>): the base
/// rate the Daily Papers list is picked from. A list date is the day (UTC) of the papers' first
/// submission; that day's list is complete once arXiv has announced it, up to four days later
/// (Friday-afternoon and weekend submissions are announced on Monday evening, US Eastern), hence
/// a default <c>LagDays</c> of 4. A past day's submissions do not change, so a range fetch skips
/// stored days and a backfill resumes where it stopped.
/// </summary>
public sealed partial class ArxivKind : SourceKind
{
    public const string Name = "arxiv";

    /// <summary>Parameters the fetch sets itself; a source's <c>Query</c> may not name them.</summary>
    private static readonly string[] Reserved = ["search_query", "id_list", "start", "max_results", "sortBy", "sortOrder"];

    [GeneratedRegex(@"^[a-z][a-z-]*(\.[A-Za-z][A-Za-z-]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CategoryPattern();

    public override string Kind => Name;
    public override string DefaultBaseUrl => "https://export.arxiv.org";
    public override int DefaultPageSize => 500;
    /// <summary>arXiv serves at most 2,000 results a request.</summary>
    public override int MaxPageSize => 2000;
    public override int DefaultLagDays => 4;
    public override bool ListsAreFinal => true;
    public override bool PacesItself => true;
    public override string Accept => "application/atom+xml";
    public override IReadOnlyList<PayloadFormat> Formats => [ArxivAtom.Format];

    /// <summary>The source's options, defaults filled in; throws <see cref="SourceSettingsException"/> for a bad one.</summary>
    public static ArxivOptions Options(IConfiguration section)
    {
        var options = new ArxivOptions();
        try
        {
            section.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new SourceSettingsException("Options", e.Message);
        }
        if (options.Categories.Count == 0) options.Categories = [.. ArxivOptions.DefaultCategories];
        for (var i = 0; i < options.Categories.Count; i++)
            if (!CategoryPattern().IsMatch(options.Categories[i]))
                throw new SourceSettingsException($"Options:Categories:{i}", $"'{options.Categories[i]}' is not an arXiv category (like cs.LG or stat.ML)");
        if (options.Categories.Distinct(StringComparer.Ordinal).Count() != options.Categories.Count)
            throw new SourceSettingsException("Options:Categories", "a category is named twice");
        if (!(options.RequestSpacingSeconds is >= 3 and <= 600))
            throw new SourceSettingsException("Options:RequestSpacingSeconds", $"must be 3 to 600 (arXiv asks for at least 3 s between requests), not {options.RequestSpacingSeconds}");
        return options;
    }

    public override void Check(SourceConfig config)
    {
        foreach (var name in config.Query.Keys)
            if (Reserved.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new SourceSettingsException($"Query:{name}", $"'{name}' is set by the fetch itself ({string.Join(", ", Reserved)}); remove it from Query");
        Options(config.Options);
    }

    public override IListSource Open(SourceConfig config, HttpClient http, TimeProvider clock) =>
        new Fetcher(this, new ArxivApi(http, config, Options(config.Options), config.Retries, config.RetryDelay, clock));

    private sealed class Fetcher(SourceKind kind, ArxivApi api) : IListSource
    {
        public SourceKind Kind => kind;
        public Task<FetchedList> FetchAsync(DateOnly date, CancellationToken cancel) => api.FetchAsync(date, cancel);
    }
}
