using System.Numerics;
using System.Text;

namespace TrendLens.Tagging;

/// <summary>
/// How each of a paper's terms is keyed, stored beside its terms as <c>paper_terms.key_marks</c>
/// (sql/schema/039), so that the Rollup stage reads a paper's distinct keys without the regular
/// expression of <c>term_key()</c> and without grouping every term by paper and key. A term's key
/// is what <c>term_key()</c> makes of its form (sql/schema/013): a form of two or more capital
/// letters A–Z as written, else the form in lower case with hyphens read as spaces. One mark per
/// term: 'A' or 'a' for a form whose key is the form as written (capitals, or already in lower
/// case without hyphens), '1' or '0' for one whose key is the form lower-cased (the upper case
/// mark when a form of the key ends a phrase somewhere in the paper), '-' for a term whose key an
/// earlier term of the paper has. Only papers whose terms are all ASCII are marked: .NET's and
/// DuckDB's lower case differ on letters their Unicode versions disagree on, so the other papers
/// (about 1 % of the archive's) are keyed by <c>term_key()</c>. One instance per thread.
/// </summary>
internal sealed class TermKeys
{
    // The paper's terms (start and length in the text) and their keys, at the same places as the
    // forms (a key is as long as its form), found again by an open-addressing table of hashes
    // whose slots hold a term's number + 1 (0: empty).
    private int[] _start = new int[256];
    private int[] _length = new int[256];
    private char[] _keys = new char[8192];
    private int[] _slots = new int[512];

    /// <summary>The key of one ASCII form, as <c>term_key()</c> makes it; null for any other form.</summary>
    public static string? Of(string form)
    {
        if (!Ascii.IsValid(form)) return null;
        var key = new char[form.Length];
        KeyInto(form, key);
        return new string(key);
    }

    /// <summary>
    /// Writes to <paramref name="marks"/> one mark per term of <paramref name="terms"/> (forms
    /// joined by <see cref="StoredTags.Separator"/>), reading from <paramref name="ends"/> (one
    /// character per term, '1' when it ends a phrase) which keys end one. False, with nothing
    /// written, when a form is not all ASCII.
    /// </summary>
    public bool Write(ReadOnlySpan<char> terms, ReadOnlySpan<char> ends, CharBuffer marks)
    {
        if (terms.IsEmpty) return true;
        if (!Ascii.IsValid(terms)) return false;
        var count = terms.Count(StoredTags.Separator) + 1;
        if (_start.Length < count) (_start, _length) = (new int[2 * count], new int[2 * count]);
        if (_keys.Length < terms.Length) _keys = new char[2 * terms.Length];
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * count));
        if (_slots.Length < size) _slots = new int[size];
        else Array.Clear(_slots, 0, size);
        var first = marks.Length;
        var start = 0;
        for (var term = 0; term < count; term++)
        {
            var at = terms[start..].IndexOf(StoredTags.Separator);
            var length = at < 0 ? terms.Length - start : at;
            var key = _keys.AsSpan(start, length);
            var asWritten = KeyInto(terms.Slice(start, length), key);
            (_start[term], _length[term]) = (start, length);
            start += length + 1;
            var end = term < ends.Length && ends[term] == '1';

            var slot = string.GetHashCode(key) & (size - 1);
            while (_slots[slot] != 0 && !Same(_slots[slot] - 1, key)) slot = (slot + 1) & (size - 1);
            if (_slots[slot] == 0)
            {
                _slots[slot] = term + 1;
                marks.Append(asWritten ? (end ? 'A' : 'a') : (end ? '1' : '0'));
                continue;
            }
            // A key an earlier term has: that term's mark says whether the key ends a phrase.
            marks.Append('-');
            var earlier = first + _slots[slot] - 1;
            if (end) marks[earlier] = marks[earlier] is 'a' or 'A' ? 'A' : '1';
        }
        return true;
    }

    private bool Same(int term, ReadOnlySpan<char> key) =>
        _length[term] == key.Length && _keys.AsSpan(_start[term], key.Length).SequenceEqual(key);

    /// <summary>
    /// Writes an ASCII form's key to <paramref name="key"/> (as long as the form); true when it is
    /// the form as written: a form of capitals, or one already in lower case without hyphens, whose
    /// key the Rollup stage then reads without lower-casing it (most terms: 4 s at a million papers).
    /// </summary>
    private static bool KeyInto(ReadOnlySpan<char> form, Span<char> key)
    {
        if (form.Length >= 2 && !form.ContainsAnyExceptInRange('A', 'Z'))
        {
            form.CopyTo(key);
            return true;
        }
        var asWritten = true;
        for (var i = 0; i < form.Length; i++)
        {
            var c = form[i];
            key[i] = c == '-' ? ' ' : char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            asWritten &= key[i] == c;
        }
        return asWritten;
    }
}
