namespace Quiver.Server.Collections;

/// <summary>One example of a recommend request: a stored point's id or a vector; <paramref name="Shown"/> is how the request wrote it.</summary>
internal sealed record GivenExample(string? Id, float[]? Vector, string Path, string Shown);
