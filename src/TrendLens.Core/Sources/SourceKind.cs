using Microsoft.Extensions.Configuration;

namespace TrendLens.Sources;

/// <summary>
/// A kind of live source (<c>Kind</c> in a source's settings): how to fetch one list date from it,
/// the payload formats it stores, and the settings it adds to the ones every source has. The
/// scheduler, run history, quarantine, revisions, <c>/admin/runs</c> and the coverage calendar
/// know nothing more of a source than this, so a new kind is one folder under <c>Sources/</c>
/// holding a subclass (found by <see cref="All"/>), its fetch, its format and its settings.
/// </summary>
public abstract class SourceKind
{
    /// <summary>The name in settings (<c>"Kind": "arxiv"</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>Where a source of this kind is when its settings name no <c>BaseUrl</c>.</summary>
    public abstract string DefaultBaseUrl { get; }

    public abstract int DefaultPageSize { get; }
    public abstract int MaxPageSize { get; }

    /// <summary>Days after a list date when its list is complete, when the settings name no <c>LagDays</c>.</summary>
    public virtual int DefaultLagDays => 1;

    /// <summary>
    /// A stored list of this kind never changes (a past day's submissions), so a range fetch skips
    /// the days already stored and a backfill resumes where it stopped. Lists that change after
    /// the fact (upvotes, ranks) are fetched again and kept as revisions.
    /// </summary>
    public virtual bool ListsAreFinal => false;

    /// <summary>
    /// The kind waits between requests and retries by itself (a source with terms on request
    /// rates); the HTTP client then only bounds each attempt's time and rests a failing source.
    /// </summary>
    public virtual bool PacesItself => false;

    /// <summary>The <c>Accept</c> header of its requests.</summary>
    public virtual string Accept => "application/json";

    /// <summary>The payload formats this kind stores, beyond the built-in ones.</summary>
    public virtual IReadOnlyList<PayloadFormat> Formats => [];

    /// <summary>
    /// Checks the kind's own settings (its <c>Options</c> section and <c>Query</c>); throws
    /// <see cref="SourceSettingsException"/> naming the key, relative to the source's section.
    /// </summary>
    public virtual void Check(SourceConfig config) { }

    /// <summary>A fetcher of this source's lists over <paramref name="http"/>; <paramref name="clock"/> paces its requests.</summary>
    public abstract IListSource Open(SourceConfig config, HttpClient http, TimeProvider clock);

    /// <summary>Every kind in this assembly: each concrete subclass with a parameterless constructor.</summary>
    public static IReadOnlyList<SourceKind> All { get; } = typeof(SourceKind).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(SourceKind)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (SourceKind)Activator.CreateInstance(t)!)
        .OrderBy(k => k.Kind, StringComparer.Ordinal)
        .ToList();

    public static SourceKind? Find(string? kind) => All.FirstOrDefault(k => k.Kind == kind);

    /// <summary>The kind whose own format <paramref name="format"/> is; null for the built-in formats, which any source may store.</summary>
    public static SourceKind? Owner(PayloadFormat format) => All.FirstOrDefault(k => k.Formats.Contains(format));

    /// <summary>The kind that owns <paramref name="format"/> when it is not <paramref name="kind"/>: a source of <paramref name="kind"/> may not store it. Null when it may (or no kind is known).</summary>
    public static SourceKind? OtherOwner(PayloadFormat format, SourceKind? kind) =>
        kind is not null && Owner(format) is { } owner && owner != kind ? owner : null;
}

/// <summary>A live source's settings as its kind reads them (defaults already filled in).</summary>
/// <param name="Query">Extra query parameters added to every request (e.g. <c>sort=trending</c>).</param>
/// <param name="Options">The source's <c>Options</c> section: settings only its kind knows.</param>
/// <param name="Retries">For a kind that retries by itself (<see cref="SourceKind.PacesItself"/>): attempts after the first.</param>
/// <param name="RetryDelay">Its first wait between attempts when the answer names none; doubled each time.</param>
public sealed record SourceConfig(string Name, Uri BaseUrl, int PageSize, IReadOnlyDictionary<string, string> Query, IConfiguration Options,
    int Retries, TimeSpan RetryDelay);

/// <summary>A bad kind-specific setting: <see cref="Key"/> is relative to the source's section (e.g. <c>Options:Categories:0</c>).</summary>
public sealed class SourceSettingsException(string key, string message) : Exception(message)
{
    public string Key { get; } = key;
}

/// <summary>Stage 1, Fetch, for one configured source.</summary>
public interface IListSource
{
    SourceKind Kind { get; }

    /// <summary>The list of <paramref name="date"/>, whole (every page); throws <see cref="FetchException"/> when there is no usable answer.</summary>
    Task<FetchedList> FetchAsync(DateOnly date, CancellationToken cancel);
}
