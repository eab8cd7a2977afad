namespace Quiver.Store.Index.Hnsw;

/// <summary>
/// Keeps every node reachable. Pruning a full link list (the heuristic in Connect) can drop a node's last in-link,
/// more often when many inserts run in parallel, and then no search can ever return it, however wide its beam.
/// After linking, a breadth-first walk of layer 0 from the entry point finds such nodes and links each one from its
/// nearest reachable nodes.
/// </summary>
internal sealed partial class HnswGraph
{
    // A repair walks all of layer 0; between repairs at most Count / RepairInterval nodes are linked, so the walk
    // adds at most RepairInterval link reads per insert, little beside the insert's own efConstruction distances.
    private const int RepairInterval = 64;

    private int _linkedSinceRepair;

    /// <summary>Whether linking repairs reachability (on by default; off only to measure the graph without it).</summary>
    public bool RepairsAfterLinking { get; init; } = true;

    /// <summary>Whether each linked node can be reached from the entry point over layer 0 (tombstones route too).</summary>
    public bool[] ReachableFromEntry()
    {
        var reached = new bool[_count];
        if (_entry < 0)
        {
            return reached;
        }

        var queue = new Queue<int>();
        Reach(_entry, reached, queue);
        return reached;
    }

    /// <summary>
    /// Links every live node that the entry point cannot reach on layer 0 from its nearest reachable nodes; returns how
    /// many were relinked. Not thread-safe: runs alone, after inserts.
    /// </summary>
    public int Reconnect()
    {
        _linkedSinceRepair = 0;
        var relinked = 0;

        // Taking a slot from a full list can strand the node it replaced, so look again until nothing is stranded; the
        // bound stops a graph that keeps stranding nodes from looping (the tests check that none is left).
        for (var round = 0; round < 4; round++)
        {
            var reached = ReachableFromEntry();
            var inLinks = InLinkCounts();
            var stranded = 0;
            for (var node = 0; node < LinkedCount; node++)
            {
                if (reached[node] || _deleted[node])
                {
                    continue;
                }

                // Every stranded node gets its own links, even one its stranded neighbours would reach: a group linked
                // through one member only is found only by a beam that passes that member.
                stranded++;
                relinked += LinkFromNearestReachable(node, reached, inLinks) ? 1 : 0;
            }

            if (stranded == 0)
            {
                break;
            }
        }

        return relinked;
    }

    // Repairs after a large batch of inserts (amortised: see RepairInterval).
    private void RepairAfterLinking(int linked)
    {
        _linkedSinceRepair += linked;
        if (RepairsAfterLinking && (long)_linkedSinceRepair * RepairInterval >= LinkedCount)
        {
            Reconnect();
        }
    }

    private void Reach(int start, bool[] reached, Queue<int> queue)
    {
        if (reached[start])
        {
            return;
        }

        reached[start] = true;
        queue.Enqueue(start);
        while (queue.TryDequeue(out var node))
        {
            foreach (var next in Links(node, 0))
            {
                if (!reached[next])
                {
                    reached[next] = true;
                    queue.Enqueue(next);
                }
            }
        }
    }

    // Adds `node` to the links of its nearest reachable nodes with a free slot among the building beam's candidates.
    // When every one is full, the nearest whose list holds a node with another in-link gives up the farthest such
    // link: that node stays linked, and the next round relinks it should its other in-links be unreachable too.
    private bool LinkFromNearestReachable(int node, bool[] reached, int[] inLinks)
    {
        var query = Vector(node);
        var entry = _entry;
        var entryDistance = Distance(query, Vector(entry));
        for (var level = _maxLevel; level > 0; level--)
        {
            (entry, entryDistance) = Greedy(query, entry, entryDistance, level, concurrent: false);
        }

        // Descending the upper layers may lead into the stranded part itself (a whole cluster can hang off an upper
        // layer only); a beam from the entry point on layer 0 then finds reachable nodes, since it follows layer 0's links.
        var candidates = ReachableCandidates(query, entry, entryDistance, node, reached);
        if (candidates.Count == 0)
        {
            candidates = ReachableCandidates(query, _entry, Distance(query, Vector(_entry)), node, reached);
        }

        // One in-link makes the node reachable; a search finds it only if the beam passes that neighbour, so take up
        // to M of its nearest reachable nodes, as an insert would.
        var linked = 0;
        foreach (var (_, candidate) in candidates)
        {
            var (links, at) = LinkList(candidate, 0);
            if (links[at] < _m0)
            {
                links[at + 1 + links[at]] = node;
                links[at]++;
                inLinks[node]++;
                if (++linked == _m)
                {
                    break;
                }
            }
        }

        if (linked > 0)
        {
            return true;
        }

        foreach (var (_, candidate) in candidates)
        {
            var (links, at) = LinkList(candidate, 0);
            var origin = Vector(candidate);
            var replaced = -1;
            var farthest = float.MinValue;
            for (var i = at + 1; i <= at + links[at]; i++)
            {
                var d = Distance(origin, Vector(links[i]));
                if (inLinks[links[i]] > 1 && d > farthest)
                {
                    (replaced, farthest) = (i, d);
                }
            }

            if (replaced >= 0)
            {
                inLinks[links[replaced]]--;
                links[replaced] = node;
                inLinks[node]++;
                return true;
            }
        }

        return false;
    }

    // The reachable nodes among the building beam's nearest to `query` on layer 0, nearest first.
    private List<(float Distance, int Node)> ReachableCandidates(ReadOnlySpan<float> query, int entry, float entryDistance, int node, bool[] reached)
    {
        var scratch = t_scratch ??= new SearchScratch();
        var top = SearchLayer(query, entry, entryDistance, _efConstruction, 0, null, scratch, concurrent: false, includeDeleted: true);
        var candidates = scratch.Candidates;
        candidates.Clear();
        while (top.Count > 0)
        {
            var (distance, candidate) = top.Pop();
            if (candidate != node && reached[candidate])
            {
                candidates.Add((distance, candidate));
            }
        }

        candidates.Reverse();
        return candidates;
    }

    private int[] InLinkCounts()
    {
        var counts = new int[_count];
        for (var node = 0; node < LinkedCount; node++)
        {
            foreach (var target in Links(node, 0))
            {
                counts[target]++;
            }
        }

        return counts;
    }
}
