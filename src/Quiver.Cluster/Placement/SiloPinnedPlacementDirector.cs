using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Quiver.Cluster.Placement;

/// <summary>Finds the active silo whose name the grain key carries; fails the call when that silo is not in the cluster.</summary>
internal sealed class SiloPinnedPlacementDirector(ISiloStatusOracle oracle) : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var name = SiloPinnedPlacement.SiloOf(target.GrainIdentity.Key.ToString()!);

        // A silo restarted under its name has a new generation; until the old one is declared dead both look
        // active, and only the newest can be alive.
        var newest = context.GetCompatibleSilos(target)
            .Where(silo => oracle.TryGetSiloName(silo, out var siloName) && siloName == name && oracle.GetApproximateSiloStatus(silo) == SiloStatus.Active)
            .MaxBy(silo => silo.Generation);
        if (newest is not null)
        {
            return Task.FromResult(newest);
        }

        throw new SiloUnavailableException($"The silo '{name}' that holds this replica is not in the cluster now; the replica is unavailable until it returns.");
    }
}
