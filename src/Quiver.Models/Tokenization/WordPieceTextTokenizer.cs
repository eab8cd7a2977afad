using System.Text;
using Microsoft.ML.Tokenizers;
using Quiver.Core;

namespace Quiver.Models.Tokenization;

/// <summary>
/// BERT's WordPiece tokenizer, token for token the same as transformers.js: special tokens split out of the raw
/// text first, then BERT normalisation, BERT pre-tokenisation and greedy longest-match WordPiece
/// (Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/>) on each remaining section. Thread-safe.
/// </summary>
public sealed class WordPieceTextTokenizer : ITextTokenizer
{
    private readonly WordPieceTokenizer _wordPiece;
    private readonly SpecialTokenSplitter _specials;

    public WordPieceTextTokenizer(WordPieceVocabulary vocabulary, WordPieceTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Vocabulary = vocabulary;
        Options = options ?? new WordPieceTokenizerOptions();
        UnknownTokenId = Require(Options.UnknownToken, "unknown token");
        PadTokenId = Require(Options.PadToken, "padding token");
        StartTokenId = Options.StartToken is null ? null : Require(Options.StartToken, "start (CLS) token");
        EndTokenId = Options.EndToken is null ? null : Require(Options.EndToken, "end (SEP) token");
        _specials = new SpecialTokenSplitter(Options.SpecialTokens.Where(t => vocabulary.IdOf(t) is not null).ToDictionary(t => t, t => vocabulary.IdOf(t)!.Value, StringComparer.Ordinal));

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary.Tokens)));
        _wordPiece = WordPieceTokenizer.Create(stream, new WordPieceOptions
        {
            Normalizer = new BertTextNormalizer(Options.Normalization),
            PreTokenizer = new BertWordSplitter(),
            UnknownToken = Options.UnknownToken,
            ContinuingSubwordPrefix = Options.ContinuingSubwordPrefix,
            MaxInputCharsPerWord = Options.MaxInputCharsPerWord,
        });
    }

    public WordPieceVocabulary Vocabulary { get; }

    public WordPieceTokenizerOptions Options { get; }

    public int UnknownTokenId { get; }

    public int? StartTokenId { get; }

    public int? EndTokenId { get; }

    public int PadTokenId { get; }

    public int VocabularySize => Vocabulary.Count;

    public void EncodeContent(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        _specials.Split(text, (start, length, specialId) =>
        {
            if (specialId is { } id)
            {
                ids.Add(id);
            }
            else
            {
                ids.AddRange(_wordPiece.EncodeToIds(text.AsSpan(start, length), considerPreTokenization: true, considerNormalization: true));
            }
        });
    }

    /// <summary>The content ids of <paramref name="text"/> (no special tokens).</summary>
    public IReadOnlyList<int> EncodeContent(string text)
    {
        var ids = new List<int>();
        EncodeContent(text, ids);
        return ids;
    }

    public string TokenOf(int id) => (uint)id < (uint)Vocabulary.Count
        ? Vocabulary.Tokens[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run from 0 to {Vocabulary.Count - 1}.");

    private int Require(string token, string role) => Vocabulary.IdOf(token) ?? throw new QuiverException(
        $"The tokenizer's {role} '{token}' is not in its {Vocabulary.Count:N0}-token vocabulary. Check tokenizer_config.json or tokenizer.json against vocab.txt.");
}
