namespace Quiver.Training.Graphs;

/// <summary>Walker's alias method: draws index i with probability weight[i] / Σ weights in constant time.</summary>
internal readonly struct AliasTable
{
    private readonly float[] _probability;
    private readonly int[] _alias;

    public AliasTable(ReadOnlySpan<float> weights)
    {
        var n = weights.Length;
        _probability = new float[n];
        _alias = new int[n];
        if (n == 0)
        {
            return;
        }

        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var scaled = new double[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (var i = 0; i < n; i++)
        {
            scaled[i] = weights[i] * n / total;
            (scaled[i] < 1 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            var s = small.Pop();
            var l = large.Pop();
            _probability[s] = (float)scaled[s];
            _alias[s] = l;
            scaled[l] -= 1 - scaled[s];
            (scaled[l] < 1 ? small : large).Push(l);
        }

        // What is left is 1 up to rounding.
        while (large.Count > 0)
        {
            _probability[large.Pop()] = 1;
        }

        while (small.Count > 0)
        {
            _probability[small.Pop()] = 1;
        }
    }

    public int Count => _probability.Length;

    /// <summary>A draw from two uniform numbers in [0, 1).</summary>
    public int Sample(double u1, double u2)
    {
        var i = Math.Min((int)(u1 * _probability.Length), _probability.Length - 1);
        return u2 < _probability[i] ? i : _alias[i];
    }
}
