using System.Collections.Concurrent;
using System.Reflection;

namespace TrendLens.Storage;

/// <summary>
/// The SQL files under the repository's <c>sql/</c> folder, embedded in this assembly and
/// looked up by their path without extension, e.g. <c>"schema/001_snapshots"</c>.
/// </summary>
public static class SqlCatalog
{
    private const string Prefix = "sql/";
    private static readonly Assembly Assembly = typeof(SqlCatalog).Assembly;
    private static readonly ConcurrentDictionary<string, string> Cache = new();

    public static IReadOnlyList<string> Names { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".sql".Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    public static string Get(string name) => Cache.GetOrAdd(name, Load);

    private static string Load(string name)
    {
        using var stream = Assembly.GetManifestResourceStream(Prefix + name + ".sql")
            ?? throw new KeyNotFoundException(
                $"No SQL file named '{name}' is embedded. Known names: {string.Join(", ", Names)}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
