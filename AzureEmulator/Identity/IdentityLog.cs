namespace AzureEmulator.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(1, LogLevel.Information, "Directory seeded from {SeedFile} into {StateFile}")]
    public static partial void DirectorySeeded(this ILogger logger, string seedFile, string stateFile);

    [LoggerMessage(2, LogLevel.Information, "Directory loaded from {StateFile}")]
    public static partial void DirectoryLoaded(this ILogger logger, string stateFile);

    [LoggerMessage(3, LogLevel.Information, "Token issued to client {ClientId} for scope {Scope}")]
    public static partial void TokenIssued(this ILogger logger, string clientId, string? scope);

    [LoggerMessage(4, LogLevel.Warning, "Token request from client {ClientId} refused: {Description}")]
    public static partial void TokenRefused(this ILogger logger, string clientId, string description);

    [LoggerMessage(5, LogLevel.Information, "Emulator:ServiceAccountTokenFile is not set; no projected service-account token is written.")]
    public static partial void NoTokenFile(this ILogger logger);

    [LoggerMessage(6, LogLevel.Information, "Projected service-account token for {Subject} written to {TokenFile}; expires {ExpiresOn:u}")]
    public static partial void TokenFileWritten(this ILogger logger, string subject, string tokenFile, DateTimeOffset expiresOn);
}
