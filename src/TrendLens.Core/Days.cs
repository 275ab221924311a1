using System.Globalization;

namespace TrendLens;

/// <summary>
/// The list dates TrendLens accepts from users (<c>--from</c>, <c>to=</c>, <c>--date</c>): 1900 to
/// 2999, as weeks are (<see cref="Reviews.IsoWeek"/>). Windows and baselines reach a year or two
/// around a date; outside these years they would run off the calendar.
/// </summary>
public static class Days
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2999, 12, 31);

    /// <summary>A day as every page and file writes it, 2025-02-14.</summary>
    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a weekday lies in <paramref name="first"/> – <paramref name="last"/> (none when last
    /// is before first). Lists are expected on weekdays, as coverage counts them, so a range that
    /// leaves out only a weekend of a period leaves the period whole.
    /// </summary>
    public static bool HasWeekday(DateOnly first, DateOnly last)
    {
        for (var day = first; day <= last; day = day.AddDays(1))
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) return true;
        return false;
    }

    /// <summary>Null when the date is accepted, else why not.</summary>
    public static string? Refusal(DateOnly day) =>
        day < Earliest || day > Latest ? $"dates run from {Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd}, not {day:yyyy-MM-dd}" : null;
}
