using Dapper;
using DuckDB.NET.Data;
using TrendLens.Charts;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Reviews;

public sealed record ReviewTopic(string Topic, long Papers, double Share, double PreviousShare, double TrailingShare)
{
    /// <summary>Change against the previous week, in percentage points.</summary>
    public double Change => (Share - PreviousShare) * 100;
}

public sealed record ReviewMover(string Family, long Papers, double Share, long PreviousPapers, double PreviousShare)
{
    public double Change => (Share - PreviousShare) * 100;

    /// <summary>The change's 95 % interval in percentage points (<see cref="ShareInterval.Difference"/>): its low end; an interval across 0 is a change chance gives.</summary>
    public double ChangeLow { get; init; } = double.NaN;

    /// <summary>The high end of the change's 95 % interval, in percentage points.</summary>
    public double ChangeHigh { get; init; } = double.NaN;

    /// <summary>The interval lies wholly on the change's side of 0.</summary>
    public bool Clear => Change > 0 ? ChangeLow > 0 : ChangeHigh < 0;
}

/// <summary>A topic or family the community's list carried more (or less) often than the base that week: its shares and lift with the 95 % interval.</summary>
public sealed record ReviewLiftTag(string Kind, string Tag, long Papers, long BasePapers, double Share, double BaseShare, double Lift, double Low, double High);

/// <summary>
/// The week's picks against the base rate: the topics and families whose lift's interval lies
/// wholly above 1 (<see cref="Over"/>, largest lift first) or wholly below (<see cref="Under"/>,
/// smallest first), at most <see cref="WeeklyReviewer.LiftShown"/> each.
/// </summary>
public sealed record ReviewLift(string Source, string Base, long Listed, long BaseListed, IReadOnlyList<ReviewLiftTag> Over, IReadOnlyList<ReviewLiftTag> Under)
{
    /// <summary>The days of the week compared, "2025-01-23 – 2025-01-26", when the two sources do not both cover all of it; null when they do.</summary>
    public string? Days { get; init; }
}

public sealed record ReviewPaper(string PaperId, string Title, long DaysListed, int BestRank, int? MaxUpvotes, DateOnly FirstListed);

/// <summary>Everything one weekly review says, computed from the same queries as the dashboards.</summary>
public sealed record WeeklyReview(
    IsoWeek Week,
    long Listed,
    long NewPapers,
    long DaysListed,
    long DaysExpected,
    IReadOnlyList<DateOnly> MissingWeekdays,
    long PreviousListed,
    IReadOnlyList<ReviewTopic> Topics,
    IReadOnlyList<EmergingTag> Emerging,
    IReadOnlyList<ReviewMover> MoversUp,
    IReadOnlyList<ReviewMover> MoversDown,
    IReadOnlyList<Burst> Bursts,
    IReadOnlyList<ReviewPaper> TopPapers,
    DateOnly? DataAsOf,
    string? LexiconVersion,
    bool Demo)
{
    /// <summary>Saturdays and Sundays of the week with a list: counted in <see cref="DaysExpected"/> beside the weekdays.</summary>
    public long WeekendDaysListed { get; init; }

    /// <summary>Model versions named for the first time this week, or rising (the same rules as <c>query emerging --of versions</c>).</summary>
    public IReadOnlyList<EmergingTag> Versions { get; init; } = [];

    /// <summary>When no keyphrase rose this week, the one that came closest; null otherwise.</summary>
    public NearMiss? EmergingClosest { get; init; }

    /// <summary>"Nothing rose significantly this week.", with the closest candidate when there was one.</summary>
    public string NothingRose => $"Nothing rose significantly this week{NearMiss.After(EmergingClosest)}.";

    /// <summary>The week's window against its baseline, as the emerging lists compare them.</summary>
    public string EmergingWindows { get; init; } = "";

    /// <summary>
    /// The community's list against the base source that week; null when either has no list in
    /// the week (and in reviews archived before the section existed), and then the review has no such section.
    /// </summary>
    public ReviewLift? Lift { get; init; }

    /// <summary>The source whose lists the review counts ('' = every source; reviews archived before this was recorded).</summary>
    public string Source { get; init; } = "";

    /// <summary>The latest stored list is of a day before the week's Friday: its later weekdays have no list, and are not counted.</summary>
    public bool EndsEarly => DataAsOf is { } asOf && asOf >= Week.Monday && asOf < Week.Monday.AddDays(4);

    /// <summary>
    /// What a review generated at <paramref name="generated"/> says of a week whose lists end
    /// early (<see cref="EndsEarly"/>): still in progress when generated before the week was over,
    /// else that nothing after the latest list is stored; null when the week's lists do not end early.
    /// </summary>
    public string? EndNote(DateTimeOffset generated) => !EndsEarly ? null
        : DateOnly.FromDateTime(generated.UtcDateTime) <= Week.Sunday ? $"the week is still in progress: data as of {Days.Text(DataAsOf!.Value)}"
        : $"no list is stored after {Days.Text(DataAsOf!.Value)}, so the week's later weekdays are not counted";
}

public sealed class ReviewException(string message) : Exception(message);

/// <summary>
/// Stage 7, Review: the numbers of one ISO week — papers listed and new, topic shares against the
/// previous week and the trailing 12 weeks, emerging keywords, model-family movers, bursts that
/// started, top papers and coverage — from the same SQL the dashboards and `query` use.
/// </summary>
public static class WeeklyReviewer
{
    public const int TopTopics = 10;
    public const int TrailingWeeks = 12;
    public const int Movers = 5;
    public const int TopPapersShown = 10;
    public const int LiftShown = 5;

    private sealed record Share(DateTime Period, string Tag, long Papers, double Share_, long Listed);

    /// <param name="primary">
    /// The source the review reads when it has lists (the first configured one), else every
    /// source (see <see cref="ReadSource"/>); the lift section compares it with the base.
    /// </param>
    public static WeeklyReview Build(Database database, DuckDBConnection connection, IsoWeek week, bool demo = false, string? primary = Lift.DefaultSource, IReadOnlyList<string>? baseSources = null)
    {
        var (from, to) = (week.Monday, week.Sunday);
        var stored = RollupTables.Sources(connection);
        var source = ReadSource.Resolve("", primary, stored)!;
        var headline = connection.QuerySingle<(long Listed, long NewPapers, long DaysListed)>(SqlCatalog.Get("reviews/week_headline"), new { from, to, source });
        if (headline.Listed == 0) throw new ReviewException($"no lists stored for {week} ({from:yyyy-MM-dd} to {to:yyyy-MM-dd})");
        var dataAsOf = connection.ExecuteScalar<DateTime?>(SqlCatalog.Get("rollup/data_as_of")) is { } d ? DateOnly.FromDateTime(d) : (DateOnly?)null;
        var listedDays = connection.Query<(DateOnly ListDate, long Papers)>(SqlCatalog.Get("rollup/listed_days"), new { from, to, source })
            .Select(r => r.ListDate).ToHashSet();
        var lastDay = dataAsOf is { } asOf && asOf < to ? asOf : to;
        var weekdays = Enumerable.Range(0, 5).Select(i => from.AddDays(i)).Where(day => day <= lastDay).ToList();
        var missing = weekdays.Where(day => !listedDays.Contains(day)).ToList();
        // A source that lists on weekends (arXiv's submissions) is expected on those days too.
        var weekend = listedDays.Count(day => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday);

        // Topics: this week's top, with the same topics' shares the week before and over the 12 weeks before.
        var topics = Shares(connection, "rollup/topic_share_by_period", from, to, TopTopics, [], source);
        var names = topics.Select(t => t.Tag).ToList();
        var previous = Shares(connection, "rollup/topic_share_by_period", week.Previous.Monday, week.Previous.Sunday, 0, names, source)
            .ToDictionary(t => t.Tag, t => t.Share_);
        var trailing = Shares(connection, "rollup/topic_share_by_period", from.AddDays(-7 * TrailingWeeks), from.AddDays(-1), 0, names, source)
            .GroupBy(t => t.Tag).ToDictionary(g => g.Key, g => g.Average(t => t.Share_));
        var reviewTopics = topics.Where(t => t.Papers > 0)
            .Select(t => new ReviewTopic(t.Tag, t.Papers, t.Share_, previous.GetValueOrDefault(t.Tag), trailing.GetValueOrDefault(t.Tag)))
            .ToList();

        // Model families: every family in either week, this week against the previous one.
        var families = Shares(connection, "rollup/family_share_by_period", from, to, 0, [], source).Where(f => f.Papers > 0).ToDictionary(f => f.Tag);
        var before = Shares(connection, "rollup/family_share_by_period", week.Previous.Monday, week.Previous.Sunday, 0, [], source).Where(f => f.Papers > 0).ToDictionary(f => f.Tag);
        var previousListed = connection.QuerySingle<(long Listed, long NewPapers, long DaysListed)>(SqlCatalog.Get("reviews/week_headline"),
            new { from = week.Previous.Monday, to = week.Previous.Sunday, source }).Listed;
        var movers = families.Keys.Union(before.Keys)
            .Select(name =>
            {
                var (now, then) = (families.GetValueOrDefault(name), before.GetValueOrDefault(name));
                var (low, high) = ShareInterval.Difference(now?.Papers ?? 0, now?.Listed ?? headline.Listed, then?.Papers ?? 0, then?.Listed ?? previousListed);
                return new ReviewMover(name, now?.Papers ?? 0, now?.Share_ ?? 0, then?.Papers ?? 0, then?.Share_ ?? 0) { ChangeLow = low * 100, ChangeHigh = high * 100 };
            })
            .ToList();
        var up = movers.Where(m => m.Change > 0).OrderByDescending(m => m.Change).ThenBy(m => m.Family, StringComparer.Ordinal).Take(Movers).ToList();
        var down = movers.Where(m => m.Change < 0).OrderBy(m => m.Change).ThenBy(m => m.Family, StringComparer.Ordinal).Take(Movers).ToList();

        var rising = Emergence.Rank(database, connection, TagKind.Terms, new EmergenceOptions { From = from, To = to, Top = 15, Source = source });
        var emerging = rising.Tags;
        var versions = Emergence.Rank(database, connection, TagKind.Versions, new EmergenceOptions { From = from, To = to, Top = 10, Source = source }.ForVersions()).Tags;
        var bursts = Rollup.Bursts.Detect(database, connection, TagKind.Terms, new BurstOptions { From = from.AddDays(-7 * (TrailingWeeks + 1)), To = to, Source = source })
            .Where(b => b.Start >= from && b.Start <= to)
            .Take(10)
            .ToList();
        var papers = connection.Query<ReviewPaper>(SqlCatalog.Get("papers/top_papers"), new { from, to, top = TopPapersShown, source }).ToList();
        var lexicon = connection.ExecuteScalar<string?>(SqlCatalog.Get("tagging/lexicon_version_in_use"));

        return new WeeklyReview(week, headline.Listed, headline.NewPapers, headline.DaysListed, weekdays.Count + weekend, missing, previousListed,
            reviewTopics, emerging, up, down, bursts, papers, dataAsOf, lexicon, demo) { WeekendDaysListed = weekend, Versions = versions, EmergingWindows = rising.Windows, EmergingClosest = rising.Closest, Lift = SourceLift(connection, week, source.Length > 0 ? source : Lift.DefaultSource, Lift.BaseOf(baseSources ?? [], stored), stored), Source = source };
    }

    /// <summary>Topics and families of the review's source against the base (<see cref="Lift.BaseOf"/>) in the week; null unless both (two sources) have lists in it.</summary>
    private static ReviewLift? SourceLift(DuckDBConnection connection, IsoWeek week, string source, string @base, IReadOnlyList<string> stored)
    {
        if (source == @base || !stored.Contains(source) || !stored.Contains(@base)) return null;
        var options = new LiftOptions { From = week.Monday, To = week.Sunday, Grain = "week", Source = source, Base = @base };
        var rows = new List<ReviewLiftTag>();
        (long Listed, long BaseListed)? listed = null;
        string? days = null;
        foreach (var (kind, name) in new[] { (TagKind.Topics, "topic"), (TagKind.Families, "family") })
        {
            var result = Lift.Compute(connection, kind, options);
            if (result.From is not { } from || result.To is not { } to) return null;
            if (from > week.Monday || to < week.Sunday) days = $"{Days.Text(from)} – {Days.Text(to)}";
            foreach (var r in result.Rows)
            {
                listed ??= (r.Listed, r.BaseListed);
                if (r.Lift is { Excludes1: true } l) rows.Add(new ReviewLiftTag(name, r.Tag, r.Papers, r.BasePapers, r.Share, r.BaseShare, l.Lift, l.Low, l.High));
            }
        }
        return new ReviewLift(source, @base, listed?.Listed ?? 0, listed?.BaseListed ?? 0,
            rows.Where(r => r.Low > 1).OrderByDescending(r => r.Lift).ThenBy(r => r.Tag, StringComparer.Ordinal).Take(LiftShown).ToList(),
            rows.Where(r => r.High < 1).OrderBy(r => r.Lift).ThenBy(r => r.Tag, StringComparer.Ordinal).Take(LiftShown).ToList()) { Days = days };
    }

    private static List<Share> Shares(DuckDBConnection connection, string query, DateOnly from, DateOnly to, int top, IReadOnlyList<string> names, string source) =>
        connection.Query<(DateTime Period, string Tag, long Papers, double Share, long Listed, long DaysListed, long DaysExpected)>(
                SqlCatalog.Get(query), new { from, to, grain = "week", top, names = string.Join('\u001f', names), source })
            .Select(r => new Share(r.Period, r.Tag, r.Papers, r.Share, r.Listed))
            .ToList();
}
