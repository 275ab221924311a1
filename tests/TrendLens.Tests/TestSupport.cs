using Dapper;
using DuckDB.NET.Data;
using TrendLens.Cli;
using TrendLens.Storage;

namespace TrendLens.Tests;

/// <summary>A temporary folder with a DuckDB file path in it, removed afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "trendlens-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }
    public string Db => System.IO.Path.Combine(Path, "test.duckdb");

    public string File(string name, string content)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return full;
    }

    public string File(string name, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllBytes(full, content);
        return full;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public sealed record CliResult(int Code, string Out, string Err);

public static class Run
{
    public static readonly DateTimeOffset Today = new(2025, 3, 20, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Runs the real command line in-process, as a script would (not a terminal).</summary>
    public static CliResult Cli(string db, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = new CommandLine(output, error, new FixedClock(Today), interactive: false).Run(["--db", db, .. args]);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public static T Scalar<T>(string db, string sql)
    {
        using var connection = new Database(db).Open();
        return connection.ExecuteScalar<T>(sql)!;
    }

    /// <summary>The blob in the first column of each row (DuckDB.NET hands blobs out as streams).</summary>
    public static List<byte[]> Blobs(string db, string sql)
    {
        using var connection = new Database(db).Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var result = new List<byte[]>();
        while (reader.Read())
        {
            using var stream = reader.GetStream(0);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            result.Add(copy.ToArray());
        }
        return result;
    }

    public static List<T> Rows<T>(string db, string sql)
    {
        using var connection = new Database(db).Open();
        return connection.Query<T>(sql).ToList();
    }
}

public static class Fixture
{
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    /// <summary>The shared archive beside the repository, or null on a machine without it.</summary>
    public static string? Archive()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data", "hf-daily");
            if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.jsonl").Any()) return candidate;
        }
        return null;
    }
}
