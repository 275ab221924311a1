namespace TrendLens;

/// <summary>Text from outside (a file, a typed value) made safe to show on one line of a terminal or a table.</summary>
public static class Printable
{
    /// <summary>Control characters (ESC sequences, bells, backspaces, C1 codes) shown as U+FFFD; tabs and line breaks become spaces.</summary>
    public static string Of(string s)
    {
        if (!s.Any(char.IsControl)) return s;
        return string.Create(s.Length, s, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
                span[i] = text[i] is '\t' or '\n' or '\r' ? ' ' : char.IsControl(text[i]) ? '\uFFFD' : text[i];
        });
    }
}
