using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Quiver.Core;

namespace Quiver.Server.Operations;

/// <summary>Loads the server certificate named by --tls-cert/--tls-key, with one-line errors instead of Kestrel's late stack traces.</summary>
internal static class TlsCertificate
{
    public static X509Certificate2 Load(string certificatePath, string? keyPath)
    {
        Require(certificatePath, "--tls-cert");
        if (keyPath is not null)
        {
            Require(keyPath, "--tls-key");
        }

        try
        {
            if (keyPath is null && !File.ReadAllText(certificatePath).Contains("-----BEGIN", StringComparison.Ordinal))
            {
                return Usable(X509CertificateLoader.LoadPkcs12FromFile(certificatePath, password: null), certificatePath);
            }

            // A key read from PEM is ephemeral; exported and read back as PKCS#12 it can serve TLS on every platform.
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return Usable(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null), certificatePath);
        }
        catch (CryptographicException e)
        {
            throw new QuiverException(
                $"--tls-cert {certificatePath} cannot be read as a certificate with its private key ({e.Message}): give a PEM certificate with --tls-key KEY.pem, " +
                "a PEM file holding both, or a PFX file without a password.");
        }
    }

    private static void Require(string path, string option)
    {
        if (!File.Exists(path))
        {
            throw new QuiverException($"{option} {path}: no such file. Give the path of an existing file.");
        }
    }

    private static X509Certificate2 Usable(X509Certificate2 certificate, string path)
    {
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new QuiverException($"--tls-cert {path} has no private key: give its key with --tls-key KEY.pem, or a PFX file that includes it.");
        }

        return certificate;
    }
}
