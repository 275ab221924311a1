using System.Net;
using Dapper;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using TrendLens.Cli.Web;

namespace TrendLens.Tests;

public class BusyDatabaseTests
{
    [Fact]
    public async Task Attack_RequestThatRunsDuckDbOutOfMemory_Is503WithRetryAfter_NotA500()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.UseFailureAnswers();
        // A real DuckDB out-of-memory error: a 400 MB list under an 8 MB limit.
        app.MapGet("/heavy", () =>
        {
            using var connection = new DuckDBConnection("Data Source=:memory:");
            connection.Open();
            connection.Execute("set memory_limit = '8MB'");
            return connection.ExecuteScalar<long>("select len(list(i)) from range(50000000) t(i)").ToString();
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };

        using var response = await http.GetAsync("/heavy");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Contains("ran out of memory", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AWriteWaitingForAnotherWriterOfTheProcess_IsSaidOnce_AndOnlyWhenItWaits()
    {
        using var tmp = new TempDir();
        var database = new TrendLens.Storage.Database(tmp.Db);
        var said = 0;

        // Free: no word.
        var free = await Task.Run(() =>
        {
            TrendLens.Storage.Database.WaitingForWriter.Value = () => Interlocked.Increment(ref said);
            using (database.AcquireWriteLock()) return said;
        });
        Assert.Equal(0, free);

        // Held by another writer for longer than the patience: said once, after the patience, then
        // the write goes on. Timed from the waiter's own start: on a busy suite its task can start late.
        var holder = database.AcquireWriteLock();
        var saidAfter = TimeSpan.Zero;
        var waiter = Task.Run(() =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            TrendLens.Storage.Database.WaitingForWriter.Value = () =>
            {
                saidAfter = clock.Elapsed;
                Interlocked.Increment(ref said);
            };
            using (database.AcquireWriteLock()) return true;
        });
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Volatile.Read(ref said) == 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(1, said);
        Assert.True(saidAfter >= TrendLens.Storage.Database.SayWaitingAfter - TimeSpan.FromMilliseconds(50), $"said after {saidAfter}");
        Assert.False(waiter.IsCompleted);
        holder.Dispose();
        Assert.True(await waiter.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, said);
    }
}
