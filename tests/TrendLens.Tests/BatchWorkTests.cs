using System.Runtime;
using TrendLens.Cli;

namespace TrendLens.Tests;

// The collector's settings belong to the whole process: these tests run alone, after the others.
[CollectionDefinition(nameof(BatchWorkTests), DisableParallelization = true)]
public sealed class BatchWorkCollection;

[Collection(nameof(BatchWorkTests))]
public class BatchWorkTests
{
    [Fact]
    public void ForBatchWork_NestedScopes_HoldTheCollectorBackUntilTheLastEnds()
    {
        var before = GCSettings.LatencyMode;

        var outer = CommandLine.ForBatchWork(64L * 1024 * 1024);
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        var inner = CommandLine.ForBatchWork();
        outer.Dispose();
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        inner.Dispose();

        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void ForBatchWork_AllocatingPastTheBudget_CollectsAndEndsCleanly()
    {
        var before = GCSettings.LatencyMode;
        var collections = GC.CollectionCount(0);

        using (CommandLine.ForBatchWork(16L * 1024 * 1024))
        {
            var kept = new List<byte[]>();
            for (var i = 0; i < 64; i++) kept.Add(new byte[1024 * 1024]);
            GC.KeepAlive(kept);
            Assert.Equal(GCLatencyMode.Batch, GCSettings.LatencyMode); // the region ended by itself
        }

        Assert.True(GC.CollectionCount(0) > collections);
        Assert.Equal(before, GCSettings.LatencyMode);
    }
}
