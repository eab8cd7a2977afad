using System.Text.Json;
using System.Text.Json.Serialization;
using Quiver.Core.Distances;
using Quiver.Core.Spaces;

namespace Quiver.Core.Tests;

public sealed class ModelReferenceTests
{
    [Theory]
    [InlineData("minilm/mean", "minilm", "mean")]
    [InlineData("glove-100/sif", "glove-100", "sif")]
    [InlineData("mobilenet-v2/image", "mobilenet-v2", "image")]
    [InlineData("use-lite/pooled", "use-lite", "pooled")]
    [InlineData("qwen3/last-token", "qwen3", "last-token")]
    [InlineData("far", "far", null)]
    [InlineData("raw", "raw", null)]
    public void The_string_form_round_trips(string id, string name, string? variant)
    {
        var parsed = ModelReference.Parse(id, "0123456789abcdef");

        Assert.Equal(new ModelReference(name, variant, "0123456789abcdef"), parsed);
        Assert.Equal(id, parsed.Id);
        Assert.Equal(parsed, ModelReference.Parse(parsed.Id, parsed.Revision));
    }

    [Fact]
    public void Raw_parses_to_the_raw_reference()
    {
        Assert.True(ModelReference.Parse("raw", "-").IsRaw);
        Assert.False(ModelReference.Parse("raw", "abc").IsRaw);
        Assert.True(EmbeddingSpace.Raw(3, DistanceMetric.Cosine).Model.IsRaw);
    }

    [Fact]
    public void Only_the_image_variant_is_an_image_model()
    {
        Assert.True(new ModelReference("mobilenet-v2", ModelReference.ImageVariant, "r").IsImage);
        Assert.False(new ModelReference("minilm", "mean", "r").IsImage);
        Assert.False(new ModelReference("far", null, "r").IsImage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/mean")]
    [InlineData("minilm/")]
    public void A_string_that_names_no_model_is_refused_with_the_value(string id)
    {
        var e = Assert.Throws<FormatException>(() => ModelReference.Parse(id, "r"));
        Assert.Contains($"'{id}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("NAME/VARIANT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_with_a_slash_or_an_empty_variant_is_refused()
    {
        var slash = Assert.Throws<ArgumentException>(() => new ModelReference("BAAI/bge-small", "cls", "r"));
        Assert.Contains("'BAAI/bge-small'", slash.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new ModelReference("minilm", string.Empty, "r"));
        Assert.ThrowsAny<ArgumentException>(() => new ModelReference(string.Empty, null, "r"));
        Assert.ThrowsAny<ArgumentException>(() => new ModelReference("minilm", null, string.Empty));
    }

    [Fact]
    public void The_space_derives_its_model_id_and_revision_from_the_reference()
    {
        var space = new EmbeddingSpace(new ModelReference("minilm", "cls", "0123456789abcdef"), 384, DistanceMetric.Cosine, Normalized: true);

        Assert.Equal("minilm/cls", space.ModelId);
        Assert.Equal("0123456789abcdef", space.Revision);
        Assert.False(space.Accepts(space with { Model = space.Model with { Variant = "mean" } }));
        Assert.True(space.Accepts(space with { Model = ModelReference.Parse("minilm/cls", "0123456789abcdef") }));
    }

    // A classifier's manifest holds its space as JSON; one written before the model was typed must read back the same.
    [Fact]
    public void Json_of_a_space_keeps_the_shape_it_had_and_old_json_reads_back()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        const string Written =
            """{"modelId":"glove-100/sif","revision":"beef","dimensions":100,"metric":"cosine","normalized":true,"isRaw":false,"queryPrompt":"query: "}""";
        var space = new EmbeddingSpace(new ModelReference("glove-100", "sif", "beef"), 100, DistanceMetric.Cosine, Normalized: true) { QueryPrompt = "query: " };

        Assert.Equal(Written, JsonSerializer.Serialize(space, options));
        var read = JsonSerializer.Deserialize<EmbeddingSpace>(Written, options)!;
        Assert.Equal(space, read);
        Assert.Null(read.DocumentPrompt);

        var raw = EmbeddingSpace.Raw(3, DistanceMetric.Dot);
        Assert.Equal(raw, JsonSerializer.Deserialize<EmbeddingSpace>(JsonSerializer.Serialize(raw)));
        Assert.Contains("\"IsRaw\":true", JsonSerializer.Serialize(raw), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_with_a_model_id_that_names_no_model_is_a_json_error()
    {
        var e = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<EmbeddingSpace>("""{"ModelId":"/x","Revision":"r","Dimensions":2,"Metric":0,"Normalized":false}"""));
        Assert.Contains("'/x'", e.Message, StringComparison.Ordinal);
    }
}
