namespace Quiver.Server.Tests;

/// <summary>Tests that measure the whole process (its allocations) and so run after the others, one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "serial";
}
