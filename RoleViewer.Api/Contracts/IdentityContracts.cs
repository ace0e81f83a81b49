namespace RoleViewer.Contracts;

/// <summary>The doctor's diagnosis: always answered with 200, the overall status and each check say what is broken.</summary>
public sealed record IdentityReport(
    string? ClientId,
    string? TenantId,
    string? PrincipalObjectId,
    string? SubscriptionId,
    string? AuthorityHost,
    string ArmEndpoint,
    DateTimeOffset? AccessTokenExpiresOn,
    string Overall,
    IReadOnlyList<IdentityCheck> Checks,
    ProjectedTokenDto? ProjectedToken,
    LastExchangeDto? LastExchange);

public sealed record IdentityCheck(string Id, string Title, string Status, string Detail, string? Fix)
{
    public const string Ok = "ok";
    public const string Warn = "warn";
    public const string Fail = "fail";
}

public sealed record ProjectedTokenDto(string? Issuer, string? Subject, IReadOnlyList<string> Audiences, DateTimeOffset? ExpiresOn, DateTimeOffset? FileLastWritten);

public sealed record LastExchangeDto(DateTimeOffset At, bool Succeeded, string? ErrorCode, string? Message);
