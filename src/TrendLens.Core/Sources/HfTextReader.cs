using System.Globalization;
using System.Text.RegularExpressions;

namespace TrendLens.Sources;

/// <summary>
/// The text of a papers page copied from a browser: page chrome, a date line such as
/// <c>Mar 11</c>, then for each paper a title paragraph and an abstract paragraph.
/// Paper ids are title hashes: the page text carries no arXiv ids.
/// </summary>
internal static partial class HfTextReader
{
    [GeneratedRegex(@"^(?<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?<day>\d{1,2})(?:,?\s+(?<year>\d{4}))?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DateLine();

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    public static NormalizedPayload Read(string text, PayloadContext context)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var notes = new List<string>();

        var dateLineIndex = -1;
        Match? dateMatch = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var m = DateLine().Match(lines[i].Trim());
            if (m.Success && IsRealMonthDay(m))
            {
                dateLineIndex = i;
                dateMatch = m;
                break;
            }
        }

        DateOnly date;
        if (dateMatch is null)
        {
            if (context.Date is null)
                throw new PayloadException("no date line (like 'Mar 11') found before the papers; pass --date YYYY-MM-DD");
            date = context.Date.Value;
        }
        else
        {
            var month = Array.IndexOf(Months, dateMatch.Groups["month"].Value[..3].ToLowerInvariant()) + 1;
            var day = int.Parse(dateMatch.Groups["day"].Value, CultureInfo.InvariantCulture);
            var position = $"line {dateLineIndex + 1}";
            if (context.Date is { } given)
            {
                if (given.Month != month || given.Day != day)
                    throw new PayloadException($"the date line says '{lines[dateLineIndex].Trim()}' but --date says {PaperIdentity.Format(given)}", position, "date");
                date = given;
            }
            else if (dateMatch.Groups["year"].Success)
            {
                var year = int.Parse(dateMatch.Groups["year"].Value, CultureInfo.InvariantCulture);
                if (!IsValid(year, month, day))
                    throw new PayloadException($"'{lines[dateLineIndex].Trim()}' is not a date", position, "date");
                date = new DateOnly(year, month, day);
            }
            else
            {
                date = MostRecent(month, day, context.Today);
                notes.Add($"list date {PaperIdentity.Format(date)} inferred from the date line '{lines[dateLineIndex].Trim()}' (the most recent one not in the future); pass --date to set it");
            }
        }

        var paragraphs = Paragraphs(lines, dateLineIndex + 1);
        if (paragraphs.Count == 0)
            throw new PayloadException("no papers after the date line", dateMatch is null ? null : $"line {dateLineIndex + 1}");
        if (paragraphs.Count % 2 == 1)
        {
            var last = paragraphs[^1];
            throw new PayloadException($"the paragraph \"{PayloadText.Preview(last.Text)}\" has no abstract paragraph after it (each paper is a title paragraph then an abstract paragraph)",
                $"line {last.Line}", "abstract");
        }

        var entries = new List<ListEntry>(paragraphs.Count / 2);
        for (var i = 0; i < paragraphs.Count; i += 2)
        {
            var title = paragraphs[i].Text;
            entries.Add(new ListEntry(date, i / 2 + 1, PaperIdentity.FromTitle(title), null, title, paragraphs[i + 1].Text, []));
        }
        return new NormalizedPayload(PayloadFormat.HfText, [new DailyList(date, entries)], notes);
    }

    private static bool IsRealMonthDay(Match m)
    {
        var month = Array.IndexOf(Months, m.Groups["month"].Value[..3].ToLowerInvariant()) + 1;
        var day = int.Parse(m.Groups["day"].Value, CultureInfo.InvariantCulture);
        return month >= 1 && day >= 1 && day <= (month == 2 ? 29 : DateTime.DaysInMonth(2001, month));
    }

    private static bool IsValid(int year, int month, int day) =>
        year is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(year, month);

    /// <summary>The latest date with this month and day that is not after today (Feb 29 looks back to a leap year).</summary>
    internal static DateOnly MostRecent(int month, int day, DateOnly today)
    {
        for (var year = today.Year; year > today.Year - 8; year--)
        {
            if (!IsValid(year, month, day)) continue;
            var candidate = new DateOnly(year, month, day);
            if (candidate <= today) return candidate;
        }
        throw new PayloadException($"no date {month:00}-{day:00} in the last eight years");
    }

    private static List<(int Line, string Text)> Paragraphs(string[] lines, int from)
    {
        var result = new List<(int, string)>();
        var start = -1;
        var buffer = new List<string>();
        for (var i = from; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i].Trim() : "";
            if (line.Length > 0)
            {
                if (start < 0) start = i;
                buffer.Add(line);
            }
            else if (start >= 0)
            {
                result.Add((start + 1, PaperIdentity.CleanText(string.Join(' ', buffer))));
                buffer.Clear();
                start = -1;
            }
        }
        return result;
    }
}
