using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Quiver.Server.Operations;

namespace Quiver.Server.Http;

/// <summary>
/// Bounds the requests in progress: up to <see cref="ServerLimits.MaxConcurrentRequests"/> run, up to
/// <see cref="ServerLimits.QueueLimit"/> wait in order, and the rest are answered 429 with Retry-After at once.
/// Health probes and /metrics are never queued. It runs after <see cref="BodyArrival"/>, so a request counts only once
/// its body has arrived: slow uploads cannot take the slots.
/// </summary>
internal sealed class AdmissionControl(RequestDelegate next, ConcurrencyLimiter limiter, ServerMetrics metrics)
{
    public const string Full = "The server is at its limit of queued requests. Retry after the number of seconds in Retry-After.";

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is "/healthz" or "/readyz" or "/livez" or "/metrics")
        {
            await next(context);
            return;
        }

        using var lease = await limiter.AcquireAsync(1, context.RequestAborted);
        if (!lease.IsAcquired)
        {
            metrics.Rejected.Add(1);
            await ErrorResponses.Write(context, 429, Full, code: "too_many_requests", header: ("Retry-After", "1"));
            return;
        }

        await next(context);
    }
}
