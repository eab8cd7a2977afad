namespace Quiver.Analysis.Clustering;

/// <summary>
/// The second half of HDBSCAN (Campello et al. 2013; McInnes and Healy 2017): the single-linkage hierarchy of the
/// spanning tree, condensed so that a split only counts when both sides keep min_cluster_size points (otherwise the
/// smaller side's points "fall out" of the cluster at that density, λ = 1 / distance), then the clusters chosen by
/// excess of mass: a cluster is kept when its stability, Σ (λ_leave − λ_birth) over its points, is at least the sum of
/// its chosen descendants'. Points outside every chosen cluster are noise (−1). The root is never chosen, as in
/// the hdbscan library's default (no single cluster).
/// </summary>
internal sealed class CondensedTree
{
    private readonly List<int> _parent = [];
    private readonly List<double> _birth = [];
    private readonly List<List<(int Child, double Lambda, int Size)>> _children = [];
    private readonly int[] _pointCluster;

    private CondensedTree(int points) => _pointCluster = new int[points];

    public static HdbscanResult Cluster((int A, int B, double Distance)[] edges, int points, int minClusterSize)
    {
        var (left, right, distance, size) = SingleLinkage(edges, points);
        var tree = new CondensedTree(points);
        tree.Condense(left, right, distance, size, points, minClusterSize);
        return tree.Select(points);
    }

    // Merges in order of distance (Kruskal on the tree's edges): merge i makes node points + i of two earlier nodes.
    private static (int[] Left, int[] Right, double[] Distance, int[] Size) SingleLinkage((int A, int B, double Distance)[] edges, int n)
    {
        var order = Enumerable.Range(0, edges.Length).OrderBy(i => edges[i].Distance).ThenBy(i => i).ToArray();
        var parent = Enumerable.Range(0, (2 * n) - 1).ToArray();
        var sizes = new int[(2 * n) - 1];
        Array.Fill(sizes, 1, 0, n);
        var left = new int[n - 1];
        var right = new int[n - 1];
        var distance = new double[n - 1];
        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        for (var m = 0; m < order.Length; m++)
        {
            var (a, b, d) = edges[order[m]];
            var (ra, rb) = (Find(a), Find(b));
            var node = n + m;
            (left[m], right[m], distance[m]) = (ra, rb, d);
            sizes[node] = sizes[ra] + sizes[rb];
            parent[ra] = node;
            parent[rb] = node;
        }

        return (left, right, distance, sizes);
    }

    private void Condense(int[] left, int[] right, double[] distance, int[] size, int n, int minClusterSize)
    {
        var root = (2 * n) - 2;
        var cluster = new int[(2 * n) - 1];
        var ignored = new bool[(2 * n) - 1];
        cluster[root] = NewCluster(-1, 0);

        // A parent node has a higher number than its children, so walking down the numbers visits parents first.
        for (var node = root; node >= n; node--)
        {
            if (ignored[node])
            {
                continue;
            }

            var m = node - n;
            var lambda = Lambda(distance[m]);
            var (a, b) = (left[m], right[m]);
            var (bigA, bigB) = (size[a] >= minClusterSize, size[b] >= minClusterSize);
            var own = cluster[node];
            if (bigA && bigB)
            {
                foreach (var child in new[] { a, b })
                {
                    cluster[child] = NewCluster(own, lambda);
                    _children[own].Add((-1 - cluster[child], lambda, size[child]));
                }
            }
            else
            {
                foreach (var child in new[] { a, b })
                {
                    if (size[child] >= minClusterSize)
                    {
                        cluster[child] = own;
                    }
                    else
                    {
                        FallOut(child, own, lambda, left, right, n, ignored);
                    }
                }
            }
        }
    }

    // Every point under node leaves cluster own at lambda; the node's own merges are not visited again.
    private void FallOut(int node, int own, double lambda, int[] left, int[] right, int n, bool[] ignored)
    {
        var stack = new Stack<int>();
        stack.Push(node);
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            ignored[x] = true;
            if (x < n)
            {
                _pointCluster[x] = own;
                _children[own].Add((x, lambda, 1));
            }
            else
            {
                stack.Push(left[x - n]);
                stack.Push(right[x - n]);
            }
        }
    }

    private HdbscanResult Select(int n)
    {
        var count = _birth.Count;
        var stability = new double[count];
        for (var c = 0; c < count; c++)
        {
            foreach (var (_, lambda, size) in _children[c])
            {
                stability[c] += (lambda - _birth[c]) * size;
            }
        }

        // Children are numbered after their parents, so going down the numbers settles each cluster's children first.
        var selected = new bool[count];
        var childClusters = Enumerable.Range(0, count).Select(c => _children[c].Where(e => e.Child < 0).Select(e => -1 - e.Child).ToList()).ToList();
        for (var c = count - 1; c >= 1; c--)
        {
            var below = childClusters[c].Sum(child => stability[child]);
            if (childClusters[c].Count == 0 || stability[c] >= below)
            {
                selected[c] = true;
                Deselect(c, childClusters, selected);
            }
            else
            {
                stability[c] = below;
            }
        }

        var chosen = Enumerable.Range(0, count).Where(c => selected[c]).ToList();
        var number = chosen.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var labels = new int[n];
        for (var p = 0; p < n; p++)
        {
            labels[p] = -1;
            for (var c = _pointCluster[p]; c >= 0; c = _parent[c])
            {
                if (selected[c])
                {
                    labels[p] = number[c];
                    break;
                }
            }
        }

        return new HdbscanResult(labels, chosen.Count, [.. chosen.Select(c => stability[c])]);
    }

    private static void Deselect(int cluster, List<List<int>> childClusters, bool[] selected)
    {
        var stack = new Stack<int>(childClusters[cluster]);
        while (stack.Count > 0)
        {
            var c = stack.Pop();
            selected[c] = false;
            foreach (var child in childClusters[c])
            {
                stack.Push(child);
            }
        }
    }

    private int NewCluster(int parent, double birth)
    {
        _parent.Add(parent);
        _birth.Add(birth);
        _children.Add([]);
        return _birth.Count - 1;
    }

    // Duplicate points are at distance 0; a very large λ keeps the arithmetic finite.
    private static double Lambda(double distance) => distance > 1e-12 ? 1 / distance : 1e12;
}
