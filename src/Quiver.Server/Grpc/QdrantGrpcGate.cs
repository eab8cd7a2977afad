using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Quiver.Server.Http;
using Quiver.Server.Operations;
using Quiver.Server.Security;

namespace Quiver.Server.Grpc;

/// <summary>
/// What the HTTP middleware does for REST, for every gRPC call: the API key (the <c>api-key</c> metadata, as
/// Qdrant.Client sends it, or <c>authorization: Bearer</c>), read-only keys refused on writes, the same request
/// slots and queue, and every failure answered with the REST message under the matching gRPC status code.
/// </summary>
internal sealed class QdrantGrpcGate(ApiKeys keys, ConcurrencyLimiter limiter, ServerMetrics metrics, ServerOptions options, ILogger<QdrantGrpcGate> logger) : Interceptor
{
    // The calls that change stored data, by their full gRPC method name.
    private static readonly HashSet<string> Writes = new(StringComparer.Ordinal)
    {
        "/qdrant.Collections/Create", "/qdrant.Collections/Update", "/qdrant.Collections/Delete", "/qdrant.Collections/UpdateAliases",
        "/qdrant.Collections/UpdateCollectionClusterSetup", "/qdrant.Collections/CreateShardKey", "/qdrant.Collections/DeleteShardKey",
        "/qdrant.Points/Upsert", "/qdrant.Points/Delete", "/qdrant.Points/UpdateVectors", "/qdrant.Points/DeleteVectors",
        "/qdrant.Points/SetPayload", "/qdrant.Points/OverwritePayload", "/qdrant.Points/DeletePayload", "/qdrant.Points/ClearPayload",
        "/qdrant.Points/CreateFieldIndex", "/qdrant.Points/DeleteFieldIndex", "/qdrant.Points/UpdateBatch",
        "/qdrant.Points/CreateVectorName", "/qdrant.Points/DeleteVectorName",
        "/qdrant.Snapshots/Create", "/qdrant.Snapshots/Delete", "/qdrant.Snapshots/CreateFull", "/qdrant.Snapshots/DeleteFull",
    };

    // The health check is open, as /healthz is.
    private const string HealthCheck = "/qdrant.Qdrant/HealthCheck";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (context.Method != HealthCheck)
        {
            CheckKey(context);
        }

        using var lease = await limiter.AcquireAsync(1, context.CancellationToken);
        if (!lease.IsAcquired)
        {
            metrics.Rejected.Add(1);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, AdmissionControl.Full.Replace("after the number of seconds in Retry-After", "in a second", StringComparison.Ordinal)));
        }

        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented && string.IsNullOrEmpty(e.Status.Detail))
        {
            // The generated base's answer for a method Quiver does not serve: say which, and what to use instead.
            throw new RpcException(new Status(StatusCode.Unimplemented,
                $"Quiver does not serve {context.Method} over gRPC; the gRPC methods it serves are listed in its README (\"gRPC\"). " +
                "Collections hold one unnamed dense vector; use the REST API for what gRPC does not offer."));
        }
        catch (RpcException)
        {
            throw;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled by the client or its deadline passed."));
        }
        catch (Exception e)
        {
            var (status, message, param, code) = ErrorHandling.Classify(e, options);
            if (status >= 500 && e is not ApiException)
            {
                logger.LogError(e, "gRPC {Method} failed", context.Method);
            }

            throw new RpcException(new Status(code == StoreFaults.DamagedCode ? StatusCode.DataLoss : Code(status), param is null ? message : $"{param}: {message}"));
        }
    }

    /// <summary>The gRPC status code of an HTTP status the REST routes answer with.</summary>
    public static StatusCode Code(int status) => status switch
    {
        400 => StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        408 => StatusCode.DeadlineExceeded,
        409 => StatusCode.AlreadyExists,
        413 or 429 or 507 => StatusCode.ResourceExhausted,
        502 or 503 or 504 => StatusCode.Unavailable,
        _ when status < 500 => StatusCode.FailedPrecondition,
        _ => StatusCode.Internal,
    };

    private void CheckKey(ServerCallContext context)
    {
        if (!keys.Enabled)
        {
            return;
        }

        var key = AccessControl.KeyOf(context.GetHttpContext().Request);
        var level = keys.Check(key);
        if (level == AccessLevel.None)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, key is null ? AccessControl.MissingKey : AccessControl.InvalidKey));
        }

        if (level == AccessLevel.ReadOnly && Writes.Contains(context.Method))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, AccessControl.ReadOnlyKey));
        }
    }
}
