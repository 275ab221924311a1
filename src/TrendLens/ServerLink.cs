using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using TrendLens.Storage;

namespace TrendLens.Cli;

/// <summary>
/// How the command line works beside a running server. DuckDB lets one process own a database
/// file, and <c>serve</c> owns it while it runs; so the server writes a file beside the database
/// (<c>NAME.duckdb.server</c>, readable by its user only, removed when it stops) with its
/// address, its process id and a fresh token, and a command that finds that file, from a live
/// process other than itself, runs inside the server instead (<c>POST /api/cli</c> with that
/// token): same output, same exit code. A file left by a server that was killed is ignored.
/// </summary>
public static class ServerLink
{
    public sealed record Info(string Url, int Pid, string Token);

    /// <summary>The link file of a database: beside the file itself, wherever links lead, so that every spelling of it finds its server.</summary>
    public static string PathFor(string databasePath) => Database.FileOf(databasePath) + ".server";

    /// <summary>Writes the file for this process's server at <paramref name="url"/>, which answers to <paramref name="token"/>.</summary>
    public static void Write(string databasePath, string url, string token)
    {
        var path = PathFor(databasePath);
        var temporary = path + "." + Environment.ProcessId + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new FileStream(temporary, options))
            JsonSerializer.Serialize(file, new Info(Loopback(url), Environment.ProcessId, token), ServerLinkJson.Default.Info);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Removes the file if it is still the one this server wrote.</summary>
    public static void Remove(string databasePath, string token)
    {
        var path = PathFor(databasePath);
        if (Read(path) is { } info && info.Token == token) File.Delete(path);
    }

    /// <summary>Whether a server may own the database: its file is there (<see cref="Find"/> says whether that server lives).</summary>
    public static bool MayOwn(string databasePath) => File.Exists(PathFor(databasePath));

    /// <summary>The live server that owns the database, other than this process, or null.</summary>
    public static Info? Find(string databasePath)
    {
        var info = Read(PathFor(databasePath));
        if (info is null || info.Pid == Environment.ProcessId) return null;
        try
        {
            using var process = Process.GetProcessById(info.Pid);
            return process.HasExited ? null : info;
        }
        catch (ArgumentException)
        {
            return null; // its server was killed: the file is stale
        }
    }

    private static Info? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), ServerLinkJson.Default.Info);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>A server bound to every interface is asked on loopback.</summary>
    internal static string Loopback(string url)
    {
        var uri = new Uri(url.Replace("://+", "://localhost").Replace("://*", "://localhost"));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri) { Host = host }.Uri.GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The request a command becomes: its arguments, with paths made absolute for the server.</summary>
    public sealed record Request(string[] Args);

    /// <summary>
    /// Writes the paths a forwarded command was sent by their full names (<paramref name="spelled"/>:
    /// as sent, as the user gave them) as the user gave them, where a line names one or a file in
    /// it, so that the command's output is the same as without a server ("Wrote out/x.png", the
    /// files of a review's folder). A path counts where it ends the line or is followed by a
    /// separator, a space or punctuation, not where it is the start of a longer name.
    /// </summary>
    public static Func<string, string> AsGiven(IEnumerable<(string Sent, string Given)> spelled)
    {
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        static string Trimmed(string path) => path.TrimEnd(Path.DirectorySeparatorChar) is { Length: > 0 } trimmed ? trimmed : path;
        foreach (var (sent, typed) in spelled)
            if (sent != typed) given.TryAdd(Trimmed(sent), Trimmed(typed));
        if (given.Count == 0) return line => line;
        // The longest first: of two nested paths, the one a line names. A path ends where a separator,
        // a quote or the end of a sentence ("wrote reader.json.") follows it.
        var pattern = new System.Text.RegularExpressions.Regex(
            "(?:" + string.Join("|", given.Keys.OrderByDescending(k => k.Length).Select(System.Text.RegularExpressions.Regex.Escape)) + ")(?=$|[/\\s:,;)'\"]|\\.(?:$|\\s))",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        return line => pattern.Replace(line, m => given[m.Value]);
    }

    /// <summary>
    /// Runs the command in the server and writes what it writes; returns its exit code, or null,
    /// having written nothing, when nothing answers at its address (<paramref name="unanswered"/> says what happened).
    /// </summary>
    public static int? Forward(Info server, string[] args, TextWriter output, TextWriter error, out string? unanswered, Func<string, string>? asGiven = null)
    {
        asGiven ??= line => line;
        unanswered = null;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan }; // loopback: no proxy to look up
            using var request = new HttpRequestMessage(HttpMethod.Post, server.Url + "/api/cli")
            {
                Content = new StringContent(JsonSerializer.Serialize(new Request(args), ServerLinkJson.Default.Request), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
            // The server answers at once and then runs the command: no answer in this time is a
            // server that holds the database but does not answer (stopped, or hung).
            using var noAnswer = new CancellationTokenSource(AnswerWithin);
            HttpResponseMessage sent;
            try
            {
                sent = http.Send(request, HttpCompletionOption.ResponseHeadersRead, noAnswer.Token);
            }
            catch (TaskCanceledException) when (noAnswer.IsCancellationRequested)
            {
                unanswered = $"no answer in {AnswerWithin.TotalSeconds:0} s";
                return null;
            }
            using var response = sent;
            if (!response.IsSuccessStatusCode)
            {
                error.WriteLine($"trendlens: the server at {server.Url} that owns the database refused the command ({(int)response.StatusCode}): " +
                    response.Content.ReadAsStringAsync().GetAwaiter().GetResult().ReplaceLineEndings(" ").Trim());
                return CommandLine.Failed;
            }
            using var reader = new StreamReader(response.Content.ReadAsStream(), Encoding.UTF8);
            while (ReadLine(reader) is { } line)
            {
                if (line.Length == 0) continue;
                switch (line[0])
                {
                    case 'o': output.WriteLine(asGiven(line[1..])); break;
                    case 'e': error.WriteLine(asGiven(line[1..])); break;
                    case 'x': return int.Parse(line[1..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            error.WriteLine($"trendlens: the server at {server.Url} stopped before the command ended; run it again");
            return CommandLine.Failed;
        }
        catch (HttpRequestException e)
        {
            unanswered = e.Message;
            return null;
        }
    }

    /// <summary>How long a server may take to start answering a command before it is taken for one that does not answer.</summary>
    internal static TimeSpan AnswerWithin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A line of the answer, up to its '\n' only: a carriage return inside a line (a file name, a
    /// paper id) is part of it, as the server wrote it, not the end of a line.
    /// </summary>
    private static string? ReadLine(StreamReader reader)
    {
        var line = new StringBuilder();
        while (reader.Read() is var c and >= 0)
        {
            if (c == '\n') return line.ToString();
            line.Append((char)c);
        }
        return line.Length > 0 ? line.ToString() : null;
    }

    /// <summary>
    /// Whether another process holds the database open for writing (DuckDB's lock on the file). A
    /// process named by a link file that holds no lock is not its server: one being killed, or one
    /// that took the id of a server that died.
    /// </summary>
    public static bool Held(string databasePath)
    {
        try
        {
            using var connection = new Database(databasePath).Open();
            return false;
        }
        catch (DatabaseBusyException)
        {
            return true;
        }
    }

    /// <summary>Removes a link file found stale (<see cref="Held"/>), if it is still the one read.</summary>
    public static void RemoveStale(string databasePath, Info stale)
    {
        var path = PathFor(databasePath);
        if (Read(path) is { } info && info.Pid == stale.Pid && info.Token == stale.Token)
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for the next server to write over.
            }
    }

    /// <summary>
    /// Runs a forwarded command in this process, writing its output as lines of the answer as they
    /// come: <c>o</c> and <c>e</c> before each line of standard output and error, then <c>x</c> and the exit code.
    /// </summary>
    public static async Task<int> Serve(string[] args, TimeProvider clock, Stream body, CancellationToken cancel)
    {
        var lines = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        var run = Task.Run(() =>
        {
            int code;
            using (var output = new LineWriter('o', lines.Writer))
            using (var error = new LineWriter('e', lines.Writer))
            {
                try
                {
                    // Behind the server's own import, fetch or retag, a command would wait without a word.
                    Database.WaitingForWriter.Value = () => error.WriteLine("trendlens: waiting for the server's import, fetch, retag or rollup of this database to finish…");
                    code = new CommandLine(output, error, clock, interactive: false).Run(args);
                }
                catch (Exception e)
                {
                    error.WriteLine($"trendlens: unexpected error ({e.GetType().Name}): {e.Message.ReplaceLineEndings(" ")}");
                    code = CommandLine.Failed;
                }
            }
            lines.Writer.TryWrite("x" + code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            lines.Writer.TryComplete();
            return code;
        }, CancellationToken.None);
        await foreach (var line in lines.Reader.ReadAllAsync(CancellationToken.None))
        {
            try
            {
                await body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancel);
                await body.FlushAsync(cancel);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The client went away; the command still ends as it would have.
            }
        }
        return await run;
    }

    /// <summary>A writer that hands over each line, marked with its channel.</summary>
    private sealed class LineWriter(char channel, ChannelWriter<string> lines) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (_line)
            {
                if (value == '\n')
                {
                    lines.TryWrite(channel + _line.ToString().TrimEnd('\r'));
                    _line.Clear();
                }
                else
                {
                    _line.Append(value);
                }
            }
        }

        public override void Write(string? value)
        {
            if (value is null) return;
            foreach (var c in value) Write(c);
        }

        protected override void Dispose(bool disposing)
        {
            lock (_line)
                if (_line.Length > 0)
                {
                    lines.TryWrite(channel + _line.ToString());
                    _line.Clear();
                }
            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// The link file and the forwarded command as JSON, by code generated at build time: the
/// reflection-based serializer emitted code at run time in every command forwarded.
/// </summary>
[System.Text.Json.Serialization.JsonSerializable(typeof(ServerLink.Info))]
[System.Text.Json.Serialization.JsonSerializable(typeof(ServerLink.Request))]
internal sealed partial class ServerLinkJson : System.Text.Json.Serialization.JsonSerializerContext;
