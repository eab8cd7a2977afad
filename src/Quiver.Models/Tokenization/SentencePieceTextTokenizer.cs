using System.Buffers;
using System.Text;
using Quiver.Core;

namespace Quiver.Models.Tokenization;

/// <summary>
/// The SentencePiece unigram tokenizer of Universal Sentence Encoder lite, token for token the same as the
/// TensorFlow.js reference (npm @tensorflow-models/universal-sentence-encoder 1.3.3, whose Tokenizer ports
/// SentencePiece's EncodeAsIds): NFKC, "▁" before the text and for every space, a Viterbi search over the pieces
/// with the reference's tie-breaking, consecutive unknown pieces merged into one. The reference's quirks are kept,
/// because the model was run with them: text is cut into UTF-16 units (an emoji is two symbols), and a score of
/// exactly 0 counts as "not reached yet". Adds no special tokens. Thread-safe.
/// </summary>
/// <remarks>
/// NFKC comes from the platform's ICU; a character assigned in a newer Unicode version than that ICU knows is left
/// as it is, where a newer Node.js may fold it.
/// </remarks>
public sealed class SentencePieceTextTokenizer : ITextTokenizer
{
    /// <summary>Universal Sentence Encoder's reserved pieces: unknown, &lt;s&gt;, &lt;/s&gt; and three extra tokens.</summary>
    public const int UseReservedPieces = 6;

    private const char WordStart = '\u2581';
    private const int UnknownId = 0;
    private const int NoPiece = -1;
    private const int NoNode = -1;

    // Inputs up to this many UTF-16 units work on the stack (about 4 KB); longer ones rent pooled arrays.
    private const int StackSymbols = 256;

    // The trie in compressed sparse rows: node k's children are _childChars/_childNodes[_childStart[k].._childStart[k + 1]],
    // sorted by character. Node 0 is the root.
    private readonly int[] _childStart;
    private readonly char[] _childChars;
    private readonly int[] _childNodes;
    private readonly int[] _nodePiece;
    private readonly double[] _nodeScore;
    private readonly int[] _pieceLengths;

    /// <param name="vocabulary">The pieces and scores, id 0 the unknown piece.</param>
    /// <param name="reservedPieces">
    /// How many pieces at the start are control symbols that never match text: 6 for Universal Sentence Encoder, 3
    /// for its question-answering variant.
    /// </param>
    public SentencePieceTextTokenizer(SentencePieceVocabulary vocabulary, int reservedPieces = UseReservedPieces)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (reservedPieces < 0 || reservedPieces > vocabulary.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(reservedPieces), reservedPieces, $"The reserved pieces must number from 0 to the vocabulary's {vocabulary.Count:N0} pieces.");
        }

        // The backward pass steps over an unknown symbol by the unknown piece's length, as the reference does; an
        // empty one would never move (the reference loops forever).
        if (vocabulary.Pieces[UnknownId].Length == 0)
        {
            throw new QuiverException(
                "The SentencePiece vocabulary's unknown piece (id 0) is the empty string; it must have at least one character (USE's is \"\uFFFD\").");
        }

        Vocabulary = vocabulary;
        ReservedPieces = reservedPieces;
        _pieceLengths = [.. vocabulary.Pieces.Select(p => p.Length)];
        (_childStart, _childChars, _childNodes, _nodePiece, _nodeScore) = BuildTrie(vocabulary, reservedPieces);
    }

    public SentencePieceVocabulary Vocabulary { get; }

    public int ReservedPieces { get; }

    public int? StartTokenId => null;

    public int? EndTokenId => null;

    public int PadTokenId => 0;

    public int VocabularySize => Vocabulary.Count;

    public void EncodeContent(string text, List<int> ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(ids);
        var normalized = NormalizeLikeJavaScript(text);
        if (normalized.Length == 0)
        {
            return;
        }

        var length = normalized.Length + 1;
        char[]? rentedSymbols = null;
        double[]? rentedBest = null;
        int[]? rentedWords = null;
        try
        {
            var symbols = length <= StackSymbols ? stackalloc char[length] : (rentedSymbols = ArrayPool<char>.Shared.Rent(length)).AsSpan(0, length);
            var best = length <= StackSymbols ? stackalloc double[length + 1] : (rentedBest = ArrayPool<double>.Shared.Rent(length + 1)).AsSpan(0, length + 1);
            // The lattice's last-piece ids (length + 1), then room for the backward pass's ids (at most one per symbol).
            var words = length <= StackSymbols ? stackalloc int[(2 * length) + 1] : (rentedWords = ArrayPool<int>.Shared.Rent((2 * length) + 1)).AsSpan(0, (2 * length) + 1);
            best.Clear();
            words.Clear();
            symbols[0] = WordStart;
            normalized.AsSpan().Replace(symbols[1..], ' ', WordStart);
            Forward(symbols, best, words[..(length + 1)]);
            Backward(words[..(length + 1)], words[(length + 1)..], ids);
        }
        finally
        {
            if (rentedSymbols is not null)
            {
                ArrayPool<char>.Shared.Return(rentedSymbols);
            }

            if (rentedBest is not null)
            {
                ArrayPool<double>.Shared.Return(rentedBest);
            }

            if (rentedWords is not null)
            {
                ArrayPool<int>.Shared.Return(rentedWords);
            }
        }
    }

    /// <summary>The ids of <paramref name="text"/>'s pieces.</summary>
    public IReadOnlyList<int> EncodeContent(string text)
    {
        var ids = new List<int>();
        EncodeContent(text, ids);
        return ids;
    }

    public string TokenOf(int id) => (uint)id < (uint)Vocabulary.Count
        ? Vocabulary.Pieces[id]
        : throw new ArgumentOutOfRangeException(nameof(id), id, $"Piece ids run from 0 to {Vocabulary.Count - 1}.");

    // best[e] is the score of the best segmentation of symbols[..e] and words[e] the id of its last piece. The
    // reference visits, for each end, the pieces by ascending start; going through starts in ascending order applies
    // the same updates to each end in the same order, and best[start] is final when its start is reached.
    private void Forward(ReadOnlySpan<char> symbols, Span<double> best, Span<int> words)
    {
        for (var start = 0; start < symbols.Length; start++)
        {
            var reached = best[start];
            var matched = false;
            var node = 0;
            for (var end = start; end < symbols.Length && (node = Child(node, symbols[end])) != NoNode; end++)
            {
                if (_nodePiece[node] is var piece and not NoPiece)
                {
                    matched = true;
                    Relax(best, words, end + 1, _nodeScore[node] + reached, piece);
                }
            }

            // The reference falls back to a one-symbol unknown piece, scored 0, only where no piece starts.
            if (!matched)
            {
                Relax(best, words, start + 1, reached, UnknownId);
            }
        }
    }

    // The reference's test: an end whose best is exactly 0 is taken as unreached and always replaced, and ties go to
    // the later piece.
    private static void Relax(Span<double> best, Span<int> words, int end, double score, int id)
    {
        if (best[end] == 0 || score >= best[end])
        {
            best[end] = score;
            words[end] = id;
        }
    }

    // From the end, step back by the length of each chosen piece. An end that no piece reached keeps id 0 and is
    // stepped over by the unknown piece's length, as in the reference.
    private void Backward(ReadOnlySpan<int> words, Span<int> reversed, List<int> ids)
    {
        var count = 0;
        for (var position = words.Length - 1; position > 0; count++)
        {
            var id = words[position];
            reversed[count] = id;
            position -= _pieceLengths[id];
        }

        var previousUnknown = false;
        for (var i = count - 1; i >= 0; i--)
        {
            var id = reversed[i];
            if (!(previousUnknown && id == UnknownId))
            {
                ids.Add(id);
            }

            previousUnknown = id == UnknownId;
        }
    }

    private int Child(int node, char symbol)
    {
        var from = _childStart[node];
        var index = _childChars.AsSpan(from, _childStart[node + 1] - from).BinarySearch(symbol);
        return index >= 0 ? _childNodes[from + index] : NoNode;
    }

    // JavaScript's normalize('NFKC') passes lone surrogates and U+FFFE through, where .NET's throws on them. Neither has
    // a decomposition or combines with anything, so normalising the runs between them gives what JavaScript gives.
    private static string NormalizeLikeJavaScript(string text)
    {
        if (Ascii.IsValid(text))
        {
            return text;
        }

        if (IndexOfUnnormalisable(text, 0) < 0)
        {
            return text.Normalize(NormalizationForm.FormKC);
        }

        var result = new StringBuilder(text.Length);
        for (var start = 0; start < text.Length;)
        {
            var kept = IndexOfUnnormalisable(text, start);
            var end = kept < 0 ? text.Length : kept;
            if (end > start)
            {
                result.Append(text[start..end].Normalize(NormalizationForm.FormKC));
            }

            if (kept < 0)
            {
                break;
            }

            result.Append(text[kept]);
            start = kept + 1;
        }

        return result.ToString();
    }

    private static int IndexOfUnnormalisable(string text, int start)
    {
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c) || c == '\uFFFE')
            {
                return i;
            }
        }

        return -1;
    }

    // Pieces are inserted in id order, so a piece that appears twice keeps its last id and score, as in the reference
    // (USE's vocabulary has "”5" three times). Reserved pieces and the empty piece match nothing.
    private static (int[] ChildStart, char[] ChildChars, int[] ChildNodes, int[] NodePiece, double[] NodeScore) BuildTrie(
        SentencePieceVocabulary vocabulary, int reservedPieces)
    {
        var children = new List<SortedList<char, int>> { new() };
        var nodePiece = new List<int> { NoPiece };
        var nodeScore = new List<double> { 0 };
        for (var id = reservedPieces; id < vocabulary.Count; id++)
        {
            var piece = vocabulary.Pieces[id];
            if (piece.Length == 0)
            {
                continue;
            }

            var node = 0;
            foreach (var symbol in piece)
            {
                if (!children[node].TryGetValue(symbol, out var child))
                {
                    child = children.Count;
                    children[node].Add(symbol, child);
                    children.Add([]);
                    nodePiece.Add(NoPiece);
                    nodeScore.Add(0);
                }

                node = child;
            }

            nodePiece[node] = id;
            nodeScore[node] = vocabulary.Scores[id];
        }

        var childStart = new int[children.Count + 1];
        var edges = children.Sum(c => c.Count);
        var childChars = new char[edges];
        var childNodes = new int[edges];
        var next = 0;
        for (var node = 0; node < children.Count; node++)
        {
            childStart[node] = next;
            foreach (var (symbol, child) in children[node])
            {
                childChars[next] = symbol;
                childNodes[next] = child;
                next++;
            }
        }

        childStart[children.Count] = next;
        return (childStart, childChars, childNodes, [.. nodePiece], [.. nodeScore]);
    }
}
