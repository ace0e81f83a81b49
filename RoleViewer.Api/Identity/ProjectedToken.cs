namespace RoleViewer.Api.Identity;

/// <summary>What the projected service-account token file holds, minus the token itself.</summary>
public sealed record ProjectedTokenFile(
    string Path,
    bool Exists,
    bool Readable,
    long? SizeBytes,
    DateTimeOffset? LastWritten,
    string? ReadError,
    ProjectedTokenClaims? Claims)
{
    public static ProjectedTokenFile Read(string path)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return new(path, false, false, null, null, null, null);
            }

            // The kubelet swaps the file by symlink; FileInfo of the link's target gives the rotation time.
            var lastWritten = new DateTimeOffset((info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info).LastWriteTimeUtc);
            var content = File.ReadAllText(path);
            var claims = JwtClaims.TryParse(content, out var parsed)
                ? new ProjectedTokenClaims(parsed.GetString("iss"), parsed.GetString("sub"), parsed.GetStrings("aud"), parsed.GetTime("exp"))
                : null;
            return new(path, true, true, info.Length, lastWritten, null, claims);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return new(path, File.Exists(path), false, null, null, e.Message, null);
        }
    }
}

public sealed record ProjectedTokenClaims(string? Issuer, string? Subject, IReadOnlyList<string> Audiences, DateTimeOffset? ExpiresOn);
