using TrendLens.Rollup;

namespace TrendLens.Tests;

/// <summary>Which lists a read counts when it names no source (<see cref="ReadSource"/>).</summary>
public class ReadSourceTests
{
    private static string? NotAsked() => throw new InvalidOperationException("the configuration was read");

    [Fact]
    public void OneStoredSource_IsRead_WithoutReadingTheConfiguration()
    {
        Assert.Equal("arxiv", ReadSource.Resolve("", NotAsked, ["arxiv"]));
        Assert.Equal("arxiv", ReadSource.Resolve("arxiv", NotAsked, ["arxiv"]));
        Assert.Null(ReadSource.Resolve("hf-daily", NotAsked, ["arxiv"]));
        Assert.Equal("", ReadSource.Resolve(ReadSource.Every, NotAsked, ["arxiv"]));
    }

    [Fact]
    public void SeveralStoredSources_ReadThePrimary_OrEveryOneWhenThePrimaryHasNoLists()
    {
        Assert.Equal("hf-daily", ReadSource.Resolve("", () => "hf-daily", ["arxiv", "hf-daily"]));
        Assert.Equal("", ReadSource.Resolve("", () => "demo", ["arxiv", "hf-daily"]));
        Assert.Equal("", ReadSource.Resolve("", () => null, ["arxiv", "hf-daily"]));
        Assert.Equal("arxiv", ReadSource.Resolve("arxiv", NotAsked, ["arxiv", "hf-daily"]));
    }
}
