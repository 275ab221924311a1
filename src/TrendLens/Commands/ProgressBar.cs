namespace TrendLens.Cli.Commands;

/// <summary>A one-line progress bar redrawn in place on a terminal; silent otherwise.</summary>
public sealed class ProgressBar(TextWriter terminal, int total, bool enabled)
{
    private const int Width = 30;
    private int _lastDrawn = -1;

    /// <summary>Redraws the bar at <paramref name="done"/> of a total that may have changed since, whatever was drawn last (for a few long steps).</summary>
    public void Report(int done, int newTotal, string label)
    {
        total = newTotal;
        _lastDrawn = -1;
        Report(done, label);
    }

    public void Report(int done, string label)
    {
        if (!enabled) return;
        var filled = total == 0 ? Width : done * Width / total;
        var percent = total == 0 ? 100 : done * 100 / total;
        if (percent == _lastDrawn && done != total) return;
        _lastDrawn = percent;
        var text = label.Length > 40 ? "…" + label[^39..] : label;
        terminal.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {done}/{total} {text}".PadRight(Width + 60));
        terminal.Flush();
    }

    /// <summary>Clears the bar so the next line starts clean.</summary>
    public void Clear()
    {
        if (!enabled || _lastDrawn < 0) return;
        terminal.Write("\r" + new string(' ', Width + 60) + "\r");
        terminal.Flush();
    }
}
