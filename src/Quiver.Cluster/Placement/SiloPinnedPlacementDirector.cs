using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Quiver.Cluster.Placement;

/// <summary>Finds the active silo whose name the grain key carries; fails the call when that silo is not in the cluster.</summary>
internal sealed class SiloPinnedPlacementDirector(ISiloStatusOracle oracle) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var name = SiloPinnedPlacement.SiloOf(target.GrainIdentity.Key.ToString()!);
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (oracle.TryGetSiloName(silo, out var siloName) && siloName == name && oracle.GetApproximateSiloStatus(silo) == SiloStatus.Active)
            {
                return Task.FromResult(silo);
            }
        }

        throw new SiloUnavailableException($"The silo '{name}' that holds this replica is not in the cluster now; the replica is unavailable until it returns.");
    }
}
