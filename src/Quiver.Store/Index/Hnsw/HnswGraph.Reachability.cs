namespace Quiver.Store.Index.Hnsw;

/// <summary>
/// Keeps every node reachable. Pruning a full link list (the heuristic in Connect) can drop a node's last in-link,
/// more often when many inserts run in parallel, and then no search can ever return it, however wide its beam.
/// After linking, a breadth-first walk of layer 0 from the entry point finds such nodes and links each one from its
/// nearest reachable node, as hnswlib's repair of unreachable points does.
/// </summary>
internal sealed partial class HnswGraph
{
    // A repair walks all of layer 0; between repairs at most Count / RepairInterval nodes are linked, so the walk
    // adds at most RepairInterval link reads per insert, little beside the insert's own efConstruction distances.
    private const int RepairInterval = 64;

    private int _linkedSinceRepair;

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
    /// Links every live node that the entry point cannot reach on layer 0 from its nearest reachable node; returns how
    /// many were relinked. Not thread-safe: runs alone, after inserts.
    /// </summary>
    public int Reconnect()
    {
        _linkedSinceRepair = 0;
        var relinked = 0;

        // Taking a slot from a full list can strand the node it replaced, so look again until nothing is stranded
        // (it converges in one or two rounds; the bound only guards against a pathological graph).
        for (var round = 0; round < 4; round++)
        {
            var reached = ReachableFromEntry();
            var stranded = 0;
            var queue = new Queue<int>();
            for (var node = 0; node < LinkedCount; node++)
            {
                if (reached[node] || _deleted[node])
                {
                    continue;
                }

                stranded++;
                LinkFromNearestReachable(node, reached);
                relinked++;
                Reach(node, reached, queue);
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
        if ((long)_linkedSinceRepair * RepairInterval >= LinkedCount)
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

    // Adds `node` to the links of the nearest reachable node with a free slot among the building beam's candidates;
    // when every one is full, the nearest gives up its farthest link (the next round relinks that one if stranded).
    private void LinkFromNearestReachable(int node, bool[] reached)
    {
        var query = Vector(node);
        var entry = _entry;
        var entryDistance = Distance(query, Vector(entry));
        for (var level = _maxLevel; level > 0; level--)
        {
            (entry, entryDistance) = Greedy(query, entry, entryDistance, level, concurrent: false);
        }

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

        // The descent may start inside the stranded part and find no reachable node; the entry point always is one.
        if (candidates.Count == 0)
        {
            candidates.Add((Distance(query, Vector(_entry)), _entry));
        }

        foreach (var (_, candidate) in candidates)
        {
            var (links, at) = LinkList(candidate, 0);
            if (links[at] < _m0)
            {
                links[at + 1 + links[at]] = node;
                links[at]++;
                return;
            }
        }

        var nearest = candidates[0].Node;
        var (array, offset) = LinkList(nearest, 0);
        var origin = Vector(nearest);
        var farthest = 1;
        for (var i = 2; i <= array[offset]; i++)
        {
            if (Distance(origin, Vector(array[offset + i])) > Distance(origin, Vector(array[offset + farthest])))
            {
                farthest = i;
            }
        }

        array[offset + farthest] = node;
    }
}
