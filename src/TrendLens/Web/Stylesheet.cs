using System.Reflection;
using Microsoft.Extensions.FileProviders;

namespace TrendLens.Cli.Web;

/// <summary>
/// The pages' stylesheet, wwwroot/trendlens.css, carried inside the binary: served at
/// <see cref="Path"/> by the static files middleware, and inlined where a page must stand alone
/// (the offline review.html).
/// </summary>
public static class Stylesheet
{
    public const string Path = "/trendlens.css";

    private static readonly Assembly Assembly = typeof(Stylesheet).Assembly;

    /// <summary>wwwroot/ as the project embeds it (TrendLens.csproj).</summary>
    public static IFileProvider Files { get; } = new EmbeddedFileProvider(Assembly, "wwwroot");

    private static readonly Lazy<string> Css = new(() =>
    {
        using var stream = Files.GetFileInfo(Path).CreateReadStream();
        return new StreamReader(stream).ReadToEnd();
    });

    public static string Text => Css.Value;
}
