using System.CommandLine;
using System.Text.RegularExpressions;
using TrendLens.Cli;
using TrendLens.Storage;

namespace TrendLens.Tests;

/// <summary>What users read must not drift from what the program does: commands, settings and SQL files.</summary>
public partial class DriftTests
{
    private static string RepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate) && File.Exists(Path.Combine(dir.FullName, "TrendLens.sln"))) return candidate;
        }
        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }

    private static IEnumerable<string> SourceFiles(string folder, string pattern)
    {
        var root = Path.GetDirectoryName(RepoFile("TrendLens.sln"))!;
        return Directory.EnumerateFiles(Path.Combine(root, folder), pattern, SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
    }

    [Fact]
    public void EveryCommandAndOption_IsInTheUsageOfTheCommandLineDocs()
    {
        var readme = File.ReadAllText(RepoFile("docs/cli.md"));
        var usage = readme[readme.IndexOf("## Usage", StringComparison.Ordinal)..];
        usage = usage[..usage.IndexOf("```", usage.IndexOf("```", StringComparison.Ordinal) + 3, StringComparison.Ordinal)];
        var root = new CommandLine(TextWriter.Null, TextWriter.Null, TimeProvider.System, interactive: false).Root;
        var missing = new List<string>();
        foreach (var command in root.Subcommands)
        {
            var leaves = command.Subcommands.Count == 0 ? [(command.Name, command)] : command.Subcommands.Select(c => ($"{command.Name} {c.Name}", c)).ToList();
            foreach (var (name, leaf) in leaves)
            {
                if (!usage.Contains(command.Subcommands.Count == 0 ? $"  {command.Name}" : $"{command.Name} ", StringComparison.Ordinal)
                    || (command.Subcommands.Count > 0 && !usage.Contains(leaf.Name, StringComparison.Ordinal)))
                    missing.Add(name);
                foreach (var option in leaf.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not ("--help")))
                    if (!usage.Contains(option.Name + " ", StringComparison.Ordinal) && !usage.Contains(option.Name + "]", StringComparison.Ordinal))
                        missing.Add($"{name} {option.Name}");
            }
        }
        Assert.Empty(missing);
    }

    [Fact]
    public void EverySetting_IsDocumented()
    {
        var readme = File.ReadAllText(RepoFile("docs/configuration.md"));
        var keys = typeof(TrendLensSettings).GetProperties().Where(p => p.PropertyType != typeof(List<SourceSettings>)).Select(p => $"`{p.Name}`")
            .Concat(typeof(SourceSettings).GetProperties().Select(p => $"`Sources[i].{p.Name}`"));
        var undocumented = keys.Where(k => !readme.Contains(k, StringComparison.Ordinal)).ToList();
        Assert.Equal([], undocumented);
    }

    [GeneratedRegex("\"((?:papers|rollup|fetch|snapshots|tagging|reviews|storage|panels)/[a-z_]+)\"")]
    private static partial Regex SqlName();

    [Fact]
    public void EverySqlFile_IsUsed_AndEveryNameUsedExists()
    {
        var used = SourceFiles("src", "*.cs").Concat(SourceFiles("dashboards", "*.json"))
            .SelectMany(f => SqlName().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        var queries = SqlCatalog.Names.Where(n => !n.StartsWith("schema/", StringComparison.Ordinal)).ToHashSet();

        Assert.Empty(queries.Except(used).Order());
        Assert.Empty(used.Except(queries).Order());
    }

    [GeneratedRegex("\"{1,3}\\s*(select|insert|delete|update|create|drop|with|set|reset|pragma|checkpoint|attach|copy|alter|install)\\s", RegexOptions.IgnoreCase)]
    private static partial Regex SqlLiteral();

    [Fact]
    public void SqlStatements_AreInSqlFiles_NotInCSharpStrings()
    {
        var inline = SourceFiles("src", "*.cs").Concat(SourceFiles("src", "*.razor"))
            .SelectMany(f =>
            {
                var text = File.ReadAllText(f);
                return SqlLiteral().Matches(text).Select(m => $"{Path.GetFileName(f)}:{text.AsSpan(0, m.Index).Count('\n') + 1}");
            })
            .ToList();
        Assert.Empty(inline);
    }
}
