namespace Quiver.Cluster.Grains;

/// <summary>A write reached a replica that is not its shard's primary (the layout changed): read the layout again and retry.</summary>
[GenerateSerializer]
public sealed class NotPrimaryException : Exception
{
    public NotPrimaryException()
    {
    }

    public NotPrimaryException(string message) : base(message)
    {
    }

    public NotPrimaryException(string message, Exception inner) : base(message, inner)
    {
    }
}
