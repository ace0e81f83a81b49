using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace AzureEmulator.Tls;

/// <summary>
/// RFC 5280 name constraints (critical) that limit the local CA to the names the emulator serves: a client that
/// trusts this CA then trusts it for localhost only, never for a real site, even if the CA's key leaks.
/// .NET has no builder for this extension, so the DER is written here.
/// </summary>
public static class NameConstraints
{
    public const string Oid = "2.5.29.30";

    public static X509Extension Permitting(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                foreach (var name in dnsNames)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2));
                    }
                }

                foreach (var address in addresses)
                {
                    // iPAddress constraint: the address followed by a full-length mask (exactly this address).
                    var bytes = address.GetAddressBytes();
                    using (writer.PushSequence())
                    {
                        writer.WriteOctetString([.. bytes, .. Enumerable.Repeat((byte)0xFF, bytes.Length)], new Asn1Tag(TagClass.ContextSpecific, 7));
                    }
                }
            }
        }

        return new X509Extension(Oid, writer.Encode(), critical: true);
    }
}
