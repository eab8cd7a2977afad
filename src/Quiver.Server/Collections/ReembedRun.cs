using Quiver.Store.Reembedding;

namespace Quiver.Server.Collections;

/// <summary>One re-embedding the server runs in the background: its request, where it is, and how it ended.</summary>
internal sealed class ReembedRun(string collection, string model, ReembedOptions options)
{
    private volatile ReembedProgress? _progress;
    private volatile ReembedResult? _result;
    private volatile string? _error;

    public string Collection { get; } = collection;

    public string Model { get; } = model;

    public ReembedOptions Options { get; } = options;

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public CancellationTokenSource Stop { get; } = new();

    public Task Task { get; set; } = Task.CompletedTask;

    public ReembedProgress? Progress => _progress;

    public ReembedResult? Result => _result;

    public string? Error => _error;

    /// <summary>running, done, failed or stopped (the server shut down; a new request resumes it).</summary>
    public string Status => _result is not null ? "done" : _error is not null ? (Stop.IsCancellationRequested ? "stopped" : "failed") : "running";

    public bool Running => Status == "running";

    public void Report(ReembedProgress progress) => _progress = progress;

    public void Finish(ReembedResult result) => _result = result;

    public void Fail(string error) => _error = error;
}
