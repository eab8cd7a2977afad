using Quiver.Core;

namespace Quiver.Training.Words;

/// <summary>
/// The binary tree hierarchical softmax walks: word2vec's CreateBinaryTree over counts sorted most frequent first.
/// Word w's path is <see cref="Length"/>(w) inner nodes (<see cref="Points"/>, rows of the output matrix) with the
/// branch taken at each (<see cref="Codes"/>, 0 or 1); frequent words get short paths.
/// </summary>
internal sealed class HuffmanTree
{
    public const int MaxCodeLength = 40;

    public HuffmanTree(ReadOnlySpan<long> counts)
    {
        var n = counts.Length;
        if (n < 2)
        {
            throw new QuiverException($"Hierarchical softmax needs at least 2 words in the vocabulary, got {n}. Lower min-count or train on more text.");
        }

        var count = new long[(2 * n) + 1];
        var binary = new byte[(2 * n) + 1];
        var parent = new int[(2 * n) + 1];
        counts.CopyTo(count);
        for (var a = n; a < count.Length; a++)
        {
            count[a] = long.MaxValue / 4;
        }

        // Leaves are sorted descending, inner nodes are created in ascending order: merge the two smallest of both queues.
        var pos1 = n - 1;
        var pos2 = n;
        for (var a = 0; a < n - 1; a++)
        {
            var min1 = pos1 >= 0 && count[pos1] < count[pos2] ? pos1-- : pos2++;
            var min2 = pos1 >= 0 && count[pos1] < count[pos2] ? pos1-- : pos2++;
            count[n + a] = count[min1] + count[min2];
            parent[min1] = n + a;
            parent[min2] = n + a;
            binary[min2] = 1;
        }

        Codes = new byte[n * MaxCodeLength];
        Points = new int[n * MaxCodeLength];
        Lengths = new int[n];
        Span<byte> code = stackalloc byte[MaxCodeLength];
        Span<int> point = stackalloc int[MaxCodeLength];
        var root = (2 * n) - 2;
        for (var a = 0; a < n; a++)
        {
            var b = a;
            var i = 0;
            while (b != root)
            {
                if (i == MaxCodeLength)
                {
                    throw new InvalidOperationException($"The Huffman code of word {a} is longer than {MaxCodeLength}; the counts are too skewed for hierarchical softmax.");
                }

                code[i] = binary[b];
                point[i] = b;
                i++;
                b = parent[b];
            }

            Lengths[a] = i;
            var offset = a * MaxCodeLength;
            Points[offset] = n - 2;
            for (var k = 0; k < i; k++)
            {
                Codes[offset + i - k - 1] = code[k];
                if (i - k < MaxCodeLength)
                {
                    Points[offset + i - k] = point[k] - n;
                }
            }
        }
    }

    /// <summary>Per word, <see cref="MaxCodeLength"/> slots.</summary>
    public byte[] Codes { get; }

    /// <summary>Per word, <see cref="MaxCodeLength"/> slots: inner-node rows, root first.</summary>
    public int[] Points { get; }

    public int[] Lengths { get; }
}
