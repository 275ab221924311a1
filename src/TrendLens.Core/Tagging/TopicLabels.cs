namespace TrendLens.Tagging;

/// <summary>
/// A file of papers labelled by hand for topics, as <c>trendlens train-topics</c> reads it: one
/// paper per line, "paper id TAB topics separated by ';'" ("-" for none); lines starting with '#'
/// and blank lines are comments.
/// </summary>
public static class TopicLabels
{
    /// <summary>The labels of a file, by paper id; topic names must be topics of <paramref name="known"/> (or their aliases, read as the name).</summary>
    public static Dictionary<string, HashSet<string>> Read(string path, TopicLexiconFile known)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LexiconException($"{path}: cannot read: {e.Message}");
        }
        var labels = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var at = $"{path} line {i + 1}";
            var columns = line.Split('\t');
            if (columns.Length < 2 || columns[0].Trim().Length == 0)
                throw new LexiconException($"{at}: expected 'paper id<TAB>topics separated by ;' (or '-' for none)");
            var id = columns[0].Trim();
            if (labels.ContainsKey(id)) throw new LexiconException($"{at}: paper {id} is labelled twice");
            var topics = new HashSet<string>(StringComparer.Ordinal);
            if (columns[1].Trim() != "-")
                foreach (var raw in columns[1].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    topics.Add(known.Named(raw, StringComparer.Ordinal)?.Name ?? throw new LexiconException($"{at}: '{raw}' is not a topic of {Lexicons.TopicsFile}"));
            labels[id] = topics;
        }
        return labels;
    }
}
