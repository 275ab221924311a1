using System.Data;
using System.Security.Cryptography;
using Dapper;
using DuckDB.NET.Data;
using TrendLens.Sources;
using TrendLens.Storage;

namespace TrendLens.Snapshots;

public enum DayStatus
{
    /// <summary>First snapshot of this (source, list date).</summary>
    New,
    /// <summary>A different payload for a known (source, list date): a new revision.</summary>
    Revised,
    /// <summary>The same payload was stored before: nothing added.</summary>
    Unchanged,
}

public sealed record DayOutcome(DateOnly ListDate, int Revision, int Entries, DayStatus Status);

/// <summary>What happened to one payload: its days, or the reason it went to quarantine.</summary>
public sealed record SnapshotOutcome(
    string Origin,
    string Source,
    string Sha256,
    PayloadFormat? Format,
    IReadOnlyList<DayOutcome> Days,
    string? Error,
    IReadOnlyList<string> Notes)
{
    public bool Quarantined => Error is not null;
}

/// <summary>
/// Stage 3, Snapshot: one transaction stores a raw payload verbatim with its SHA-256 and the
/// normalized entries of each day it holds, keyed by (source, list date). The same payload
/// again adds nothing; a different payload for a stored key adds a revision; a payload that
/// fails to normalize is kept in quarantine with its error. Nothing is updated or deleted.
/// </summary>
public sealed class SnapshotWriter(TimeProvider clock)
{
    public const string DefaultSource = "hf-daily";

    public SnapshotOutcome Write(DuckDBConnection connection, ReadOnlyMemory<byte> payload, string source, PayloadFormat? format, PayloadContext context)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(payload.Span));
        NormalizedPayload normalized;
        try
        {
            normalized = PayloadNormalizer.Normalize(payload, format, context);
        }
        catch (PayloadException e)
        {
            var detected = format ?? SafeDetect(payload, context.Origin);
            Quarantine(connection, payload, sha, source, detected, context, e.Describe());
            return new SnapshotOutcome(context.Origin, source, sha, detected, [], e.Describe(), []);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        using var tx = connection.BeginTransaction();
        long? payloadId = null;
        var days = new List<DayOutcome>(normalized.Lists.Count);
        foreach (var list in normalized.Lists)
        {
            var key = new { source, date = list.ListDate, sha };
            var existing = connection.QuerySingle<(int Same, int Latest)>(SqlCatalog.Get("snapshots/revision_of_payload"), key, tx);
            if (existing.Same > 0)
            {
                days.Add(new DayOutcome(list.ListDate, existing.Same, list.Entries.Count, DayStatus.Unchanged));
                continue;
            }

            payloadId ??= StorePayload(connection, tx, payload, sha, normalized.Format, context.Origin, now);
            var revision = existing.Latest + 1;
            connection.Execute(
                "insert into snapshots values ($source, $date, $revision, $payloadId, $entries, $now)",
                new { source, date = list.ListDate, revision, payloadId, entries = list.Entries.Count, now }, tx);
            AppendEntries(connection, source, revision, list);
            days.Add(new DayOutcome(list.ListDate, revision, list.Entries.Count, revision == 1 ? DayStatus.New : DayStatus.Revised));
        }
        tx.Commit();
        return new SnapshotOutcome(context.Origin, source, sha, normalized.Format, days, null, normalized.Notes);
    }

    private void Quarantine(DuckDBConnection connection, ReadOnlyMemory<byte> payload, string sha, string source, PayloadFormat format, PayloadContext context, string error)
    {
        using var tx = connection.BeginTransaction();
        var known = connection.ExecuteScalar<long>(
            "select count(*) from quarantine q join payloads p on p.payload_id = q.payload_id where p.sha256 = $sha and q.source = $source and q.error = $error",
            new { sha, source, error }, tx);
        if (known == 0)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var payloadId = StorePayload(connection, tx, payload, sha, format, context.Origin, now);
            connection.Execute(
                "insert into quarantine values ($payloadId, $source, $date, $format, $error, $now)",
                new { payloadId, source, date = context.Date ?? PayloadNormalizer.DateFromName(context.Origin), format = format.Name(), error, now }, tx);
        }
        tx.Commit();
    }

    private static long StorePayload(DuckDBConnection connection, IDbTransaction tx, ReadOnlyMemory<byte> payload, string sha, PayloadFormat format, string origin, DateTime now)
    {
        var id = connection.ExecuteScalar<long?>("select payload_id from payloads where sha256 = $sha", new { sha }, tx);
        if (id is { } existing) return existing;
        id = connection.ExecuteScalar<long>("select nextval('payload_id_seq')", transaction: tx);
        using var appender = connection.CreateAppender("payloads");
        appender.CreateRow()
            .AppendValue(id)
            .AppendValue(sha)
            .AppendValue(format.Name())
            .AppendValue(origin)
            .AppendValue((long)payload.Length)
            .AppendValue(payload.ToArray())
            .AppendValue(now)
            .EndRow();
        return id.Value;
    }

    private static void AppendEntries(DuckDBConnection connection, string source, int revision, DailyList list)
    {
        using var appender = connection.CreateAppender("list_entries");
        foreach (var e in list.Entries)
        {
            appender.CreateRow()
                .AppendValue(source)
                .AppendValue(list.ListDate)
                .AppendValue(revision)
                .AppendValue(e.Rank)
                .AppendValue(e.PaperId)
                .AppendValue(e.ArxivId)
                .AppendValue(e.Title)
                .AppendValue(e.Abstract)
                .AppendValue(e.Authors)
                .AppendValue(e.PublishedAt)
                .AppendValue(e.SubmittedAt)
                .AppendValue(e.Upvotes)
                .AppendValue(e.NumComments)
                .AppendValue(e.AiKeywords)
                .AppendValue(e.AiSummary)
                .AppendValue(e.GithubRepo)
                .AppendValue(e.GithubStars)
                .AppendValue(e.ProjectPage)
                .AppendValue(e.Organization)
                .AppendValue(e.OrganizationName)
                .EndRow();
        }
    }

    private static PayloadFormat SafeDetect(ReadOnlyMemory<byte> payload, string origin)
    {
        try
        {
            return PayloadNormalizer.Detect(payload.Span, origin);
        }
        catch (Exception)
        {
            return PayloadFormat.HfJson;
        }
    }
}
