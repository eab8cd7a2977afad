using System.Security.Cryptography;
using System.Text;
using Quiver.Core;

namespace Quiver.Server.Security;

/// <summary>
/// The configured keys, kept only as SHA-256 digests and compared in constant time, so neither timing nor a memory
/// dump of the comparison reveals a key.
/// </summary>
internal sealed class ApiKeys
{
    private readonly byte[][] _admin;
    private readonly byte[][] _readOnly;

    public ApiKeys(IEnumerable<string> admin, IEnumerable<string> readOnly)
    {
        _admin = [.. admin.Select(Digest)];
        _readOnly = [.. readOnly.Select(Digest)];
        if (_readOnly.Length > 0 && _admin.Length == 0)
        {
            throw new QuiverException($"Read-only keys are set but no admin key: nothing could write. Set an admin key too ({ServerOptions.ApiKeyVariable} or --api-key).");
        }
    }

    /// <summary>Whether keys are required at all.</summary>
    public bool Enabled => _admin.Length > 0;

    public AccessLevel Check(string? key)
    {
        if (!Enabled)
        {
            return AccessLevel.Admin;
        }

        if (string.IsNullOrEmpty(key))
        {
            return AccessLevel.None;
        }

        var digest = Digest(key);

        // Every configured key is compared, so the time taken does not depend on which one matches.
        var admin = false;
        var readOnly = false;
        foreach (var candidate in _admin)
        {
            admin |= CryptographicOperations.FixedTimeEquals(candidate, digest);
        }

        foreach (var candidate in _readOnly)
        {
            readOnly |= CryptographicOperations.FixedTimeEquals(candidate, digest);
        }

        return admin ? AccessLevel.Admin : readOnly ? AccessLevel.ReadOnly : AccessLevel.None;
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
