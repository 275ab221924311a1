using System.Globalization;
using System.Text;
using TrendLens.Charts;
using TrendLens.Dashboards;

namespace TrendLens.Reviews;

/// <summary>
/// A weekly review as Markdown, one PNG per section and a composite PNG; its HTML is drawn by the
/// server's page components with the formats here. Every number is formatted here, once, from
/// the review's rows, and the charts are drawn from the same rows, so text and charts agree.
/// </summary>
public static class ReviewRenderer
{
    /// <summary>Where the folder of the images goes in the HTML of reviews archived before their numbers were kept.</summary>
    public const string ImagesToken = "{{images}}";

    /// <summary>The section images, in the order they appear.</summary>
    public static readonly IReadOnlyList<string> Sections = ["topics", "emerging", "families", "papers"];

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Percent(double share) => Rollup.Lift.PercentText(share) + " %";

    /// <summary>What the movers' interval column means, under the section's heading on every form of the review.</summary>
    public const string MoversIntervalNote = "The interval is the change's 95 % interval (Newcombe's method for two shares); "
        + "where it spans 0, a change of that size comes by chance from one week's few papers to the next, and the change is not marked clear.";

    /// <summary>The previous week's share with its papers: "2.1 % (3)".</summary>
    public static string PreviousWeek(ReviewMover m) => $"{Percent(m.PreviousShare)} ({m.PreviousPapers})";

    /// <summary>A mover's 95 % interval in points, "+0.4 to +6.1 pp (clear)", or "—" when it was not computed.</summary>
    public static string ChangeInterval(ReviewMover m) =>
        double.IsNaN(m.ChangeLow) ? "—"
        : $"{Signed(m.ChangeLow)} to {Points(m.ChangeHigh)}" + (m.Clear ? " (clear)" : "");

    /// <summary>
    /// "+0.4", "−6.1"; a change that is not 0 but rounds to it keeps its first digits that are not
    /// ("+0.049"), so a clear interval's end never reads as touching 0.
    /// </summary>
    private static string Signed(double change)
    {
        var size = Math.Abs(change);
        var text = size.ToString("0.0", Invariant);
        if (text == "0.0" && size > 0) text = size.ToString("0.0###", Invariant);
        return (change >= 0 ? "+" : "−") + text;
    }

    public static string Points(double change) => Signed(change) + " pp";

    private static string Day(DateOnly d) => Days.Text(d);

    /// <summary>A rate ratio's lower bound, "2.6×"; empty when the baseline had none.</summary>
    public static string Rise(double ratioLow) => double.IsFinite(ratioLow) ? ratioLow.ToString("0.0", Invariant) + "×" : "";

    public static string PValue(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.0000", Invariant);

    /// <summary>A lift's 95 % interval, "1.8× – 2.3×".</summary>
    public static string Interval(ReviewLiftTag t) => $"{Rollup.Lift.Text(t.Low)} – {Rollup.Lift.Text(t.High)}";

    /// <summary>"4 of 5 weekdays"; with weekend lists, "6 of 7 days (the weekdays and 2 weekend days with a list)".</summary>
    public static string ListDays(WeeklyReview r) => r.WeekendDaysListed == 0
        ? $"{r.DaysListed} of {r.DaysExpected} weekdays"
        : $"{r.DaysListed} of {r.DaysExpected} days (the weekdays and {r.WeekendDaysListed} weekend day{(r.WeekendDaysListed == 1 ? "" : "s")} with a list)";

    /// <summary>What the lift section compares, for its heading and its first line.</summary>
    public static string LiftHeading(ReviewLift l) => $"{l.Source} against {l.Base}";

    public static string LiftIntro(ReviewLift l) =>
        $"Topics and model families whose share of {l.Source}'s papers {(l.Days is { } days ? $"from {days}, the days of the week both sources cover" : "this week")} " +
        $"({l.Listed:N0} listed) differs from their share of {l.Base}'s ({l.BaseListed:N0}) with 95 % confidence: " +
        "lift = share ÷ base share, with its 95 % interval (docs/lift.md). The two lists overlap, so the intervals are wider than they need be.";

    public static string Weight(double weight) => weight.ToString("0.0", Invariant);

    /// <summary>The weekdays without a list, "2025-02-14 (Friday), …".</summary>
    public static string Weekdays(IEnumerable<DateOnly> days) => string.Join(", ", days.Select(d => $"{Day(d)} ({d.DayOfWeek})"));

    /// <summary>
    /// Text from the lists as literal Markdown text: HTML is written as entities (a title's
    /// <c>&lt;script&gt;</c> or <c>&lt;/table&gt;</c> stays text in every renderer) and Markdown's
    /// punctuation is escaped, so a title cannot make a link, an image, emphasis or a table cell.
    /// </summary>
    internal static string Md(string text)
    {
        var md = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': md.Append("&lt;"); break;
                case '>': md.Append("&gt;"); break;
                case '&': md.Append("&amp;"); break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '!' or '~' or '#': md.Append('\\').Append(c); break;
                case '\r' or '\n': md.Append(' '); break;
                default: md.Append(char.IsControl(c) ? '\uFFFD' : c); break;
            }
        }
        return md.ToString();
    }

    private static string Links(string id) => id.StartsWith("title:", StringComparison.Ordinal) ? "" :
        $"[arXiv](https://arxiv.org/abs/{Uri.EscapeDataString(id)}) · [HF](https://huggingface.co/papers/{Uri.EscapeDataString(id)})";

    public static string Title(WeeklyReview r) => $"Weekly trend review {r.Week} ({Day(r.Week.Monday)} to {Day(r.Week.Sunday)})";

    public static string Footer(WeeklyReview r, DateTimeOffset generated) =>
        $"TrendLens · generated {generated.UtcDateTime:yyyy-MM-dd HH:mm} UTC · data as of {(r.DataAsOf is { } d ? Day(d) : "—")} · lexicon {r.LexiconVersion ?? "none"} · n = {r.Listed:N0} papers listed" +
        (r.Source.Length > 0 ? $" · source {r.Source}" : "") + (r.Demo ? " · SYNTHETIC DEMO DATA" : "");

    public static string Markdown(WeeklyReview r, DateTimeOffset generated)
    {
        var md = new StringBuilder();
        md.Append($"# {Title(r)}\n\n");
        if (r.Demo) md.Append("> Synthetic demo data: nothing here describes real papers.\n\n");
        md.Append("![Weekly review](review.png)\n\n");

        md.Append("## Headline\n\n");
        if (r.Source.Length > 0) md.Append($"- Lists counted: {Md(r.Source)}'s (every figure of this review, unless a section says otherwise)\n");
        md.Append($"- Papers listed: {r.Listed:N0} ({r.NewPapers:N0} new: listed for the first time this week)\n");
        md.Append($"- The week before: {r.PreviousListed:N0} papers listed\n");
        md.Append($"- Lists on {ListDays(r)}" + (r.EndNote(generated) is { } note ? $" ({note})" : "") + "\n\n");

        md.Append("## Top topics\n\n");
        md.Append("Share of the papers listed this week, against the previous week and the average of the 12 weeks before.\n\n");
        md.Append("| topic | papers | share | previous week | change | 12-week average |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var t in r.Topics)
            md.Append($"| {Md(t.Topic)} | {t.Papers} | {Percent(t.Share)} | {Percent(t.PreviousShare)} | {Points(t.Change)} | {Percent(t.TrailingShare)} |\n");
        if (r.Topics.Count == 0) md.Append("| (no topic tagged) | | | | | |\n");
        md.Append("\n![Top topics](topics.png)\n\n");

        md.Append("## Emerging keyphrases\n\n");
        md.Append($"{Md(r.EmergingWindows)}: listed when the rise is significant (one-sided p ≤ 0.001) and the rate at least 1.5 times the baseline's with 95 % confidence (**new**: first listed this week).\n\n");
        if (r.Emerging.Count == 0) md.Append($"{Md(r.NothingRose)}\n\n");
        else
        {
            md.Append("| keyphrase | papers | baseline papers | rise, at least | p | first seen | |\n|---|---:|---:|---:|---:|---|---|\n");
            foreach (var e in r.Emerging)
                md.Append($"| {Md(e.Display)} | {e.Papers} | {e.BaselinePapers} | {Rise(e.RatioLow)} | {PValue(e.P)} | {Day(e.FirstSeen)} | {(e.New ? "**new**" : "")} |\n");
            md.Append("\n![Emerging keyphrases](emerging.png)\n\n");
        }
        md.Append("## New and rising model versions\n\n");
        if (r.Versions.Count == 0) md.Append("No model version was named for the first time, or rose significantly, this week.\n\n");
        else
        {
            md.Append("| model | family | papers | baseline papers | first seen | |\n|---|---|---:|---:|---|---|\n");
            foreach (var v in r.Versions)
                md.Append($"| {Md(v.Display)} | {Md(v.Family)} | {v.Papers} | {v.BaselinePapers} | {Day(v.FirstSeen)} | {(v.New ? "**new**" : "")} |\n");
            md.Append('\n');
        }

        md.Append("## Model-family movers\n\n");
        md.Append("Change in the share of papers mentioning each family, this week against the previous week. " + MoversIntervalNote + "\n\n");
        foreach (var (heading, rows) in new[] { ("Up", r.MoversUp), ("Down", r.MoversDown) })
        {
            md.Append($"### {heading}\n\n| family | papers | share | previous week | change | 95 % interval |\n|---|---:|---:|---:|---:|---:|\n");
            foreach (var m in rows)
                md.Append($"| {Md(m.Family)} | {m.Papers} | {Percent(m.Share)} | {PreviousWeek(m)} | {Points(m.Change)} | {ChangeInterval(m)} |\n");
            if (rows.Count == 0) md.Append("| (none) | | | | | |\n");
            md.Append('\n');
        }
        md.Append("![Model-family movers](families.png)\n\n");

        if (r.Lift is { } lift)
        {
            md.Append($"## {Md(LiftHeading(lift))}\n\n{Md(LiftIntro(lift))}\n\n");
            foreach (var (heading, rows) in new[] { ("Over-represented", lift.Over), ("Under-represented", lift.Under) })
            {
                md.Append($"### {heading}\n\n| tag | kind | papers | share | base share | lift | 95 % interval |\n|---|---|---:|---:|---:|---:|---|\n");
                foreach (var t in rows)
                    md.Append($"| {Md(t.Tag)} | {t.Kind} | {t.Papers} | {Percent(t.Share)} | {Percent(t.BaseShare)} | {Rollup.Lift.Text(t.Lift)} | {Interval(t)} |\n");
                if (rows.Count == 0) md.Append("| (none) | | | | | | |\n");
                md.Append('\n');
            }
        }

        md.Append("## Bursts that started this week\n\n");
        md.Append("| keyword | start | end | weight |\n|---|---|---|---:|\n");
        foreach (var b in r.Bursts)
            md.Append($"| {Md(b.Display)} | {Day(b.Start)} | {Day(b.End)} | {Weight(b.Weight)} |\n");
        if (r.Bursts.Count == 0) md.Append("| (none) | | | |\n");
        md.Append('\n');

        md.Append("## Top papers\n\n");
        md.Append("Most upvoted this week, then best rank, then most days listed.\n\n");
        md.Append("| # | paper | title | days listed | best rank | upvotes | links |\n|---:|---|---|---:|---:|---:|---|\n");
        for (var i = 0; i < r.TopPapers.Count; i++)
        {
            var p = r.TopPapers[i];
            md.Append($"| {i + 1} | {Md(p.PaperId)} | {Md(p.Title)} | {p.DaysListed} | {p.BestRank} | {p.MaxUpvotes?.ToString(Invariant) ?? "—"} | {Links(p.PaperId)} |\n");
        }
        md.Append("\n![Top papers](papers.png)\n\n");

        md.Append("## Coverage\n\n");
        if (r.MissingWeekdays.Count == 0) md.Append($"- Every weekday of the week had a list ({r.DaysListed} of {r.DaysExpected}).\n");
        else
        {
            md.Append($"- No list on {Weekdays(r.MissingWeekdays)}: ");
            md.Append("shares divide by the papers actually listed, so they stay comparable; counts are lower than in a full week.\n");
        }
        if (r.EndNote(generated) is { } end) md.Append($"- {char.ToUpperInvariant(end[0])}{end[1..]}.\n");
        md.Append($"\n---\n{Footer(r, generated)}\n");
        return md.ToString();
    }

    /// <summary>One PNG per section, drawn by the dashboards' renderer from the review's rows.</summary>
    public static IReadOnlyDictionary<string, byte[]> SectionPngs(WeeklyReview r, DateTimeOffset generated)
    {
        var footer = $"{r.Week} ({Day(r.Week.Monday)} to {Day(r.Week.Sunday)}) · n = {r.Listed:N0} papers listed · data as of {(r.DataAsOf is { } d ? Day(d) : "—")}" + (r.Demo ? " · SYNTHETIC DEMO DATA" : "");
        var pngs = new Dictionary<string, byte[]>();

        var topics = new PanelDefinition { Id = "topics", Title = $"Top topics, {r.Week}", Query = "review", Chart = "hbar", X = "share", Y = "topic", Top = WeeklyReviewer.TopTopics };
        pngs["topics"] = PanelRenderer.Png(topics, new PanelData(["topic", "share"], r.Topics.Select(t => new object?[] { t.Topic, t.Share }).ToList()), footer);

        var emerging = new PanelDefinition { Id = "emerging", Title = $"Emerging keyphrases, {r.Week}", Query = "review", Chart = "hbar", X = "ratio_low", Y = "term", Top = 15 };
        pngs["emerging"] = PanelRenderer.Png(emerging, new PanelData(["term", "ratio_low", "new"], r.Emerging.Select(e => new object?[] { e.Display, double.IsFinite(e.RatioLow) ? e.RatioLow : null, e.New }).ToList())
        {
            Note = r.Emerging.Count == 0 ? $"{r.EmergingWindows}: {Rollup.EmergenceResult.NothingRose}{Rollup.NearMiss.After(r.EmergingClosest)}" : r.EmergingWindows,
        }, footer);

        var moved = r.MoversUp.Concat(r.MoversDown.Reverse()).ToList();
        var families = new PanelDefinition { Id = "families", Title = $"Model-family movers, {r.Week} vs {r.Week.Previous}", Query = "review", Chart = "hbar", X = "change_pp", Y = "family", Top = 2 * WeeklyReviewer.Movers };
        pngs["families"] = PanelRenderer.Png(families, MoversData(moved), footer);

        var papers = new PanelDefinition { Id = "papers", Title = $"Top papers, {r.Week}", Query = "review", Chart = "table" };
        pngs["papers"] = PanelRenderer.Png(papers, new PanelData(["#", "paper", "days", "rank", "upvotes", "title"],
            r.TopPapers.Select((p, i) => new object?[] { (long)(i + 1), p.PaperId, p.DaysListed, (long)p.BestRank, p.MaxUpvotes is { } u ? (long)u : null, p.Title }).ToList()), footer);
        return pngs;
    }

    /// <summary>
    /// The movers chart's bars, each with its 95 % interval (drawn across it; the bar pale when the
    /// interval includes 0), and a note of which changes are clear: the bars are point changes from
    /// a week's few papers, so the chart says which, if any, chance does not explain.
    /// </summary>
    internal static PanelData MoversData(IReadOnlyList<ReviewMover> moved)
    {
        var clear = moved.Where(m => m.Clear).Select(m => m.Family).ToList();
        return new PanelData(["family", "change_pp", "change_low", "change_high"], moved.Select(m => new object?[]
        {
            m.Family, m.Change, double.IsNaN(m.ChangeLow) ? null : m.ChangeLow, double.IsNaN(m.ChangeHigh) ? null : m.ChangeHigh,
        }).ToList())
        {
            Note = moved.Count == 0 || moved.All(m => double.IsNaN(m.ChangeLow)) ? null
                : clear.Count == 0 ? "no change is clear: every change's 95 % interval includes 0 (the intervals are in the review's table)"
                : $"clear (95 % interval excludes 0): {string.Join(", ", clear)}; the others' intervals include 0",
        };
    }

    public static byte[] CompositePng(WeeklyReview r, IReadOnlyDictionary<string, byte[]> sections, DateTimeOffset generated)
    {
        var subtitle = $"{r.Listed:N0} papers listed ({r.NewPapers:N0} new) · lists on {ListDays(r)}" +
            (r.Topics.Count > 0 ? $" · top topic {r.Topics[0].Topic} {Percent(r.Topics[0].Share)}" : "");
        return DashboardExporter.Png(Title(r), subtitle, Footer(r, generated), Sections.Select(name => sections[name]).ToList());
    }
}
