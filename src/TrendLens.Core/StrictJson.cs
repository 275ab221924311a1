using System.Text.Json;
using System.Text.RegularExpressions;
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
        AllowDuplicateProperties = false,
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
            throw fail($"{path}{where}{line}: {Reason(e, typeof(T))}");
        }
    }

    /// <summary>The serializer's message in the words of the file: fields and kinds of value, not .NET types.</summary>
    private static string Reason(JsonException e, Type root)
    {
        var message = e.Message;
        if (Regex.Match(message, "^Duplicate property '([^']*)'") is { Success: true } twice)
            return $"'{twice.Groups[1].Value}' is given twice (the second would silently replace the first)";
        if (Regex.Match(message, "^The JSON property '([^']*)' could not be mapped to any .NET member contained in type '([^']*)'") is { Success: true } unknown)
        {
            var fields = root.Assembly.GetType(unknown.Groups[2].Value) is { } type
                ? type.GetProperties().Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToList()
                : [];
            return $"unknown field '{unknown.Groups[1].Value}'" + (fields.Count > 0 ? $"; the fields here are {string.Join(", ", fields)}" : "");
        }
        if (Regex.Match(message, "^The JSON value could not be converted to ([^ ]*)\\.") is { Success: true } kind)
            return $"expected {Kind(kind.Groups[1].Value)}";
        if (message.StartsWith("The input does not contain any JSON tokens", StringComparison.Ordinal)) return "the file is empty";
        if (message.Contains("doesn't allow setting null values", StringComparison.Ordinal)) return "must not be null";
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;

        static string Kind(string type) =>
            Regex.IsMatch(type, @"System\.(Double|Single|Decimal|Int16|Int32|Int64|UInt32|UInt64)\b") && !type.Contains("List") && !type.Contains("Dictionary") ? "a number"
            : type.Contains("Dictionary") ? "an object ({ … })"
            : type.Contains("List") || type.Contains("Set") || type.EndsWith("[]", StringComparison.Ordinal) ? "a list ([ … ])"
            : type.Contains("System.Boolean") ? "true or false"
            : type.Contains("System.String") ? "a string"
            : type.Contains("DateOnly") ? "a date (\"yyyy-MM-dd\")"
            : "an object ({ … })";
    }
}
