using System.Text;

namespace TrendLens.Tests;

/// <summary>
/// Mutated payloads of every import format, imported by the real command: nothing crashes, every
/// payload ends stored whole or quarantined with a reason, and no snapshot is ever partial.
/// </summary>
public class FuzzTests
{
    private const int MutationsPerSeed = 40;

    private static readonly string[] Seeds =
    [
        "hf-jsonl/list-2025-02-10.jsonl",
        "hf-jsonl/list-2025-02-11.jsonl",
        "hf-json/2025-02-13.json",
        "hf-json/wrapped.json",
        "hf-text/page.txt",
    ];

    /// <summary>One mutation of the payload, chosen by <paramref name="kind"/>, shaped by the random source.</summary>
    private static (string Name, byte[] Bytes) Mutate(byte[] seed, int kind, Random random)
    {
        byte[] Splice(byte[] at, int position, byte[] insert) => [.. at.AsSpan(0, position), .. insert, .. at.AsSpan(position)];
        switch (kind % 10)
        {
            case 0:
                return ("truncated", seed[..random.Next(seed.Length)]);
            case 1:
            {
                var bytes = (byte[])seed.Clone();
                for (var i = 0; i < 1 + random.Next(12); i++) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return ("byte-flips", bytes);
            }
            case 2:
            {
                // A huge string value: a megabyte inside the first string the mutation lands in.
                var quote = Array.IndexOf(seed, (byte)'"', random.Next(seed.Length / 2));
                var at = quote < 0 ? seed.Length / 2 : quote + 1;
                return ("huge-string", Splice(seed, at, Encoding.ASCII.GetBytes(new string('x', 1 << 20))));
            }
            case 3:
            {
                var depth = 1000 + random.Next(20_000);
                return ("deep-nesting", [.. Encoding.ASCII.GetBytes(new string('[', depth)), .. seed, .. Encoding.ASCII.GetBytes(new string(']', depth))]);
            }
            case 4:
                return ("utf16", [0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(seed))]);
            case 5:
                return ("latin1", Encoding.Latin1.GetBytes(Encoding.UTF8.GetString(seed) + " café résumé naïve"));
            case 6:
            {
                var start = random.Next(seed.Length);
                var length = random.Next(Math.Min(400, seed.Length - start));
                return ("duplicated-span", Splice(seed, start, seed[start..(start + length)]));
            }
            case 7:
            {
                var text = Encoding.UTF8.GetString(seed);
                var replaced = text.Replace("\"upvotes\": ", "\"upvotes\": 99999999999999999999", StringComparison.Ordinal)
                    .Replace("\"upvotes\":", "\"upvotes\":1e999", StringComparison.Ordinal);
                return ("huge-number", Encoding.UTF8.GetBytes(replaced));
            }
            case 8:
                return ("nul-bytes", Splice(seed, random.Next(seed.Length), new byte[1 + random.Next(64)]));
            default:
            {
                var text = Encoding.UTF8.GetString(seed);
                var cut = text.IndexOf('\n', random.Next(text.Length));
                return ("line-dropped", Encoding.UTF8.GetBytes(cut < 0 ? text + "\n{" : text[..cut] + text[Math.Min(text.Length, text.IndexOf('\n', cut + 1) + 1)..]));
            }
        }
    }

    [Fact]
    public void MutatedPayloads_AreStoredWholeOrQuarantined_NeverPartial()
    {
        using var tmp = new TempDir();
        var random = new Random(20251128);
        var written = 0;
        foreach (var seed in Seeds)
        {
            var bytes = File.ReadAllBytes(Fixture.Path(seed));
            var extension = Path.GetExtension(seed);
            for (var i = 0; i < MutationsPerSeed; i++)
            {
                var (name, mutated) = Mutate(bytes, i, random);
                // Files keep their date in the name, so a mutation that still parses is a revision of that day.
                var date = seed.Contains("2025-02-1", StringComparison.Ordinal) ? seed[seed.IndexOf("2025-02-1", StringComparison.Ordinal)..][..10] : "2025-03-11";
                tmp.File(Path.Combine("fuzz", $"{date}-{Path.GetFileNameWithoutExtension(seed)}-{i:000}-{name}{extension}"), mutated);
                written++;
            }
        }

        var result = Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "fuzz"), "--date", "2025-03-11");
        var byDate = Run.Cli(tmp.Db, "import", Path.Combine(tmp.Path, "fuzz"));

        foreach (var r in new[] { result, byDate })
        {
            Assert.InRange(r.Code, 0, 1);
            Assert.False(r.Err.Contains("unexpected error", StringComparison.Ordinal), r.Err);
            Assert.Contains($"Imported {written} file(s)", r.Out);
        }
        // Every payload kept is accounted for: a snapshot or a quarantine entry (a payload refused with
        // --date and stored by the date in its name is both).
        Assert.Equal(0, Run.Scalar<long>(tmp.Db, """
            select count(*) from payloads p
            where not exists (select 1 from snapshots s where s.payload_id = p.payload_id)
              and not exists (select 1 from quarantine q where q.payload_id = p.payload_id)
            """));
        var quarantined = Run.Scalar<long>(tmp.Db, "select count(distinct payload_id) from quarantine");
        Assert.True(quarantined >= written / 2, $"only {quarantined} of {written} mutations were quarantined");
        Assert.Equal(0, Run.Scalar<long>(tmp.Db, "select count(*) from quarantine where error is null or length(error) < 10"));
        // No partial snapshot: each one has exactly the entries it says, with ranks 1..n, and no entry lacks its snapshot.
        Assert.Equal(0, Run.Scalar<long>(tmp.Db, """
            select count(*) from snapshots s
            where s.entries <> (select count(*) from list_entries e where e.source = s.source and e.list_date = s.list_date and e.revision = s.revision)
               or s.entries <> coalesce((select max(rank) from list_entries e where e.source = s.source and e.list_date = s.list_date and e.revision = s.revision), 0)
            """));
        Assert.Equal(0, Run.Scalar<long>(tmp.Db, """
            select count(*) from list_entries e
            where not exists (select 1 from snapshots s where s.source = e.source and s.list_date = e.list_date and s.revision = e.revision)
            """));
        // The database still answers every kind of query after all that.
        Assert.Equal(0, Run.Cli(tmp.Db, "query", "terms", "--grain", "month").Code);
        Assert.Equal(0, Run.Cli(tmp.Db, "snapshots", "--format", "csv").Code);
    }
}
