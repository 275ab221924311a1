using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrendLens;

/// <summary>
/// Reads the JSON files users edit (lexicons, dashboards): unknown fields, missing required
/// fields and nulls where none belong are errors that name the file, the JSON path and the line.
/// </summary>
public static class StrictJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <param name="fail">Makes the exception the caller throws from a message that starts with <paramref name="path"/>.</param>
    public static T Deserialize<T>(byte[] json, string path, Func<string, Exception> fail)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw fail($"{path}: the file holds null");
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 0 } p ? $" at {p}" : "";
            var line = e.LineNumber is { } l ? $" (line {l + 1})" : "";
            var reason = e.Message;
            var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            throw fail($"{path}{where}{line}: {reason}");
        }
    }
}
