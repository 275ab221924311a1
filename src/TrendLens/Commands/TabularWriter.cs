using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TrendLens.Cli.Commands;

public enum OutputFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>
/// Writes rows as an aligned table, RFC 4180 CSV with a header, or a JSON array of objects. Text
/// from the lists is hostile: in the table and CSV forms control characters (terminal escapes)
/// are shown as U+FFFD, and in CSV a text cell that a spreadsheet would run as a formula (it starts
/// with =, +, -, @, a tab or a carriage return) gets a leading apostrophe. Numbers are written as
/// they are, and JSON keeps every value exact.
/// </summary>
public static class TabularWriter
{
    public static void Write(TextWriter output, OutputFormat format, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        switch (format)
        {
            case OutputFormat.Csv:
                output.Write(string.Join(',', columns.Select(Csv)) + "\n");
                foreach (var row in rows)
                    output.Write(string.Join(',', row.Take(columns.Count).Select(v => Csv(v is string text ? NoFormula(Printable.Of(text)) : Text(v)))) + "\n");
                break;
            case OutputFormat.Json:
                WriteJson(output, columns, rows);
                break;
            default:
                WriteTable(output, columns, rows.Select(r => r.Take(columns.Count).Select(v => Printable.Of(Text(v))).ToArray()).ToList());
                break;
        }
    }

    public static string Text(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double x => x.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A text cell that a spreadsheet would run as a formula, made plain text with a leading apostrophe (OWASP's advice).</summary>
    public static string NoFormula(string s) => s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + s : s;

    private static string Csv(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static void WriteJson(TextWriter output, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    json.WritePropertyName(columns[i]);
                    switch (row[i])
                    {
                        case null: json.WriteNullValue(); break;
                        case int n: json.WriteNumberValue(n); break;
                        case long n: json.WriteNumberValue(n); break;
                        case double x: json.WriteNumberValue(x); break;
                        case bool b: json.WriteBooleanValue(b); break;
                        default: json.WriteStringValue(Text(row[i])); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        output.Write(Encoding.UTF8.GetString(stream.ToArray()) + "\n");
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<string> columns, List<string[]> rows)
    {
        const int maxWidth = 80;
        var widths = columns.Select((c, i) => Math.Min(maxWidth, rows.Select(r => r[i].Length).Append(c.Length).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) => string.Join("  ", cells.Select((c, i) =>
        {
            var cell = c.Length > widths[i] ? c[..(widths[i] - 1)] + "…" : c;
            return i == cells.Count - 1 ? cell : cell.PadRight(widths[i]);
        })).TrimEnd();
        output.Write(Line(columns) + "\n");
        output.Write(Line(widths.Select(w => new string('-', w)).ToArray()) + "\n");
        foreach (var row in rows) output.Write(Line(row) + "\n");
        if (rows.Count == 0) output.Write("(no rows)\n");
    }
}
