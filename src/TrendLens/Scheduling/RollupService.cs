using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TrendLens.Cli.Scheduling;

/// <summary>
/// Keeps the server's rollups current in the background: at start, and after every import,
/// fetch or retag (see <see cref="TrendLens.Rollup.RollupRefresher"/>). Requests never wait for it,
/// except on a database that was never rolled up.
/// </summary>
public sealed class RollupService(ServerData data, ILogger<RollupService> log) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stop) =>
        data.Rollups.RunAsync(e => log.LogError(e, "Rolling up {Database} failed; trying again shortly", Path.GetFileName(data.Database.Path)), stop);
}
