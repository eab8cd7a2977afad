namespace Quiver.Models.Tests.Reference;

/// <summary>
/// What bench/peers/transformersjs/embed.mjs reports about one run: counts, timings (seconds_model covers
/// tokenisation, the forward pass and pooling, without model load and warm-up) and the peer's versions.
/// </summary>
internal sealed record TransformersJsSummary(
    int Sentences,
    int? Dimensions,
    long Tokens,
    long PaddedTokens,
    double SecondsModel,
    double SecondsTotal,
    double? SentencesPerSecond,
    int Threads,
    int Batch,
    int? MaxLength,
    string TransformersJsVersion,
    string OnnxRuntimeNodeVersion);
