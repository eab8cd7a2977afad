using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;

namespace Quiver.Server.Http;

/// <summary>
/// Reads each request body whole, within the size limit and the server's body memory, before the request is
/// admitted (<see cref="AdmissionControl"/> runs after this): a slow upload holds the buffer its Content-Length
/// announced (bounded, with all others, by <see cref="ServerLimits.MaxBodiesArriving"/> and
/// <see cref="ServerLimits.MaxBodyMemoryBytes"/>), never a request slot, and is dropped with 408 when it is slower than <see cref="ServerLimits.MinBodyBytesPerSecond"/>
/// or takes longer than <see cref="ServerLimits.BodyTimeout"/>. Handlers read the body from the
/// <see cref="BufferedBody"/> this leaves in the request's features.
/// </summary>
internal sealed class BodyArrival(RequestDelegate next, ServerLimits limits, RequestMemory memory, ILogger<BodyArrival> logger)
{
    // A body without Content-Length starts with this much and doubles as it grows.
    private const int FirstGuess = 16 * 1024;

    private static readonly TimeSpan WholeBodyGrace = TimeSpan.FromMilliseconds(100);

    // How long a body may take before its average rate counts (as Kestrel's minimum data rate has one).
    private static readonly TimeSpan RateGrace = TimeSpan.FromSeconds(5);

    private int _arriving;

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var length = request.ContentLength;
        var canHaveBody = context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? length > 0;
        if (!canHaveBody || length == 0 || context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        if (endpoint.Metadata.GetMetadata<StreamedBody>() is not null)
        {
            // The route copies the body to a file as it arrives: memory holds a buffer, not the body.
            var size = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (size is { IsReadOnly: false })
            {
                size.MaxRequestBodySize = limits.MaxSnapshotBytes;
            }

            context.Features.Get<IHttpMinRequestBodyDataRateFeature>()?.MinDataRate = new MinDataRate(limits.MinBodyBytesPerSecond, RateGrace);
            await next(context);
            return;
        }

        var limit = Math.Min(limits.MaxBodyBytes, memory.Buffers.Capacity);
        if (length > limit)
        {
            await TooLarge(context, length.Value);
            return;
        }

        using var body = await Read(context, length, limit);
        if (body is null)
        {
            return;
        }

        context.Features.Set(body);
        await next(context);
    }

    private async Task<BufferedBody?> Read(HttpContext context, long? length, long limit)
    {
        var counted = Interlocked.Increment(ref _arriving) <= limits.MaxBodiesArriving;
        try
        {
            // At the limit of slow bodies, a body that has already arrived whole still goes through: it holds nothing
            // while it waits, and refusing it would let a crowd of slow uploads shut out every normal request.
            if (!counted && !await ArrivedWhole(context, length))
            {
                await ErrorResponses.Write(context, 503, $"{limits.MaxBodiesArriving} request bodies are still arriving, the most the server accepts at once. Retry after the number of seconds in Retry-After.", code: "server_busy", header: ("Retry-After", "1"));
                return null;
            }

            var body = await BufferedBody.Create(memory, (int)(length ?? Math.Min(FirstGuess, limit)), limits.BodyMemoryWait, context.RequestAborted);
            if (body is null)
            {
                await Busy(context);
                return null;
            }

            try
            {
                if (await Fill(context, body, length, limit))
                {
                    return body;
                }
            }
            catch
            {
                body.Dispose();
                throw;
            }

            body.Dispose();
            return null;
        }
        finally
        {
            Interlocked.Decrement(ref _arriving);
        }
    }

    /// <summary>Reads the whole body into <paramref name="body"/>; false when an error was answered instead.</summary>
    private async Task<bool> Fill(HttpContext context, BufferedBody body, long? length, long limit)
    {
        // The body must keep up an average of MinBodyBytesPerSecond after a grace period, and be in within
        // BodyTimeout: each read moves the deadline to what the bytes so far have earned. (Kestrel's own minimum
        // rate is off, as its 408 has no JSON body.)
        var started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        void Extend()
        {
            var earned = Math.Min(limits.BodyTimeout.TotalSeconds, RateGrace.TotalSeconds + (body.Length / limits.MinBodyBytesPerSecond));
            timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(0, earned - Stopwatch.GetElapsedTime(started).TotalSeconds)));
        }

        Extend();
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                if (body.Length + buffer.Length > (length ?? limit))
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                    await TooLarge(context, body.Length + buffer.Length);
                    return false;
                }

                if (body.Length + buffer.Length > body.Capacity)
                {
                    var capacity = (int)Math.Min(limit, Math.Max(2L * body.Capacity, body.Length + buffer.Length));
                    if (!await body.Grow(capacity, limits.BodyMemoryWait, context.RequestAborted))
                    {
                        reader.AdvanceTo(buffer.Start, buffer.End);
                        await Busy(context);
                        return false;
                    }
                }

                body.Append(buffer);
                reader.AdvanceTo(buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }

                Extend();
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            var problem = Stopwatch.GetElapsedTime(started) >= limits.BodyTimeout
                ? $"did not arrive within {limits.BodyTimeout.TotalSeconds:0} s"
                : $"arrived slower than {limits.MinBodyBytesPerSecond:0} bytes per second";
            await SlowBody(context, body.Length, problem);
            return false;
        }
    }

    /// <summary>
    /// Whether the whole body is in already, or comes within <see cref="WholeBodyGrace"/> (a client may send the
    /// headers and the body in separate packets): such a body is not a slow upload.
    /// </summary>
    private static async Task<bool> ArrivedWhole(HttpContext context, long? length)
    {
        var reader = context.Request.BodyReader;
        var deadline = Stopwatch.GetTimestamp() + (long)(WholeBodyGrace.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var pending = reader.ReadAsync();
            ReadResult result;
            if (pending.IsCompleted)
            {
                result = pending.Result;
            }
            else
            {
                var left = TimeSpan.FromSeconds(Math.Max(0, deadline - Stopwatch.GetTimestamp()) / (double)Stopwatch.Frequency);
                await using var stop = new Timer(_ => reader.CancelPendingRead(), null, left, Timeout.InfiniteTimeSpan);
                result = await pending;
            }

            var whole = result.IsCompleted || (length is { } expected && result.Buffer.Length >= expected);
            if (whole || result.IsCanceled || Stopwatch.GetTimestamp() >= deadline)
            {
                // Nothing is consumed: the body is read from the start by Fill.
                reader.AdvanceTo(result.Buffer.Start);
                return whole;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private Task TooLarge(HttpContext context, long bytes)
    {
        var message = limits.MaxBodyBytes <= memory.Buffers.Capacity
            ? $"The body is {bytes} bytes or more; the server accepts at most {limits.MaxBodyBytes}. Send fewer or smaller inputs per request."
            : $"The body is {bytes} bytes or more; the server's body memory is {memory.Buffers.Capacity} bytes in all. Send fewer or smaller inputs per request.";
        return ErrorResponses.Write(context, 413, message, code: "request_too_large");
    }

    private Task Busy(HttpContext context) =>
        ErrorResponses.Write(context, 503, $"The server's memory for request bodies ({memory.Buffers.Capacity >> 20} MiB) is taken by other requests. Retry after the number of seconds in Retry-After.", code: "server_busy", header: ("Retry-After", "1"));

    private Task SlowBody(HttpContext context, long received, string problem)
    {
        logger.LogWarning("{Method} {Path} dropped a body that {Problem} ({Received} bytes received)", context.Request.Method, context.Request.Path, problem, received);

        // Kestrel cannot read another request from a connection whose body was left unread.
        return ErrorResponses.Write(context, 408, $"The request body {problem}; {received} bytes came. Send the body at once (at least {limits.MinBodyBytesPerSecond:0} bytes per second, all of it within {limits.BodyTimeout.TotalSeconds:0} s).", code: "request_timeout", header: ("Connection", "close"));
    }
}
