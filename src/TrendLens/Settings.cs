using Microsoft.Extensions.Configuration;
using Quartz;
using TrendLens.Snapshots;
using TrendLens.Sources;

namespace TrendLens.Cli;

/// <summary>
/// The <c>TrendLens</c> section of the configuration (<see cref="AddSources"/>): <c>appsettings.json</c>
/// beside the program, then the file named by <c>TRENDLENS_CONFIG</c>, then environment variables
/// (<c>TrendLens__Sources__0__BaseUrl</c>, and <c>TRENDLENS_ADMIN_TOKEN</c> for the admin token).
/// Checked before use (a command) or when the server starts: a bad value stops the program with
/// the key that holds it.
/// </summary>
public sealed class TrendLensSettings
{
    public const string Section = "TrendLens";

    /// <summary>Bearer token that write endpoints require; empty refuses every write.</summary>
    public string AdminToken { get; set; } = "";

    /// <summary>Run the scheduled jobs inside <c>serve</c> (never for the demo database).</summary>
    public bool Scheduler { get; set; } = true;

    public List<SourceSettings> Sources { get; set; } = [];

    /// <summary>The kind of the configured source named <paramref name="name"/>; null when no configured source has that name.</summary>
    public SourceKind? KindOfSource(string name) => Sources.FirstOrDefault(s => s.Name == name)?.KindOf();

    /// <summary>The names of the configured <c>arxiv</c> sources, in order: the base rate pages and reviews compare against is the first whose lists are stored (<see cref="Rollup.Lift.BaseOf"/>).</summary>
    public IReadOnlyList<string> BaseSources() => [.. Sources.Where(s => s.Kind == ArxivKind.Name).Select(s => s.Name)];

    /// <summary>Quartz cron of the weekly review of the week just ended: Mondays at 07:00 by default.</summary>
    public string ReviewSchedule { get; set; } = "0 0 7 ? * MON";

    public string ReviewTimeZone { get; set; } = "UTC";

    /// <summary>Where the weekly job also writes each review's files (one folder per week); empty: the archive only.</summary>
    public string ReviewFolder { get; set; } = "";

    /// <summary>The most the server's cache of rendered charts, pages and panel rows holds, in MiB (estimated from their bytes).</summary>
    public int RenderCacheMegabytes { get; set; } = 256;

    /// <summary>DuckDB's memory limit inside <c>serve</c>, in MiB: its buffers and query working memory (larger work spills to a temporary file).</summary>
    public int DatabaseMemoryMegabytes { get; set; } = Storage.Database.ServerMemoryMegabytes;

    /// <summary>
    /// Where the configuration comes from, for the command line and the server alike:
    /// <c>appsettings.json</c> beside the program, then the file named by <c>TRENDLENS_CONFIG</c>,
    /// then environment variables.
    /// </summary>
    /// <remarks>
    /// A <c>Sources</c> list in the <c>TRENDLENS_CONFIG</c> file replaces the shipped list instead of
    /// being merged with it entry by entry (configuration merges arrays by index, which would
    /// give a user's only source the shipped first source's remaining keys).
    /// </remarks>
    public static IConfigurationBuilder AddSources(IConfigurationBuilder builder)
    {
        var shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");
        if (Environment.GetEnvironmentVariable("TRENDLENS_CONFIG") is not { Length: > 0 } file)
            return builder.AddJsonFile(shipped, optional: true).AddEnvironmentVariables();

        if (Directory.Exists(file)) throw new SettingsException($"TRENDLENS_CONFIG names {file}, a folder; name the JSON settings file in it");
        if (!File.Exists(file)) throw new SettingsException($"TRENDLENS_CONFIG names {file}, which does not exist");
        var user = Path.GetFullPath(file);
        var sources = $"{Section}:{nameof(Sources)}";
        var replacesSources = new ConfigurationBuilder().AddJsonFile(user, optional: false).Build().GetSection(sources).Exists();
        var defaults = new ConfigurationBuilder().AddJsonFile(shipped, optional: true).Build().AsEnumerable()
            .Where(kv => kv.Value is not null && !(replacesSources && kv.Key.StartsWith(sources + ":", StringComparison.OrdinalIgnoreCase)));
        return builder.AddInMemoryCollection(defaults).AddJsonFile(user, optional: false).AddEnvironmentVariables();
    }

    /// <summary>Reads and checks the settings (for a command); throws <see cref="SettingsException"/> naming the key of a bad value.</summary>
    public static TrendLensSettings Load()
    {
        IConfiguration configuration;
        try
        {
            configuration = AddSources(new ConfigurationBuilder()).Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new SettingsException($"configuration: {e.Message}");
        }
        var settings = new TrendLensSettings();
        Bind(configuration.GetSection(Section), settings);
        return settings.Validate();
    }

    /// <summary>
    /// Fills <paramref name="settings"/> from the <c>TrendLens</c> section (a key the settings do not
    /// have is an error, so a typo is not silently ignored) and <c>TRENDLENS_ADMIN_TOKEN</c>.
    /// </summary>
    public static void Bind(IConfiguration section, TrendLensSettings settings)
    {
        try
        {
            section.Bind(settings, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new SettingsException($"configuration section {Section}: {e.Message}");
        }
        if (Environment.GetEnvironmentVariable("TRENDLENS_ADMIN_TOKEN") is { Length: > 0 } token) settings.AdminToken = token;
    }

    /// <summary>The server's check of its bound settings at start (<c>ValidateOnStart</c>): the same rules as <see cref="Validate"/>.</summary>
    public sealed class Validation : Microsoft.Extensions.Options.IValidateOptions<TrendLensSettings>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, TrendLensSettings options)
        {
            try
            {
                options.Validate();
                return Microsoft.Extensions.Options.ValidateOptionsResult.Success;
            }
            catch (SettingsException e)
            {
                return Microsoft.Extensions.Options.ValidateOptionsResult.Fail(e.Message);
            }
        }
    }

    /// <summary>Throws <see cref="SettingsException"/> for the first bad value, naming its key.</summary>
    public TrendLensSettings Validate()
    {
        if (AdminToken.Length > 0 && string.IsNullOrWhiteSpace(AdminToken))
            throw new SettingsException($"{Section}:AdminToken (or TRENDLENS_ADMIN_TOKEN) is only white space: set a real token, or leave it empty to refuse every write");
        if (!CronExpression.TryParse(ReviewSchedule, out _))
            throw new SettingsException($"{Section}:ReviewSchedule '{ReviewSchedule}' is not a Quartz cron expression (e.g. 0 0 7 ? * MON)");
        if (!KnownTimeZone(ReviewTimeZone)) throw new SettingsException($"{Section}:ReviewTimeZone '{ReviewTimeZone}' is not a time zone this machine knows");
        if (RenderCacheMegabytes is < 1 or > 65_536) throw new SettingsException($"{Section}:RenderCacheMegabytes must be 1 to 65536, not {RenderCacheMegabytes}");
        if (DatabaseMemoryMegabytes is < 128 or > 1_048_576) throw new SettingsException($"{Section}:DatabaseMemoryMegabytes must be 128 to 1048576, not {DatabaseMemoryMegabytes}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Sources.Count; i++)
        {
            var s = Sources[i];
            var key = $"{Section}:Sources:{i}";
            if (string.IsNullOrWhiteSpace(s.Name) || s.Name.Length > 64 || s.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                throw new SettingsException($"{key}:Name must be 1 to 64 letters, digits, '-', '_' or '.', not '{s.Name}'");
            if (!names.Add(s.Name)) throw new SettingsException($"{key}:Name '{s.Name}' is used by two sources");
            if (SourceKind.Find(s.Kind) is not { } kind)
                throw new SettingsException($"{key}:Kind must be one of {string.Join(", ", SourceKind.All.Select(k => k.Kind))}, not '{s.Kind}'");
            s.BaseUrl ??= kind.DefaultBaseUrl;
            s.PageSize ??= kind.DefaultPageSize;
            s.LagDays ??= kind.DefaultLagDays;
            if (!Uri.TryCreate(s.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                throw new SettingsException($"{key}:BaseUrl must be an absolute http or https URL, not '{s.BaseUrl}'");
            if (s.PageSize < 1 || s.PageSize > kind.MaxPageSize) throw new SettingsException($"{key}:PageSize must be 1 to {kind.MaxPageSize} for {kind.Kind} sources");
            foreach (var (name, value) in s.Query)
                if (name.Length == 0 || value is null)
                    throw new SettingsException($"{key}:Query:{name} needs a name and a value");
            try
            {
                kind.Check(s.ToConfig());
            }
            catch (SourceSettingsException e)
            {
                throw new SettingsException($"{key}:{e.Key}: {e.Message}");
            }
            if (!CronExpression.TryParse(s.Schedule, out _))
                throw new SettingsException($"{key}:Schedule '{s.Schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. 0 30 6 * * ?)");
            if (!KnownTimeZone(s.TimeZone)) throw new SettingsException($"{key}:TimeZone '{s.TimeZone}' is not a time zone this machine knows");
            if (s.CatchUpDays is < 0 or > 366) throw new SettingsException($"{key}:CatchUpDays must be 0 to 366");
            if (s.BackfillDays is < 0 or > 3660) throw new SettingsException($"{key}:BackfillDays must be 0 to 3660");
            if (s.LagDays is < 0 or > 3660) throw new SettingsException($"{key}:LagDays must be 0 to 3660");
            if (!(s.AttemptTimeoutSeconds is > 0 and <= 600)) throw new SettingsException($"{key}:AttemptTimeoutSeconds must be more than 0 and at most 600");
            if (!(s.TotalTimeoutSeconds >= s.AttemptTimeoutSeconds && s.TotalTimeoutSeconds <= 3600)) throw new SettingsException($"{key}:TotalTimeoutSeconds must be at least AttemptTimeoutSeconds and at most 3600");
            if (s.Retries is < 0 or > 10) throw new SettingsException($"{key}:Retries must be 0 to 10");
            if (!(s.RetryDelaySeconds is > 0 and <= 300)) throw new SettingsException($"{key}:RetryDelaySeconds must be more than 0 and at most 300");
            if (!(s.BreakSeconds is > 0 and <= 86400)) throw new SettingsException($"{key}:BreakSeconds must be more than 0 and at most 86400");
        }
        return this;
    }

    private static bool KnownTimeZone(string id)
    {
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return false;
        }
    }

    public SourceSettings? Find(string? name) => name is null ? Sources.FirstOrDefault() : Sources.FirstOrDefault(s => s.Name == name);
}

/// <summary>
/// One live source: its kind, where it is, when to fetch it and how patiently. <c>BaseUrl</c>,
/// <c>PageSize</c> and <c>LagDays</c> default to the kind's (filled in by
/// <see cref="TrendLensSettings.Validate"/>); <c>Query</c> adds parameters to every request;
/// <c>Options</c> holds the settings only its kind knows (see docs/sources.md).
/// </summary>
public sealed class SourceSettings
{
    public string Name { get; set; } = SnapshotWriter.DefaultSource;
    public string Kind { get; set; } = HfDailyApi.Kind;
    public string? BaseUrl { get; set; }
    /// <summary>Quartz cron (with seconds): daily at 06:30 by default.</summary>
    public string Schedule { get; set; } = "0 30 6 * * ?";
    public string TimeZone { get; set; } = "UTC";
    public int? PageSize { get; set; }
    /// <summary>Extra query parameters of every request, e.g. <c>{"sort": "trending"}</c>.</summary>
    public Dictionary<string, string> Query { get; set; } = new(StringComparer.Ordinal);
    /// <summary>The kind's own settings (e.g. an arxiv source's <c>Categories</c>).</summary>
    public IConfigurationSection? Options { get; set; }
    /// <summary>How many days back each run (and the start-up catch-up) looks for days not yet stored, or failed.</summary>
    public int CatchUpDays { get; set; } = 7;
    /// <summary>Each run also fetches the days after the last stored list, this many days back at most: a server down for months fills its gap.</summary>
    public int BackfillDays { get; set; } = 120;
    /// <summary>The newest list fetched is this many days before today (UTC), when its list is complete.</summary>
    public int? LagDays { get; set; }
    public double AttemptTimeoutSeconds { get; set; } = 30;
    public double TotalTimeoutSeconds { get; set; } = 300;
    public int Retries { get; set; } = 4;
    public double RetryDelaySeconds { get; set; } = 2;
    /// <summary>After repeated failures the source rests this long before it is asked again.</summary>
    public double BreakSeconds { get; set; } = 300;

    /// <summary>The kind named by <see cref="Kind"/> (settings are checked before use, so it exists).</summary>
    public SourceKind KindOf() => SourceKind.Find(Kind) ?? throw new SettingsException($"no source kind '{Kind}'");

    /// <summary>Days before today of the newest list fetched (the kind's default until <see cref="TrendLensSettings.Validate"/> fills it).</summary>
    public int Lag() => LagDays ?? KindOf().DefaultLagDays;

    public FetchSource ToFetchSource() => new(Name, TimeSpan.FromSeconds(TotalTimeoutSeconds));

    public SourceConfig ToConfig() => new(Name, new Uri(BaseUrl ?? KindOf().DefaultBaseUrl), PageSize ?? KindOf().DefaultPageSize, Query,
        (IConfiguration?)Options ?? new ConfigurationBuilder().Build(), Retries, TimeSpan.FromSeconds(RetryDelaySeconds));
}

public sealed class SettingsException(string message) : Exception(message);
