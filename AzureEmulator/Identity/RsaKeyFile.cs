using System.Security.Cryptography;
using AzureEmulator.State;
using Microsoft.IdentityModel.Tokens;

namespace AzureEmulator.Identity;

/// <summary>An RSA signing key persisted as PKCS#8 PEM under the state directory, so tokens stay valid across restarts.</summary>
internal static class RsaKeyFile
{
    public static RsaSecurityKey LoadOrCreate(string path)
    {
        RSA rsa;
        if (File.Exists(path))
        {
            rsa = RSA.Create();
            try
            {
                rsa.ImportFromPem(File.ReadAllText(path));
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                throw new InvalidOperationException(
                    $"The signing key '{path}' cannot be read ({ex.Message}). Delete it to let the emulator create a new one; " +
                    "tokens signed with the old key then stop validating.", ex);
            }
        }
        else
        {
            rsa = RSA.Create(2048);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            PrivateFiles.WriteAllText(temp, rsa.ExportPkcs8PrivateKeyPem());
            File.Move(temp, path, overwrite: true);
        }

        var key = new RsaSecurityKey(rsa);
        // Key id = RFC 7638 thumbprint: stable for the key, different for a new one.
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    public static PublicJwk ToPublicJwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new PublicJwk("RSA", "sig", SecurityAlgorithms.RsaSha256, key.KeyId, Base64UrlEncoder.Encode(parameters.Modulus), Base64UrlEncoder.Encode(parameters.Exponent));
    }
}

/// <summary>One public key as served in a JWKS document.</summary>
public sealed record PublicJwk(string Kty, string Use, string Alg, string Kid, string N, string E);

/// <summary>A JWKS document: {"keys":[…]}.</summary>
public sealed record JwksDocument(IReadOnlyList<PublicJwk> Keys);
