using TrendLens.Snapshots;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Tests;

public class SnapshotBatchTests
{
    private static readonly DateOnly Today = new(2025, 3, 20);

    private static PayloadContext Context(string file) => new(file, null, Today);

    [Fact]
    public void Batch_DisposedBeforeCommit_LeavesNothingBehind()
    {
        using var tmp = new TempDir();
        var database = new Database(tmp.Db);
        using (var connection = database.Open())
        using (var batch = new SnapshotWriter(TimeProvider.System).Begin(database, connection))
        {
            foreach (var file in Directory.GetFiles(Fixture.Path("hf-jsonl")))
                batch.Add(File.ReadAllBytes(file), "hf-daily", null, Context(file));
            batch.Add("oops"u8.ToArray(), "hf-daily", PayloadFormat.HfJson, Context("bad.json"));
        }

        foreach (var table in new[] { "payloads", "snapshots", "list_entries", "quarantine" })
            Assert.Equal(0, Run.Scalar<int>(tmp.Db, $"select count(*)::int from {table}"));
    }

    [Fact]
    public void Batch_CommittedTwice_KeepsRevisionsAndPayloadIdsConsistent()
    {
        using var tmp = new TempDir();
        var database = new Database(tmp.Db);
        var file = Fixture.Path("hf-jsonl/list-2025-02-10.jsonl");
        var bytes = File.ReadAllBytes(file);
        var changed = System.Text.Encoding.UTF8.GetBytes(File.ReadAllText(file).Replace("\"upvotes\":42", "\"upvotes\":41"));
        var writer = new SnapshotWriter(TimeProvider.System);
        using (var connection = database.Open())
        {
            using var batch = writer.Begin(database, connection);
            Assert.Equal(DayStatus.New, batch.Add(bytes, "hf-daily", null, Context(file)).Days.Single().Status);
            batch.Commit();
            // Same key, different payload, in the same batch after a commit: revision 2.
            var outcome = batch.Add(changed, "hf-daily", null, Context(file));
            Assert.Equal((2, DayStatus.Revised), (outcome.Days.Single().Revision, outcome.Days.Single().Status));
            Assert.Equal(DayStatus.Unchanged, batch.Add(bytes, "hf-daily", null, Context(file)).Days.Single().Status);
            batch.Commit();
        }
        using (var connection = database.Open())
        {
            // A new batch reads what the old one wrote.
            using var batch = writer.Begin(database, connection);
            Assert.Equal(DayStatus.Unchanged, batch.Add(changed, "hf-daily", null, Context(file)).Days.Single().Status);
        }

        Assert.Equal([1L, 2L], Run.Rows<long>(tmp.Db, "select payload_id from payloads order by payload_id"));
        Assert.Equal([1, 2], Run.Rows<int>(tmp.Db, "select revision from snapshots order by revision"));
    }
}
