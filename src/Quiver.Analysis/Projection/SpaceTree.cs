namespace Quiver.Analysis.Projection;

/// <summary>
/// A quadtree (2-D) or octree (3-D) over the map's points, each cell holding its point count and centre of mass: the
/// structure Barnes-Hut uses to treat a far group of points as one. Cells live in flat arrays and are rebuilt each
/// iteration; their children are contiguous.
/// </summary>
internal sealed class SpaceTree
{
    // Below this width (relative to the root) points are treated as coincident and share a leaf, so duplicates
    // cannot make the tree arbitrarily deep.
    private const int MaxDepth = 40;

    private readonly int _dimensions;
    private readonly int _fanout;
    private double[] _centre = [];
    private double[] _half = [];
    private double[] _mass = [];
    private int[] _count = [];
    private int[] _firstChild = [];
    private int[] _point = [];
    private int _cells;

    public SpaceTree(int dimensions)
    {
        _dimensions = dimensions;
        _fanout = 1 << dimensions;
    }

    public void Build(double[] points, int n)
    {
        _cells = 0;
        var d = _dimensions;
        Span<double> low = stackalloc double[d];
        Span<double> high = stackalloc double[d];
        low.Fill(double.PositiveInfinity);
        high.Fill(double.NegativeInfinity);
        for (var i = 0; i < n; i++)
        {
            for (var a = 0; a < d; a++)
            {
                low[a] = Math.Min(low[a], points[(i * d) + a]);
                high[a] = Math.Max(high[a], points[(i * d) + a]);
            }
        }

        var half = 0.0;
        for (var a = 0; a < d; a++)
        {
            half = Math.Max(half, (high[a] - low[a]) / 2);
        }

        half = Math.Max(half * (1 + 1e-6), 1e-12);
        var root = NewCell();
        for (var a = 0; a < d; a++)
        {
            _centre[(root * d) + a] = (low[a] + high[a]) / 2;
        }

        _half[root] = half;
        for (var i = 0; i < n; i++)
        {
            Insert(points, i);
        }

        for (var c = 0; c < _cells; c++)
        {
            for (var a = 0; a < d; a++)
            {
                _mass[(c * d) + a] /= Math.Max(1, _count[c]);
            }
        }
    }

    /// <summary>
    /// Adds the repulsive force on point <paramref name="i"/> (unnormalised: Σ q²(yᵢ − y)) to <paramref name="force"/>
    /// and returns its share of the normaliser Z = Σ q over all other points.
    /// </summary>
    public double Repulsion(double[] points, int i, double theta, Span<double> force, Span<int> stack)
    {
        var d = _dimensions;
        var thetaSquared = theta * theta;
        var z = 0.0;
        var top = 0;
        stack[top++] = 0;
        while (top > 0)
        {
            var c = stack[--top];
            if (_count[c] == 0)
            {
                continue;
            }

            var distanceSquared = 0.0;
            for (var a = 0; a < d; a++)
            {
                var delta = points[(i * d) + a] - _mass[(c * d) + a];
                distanceSquared += delta * delta;
            }

            var leaf = _firstChild[c] < 0;
            var width = 2 * _half[c];
            if (leaf || width * width < thetaSquared * distanceSquared)
            {
                // A leaf at distance 0 holds the point itself (and any exact duplicates, which exert no force).
                var size = leaf && distanceSquared == 0 ? _count[c] - 1 : _count[c];
                var q = 1 / (1 + distanceSquared);
                z += size * q;
                var scale = size * q * q;
                for (var a = 0; a < d; a++)
                {
                    force[a] += scale * (points[(i * d) + a] - _mass[(c * d) + a]);
                }

                continue;
            }

            for (var child = 0; child < _fanout; child++)
            {
                stack[top++] = _firstChild[c] + child;
            }
        }

        return z;
    }

    /// <summary>A traversal stack large enough for any tree this class builds.</summary>
    public int StackSize => (MaxDepth + 2) * _fanout;

    private void Insert(double[] points, int i)
    {
        var d = _dimensions;
        var c = 0;
        for (var depth = 0; ; depth++)
        {
            _count[c]++;
            for (var a = 0; a < d; a++)
            {
                _mass[(c * d) + a] += points[(i * d) + a];
            }

            if (_firstChild[c] < 0)
            {
                if (_count[c] == 1)
                {
                    _point[c] = i;
                    return;
                }

                if (depth >= MaxDepth || SamePlace(points, _point[c], i))
                {
                    return;
                }

                // Split: move the residents (one point, or several at one place) a level down, then carry on with
                // the new point.
                Split(c);
                var resident = _point[c];
                var residents = _count[c] - 1;
                _point[c] = -1;
                var child = _firstChild[c] + Quadrant(points, resident, c);
                _count[child] = residents;
                _point[child] = resident;
                for (var a = 0; a < d; a++)
                {
                    _mass[(child * d) + a] = points[(resident * d) + a] * residents;
                }
            }

            c = _firstChild[c] + Quadrant(points, i, c);
        }
    }

    private bool SamePlace(double[] points, int a, int b)
    {
        for (var x = 0; x < _dimensions; x++)
        {
            if (points[(a * _dimensions) + x] != points[(b * _dimensions) + x])
            {
                return false;
            }
        }

        return true;
    }

    private int Quadrant(double[] points, int i, int c)
    {
        var q = 0;
        for (var a = 0; a < _dimensions; a++)
        {
            if (points[(i * _dimensions) + a] > _centre[(c * _dimensions) + a])
            {
                q |= 1 << a;
            }
        }

        return q;
    }

    private void Split(int c)
    {
        var d = _dimensions;
        var first = _cells;
        for (var q = 0; q < _fanout; q++)
        {
            NewCell();
        }

        _firstChild[c] = first;
        var half = _half[c] / 2;
        for (var q = 0; q < _fanout; q++)
        {
            var child = first + q;
            _half[child] = half;
            for (var a = 0; a < d; a++)
            {
                _centre[(child * d) + a] = _centre[(c * d) + a] + ((q & (1 << a)) != 0 ? half : -half);
            }
        }
    }

    private int NewCell()
    {
        if (_cells == _count.Length)
        {
            var size = Math.Max(64, _count.Length * 2);
            Array.Resize(ref _centre, size * _dimensions);
            Array.Resize(ref _mass, size * _dimensions);
            Array.Resize(ref _half, size);
            Array.Resize(ref _count, size);
            Array.Resize(ref _firstChild, size);
            Array.Resize(ref _point, size);
        }

        var c = _cells++;
        Array.Clear(_centre, c * _dimensions, _dimensions);
        Array.Clear(_mass, c * _dimensions, _dimensions);
        _half[c] = 0;
        _count[c] = 0;
        _firstChild[c] = -1;
        _point[c] = -1;
        return c;
    }
}
