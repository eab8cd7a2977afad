namespace Quiver.Server.Security;

/// <summary>What a key may do.</summary>
public enum AccessLevel
{
    None,
    ReadOnly,
    Admin,
}
