using System.Text.Json;
using Quiver.Core;

namespace Quiver.Models.Tokenization;

/// <summary>
/// A SentencePiece unigram vocabulary: pieces in id order, each with its log-probability score. Word starts are
/// marked with "▁" (U+2581), as SentencePiece writes them.
/// </summary>
public sealed class SentencePieceVocabulary
{
    private readonly string[] _pieces;
    private readonly double[] _scores;

    public SentencePieceVocabulary(IReadOnlyList<string> pieces, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        ArgumentNullException.ThrowIfNull(scores);
        if (pieces.Count == 0)
        {
            throw new QuiverException("A SentencePiece vocabulary needs at least one piece (id 0, the unknown piece); the one given is empty.");
        }

        if (pieces.Count != scores.Count)
        {
            throw new QuiverException(
                $"A SentencePiece vocabulary needs one score per piece; {pieces.Count:N0} pieces came with {scores.Count:N0} scores.");
        }

        _pieces = new string[pieces.Count];
        _scores = new double[scores.Count];
        for (var i = 0; i < _pieces.Length; i++)
        {
            _pieces[i] = pieces[i] ?? throw new QuiverException($"Piece {i} of the SentencePiece vocabulary is null; every piece needs a string.");
            _scores[i] = scores[i];
        }
    }

    public IReadOnlyList<string> Pieces => _pieces;

    public IReadOnlyList<double> Scores => _scores;

    public int Count => _pieces.Length;

    /// <summary>
    /// Reads the vocab.json of TensorFlow.js Universal Sentence Encoder models: a JSON array of
    /// <c>[piece, score]</c> pairs in id order. A null score reads as 0, as the reference tokenizer's arithmetic
    /// takes it.
    /// </summary>
    public static SentencePieceVocabulary ReadUseJson(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuiverException($"Could not read the SentencePiece vocabulary '{path}': {e.Message}", e);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new QuiverException(
                $"The SentencePiece vocabulary '{path}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message} " +
                "Expected a JSON array of [piece, score] pairs, as in a Universal Sentence Encoder package's vocab.json.", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new QuiverException(
                    $"The SentencePiece vocabulary '{path}' holds a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an array of [piece, score] pairs.");
            }

            var count = root.GetArrayLength();
            if (count == 0)
            {
                throw new QuiverException($"The SentencePiece vocabulary '{path}' is an empty array; it needs at least one piece (id 0, the unknown piece).");
            }

            var pieces = new string[count];
            var scores = new double[count];
            var index = 0;
            foreach (var entry in root.EnumerateArray())
            {
                (pieces[index], scores[index]) = ReadEntry(path, index, entry);
                index++;
            }

            return new SentencePieceVocabulary(pieces, scores);
        }
    }

    private static (string Piece, double Score) ReadEntry(string path, int index, JsonElement entry)
    {
        if (entry.ValueKind == JsonValueKind.Array && entry.GetArrayLength() == 2
            && entry[0].ValueKind == JsonValueKind.String && entry[1].ValueKind is JsonValueKind.Number or JsonValueKind.Null)
        {
            string? piece = null;
            try
            {
                piece = entry[0].GetString();
            }
            catch (InvalidOperationException)
            {
                // System.Text.Json refuses an escaped lone surrogate; fall through to the error below.
            }

            // USE's vocab.json has null for the score of seven pieces with a colon (":", "://", "▁:)"...); the
            // reference adds it to a number, where JavaScript takes null as 0.
            if (piece is not null && entry[1].ValueKind == JsonValueKind.Null)
            {
                return (piece, 0);
            }

            if (piece is not null && entry[1].TryGetDouble(out var score) && double.IsFinite(score))
            {
                return (piece, score);
            }
        }

        var text = entry.GetRawText();
        if (text.Length > 80)
        {
            text = string.Concat(text.AsSpan(0, 77), "...");
        }

        throw new QuiverException(
            $"Entry {index} of the SentencePiece vocabulary '{path}' is {text}; every entry must be a [piece, score] pair: a string " +
            "(no lone surrogates) and a finite number (or null, read as 0). Check that the file is a Universal Sentence Encoder vocab.json.");
    }
}
