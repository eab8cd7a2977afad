using Quiver.Store.Filtering;

namespace Quiver.Server.Collections;

/// <summary>
/// What a search, query or recommend asks for beside its vector, read from either API (REST's JSON, gRPC's messages)
/// before <see cref="NearestPoints"/> answers it, so both answer alike.
/// </summary>
/// <param name="Threshold">The worst score kept: a least similarity, or on Euclid a greatest distance.</param>
internal sealed record HitSelection(int Limit, int Offset, double? Threshold, PayloadFilter? Filter, int? Ef, bool Exact, bool WithVector);
