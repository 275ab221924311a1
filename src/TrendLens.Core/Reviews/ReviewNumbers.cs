using System.Text.Json;
using System.Text.Json.Serialization;

namespace TrendLens.Reviews;

/// <summary>
/// A review's numbers as archived with it (JSON), so any version of a review can be drawn again
/// exactly as it was generated, whatever has arrived since.
/// </summary>
public static class ReviewNumbers
{
    private static readonly JsonSerializerOptions Options = new()
    {
        // A rate ratio over an empty baseline is infinite.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new WeekConverter() },
    };

    public static string Write(WeeklyReview review) => JsonSerializer.Serialize(review, Options);

    public static WeeklyReview Read(string json) =>
        JsonSerializer.Deserialize<WeeklyReview>(json, Options) ?? throw new JsonException("a review's numbers are null");

    /// <summary>A week as it is written everywhere else, "2025-W07".</summary>
    private sealed class WeekConverter : JsonConverter<IsoWeek>
    {
        public override IsoWeek Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IsoWeek.TryParse(reader.GetString(), out var week, out var error) ? week : throw new JsonException(error);

        public override void Write(Utf8JsonWriter writer, IsoWeek value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
