namespace Quiver.Models.Tests.Reference;

/// <summary>
/// transformers.js's answer for a list of sentences, in input order: each sentence's token ids (unpadded, after
/// truncation, with [CLS] and [SEP]) and, unless pooling was "none" or only tokens were asked for, its pooled
/// embedding.
/// </summary>
internal sealed record TransformersJsResult(int[][] TokenIds, float[][]? Embeddings, TransformersJsSummary Summary);
