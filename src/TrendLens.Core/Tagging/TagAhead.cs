using System.Collections.Concurrent;
using TrendLens.Snapshots;
using TrendLens.Sources;

namespace TrendLens.Tagging;

/// <summary>
/// Tags the papers of normalized lists on other cores while an import is still storing them,
/// so the Tag stage after the import finds most of its work done (<see cref="Tagger.TagPending"/>
/// takes the result). Tags are keyed by paper and by the MD5 of the text they were made from:
/// the Tag stage uses one only when the stored text of the paper is that same text, and tags
/// the rest itself, so tagging ahead changes how fast an import is, never what it stores.
/// </summary>
public sealed class TagAhead : IDisposable
{
    /// <summary>
    /// Beyond this many papers the rest are tagged after the import, as without tagging ahead:
    /// their tags wait in memory until the Tag stage takes them (100,000 held 0.3 GB more while a
    /// million arXiv papers were stored, for no shorter import). The archive is tagged ahead whole.
    /// </summary>
    public const int MaxPapers = 20_000;

    private readonly Tagger _tagger;
    // Whole lists, not single papers: handing over 580 lists costs less than 9,881 papers (the workers spun).
    // Room for many: the files read while the database opened are handed over at once, and the
    // reader, blocked here, would leave the storing thread waiting for files (see FileImporter.PayloadQueue).
    private readonly BlockingCollection<(IReadOnlyList<ListEntry> Entries, string[] TextMd5s)> _queue = new(boundedCapacity: 1024);
    private readonly ConcurrentDictionary<(string PaperId, string TextMd5), StoredTags> _done = new();
    private readonly Task[] _workers;
    private int _accepted;

    public TagAhead(Tagger tagger, int workers)
    {
        _tagger = tagger;
        _workers = Enumerable.Range(0, Math.Max(1, workers))
            .Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))
            .ToArray();
    }

    public string LexiconVersion => _tagger.LexiconVersion;

    /// <summary>Queues the papers of a normalized payload; waits while the workers are behind.</summary>
    public void Add(PreparedPayload payload)
    {
        if (payload.Normalized is not { } normalized) return;
        for (var l = 0; l < normalized.Lists.Count; l++)
        {
            var entries = normalized.Lists[l].Entries;
            if (_queue.IsAddingCompleted || Interlocked.Add(ref _accepted, entries.Count) > MaxPapers) return;
            _queue.Add((entries, payload.TextMd5s[l]));
        }
    }

    /// <summary>Waits for the queued papers and returns their tags.</summary>
    internal IReadOnlyDictionary<(string PaperId, string TextMd5), StoredTags> Complete()
    {
        _queue.CompleteAdding();
        Task.WaitAll(_workers);
        return _done;
    }

    public void Dispose()
    {
        if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
        try { Task.WaitAll(_workers); } catch (AggregateException) { }
        _queue.Dispose();
    }

    private void Work()
    {
        foreach (var (entries, md5s) in _queue.GetConsumingEnumerable())
            for (var i = 0; i < entries.Count; i++)
            {
                var (entry, md5) = (entries[i], md5s[i]);
                try
                {
                    if (_done.ContainsKey((entry.PaperId, md5))) continue;
                    _done[(entry.PaperId, md5)] = _tagger.TagForStorage(entry.Title, entry.Abstract, entry.AiKeywords);
                }
                catch (Exception)
                {
                    // A worker that died would leave the import waiting on a full queue. The paper
                    // is tagged again by the Tag stage, where a failure is reported as usual.
                }
            }
    }
}
