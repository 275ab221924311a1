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

    /// <summary>A folder <paramref name="name"/> holding copies of the shipped lexicon files named, for a test to edit.</summary>
    public string Dashboards(string name, params string[] files)
    {
        var dir = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(dir);
        foreach (var file in files)
            System.IO.File.Copy(System.IO.Path.Combine(TrendLens.Tagging.Lexicons.FindDirectory(), file), System.IO.Path.Combine(dir, file));
        return dir;
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

    /// <summary>
    /// Imports the shared archive into <paramref name="tmp"/>'s database; the calling test reports
    /// itself skipped (never passed) on a machine without the archive.
    /// </summary>
    public static void ImportArchive(TempDir tmp)
    {
        var archive = Archive();
        Skip.If(archive is null, "../shared/data/hf-daily is not present on this machine");
        var import = Run.Cli(tmp.Db, "import", archive!);
        Assert.True(import.Code == 0, import.Err);
    }
}

/// <summary>
/// The hf-jsonl fixture lists imported once, for a test class whose tests only read the database
/// (and write their outputs to folders of their own).
/// </summary>
public sealed class ImportedFixture : IDisposable
{
    private readonly TempDir _tmp = new();

    public ImportedFixture()
    {
        var import = Run.Cli(_tmp.Db, "import", Fixture.Path("hf-jsonl"));
        if (import.Code != 0) throw new InvalidOperationException($"importing the fixture failed: {import.Err}");
    }

    public string Db => _tmp.Db;

    public void Dispose() => _tmp.Dispose();
}

/// <summary>
/// The real trendlens executable serving a database in another process on a free loopback port,
/// answering /healthz; killed (SIGKILL, as a crash would) when disposed.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private ServerProcess(System.Diagnostics.Process process, HttpClient http)
    {
        Process = process;
        Http = http;
    }

    public System.Diagnostics.Process Process { get; }
    public HttpClient Http { get; }

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public string Output => string.Join("\n", _output);

    /// <summary>
    /// Starts <c>trendlens --db DB serve</c> with these environment variables added and waits (up to
    /// 60 s) until it answers /healthz. The first answer can take seconds when the suite keeps both
    /// cores busy (the server compiles its code and checks the file first), so a probe that times
    /// out is tried again like one that finds nobody listening.
    /// </summary>
    public static ServerProcess Start(string db, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { System.IO.Path.Combine(AppContext.BaseDirectory, "trendlens.dll"), "--db", db, "serve", "--urls", $"http://127.0.0.1:{port}" })
            info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        var server = new ServerProcess(System.Diagnostics.Process.Start(info)!,
            new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) });
        server.Process.OutputDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        server.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) server._output.Enqueue(e.Data); };
        server.Process.BeginOutputReadLine();
        server.Process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + StartLimit;
        while (DateTime.UtcNow < deadline && !server.Process.HasExited)
        {
            try
            {
                if (server.Http.GetAsync("/healthz").GetAwaiter().GetResult().IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            Thread.Sleep(100);
        }
        server.Dispose();
        throw new TimeoutException($"the server did not answer /healthz in {StartLimit.TotalSeconds} s: " + server.Output);
    }

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    /// <summary>A loopback port nobody listens on at the moment.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would, and waits for the process to end.</summary>
    public void Kill()
    {
        try
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
        Http.Dispose();
    }
}
