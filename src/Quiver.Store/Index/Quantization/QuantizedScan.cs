using Quiver.Core.Distances;
using Quiver.Core.Selection;

namespace Quiver.Store.Index.Quantization;

/// <summary>
/// A two-pass search over compressed vectors: the candidate pass scans every code (int8 or binary) and keeps the
/// best <c>k · oversampling</c>; the second pass rescores those candidates exactly from the full float vectors.
/// </summary>
internal sealed class QuantizedScan
{
    private readonly int _dimensions;
    private readonly DistanceMetric _metric;
    private readonly float[] _vectors;
    private readonly ScalarQuantizer? _scalar;
    private readonly BinaryQuantizer? _binary;
    private readonly byte[] _bytes = [];
    private readonly ulong[] _bits = [];
    private readonly float[] _squaredNorms = [];

    public QuantizedScan(float[] vectors, int dimensions, DistanceMetric metric, QuantizationKind kind)
    {
        _dimensions = dimensions;
        _metric = metric;
        _vectors = vectors;
        Kind = kind;
        Count = vectors.Length / dimensions;
        switch (kind)
        {
            case QuantizationKind.Int8:
                _scalar = ScalarQuantizer.Fit(vectors, dimensions);
                _bytes = new byte[Count * dimensions];
                _squaredNorms = new float[Count];
                var decoded = new float[dimensions];
                for (var i = 0; i < Count; i++)
                {
                    var code = _bytes.AsSpan(i * dimensions, dimensions);
                    _scalar.Encode(vectors.AsSpan(i * dimensions, dimensions), code);
                    _scalar.Decode(code, decoded);
                    _squaredNorms[i] = Kernels.Dot(decoded, decoded);
                }

                break;
            case QuantizationKind.Binary:
                _binary = BinaryQuantizer.Fit(vectors, dimensions);
                _bits = new ulong[Count * _binary.Words];
                for (var i = 0; i < Count; i++)
                {
                    _binary.Encode(vectors.AsSpan(i * dimensions, dimensions), _bits.AsSpan(i * _binary.Words, _binary.Words));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "A quantised scan needs Int8 or Binary codes.");
        }
    }

    public QuantizationKind Kind { get; }

    public int Count { get; }

    /// <summary>Bytes of codes per vector (the full vectors are kept for rescoring).</summary>
    public double CodeBytesPerVector => Kind == QuantizationKind.Int8 ? _dimensions + sizeof(float) : _binary!.Words * sizeof(ulong);

    /// <summary>The k best rows as (row, score), the candidates chosen on codes and rescored exactly.</summary>
    public List<(int Row, float Score)> Search(ReadOnlySpan<float> query, int k, int oversampling)
    {
        var candidates = new TopK(Math.Min(Count, k * Math.Max(1, oversampling)));
        if (Kind == QuantizationKind.Int8)
        {
            var (weights, offset) = _scalar!.PrepareDot(query);
            var queryNorm = _metric == DistanceMetric.Euclidean ? Kernels.Dot(query, query) : 0f;
            for (var i = 0; i < Count; i++)
            {
                var dot = ScalarQuantizer.Dot(weights, offset, _bytes.AsSpan(i * _dimensions, _dimensions));
                candidates.Offer(i, _metric == DistanceMetric.Euclidean ? -(queryNorm - (2 * dot) + _squaredNorms[i]) : dot);
            }
        }
        else
        {
            var words = _binary!.Words;
            Span<ulong> code = stackalloc ulong[words];
            _binary.Encode(query, code);
            for (var i = 0; i < Count; i++)
            {
                candidates.Offer(i, -BinaryQuantizer.Hamming(code, _bits.AsSpan(i * words, words)));
            }
        }

        var top = new TopK(k);
        foreach (var candidate in candidates.Drain())
        {
            var row = _vectors.AsSpan(candidate.Index * _dimensions, _dimensions);
            top.Offer(candidate.Index, _metric == DistanceMetric.Euclidean ? -Kernels.SquaredL2(query, row) : Kernels.Dot(query, row));
        }

        return top.Drain().Select(h => (h.Index, _metric == DistanceMetric.Euclidean ? MathF.Sqrt(-h.Score) : h.Score)).ToList();
    }
}
