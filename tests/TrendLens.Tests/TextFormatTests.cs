using TrendLens.Sources;

namespace TrendLens.Tests;

public class TextFormatTests
{
    private static readonly DateOnly Today = new(2025, 3, 20);

    private static NormalizedPayload Read(string text, DateOnly? date = null, DateOnly? today = null) =>
        PayloadNormalizer.Normalize(System.Text.Encoding.UTF8.GetBytes(text), PayloadFormat.HfText,
            new PayloadContext("page.txt", date, today ?? Today));

    [Fact]
    public void Text_PageCopy_SkipsChromeAndPairsTitlesWithAbstracts()
    {
        var payload = Read(File.ReadAllText(Fixture.Path("hf-text/page.txt")));

        var list = Assert.Single(payload.Lists);
        Assert.Equal(new DateOnly(2025, 3, 11), list.ListDate);
        Assert.Equal(["Sparse Widgets: Scaling Toy Models with GPT-4 Feedback", "A Second Paper Title"], list.Entries.Select(e => e.Title));
        Assert.Equal("We study widgets. Our Llama-3-8B baseline is improved by sparse widget routing.", list.Entries[0].Abstract);
        Assert.Equal([1, 2], list.Entries.Select(e => e.Rank));
        Assert.All(list.Entries, e => Assert.StartsWith("title:", e.PaperId));
    }

    [Fact]
    public void Text_DateLineWithoutYear_TakesMostRecentPastDateAndSaysSo()
    {
        var payload = Read("chrome\n\nDec 30\n\nT\n\nA\n");

        Assert.Equal(new DateOnly(2024, 12, 30), payload.Lists[0].ListDate);
        Assert.Contains("inferred", Assert.Single(payload.Notes));
    }

    [Fact]
    public void Text_DateOption_GivesTheYear()
    {
        var payload = Read("Mar 11\n\nT\n\nA\n", new DateOnly(2024, 3, 11));

        Assert.Equal(new DateOnly(2024, 3, 11), payload.Lists[0].ListDate);
        Assert.Empty(payload.Notes);
    }

    [Fact]
    public void Text_DateOptionDisagreeingWithDateLine_IsAnError()
    {
        var e = Assert.Throws<PayloadException>(() => Read("Mar 11\n\nT\n\nA\n", new DateOnly(2025, 3, 12)));

        Assert.Equal("line 1", e.Position);
        Assert.Contains("--date says 2025-03-12", e.Message);
    }

    [Fact]
    public void Text_NoDateLineAndNoDateOption_AsksForDate()
    {
        var e = Assert.Throws<PayloadException>(() => Read("Title\n\nAbstract\n"));

        Assert.Contains("--date", e.Message);
    }

    [Fact]
    public void Text_Feb29_LooksBackToALeapYear()
    {
        Assert.Equal(new DateOnly(2024, 2, 29), Read("Feb 29\n\nT\n\nA\n", today: new DateOnly(2027, 1, 5)).Lists[0].ListDate);
    }

    [Fact]
    public void Text_SameTitle_GetsTheSameStableId()
    {
        Assert.Equal(PaperIdentity.FromTitle("Sparse  Widgets: Scaling!"), PaperIdentity.FromTitle("sparse widgets scaling"));
        Assert.NotEqual(PaperIdentity.FromTitle("Sparse Widgets"), PaperIdentity.FromTitle("Dense Widgets"));
    }

    [Theory]
    [InlineData("2502.01001", "2502.01001")]
    [InlineData("2502.01001v3", "2502.01001")]
    [InlineData("arXiv:2401.12345", "2401.12345")]
    [InlineData("hf-123", null)]
    public void ArxivId_VersionAndPrefixDropped(string raw, string? expected) =>
        Assert.Equal(expected, PaperIdentity.ArxivId(raw));

    [Theory]
    [InlineData("", "")]
    [InlineData("Plain text stays", "Plain text stays")]
    [InlineData("  Sparse\n  Widgets\t\tat scale  ", "Sparse Widgets at scale")]
    [InlineData("a\u00a0\u2003b\r\nc\u0085d ", "a b c d")]
    [InlineData(" \n\t ", "")]
    [InlineData("x ", "x")]
    [InlineData(" x", "x")]
    public void CleanText_CollapsesEveryRunOfWhiteSpace(string raw, string expected) =>
        Assert.Equal(expected, PaperIdentity.CleanText(raw));

    [Fact]
    public void CleanText_RandomText_SameAsRegexCollapseAndTrim()
    {
        var random = new Random(7);
        const string alphabet = "ab  \n\t\r\u00a0\u2028\u3000\u0085xyz.";
        for (var n = 0; n < 2000; n++)
        {
            var chars = new char[random.Next(0, 5000)];
            for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            Assert.Equal(System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim(), PaperIdentity.CleanText(text));
        }
    }

    [Theory]
    [InlineData("[{}]", "x.txt", "hf-json")]
    [InlineData("{\"data\": []}", "x.json", "hf-json")]
    [InlineData("{\"id\": \"1\"}\n{\"id\": \"2\"}\n", "x.json", "hf-jsonl")]
    [InlineData("{\n \"data\": []\n}", "x.json", "hf-json")]
    [InlineData("Mar 11\n\nT\n\nA", "x.txt", "hf-text")]
    [InlineData("<html></html>", "x.json", "hf-json")]
    [InlineData("Mar 11\n\nT\n\nA", "x", "hf-text")]
    [InlineData("<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", "x.txt", "arxiv-atom")]
    [InlineData("<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>", "x.json", "arxiv-atom")]
    [InlineData("<?xml version=\"1.0\"?>\n<html></html>", "x.json", "hf-json")]
    public void Detect_PicksFormatFromContentThenExtension(string text, string name, string expected) =>
        Assert.Equal(expected, PayloadNormalizer.Detect(System.Text.Encoding.UTF8.GetBytes(text), name).Name);
}
