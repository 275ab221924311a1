using DuckDB.NET.Data;
using TrendLens.Rollup;
using TrendLens.Storage;
using TrendLens.Tagging;

namespace TrendLens.Cli;

/// <summary>
/// What the server's jobs, endpoints and in-server commands share: the database it owns (one
/// connection held open for its lifetime keeps the file and its lock), the lexicons new papers
/// are tagged with, and the refresher that keeps the rollups current.
/// </summary>
public sealed class ServerData : IDisposable
{
    private readonly DuckDBConnection _owner;
    private volatile Lexicons? _lexicons;

    public ServerData(Database database, Lexicons? lexicons, bool demo, int databaseMegabytes = Database.ServerMemoryMegabytes)
    {
        Database = database;
        Demo = demo;
        Rollups = new RollupRefresher(database);
        _lexicons = lexicons;
        _owner = database.Open();
        // A setting of the native database, which lives as long as this connection: DuckDB's
        // default is 80 % of the machine's memory, and under a flood of distinct queries it takes it.
        Database.SetMemoryLimit(_owner, databaseMegabytes);
    }

    public Database Database { get; }

    /// <summary>Synthetic demo data: no scheduler, no writes.</summary>
    public bool Demo { get; }

    public RollupRefresher Rollups { get; }

    /// <summary>The lexicons new papers are tagged with (fetches, imports); null when they failed to load.</summary>
    public Lexicons? Lexicons => _lexicons;

    /// <summary>Tags what arrives from now on with these lexicons (after a retag with them).</summary>
    public void UseLexicons(Lexicons lexicons) => _lexicons = lexicons;

    public void Dispose() => _owner.Dispose();
}
