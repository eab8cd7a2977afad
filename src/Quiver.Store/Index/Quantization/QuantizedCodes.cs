using Quiver.Core.Distances;
using Quiver.Store.Index.Hnsw;

namespace Quiver.Store.Index.Quantization;

/// <summary>
/// Compressed copies of a collection's vectors, one code per graph node, for the candidate pass of a search (graph
/// traversal or scan); the full vectors stay in the graph for exact rescoring. Fitted on the vectors present when
/// created; later vectors are encoded with the same ranges (values outside them clamp) until the next compaction.
/// </summary>
internal sealed class QuantizedCodes
{
    private readonly int _dimensions;
    private readonly ScalarQuantizer? _scalar;
    private readonly BinaryQuantizer? _binary;
    private byte[] _bytes = [];
    private ulong[] _bits = [];
    private float[] _squaredNorms = [];

    private QuantizedCodes(QuantizationKind kind, int dimensions, ScalarQuantizer? scalar, BinaryQuantizer? binary)
    {
        Kind = kind;
        _dimensions = dimensions;
        _scalar = scalar;
        _binary = binary;
    }

    public QuantizationKind Kind { get; }

    public int Count { get; private set; }

    /// <summary>Bytes of code per vector (int8: one per dimension plus the decoded squared norm; binary: one bit per dimension).</summary>
    public double BytesPerVector => Kind == QuantizationKind.Int8 ? _dimensions + sizeof(float) : (_binary!.Words * sizeof(ulong));

    public long MemoryBytes => _bytes.LongLength + (_bits.LongLength * sizeof(ulong)) + (_squaredNorms.LongLength * sizeof(float));

    public static QuantizedCodes Fit(QuantizationKind kind, HnswGraph graph)
    {
        var rows = new float[graph.Count * graph.Dimensions];
        for (var node = 0; node < graph.Count; node++)
        {
            graph.Vector(node).CopyTo(rows.AsSpan(node * graph.Dimensions, graph.Dimensions));
        }

        var codes = kind switch
        {
            QuantizationKind.Int8 => new QuantizedCodes(kind, graph.Dimensions, ScalarQuantizer.Fit(rows, graph.Dimensions), null),
            QuantizationKind.Binary => new QuantizedCodes(kind, graph.Dimensions, null, BinaryQuantizer.Fit(rows, graph.Dimensions)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Codes need Int8 or Binary quantisation."),
        };
        for (var node = 0; node < graph.Count; node++)
        {
            codes.Append(graph.Vector(node));
        }

        return codes;
    }

    public void Append(ReadOnlySpan<float> vector)
    {
        var node = Count;
        if (Kind == QuantizationKind.Int8)
        {
            if ((node + 1) * _dimensions > _bytes.Length)
            {
                Array.Resize(ref _bytes, Math.Max(1024, _bytes.Length * 2) + _dimensions);
                Array.Resize(ref _squaredNorms, _bytes.Length / _dimensions);
            }

            var code = _bytes.AsSpan(node * _dimensions, _dimensions);
            _scalar!.Encode(vector, code);
            Span<float> decoded = stackalloc float[_dimensions];
            _scalar.Decode(code, decoded);
            _squaredNorms[node] = Kernels.Dot(decoded, decoded);
        }
        else
        {
            var words = _binary!.Words;
            if ((node + 1) * words > _bits.Length)
            {
                Array.Resize(ref _bits, Math.Max(1024, _bits.Length * 2) + words);
            }

            _binary.Encode(vector, _bits.AsSpan(node * words, words));
        }

        Count++;
    }

    /// <summary>A scorer of nodes against <paramref name="query"/> by their codes (lower is closer).</summary>
    public CodeScorer Prepare(ReadOnlySpan<float> query, DistanceMetric metric)
    {
        if (Kind == QuantizationKind.Int8)
        {
            var (weights, offset) = _scalar!.PrepareDot(query);
            return new CodeScorer(this, weights, offset, metric == DistanceMetric.Euclidean ? Kernels.Dot(query, query) : float.NaN, null);
        }

        var bits = new ulong[_binary!.Words];
        _binary.Encode(query, bits);
        return new CodeScorer(this, [], 0, float.NaN, bits);
    }

    /// <summary>Approximate distances from one query to nodes' codes.</summary>
    internal readonly struct CodeScorer(QuantizedCodes codes, float[] weights, float offset, float queryNorm, ulong[]? bits)
    {
        public float Distance(int node)
        {
            if (bits is not null)
            {
                var words = bits.Length;
                return BinaryQuantizer.Hamming(bits, codes._bits.AsSpan(node * words, words));
            }

            var dot = ScalarQuantizer.Dot(weights, offset, codes._bytes.AsSpan(node * codes._dimensions, codes._dimensions));
            return float.IsNaN(queryNorm) ? -dot : queryNorm - (2 * dot) + codes._squaredNorms[node];
        }
    }
}
