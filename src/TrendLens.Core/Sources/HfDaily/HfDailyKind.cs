namespace TrendLens.Sources;

/// <summary>
/// Hugging Face's Daily Papers list (<c>"Kind": "hf-daily-api"</c>): one list a day, ranked,
/// with upvotes that keep changing, so a list fetched again is kept as a revision. A source's
/// <c>Query</c> adds parameters to every request, e.g. <c>{"sort": "trending"}</c> for the
/// ranking the trending page shows, snapshotted as a source of its own.
/// </summary>
public sealed class HfDailyKind : SourceKind
{
    /// <summary>Parameters the fetch sets itself; a source's <c>Query</c> may not name them.</summary>
    private static readonly string[] Reserved = ["date", "limit", "p"];

    public override string Kind => HfDailyApi.Kind;
    public override string DefaultBaseUrl => "https://huggingface.co";
    public override int DefaultPageSize => HfDailyApi.MaxPageSize;
    public override int MaxPageSize => HfDailyApi.MaxPageSize;

    public override void Check(SourceConfig config)
    {
        foreach (var name in config.Query.Keys)
            if (Reserved.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw new SourceSettingsException($"Query:{name}", $"'{name}' is set by the fetch itself ({string.Join(", ", Reserved)}); remove it from Query");
        if (config.Options.GetChildren().FirstOrDefault() is { } unknown)
            throw new SourceSettingsException($"Options:{unknown.Key}", $"{Kind} sources have no option '{unknown.Key}'");
    }

    public override IListSource Open(SourceConfig config, HttpClient http, TimeProvider clock) => new Fetcher(this, new HfDailyApi(http), config);

    private sealed class Fetcher(SourceKind kind, HfDailyApi api, SourceConfig config) : IListSource
    {
        public SourceKind Kind => kind;

        public Task<FetchedList> FetchAsync(DateOnly date, CancellationToken cancel) =>
            api.FetchAsync(config.BaseUrl, date, config.PageSize, cancel, config.Query);
    }
}
