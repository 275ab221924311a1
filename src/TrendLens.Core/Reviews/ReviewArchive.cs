using Dapper;
using DuckDB.NET.Data;
using TrendLens.Rollup;
using TrendLens.Storage;

namespace TrendLens.Reviews;

/// <summary>
/// A review as archived. <see cref="Numbers"/> is null for reviews archived before numbers were
/// kept; their <see cref="Html"/> has <see cref="ReviewRenderer.ImagesToken"/> where the folder of
/// its images goes, a later one's is the offline page with its images beside it.
/// </summary>
public sealed record ArchivedReview(string Week, int Version, DateTime CreatedAt, DateOnly? DataAsOf, string? LexiconVersion, string Markdown, string Html, string? Numbers)
{
    public DateTimeOffset Generated => new(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc));
}

/// <summary>A review as generated: its numbers, its files and the version it was archived as.</summary>
public sealed record GeneratedReview(WeeklyReview Review, int Version, string Markdown, string Html, IReadOnlyDictionary<string, byte[]> Pngs)
{
    public const string Composite = "review";
}

/// <summary>
/// Every review ever generated, in the database: a week is generated once; generating it again
/// needs <c>force</c> and adds a version, and the earlier versions stay.
/// </summary>
public static class ReviewArchive
{
    public static IReadOnlyList<(string Week, int Version, DateTime CreatedAt)> List(DuckDBConnection connection) =>
        connection.Query<(string, int, DateTime)>(SqlCatalog.Get("reviews/reviews_archived")).ToList();

    public static int? LatestVersion(DuckDBConnection connection, IsoWeek week) =>
        connection.ExecuteScalar<int?>(SqlCatalog.Get("reviews/review_latest_version"), new { week = week.ToString() });

    public static ArchivedReview? Find(DuckDBConnection connection, IsoWeek week, int? version = null) =>
        connection.QuerySingleOrDefault<ArchivedReview>(SqlCatalog.Get("reviews/review_archived"), new { week = week.ToString(), version });

    public static byte[]? Image(DuckDBConnection connection, IsoWeek week, int version, string name)
    {
        // Copied from the open reader: DuckDB.NET gives a BLOB as a stream over the result's memory,
        // which Dapper's mappers cannot turn into byte[] and which is gone once the reader closes.
        using var reader = connection.ExecuteReader(SqlCatalog.Get("reviews/review_image"), new { week = week.ToString(), version, name });
        if (!reader.Read()) return null;
        using var stream = (Stream)reader.GetValue(0);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// Builds, renders and archives the review of <paramref name="week"/>; without
    /// <paramref name="force"/> an archived week is refused. A review is archived, so it reads
    /// rollups brought up to date with all the data there is, never a previous build.
    /// <paramref name="html"/> renders the offline page (images beside it) of the review generated then.
    /// </summary>
    public static GeneratedReview Generate(RollupRefresher rollups, DuckDBConnection connection, IsoWeek week, TimeProvider clock, bool force,
        Func<WeeklyReview, DateTimeOffset, string> html, bool demo = false, string? primary = Rollup.Lift.DefaultSource, IReadOnlyList<string>? baseSources = null)
    {
        if (!force && LatestVersion(connection, week) is { } existing)
            throw new ReviewException($"the review of {week} exists (version {existing}); generating it again needs --force, which keeps version {existing}; --archived writes its files as archived");
        var database = rollups.Database;
        rollups.Refresh(connection);
        var review = WeeklyReviewer.Build(database, connection, week, demo, primary, baseSources);
        var generated = clock.GetUtcNow();
        var markdown = ReviewRenderer.Markdown(review, generated);
        var page = html(review, generated);
        var pngs = new Dictionary<string, byte[]>(ReviewRenderer.SectionPngs(review, generated));
        pngs[GeneratedReview.Composite] = ReviewRenderer.CompositePng(review, pngs, generated);

        using var writeLock = database.AcquireWriteLock();
        using var tx = connection.BeginTransaction();
        var version = (LatestVersion(connection, week) ?? 0) + 1;
        if (version > 1 && !force) throw new ReviewException($"the review of {week} was generated meanwhile; generating it again needs --force");
        connection.Execute(SqlCatalog.Get("reviews/reviews_insert"), new
        {
            week = week.ToString(), version, created_at = generated.UtcDateTime, data_as_of = review.DataAsOf, lexicon = review.LexiconVersion, markdown,
            html = page, numbers = ReviewNumbers.Write(review),
        }, tx);
        connection.Execute(SqlCatalog.Get("reviews/review_images_insert"),
            pngs.Select(p => new { week = week.ToString(), version, name = p.Key, png = p.Value }), tx);
        tx.Commit();
        return new GeneratedReview(review, version, markdown, page, pngs);
    }

    /// <summary>
    /// Writes review.md, review.html (its images beside it), one PNG per section and review.png
    /// into <paramref name="folder"/>. Files of an earlier review there move to
    /// <c>previous-N/</c> first, N counting up, so nothing is overwritten.
    /// </summary>
    public static IReadOnlyList<string> WriteFiles(GeneratedReview review, string folder) =>
        WriteFiles(review.Markdown, review.Html, review.Pngs, folder);

    /// <summary>
    /// Writes the files of a review as archived (its Markdown, its offline page with the images
    /// beside it, its PNGs) into <paramref name="folder"/>, as <see cref="WriteFiles(GeneratedReview, string)"/>
    /// does, without generating it again or adding a version.
    /// </summary>
    public static IReadOnlyList<string> WriteFiles(DuckDBConnection connection, IsoWeek week, ArchivedReview review, string folder)
    {
        var pngs = ReviewRenderer.Sections.Append(GeneratedReview.Composite)
            .Select(name => (name, png: Image(connection, week, review.Version, name)))
            .Where(p => p.png is not null)
            .ToDictionary(p => p.name, p => p.png!);
        // A review archived before its numbers were kept names its images' folder by a token: here they are beside it.
        var html = review.Html.Replace("src=\"" + ReviewRenderer.ImagesToken, "src=\"", StringComparison.Ordinal);
        return WriteFiles(review.Markdown, html, pngs, folder);
    }

    private static IReadOnlyList<string> WriteFiles(string markdown, string page, IReadOnlyDictionary<string, byte[]> images, string folder)
    {
        Directory.CreateDirectory(folder);
        var names = new List<string> { "review.md", "review.html" };
        names.AddRange(images.Keys.Select(n => n + ".png"));
        if (names.Any(n => File.Exists(Path.Combine(folder, n))))
        {
            var n = 1;
            while (Directory.Exists(Path.Combine(folder, $"previous-{n}"))) n++;
            var keep = Directory.CreateDirectory(Path.Combine(folder, $"previous-{n}")).FullName;
            foreach (var name in names.Where(name => File.Exists(Path.Combine(folder, name))))
                File.Move(Path.Combine(folder, name), Path.Combine(keep, name));
        }
        var written = new List<string>();
        void Write(string name, byte[] bytes)
        {
            var path = Path.Combine(folder, name);
            var temp = path + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            written.Add(path);
        }
        Write("review.md", System.Text.Encoding.UTF8.GetBytes(markdown));
        Write("review.html", System.Text.Encoding.UTF8.GetBytes(page));
        foreach (var (name, png) in images) Write(name + ".png", png);
        return written;
    }
}
