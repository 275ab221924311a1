using System.Collections.Concurrent;
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
    /// <summary>Beyond this many papers the rest are tagged after the import, as without tagging ahead (bounds memory).</summary>
    public const int MaxPapers = 100_000;

    private readonly Tagger _tagger;
    // Whole lists, not single papers: handing over 580 lists costs less than 9,881 papers (the workers spun).
    private readonly BlockingCollection<IReadOnlyList<ListEntry>> _queue = new(boundedCapacity: 16);
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
    public void Add(NormalizedPayload payload)
    {
        foreach (var list in payload.Lists)
        {
            if (_queue.IsAddingCompleted || Interlocked.Add(ref _accepted, list.Entries.Count) > MaxPapers) return;
            _queue.Add(list.Entries);
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
        foreach (var entries in _queue.GetConsumingEnumerable())
            foreach (var entry in entries)
            {
                try
                {
                    var md5 = Tagger.TextMd5(entry.Title, entry.Abstract, entry.AiKeywords);
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
