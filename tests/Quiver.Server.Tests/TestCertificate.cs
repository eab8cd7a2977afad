using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Quiver.Server.Tests;

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, written as PEM (certificate and key apart) and as PFX.</summary>
internal sealed class TestCertificate : IDisposable
{
    public TestCertificate(string folder)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=quiver-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        CertificatePem = Path.Combine(folder, "cert.pem");
        KeyPem = Path.Combine(folder, "key.pem");
        Pfx = Path.Combine(folder, "cert.pfx");
        File.WriteAllText(CertificatePem, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyPem, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(Pfx, Certificate.Export(X509ContentType.Pkcs12));
    }

    public X509Certificate2 Certificate { get; }

    public string CertificatePem { get; }

    public string KeyPem { get; }

    public string Pfx { get; }

    /// <summary>A client that trusts this certificate and no other for the server's.</summary>
    public HttpClient TrustingClient(string baseAddress)
    {
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented is not null && presented.RawData.AsSpan().SequenceEqual(Certificate.RawData),
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromMinutes(2) };
    }

    public void Dispose() => Certificate.Dispose();
}
