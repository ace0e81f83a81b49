namespace AzureEmulator.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Directory seeded from {SeedFile} into {StateFile}")]
    internal static partial void DirectorySeeded(ILogger logger, string seedFile, string stateFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Directory loaded from {StateFile}")]
    internal static partial void DirectoryLoaded(ILogger logger, string stateFile);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token issued to client {ClientId} for scope {Scope}")]
    internal static partial void TokenIssued(ILogger logger, string clientId, string? scope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token request from client {ClientId} refused: {Description}")]
    internal static partial void TokenRefused(ILogger logger, string clientId, string description);

    [LoggerMessage(Level = LogLevel.Information, Message = "Emulator:ServiceAccountTokenFile is not set; no projected service-account token is written.")]
    internal static partial void NoTokenFile(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Projected service-account token for {Subject} written to {TokenFile}; expires {ExpiresOn:u}")]
    internal static partial void TokenFileWritten(ILogger logger, string subject, string tokenFile, DateTimeOffset expiresOn);
}
