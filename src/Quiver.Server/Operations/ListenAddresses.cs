using System.Net;
using Microsoft.Extensions.Configuration;
using Quiver.Core;

namespace Quiver.Server.Operations;

/// <summary>
/// Checks where the server is told to listen before Kestrel binds: https:// needs a certificate, and an address
/// beyond loopback needs an API key or an explicit --allow-anonymous, so neither fails late nor opens the store by accident.
/// </summary>
internal static class ListenAddresses
{
    /// <summary>ASP.NET Core's own setting for the default certificate (env ASPNETCORE_Kestrel__Certificates__Default__Path).</summary>
    public const string DefaultCertificateKey = "Kestrel:Certificates:Default:Path";

    /// <summary>The URLs whose host is not loopback: any address (0.0.0.0, ::, *, +), another IP, or a host name other than localhost.</summary>
    public static IReadOnlyList<string> BeyondLoopback(string urls) => [.. Split(urls).Where(url => !IsLoopback(url))];

    /// <summary>Throws a one-line <see cref="QuiverException"/> naming the fix when the URLs cannot be served as asked.</summary>
    public static void Check(ServerOptions options, IConfiguration configuration)
    {
        var urls = Split(options.AllUrls);
        var secure = urls.Where(url => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase)).ToList();
        var configured = !string.IsNullOrWhiteSpace(configuration[DefaultCertificateKey]);
        if (secure.Count > 0 && options.TlsCertificatePath is null && !configured)
        {
            throw new QuiverException(
                $"{secure[0]} needs a certificate: pass --tls-cert FILE (PEM or PFX) and, for a PEM certificate without its key, --tls-key FILE, " +
                "or set ASPNETCORE_Kestrel__Certificates__Default__Path (and __KeyPath or __Password).");
        }

        if (secure.Count == 0 && options.TlsCertificatePath is not null)
        {
            throw new QuiverException(
                $"--tls-cert is given but no URL is https:// ({options.Urls}), so the certificate would go unused: listen on --urls https://HOST:PORT.");
        }

        if (options.IsOpenToNetwork && !options.AllowAnonymous)
        {
            throw new QuiverException(
                $"refusing to listen on {string.Join(", ", BeyondLoopback(options.AllUrls).Distinct(StringComparer.Ordinal))} with no API key (anyone who reaches it could read, write and delete): " +
                $"give a key with --api-key KEY or {ServerOptions.ApiKeyVariable}, or pass --allow-anonymous to serve the network without one.");
        }
    }

    private static string[] Split(string urls) => urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool IsLoopback(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var authority = scheme < 0 ? url : url[(scheme + 3)..];
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        authority = slash < 0 ? authority : authority[..slash];

        // An IPv6 host is bracketed ([::1]:6333); otherwise the port follows the last colon.
        var host = authority.StartsWith('[')
            ? authority[1..Math.Max(1, authority.IndexOf(']', StringComparison.Ordinal))]
            : authority.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
