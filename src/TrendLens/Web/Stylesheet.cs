using System.Reflection;
using Microsoft.Extensions.FileProviders;

namespace TrendLens.Cli.Web;

/// <summary>
/// The pages' stylesheet, wwwroot/trendlens.css, carried inside the binary and served at
/// <see cref="Path"/> by the static files middleware.
/// </summary>
public static class Stylesheet
{
    public const string Path = "/trendlens.css";

    private static readonly Assembly Assembly = typeof(Stylesheet).Assembly;

    /// <summary>wwwroot/ as the project embeds it (TrendLens.csproj).</summary>
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(Assembly, "wwwroot");
}
