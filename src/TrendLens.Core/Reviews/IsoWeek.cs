using System.Globalization;
using System.Text.RegularExpressions;

namespace TrendLens.Reviews;

/// <summary>An ISO-8601 week, <c>2025-W07</c>: Monday to Sunday; week 1 holds the year's first Thursday.</summary>
public sealed partial record IsoWeek(int Year, int Week) : IComparable<IsoWeek>
{
    [GeneratedRegex(@"^(\d{4})-W(\d{2})$")]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out IsoWeek week, out string error)
    {
        week = null!;
        error = "";
        var m = Pattern().Match(text ?? "");
        if (!m.Success)
        {
            error = $"a week is written like 2025-W07, not '{(text is { Length: > 40 } ? text[..40] + "…" : text)}'";
            return false;
        }
        var year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var number = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year is < 1900 or > 2999) { error = $"year {year} is out of range"; return false; }
        var weeks = ISOWeek.GetWeeksInYear(year);
        if (number < 1 || number > weeks) { error = $"{year} has weeks 1 to {weeks}, not {number}"; return false; }
        week = new IsoWeek(year, number);
        return true;
    }

    public static IsoWeek Of(DateOnly day)
    {
        var date = day.ToDateTime(TimeOnly.MinValue);
        return new IsoWeek(ISOWeek.GetYear(date), ISOWeek.GetWeekOfYear(date));
    }

    public DateOnly Monday => DateOnly.FromDateTime(ISOWeek.ToDateTime(Year, Week, DayOfWeek.Monday));
    public DateOnly Sunday => Monday.AddDays(6);
    public IsoWeek Previous => Of(Monday.AddDays(-7));
    public IsoWeek Next => Of(Monday.AddDays(7));

    public int CompareTo(IsoWeek? other) => other is null ? 1 : Monday.CompareTo(other.Monday);

    public override string ToString() => $"{Year:0000}-W{Week:00}";
}
