using Microsoft.Extensions.AI;

namespace Quiver.Models.Prompts;

/// <summary>
/// Puts a prompt before every text given to another generator, for hosts that hold one generator per model and
/// embed queries and documents with it (the server's context route). The vectors stay in the inner generator's
/// space: the prompt is one the model itself names for the role.
/// </summary>
public sealed class PromptedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string prompt, bool ownsInner = false)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public string Prompt { get; } = prompt ?? throw new ArgumentNullException(nameof(prompt));

    public override Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        return base.GenerateAsync(values.Select(v => Prompt + v), options, cancellationToken);
    }

    /// <summary>The inner generator is the host's to dispose unless this one was given it.</summary>
    protected override void Dispose(bool disposing)
    {
        if (ownsInner)
        {
            base.Dispose(disposing);
        }
    }

    /// <summary>Wraps <paramref name="generator"/> when there is a prompt; returns it unchanged when there is none.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Wrap(IEmbeddingGenerator<string, Embedding<float>> generator, string? prompt) =>
        string.IsNullOrEmpty(prompt) ? generator : new PromptedEmbeddingGenerator(generator, prompt);
}
