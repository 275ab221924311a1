using System.Text;

namespace TrendLens.Tagging;

/// <summary>
/// How each of a paper's terms is keyed, stored beside its terms as <c>paper_terms.key_marks</c>
/// (sql/schema/039), so that the Rollup stage reads a paper's distinct keys without the regular
/// expression of <c>term_key()</c> and without grouping every term by paper and key. A term's key
/// is what <c>term_key()</c> makes of its form (sql/schema/013): a form of two or more capital
/// letters A–Z as written, else the form in lower case with hyphens read as spaces. One mark per
/// term: 'A' or 'a' for a form kept as written, '1' or '0' for one in lower case (the upper case
/// mark when a form of the key ends a phrase somewhere in the paper), '-' for a term whose key an
/// earlier term of the paper has. Only papers whose terms are all ASCII are marked: .NET's and
/// DuckDB's lower case differ on letters their Unicode versions disagree on, so the other papers
/// (about 1 % of the archive's) are keyed by <c>term_key()</c>. One instance per thread.
/// </summary>
internal sealed class TermKeys
{
    // The paper's keys so far, by hash: the first key with a hash, and for each key (by its number)
    // where it is in _keys, its term's number, and the next key with the same hash (-1: none).
    private readonly Dictionary<int, int> _firstByHash = new();
    private readonly List<(int Start, int Length, int Term, int Next)> _seen = new();
    private readonly CharBuffer _keys = new();

    /// <summary>The key of one ASCII form, as <c>term_key()</c> makes it; null for any other form.</summary>
    public static string? Of(string form) =>
        !Ascii.IsValid(form) ? null : AsWritten(form) ? form : Lowered(form);

    /// <summary>
    /// Writes to <paramref name="marks"/> one mark per term of <paramref name="terms"/> (forms
    /// joined by <see cref="StoredTags.Separator"/>), reading from <paramref name="ends"/> (one
    /// character per term, '1' when it ends a phrase) which keys end one. False, with nothing
    /// written, when a form is not all ASCII.
    /// </summary>
    public bool Write(ReadOnlySpan<char> terms, ReadOnlySpan<char> ends, CharBuffer marks)
    {
        if (!Ascii.IsValid(terms)) return false;
        if (terms.IsEmpty) return true;
        _firstByHash.Clear();
        _seen.Clear();
        _keys.Clear();
        var first = marks.Length;
        var term = 0;
        foreach (var range in terms.Split(StoredTags.Separator))
        {
            var form = terms[range];
            var asWritten = AsWritten(form);
            var start = _keys.Length;
            if (asWritten) _keys.Append(form);
            else Lower(form, _keys);
            var key = _keys.AsSpan()[start..];
            var end = term < ends.Length && ends[term] == '1';
            var hash = string.GetHashCode(key);
            var at = _firstByHash.GetValueOrDefault(hash, -1);
            while (at >= 0 && !_keys.AsSpan().Slice(_seen[at].Start, _seen[at].Length).SequenceEqual(key)) at = _seen[at].Next;
            if (at >= 0)
            {
                _keys.Length = start;
                marks.Append('-');
                var firstMark = first + _seen[at].Term;
                if (end) marks[firstMark] = marks[firstMark] is 'a' or 'A' ? 'A' : '1';
            }
            else
            {
                _seen.Add((start, key.Length, term, _firstByHash.GetValueOrDefault(hash, -1)));
                _firstByHash[hash] = _seen.Count - 1;
                marks.Append(asWritten ? (end ? 'A' : 'a') : (end ? '1' : '0'));
            }
            term++;
        }
        return true;
    }

    private static bool AsWritten(ReadOnlySpan<char> form) => form.Length >= 2 && !form.ContainsAnyExceptInRange('A', 'Z');

    private static string Lowered(string form)
    {
        var buffer = new CharBuffer();
        Lower(form, buffer);
        return buffer.ToString();
    }

    private static void Lower(ReadOnlySpan<char> form, CharBuffer to)
    {
        foreach (var c in form) to.Append(c == '-' ? ' ' : char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c);
    }
}
