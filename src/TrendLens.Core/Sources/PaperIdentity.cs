using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace TrendLens.Sources;

/// <summary>
/// A paper is its arXiv id when it has one (version suffix dropped), otherwise a stable hash
/// of its normalized title, prefixed <c>title:</c>.
/// </summary>
public static partial class PaperIdentity
{
    [GeneratedRegex(@"^(?:arxiv:)?(\d{4}\.\d{4,5})(?:v\d+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ArxivPattern();

    public static string? ArxivId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        var m = ArxivPattern().Match(id.Trim());
        return m.Success ? m.Groups[1].Value : null;
    }

    public static string FromTitle(string title)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(TitleKey(title)));
        return "title:" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>Lower case, letters and digits only, single spaces: what two copies of a title share.</summary>
    public static string TitleKey(string title)
    {
        var normalized = title.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
            sb.Append(char.IsLetterOrDigit(c) ? c : ' ');
        return CleanText(sb.ToString());
    }

    /// <summary>Collapses arXiv hard wraps and other runs of white space to single spaces, and trims.</summary>
    public static string CleanText(string text)
    {
        // Most texts need nothing done: find the first place that does before copying anything.
        var span = text.AsSpan();
        var first = 0;
        while (first < span.Length)
        {
            var c = span[first];
            if (c == ' ' ? first == 0 || first == span.Length - 1 || span[first + 1] == ' ' || char.IsWhiteSpace(span[first + 1]) : char.IsWhiteSpace(c))
                break;
            first++;
        }
        if (first == span.Length) return text;

        var buffer = span.Length <= 4096 ? stackalloc char[span.Length] : new char[span.Length];
        span[..first].CopyTo(buffer);
        var length = first;
        var pendingSpace = false;
        for (var i = first; i < span.Length; i++)
        {
            var c = span[i];
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = length > 0;
                continue;
            }
            if (pendingSpace) buffer[length++] = ' ';
            pendingSpace = false;
            buffer[length++] = c;
        }
        return new string(buffer[..length]);
    }

    internal static string Format(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
