using System.Diagnostics;
using Grpc.Core;
using Quiver.Cluster;
using Quiver.Core;
using Quiver.Server.Cluster;
using Quiver.Server.Collections;
using Quiver.Server.Embeddings;
using Quiver.Server.Http;
using Quiver.Store.Aliases;
using Quiver.Store.Filtering;
using Q = Qdrant.Client.Grpc;

namespace Quiver.Server.Grpc;

/// <summary>
/// Qdrant's <c>qdrant.Collections</c> service: list, get, exists, create and delete, over the same store calls as the
/// REST routes (<see cref="CollectionsEndpoints"/>), and alias changes and listings as <see cref="AliasesEndpoints"/> makes them.
/// Every call that takes a collection name accepts an alias, since it looks the name up through <see cref="ServedCollections.Get"/>.
/// In cluster mode a create with more than one shard or replica makes a distributed collection, and get and exists
/// answer for one.
/// </summary>
internal sealed class CollectionsService(ServedCollections collections, DistributedCollections distributed, ServedModels models) : Services.Collections.CollectionsBase
{
    public override Task<Q.ListCollectionsResponse> List(Q.ListCollectionsRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var response = new Q.ListCollectionsResponse();
        response.Collections.AddRange(collections.Names.Select(name => new Q.CollectionDescription { Name = name }));
        response.Time = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return Task.FromResult(response);
    }

    public override async Task<Q.GetCollectionInfoResponse> Get(Q.GetCollectionInfoRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        if (await distributed.Find(request.CollectionName) is { } spread)
        {
            return await Get(spread, started);
        }

        var collection = collections.Get(request.CollectionName);
        var info = collection.Info();
        var vectors = new Q.VectorParams { Size = (ulong)collection.Dimensions, Distance = Distance(collection.Space.Metric) };
        var result = new Q.CollectionInfo
        {
            Status = Q.CollectionStatus.Green,
            OptimizerStatus = new Q.OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            PointsCount = (ulong)info.Count,
            IndexedVectorsCount = (ulong)info.Count,
            Config = new Q.CollectionConfig
            {
                Params = new Q.CollectionParams
                {
                    ShardNumber = 1,
                    ReplicationFactor = 1,
                    WriteConsistencyFactor = 1,
#pragma warning disable CS0612 // Deprecated by Qdrant, still read by older clients: payloads are on disk (in SQLite).
                    OnDiskPayload = true,
#pragma warning restore CS0612
                    VectorsConfig = new Q.VectorsConfig { Params = vectors },
                },
                HnswConfig = new Q.HnswConfigDiff
                {
                    M = (ulong)collection.IndexOptions.Hnsw.M,
                    EfConstruct = (ulong)collection.IndexOptions.Hnsw.EfConstruction,
                    FullScanThreshold = (ulong)collection.IndexOptions.ExactThreshold,
                },
                OptimizerConfig = new Q.OptimizersConfigDiff(),
                WalConfig = new Q.WalConfigDiff(),
            },
            CreatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(info.CreatedAt),
        };
        foreach (var (field, kind) in collection.PayloadIndexes)
        {
            result.PayloadSchema[field] = new Q.PayloadSchemaInfo
            {
                DataType = kind switch
                {
                    PayloadIndexKind.Integer => Q.PayloadSchemaType.Integer,
                    PayloadIndexKind.Float => Q.PayloadSchemaType.Float,
                    _ => Q.PayloadSchemaType.Keyword,
                },
            };
        }

        return new Q.GetCollectionInfoResponse { Result = result, Time = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }

    // A distributed collection's info: its shards and replication factor, and the points of every shard.
    private static async Task<Q.GetCollectionInfoResponse> Get(DistributedCollection collection, long started)
    {
        var replicas = await collection.InspectAsync();
        var count = (ulong)await collection.CountAsync();
        var layout = collection.Layout;
        var result = new Q.CollectionInfo
        {
            Status = replicas.All(r => r.State == Quiver.Cluster.Grains.ReplicaState.Live) ? Q.CollectionStatus.Green : Q.CollectionStatus.Yellow,
            OptimizerStatus = new Q.OptimizerStatus { Ok = true },
            SegmentsCount = (ulong)layout.Shards.Length,
            PointsCount = count,
            IndexedVectorsCount = count,
            Config = new Q.CollectionConfig
            {
                Params = new Q.CollectionParams
                {
                    ShardNumber = (uint)layout.Shards.Length,
                    ReplicationFactor = (uint)layout.ReplicationFactor,
                    WriteConsistencyFactor = (uint)layout.ReplicationFactor,
                    VectorsConfig = new Q.VectorsConfig { Params = new Q.VectorParams { Size = (ulong)collection.Space.Dimensions, Distance = Distance(collection.Space.Metric) } },
                },
                HnswConfig = new Q.HnswConfigDiff(),
                OptimizerConfig = new Q.OptimizersConfigDiff(),
                WalConfig = new Q.WalConfigDiff(),
            },
        };
        return new Q.GetCollectionInfoResponse { Result = result, Time = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }

    public override async Task<Q.CollectionExistsResponse> CollectionExists(Q.CollectionExistsRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        ResourceName.Validate(request.CollectionName, "collection");
        return new Q.CollectionExistsResponse
        {
            Result = new Q.CollectionExists { Exists = collections.Exists(request.CollectionName) || await distributed.Find(request.CollectionName) is not null },
            Time = Stopwatch.GetElapsedTime(started).TotalSeconds,
        };
    }

    public override async Task<Q.CollectionOperationResponse> Create(Q.CreateCollection request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        int? size = null;
        Core.Distances.DistanceMetric? metric = null;
        var hnsw = request.HnswConfig;
        switch (request.VectorsConfig?.ConfigCase)
        {
            case Q.VectorsConfig.ConfigOneofCase.Params:
                var parameters = request.VectorsConfig.Params;
                size = JsonFields.Within((long)Math.Min(parameters.Size, long.MaxValue), 1, CollectionSettings.MaxDimensions, "vectors.size");
                metric = CollectionSettings.Distance(parameters.Distance switch
                {
                    Q.Distance.Cosine => "Cosine",
                    Q.Distance.Dot => "Dot",
                    Q.Distance.Euclid => "Euclid",
                    Q.Distance.Manhattan => "Manhattan",
                    _ => null,
                });
                hnsw ??= parameters.HnswConfig;
                break;
            case Q.VectorsConfig.ConfigOneofCase.ParamsMap:
                throw ApiException.BadRequest("named vectors are not supported: Quiver collections hold one unnamed vector. Give VectorParams { Size = N, Distance = Cosine }.", "vectors");
        }

        if (request.SparseVectorsConfig is { Map.Count: > 0 })
        {
            throw ApiException.BadRequest("sparse vectors are not supported: Quiver collections hold one dense vector (Quiver's keyword search is BM25 over the stored text).", "sparse_vectors");
        }

        int? m = hnsw is { HasM: true } ? JsonFields.Within((long)Math.Min(hnsw.M, int.MaxValue), CollectionSettings.MinM, CollectionSettings.MaxM, "hnsw_config.m") : null;
        int? ef = hnsw is { HasEfConstruct: true } ? JsonFields.Within((long)Math.Min(hnsw.EfConstruct, int.MaxValue), CollectionSettings.MinEfConstruct, CollectionSettings.MaxEfConstruct, "hnsw_config.ef_construct") : null;

        // gRPC's CreateCollection has no field for Quiver's "model"; a collection bound to a model is created over REST or the CLI.
        var options = CollectionSettings.Options(models, modelName: null, size, metric, m, ef);
        // Qdrant.Client always sends both (1 unless told otherwise), so only more than one shard or replica asks for distribution.
        if (distributed.Enabled && ((request.HasShardNumber && request.ShardNumber > 1) || (request.HasReplicationFactor && request.ReplicationFactor > 1)))
        {
            if (await distributed.Find(request.CollectionName) is not null)
            {
                throw ApiException.BadRequest($"Wrong input: Collection `{request.CollectionName}` already exists (a distributed collection)!");
            }

            var shards = request.HasShardNumber ? JsonFields.Within(request.ShardNumber, 1, 1024, "shard_number") : 1;
            var replicas = request.HasReplicationFactor ? JsonFields.Within(request.ReplicationFactor, 1, 16, "replication_factor") : 1;
            await distributed.Create(request.CollectionName, new DistributedCollectionOptions(options.Space, shards, replicas));
        }
        else
        {
            collections.Create(request.CollectionName, options);
        }

        return new Q.CollectionOperationResponse { Result = true, Time = Stopwatch.GetElapsedTime(started).TotalSeconds };
    }

    public override Task<Q.CollectionOperationResponse> Delete(Q.DeleteCollection request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var existed = collections.Delete(request.CollectionName);
        return Task.FromResult(new Q.CollectionOperationResponse { Result = existed, Time = Stopwatch.GetElapsedTime(started).TotalSeconds });
    }

    public override Task<Q.CollectionOperationResponse> UpdateAliases(Q.ChangeAliases request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var actions = new List<AliasAction>(request.Actions.Count);
        for (var i = 0; i < request.Actions.Count; i++)
        {
            actions.Add(Action(request.Actions[i], $"actions[{i}]"));
        }

        collections.ChangeAliases(actions);
        return Task.FromResult(new Q.CollectionOperationResponse { Result = true, Time = Stopwatch.GetElapsedTime(started).TotalSeconds });
    }

    public override Task<Q.ListAliasesResponse> ListAliases(Q.ListAliasesRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        return Task.FromResult(Aliases(collections.Store.Aliases.List(), started));
    }

    public override Task<Q.ListAliasesResponse> ListCollectionAliases(Q.ListCollectionAliasesRequest request, ServerCallContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var collection = collections.Get(request.CollectionName);
        return Task.FromResult(Aliases(collections.Store.Aliases.Of(collection.Name), started));
    }

    private static AliasAction Action(Q.AliasOperations operation, string path) => operation.ActionCase switch
    {
        Q.AliasOperations.ActionOneofCase.CreateAlias => AliasAction.Create(operation.CreateAlias.AliasName, operation.CreateAlias.CollectionName),
        Q.AliasOperations.ActionOneofCase.DeleteAlias => AliasAction.Delete(operation.DeleteAlias.AliasName),
        Q.AliasOperations.ActionOneofCase.RenameAlias => AliasAction.Rename(operation.RenameAlias.OldAliasName, operation.RenameAlias.NewAliasName),
        _ => throw ApiException.BadRequest("has no action: set one of create_alias, delete_alias or rename_alias.", path),
    };

    private static Q.ListAliasesResponse Aliases(IEnumerable<CollectionAlias> aliases, long started)
    {
        var response = new Q.ListAliasesResponse();
        response.Aliases.AddRange(aliases.Select(a => new Q.AliasDescription { AliasName = a.AliasName, CollectionName = a.CollectionName }));
        response.Time = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return response;
    }

    private static Q.Distance Distance(Core.Distances.DistanceMetric metric) => CollectionSettings.DistanceName(metric) switch
    {
        "Cosine" => Q.Distance.Cosine,
        "Dot" => Q.Distance.Dot,
        _ => Q.Distance.Euclid,
    };
}
