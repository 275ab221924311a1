namespace TrendLens.Tagging;

public enum TokenKind : byte
{
    Word,
    Punct,
}

/// <summary>
/// One token of title or abstract text. <see cref="Sentence"/> counts sentence ends before it,
/// so matchers can look for cues "in the same sentence".
/// </summary>
public readonly record struct Token(string Text, TokenKind Kind, int Sentence)
{
    public bool IsWord => Kind == TokenKind.Word;

    /// <summary>The word's entry in the tagging thread's table, when tokenized with one.</summary>
    internal Word? Word { get; init; }
}

/// <summary>
/// The one tokenizer. Keeps compound names whole — <c>GPT-3.5</c>, <c>Llama-3.1-8B</c>,
/// <c>RoBERTa-BiLSTM</c>, <c>BERT4Rec</c>, <c>o1-preview</c> — by joining letters and digits
/// across internal hyphens, underscores and dots before a digit; drops possessive <c>'s</c>;
/// every other character is punctuation, which bounds phrases.
/// </summary>
public static class Tokenizer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>(text.Length / 5 + 8);
        Tokenize(text, null, tokens);
        return tokens;
    }

    /// <summary>
    /// Appends the tokens of <paramref name="text"/>, counting sentences from <paramref name="sentence"/>,
    /// and returns the sentence count after it; with a table, words are looked up in it instead of copied.
    /// </summary>
    internal static int Tokenize(string text, WordTable? words, List<Token> tokens, int sentence = 0)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                i++;
                while (i < text.Length)
                {
                    var ch = text[i];
                    if (char.IsLetterOrDigit(ch))
                    {
                        i++;
                    }
                    else if ((ch == '-' || ch == '_' || ch == '‑') && i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1]))
                    {
                        i++;
                    }
                    else if (ch == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
                    {
                        i++;
                    }
                    else
                    {
                        break;
                    }
                }
                if (words is not null)
                {
                    var known = words.Get(text.AsSpan(start, i - start));
                    tokens.Add(new Token(known.Text, TokenKind.Word, sentence) { Word = known });
                }
                else
                {
                    var word = text[start..i];
                    if (word.Contains('‑')) word = word.Replace('‑', '-');
                    tokens.Add(new Token(word, TokenKind.Word, sentence));
                }
                // Possessive 's (straight or curly apostrophe) belongs to no token.
                if (i + 1 < text.Length && (text[i] == '\'' || text[i] == '’') && (text[i + 1] == 's' || text[i + 1] == 'S')
                    && (i + 2 >= text.Length || !char.IsLetterOrDigit(text[i + 2])))
                    i += 2;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            tokens.Add(new Token(c.ToString(), TokenKind.Punct, sentence));
            if ((c == '.' || c == '!' || c == '?' || c == ';') && (i + 1 >= text.Length || char.IsWhiteSpace(text[i + 1])))
                sentence++;
            i++;
        }
        return sentence;
    }
}
