namespace Quiver.Store.Storage;

/// <summary>A point as the points table stores it: the vector as its blob, the payload as JSON text.</summary>
internal readonly record struct PointRow(string Id, byte[] Vector, string? Payload, string? Text);
