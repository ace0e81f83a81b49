using System.Text.RegularExpressions;
using RoleViewer.Api.Arm;
using RoleViewer.Api.Identity;
using RoleViewer.Api.RoleAssignments;

namespace RoleViewer.Api.Doctor;

/// <summary>
/// Walks the workload-identity chain (webhook variables → token file → projected token → exchange → ARM) and says
/// for each step what was found and how to fix it. Never throws and never shows a token.
/// </summary>
public sealed partial class IdentityDoctor(
    WorkloadIdentitySettings settings,
    PrincipalResolver principals,
    IdentityState state,
    IdentityProbe probe,
    RoleAssignmentsService roleAssignments,
    FailureContextFactory failures,
    BuiltInRoleAdvisor roles,
    ArmEndpoint arm,
    TimeProvider time,
    ILogger<IdentityDoctor> logger)
{
    public const string ExchangeAudience = "api://AzureADTokenExchange";
    private static readonly TimeSpan ExchangeTimeout = TimeSpan.FromSeconds(15);

    private const string WebhookFix =
        "Label the pod azure.workload.identity/use: \"true\" and run it under a service account annotated with " +
        "azure.workload.identity/client-id; the webhook then injects this variable. Locally the AppHost sets it.";

    /// <summary>The diagnosis; <c>forceProbe</c> verifies the federation with a fresh exchange now (rate-limited), e.g. right after it was changed.</summary>
    public async Task<IdentityReport> DiagnoseAsync(bool forceProbe, CancellationToken cancellationToken)
    {
        var checks = new List<IdentityCheck>();
        try
        {
            checks.AddRange(CheckVariables());
            var file = settings.TokenFile is { } path ? ProjectedTokenFile.Read(path) : null;
            checks.Add(CheckTokenFile(file));
            checks.Add(CheckProjectedToken(file));
            checks.Add(await CheckExchangeAsync(forceProbe, cancellationToken));
            checks.Add(await CheckArmAsync(cancellationToken));

            var lastSuccess = state.LastSuccess;
            var last = Newest(probe.Last, LastExchange());
            var failure = last?.Error is { } error ? failures.Translate(error) : null;
            return new IdentityReport(
                settings.ClientId, settings.TenantId,
                settings.PrincipalObjectIdOverride ?? lastSuccess?.ObjectId,
                settings.SubscriptionId, settings.AuthorityHost, arm.Uri.AbsoluteUri,
                lastSuccess?.ExpiresOn,
                Overall(checks), checks,
                file?.Claims is { } c ? new ProjectedTokenDto(c.Issuer, c.Subject, c.Audiences, c.ExpiresOn, file.LastWritten) : null,
                last is null ? null : new LastExchangeDto(last.At, last.Error is null, failure?.Code, failure?.Message));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The doctor is the place people come to when things are broken: it must answer, whatever happened.
            DoctorFailed(logger, e);
            checks.Add(new("doctor", "Identity diagnosis", IdentityCheck.Fail, $"The diagnosis itself failed: {e.GetType().Name}: {e.Message}",
                "See the API's log for this request."));
            return new IdentityReport(settings.ClientId, settings.TenantId, settings.PrincipalObjectIdOverride, settings.SubscriptionId,
                settings.AuthorityHost, arm.Uri.AbsoluteUri, null, IdentityCheck.Fail, checks, null, null);
        }
    }

    private IEnumerable<IdentityCheck> CheckVariables()
    {
        yield return GuidVariable(WorkloadIdentitySettings.ClientIdVariable, "Client id of the workload identity", settings.ClientId, WebhookFix,
            "Set the service account annotation azure.workload.identity/client-id to the managed identity's client id (a GUID).");
        yield return GuidVariable(WorkloadIdentitySettings.TenantIdVariable, "Tenant of the workload identity", settings.TenantId, WebhookFix,
            "Set the service account annotation azure.workload.identity/tenant-id (or the webhook's tenant) to the tenant id.");
        yield return settings.TokenFile is null
            ? new("env." + WorkloadIdentitySettings.TokenFileVariable, "Projected token path", IdentityCheck.Fail,
                $"{WorkloadIdentitySettings.TokenFileVariable} is not set.", WebhookFix)
            : new("env." + WorkloadIdentitySettings.TokenFileVariable, "Projected token path", IdentityCheck.Ok, settings.TokenFile, null);

        var authority = settings.AuthorityHost;
        yield return authority switch
        {
            null => new("env." + WorkloadIdentitySettings.AuthorityHostVariable, "Entra authority host", IdentityCheck.Warn,
                $"{WorkloadIdentitySettings.AuthorityHostVariable} is not set; the public cloud {WorkloadIdentitySettings.DefaultAuthorityHost} is used.",
                "The webhook always injects it: check that the pod was mutated. Set it explicitly outside the public cloud."),
            _ when !Uri.TryCreate(authority, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps =>
                new("env." + WorkloadIdentitySettings.AuthorityHostVariable, "Entra authority host", IdentityCheck.Fail,
                    $"'{authority}' is not an https URL; Azure.Identity refuses it.",
                    $"Set {WorkloadIdentitySettings.AuthorityHostVariable} to an https URL such as {WorkloadIdentitySettings.DefaultAuthorityHost}."),
            _ => new("env." + WorkloadIdentitySettings.AuthorityHostVariable, "Entra authority host", IdentityCheck.Ok,
                WorkloadIdentitySettings.IsMicrosoftAuthority(authority)
                    ? $"{authority} (Microsoft cloud: instance discovery on)"
                    : $"{authority} (not a Microsoft cloud: instance discovery off)", null),
        };

        yield return GuidVariable(WorkloadIdentitySettings.SubscriptionIdVariable, "Subscription to list", settings.SubscriptionId,
            "Set AZURE_SUBSCRIPTION_ID in the pod spec (azd and the AppHost set it) to the subscription whose assignments to list.",
            "Set AZURE_SUBSCRIPTION_ID to a subscription id (a GUID).");

        if (settings.PrincipalObjectIdOverride is { } overridden)
        {
            yield return new("env." + WorkloadIdentitySettings.PrincipalObjectIdVariable, "Principal object id override", IdentityCheck.Warn,
                $"{WorkloadIdentitySettings.PrincipalObjectIdVariable}={overridden} overrides the object id from the access token.",
                "Remove the variable unless the access token carries no oid claim: a wrong value lists someone else's assignments as empty.");
        }
    }

    private static IdentityCheck GuidVariable(string name, string title, string? value, string missingFix, string invalidFix) =>
        value is null ? new("env." + name, title, IdentityCheck.Fail, $"{name} is not set.", missingFix)
        : !Guid.TryParse(value, out _) ? new("env." + name, title, IdentityCheck.Fail, $"{name}='{value}' is not a GUID.", invalidFix)
        : new("env." + name, title, IdentityCheck.Ok, value, null);

    private IdentityCheck CheckTokenFile(ProjectedTokenFile? file)
    {
        const string id = "tokenFile", title = "Projected service-account token file";
        if (file is null)
        {
            return new(id, title, IdentityCheck.Fail, "No token file is configured.", WebhookFix);
        }

        if (!file.Exists)
        {
            return new(id, title, IdentityCheck.Fail, $"{file.Path} does not exist.",
                "The projected volume is not mounted: check the pod's label azure.workload.identity/use: \"true\" and that the container " +
                "is not listed in azure.workload.identity/skip-containers. Locally, the emulator writes this file: is it running?");
        }

        if (!file.Readable)
        {
            return new(id, title, IdentityCheck.Fail, $"{file.Path} exists but cannot be read: {file.ReadError}",
                "Let the container user read it: set the pod's securityContext.fsGroup (the token is mode 0600 on old clusters).");
        }

        var age = time.GetUtcNow() - file.LastWritten!.Value;
        var detail = $"{file.Path}: {file.SizeBytes} bytes, last rotated {file.LastWritten:O} ({age.TotalMinutes:0} min ago).";
        return file.SizeBytes == 0
            ? new(id, title, IdentityCheck.Fail, detail + " The file is empty.", "The kubelet writes the token; check the projected volume of the pod.")
            : age > TimeSpan.FromHours(24)
                ? new(id, title, IdentityCheck.Warn, detail, "The kubelet rotates the token before 80 % of its lifetime; a file this old means rotation stopped.")
                : new(id, title, IdentityCheck.Ok, detail, null);
    }

    private IdentityCheck CheckProjectedToken(ProjectedTokenFile? file)
    {
        const string id = "projectedToken", title = "Projected token claims";
        if (file is not { Readable: true })
        {
            return new(id, title, IdentityCheck.Fail, "No token to inspect.", "Fix the token file first.");
        }

        if (file.Claims is not { } claims)
        {
            return new(id, title, IdentityCheck.Fail, "The file does not hold a JWT.",
                "AZURE_FEDERATED_TOKEN_FILE must point at the projected service-account token (a JWT with no trailing text).");
        }

        var detail = $"iss={claims.Issuer}, sub={claims.Subject}, aud={string.Join(' ', claims.Audiences)}, exp={claims.ExpiresOn:O}";
        var now = time.GetUtcNow();
        if (claims.ExpiresOn is { } exp && exp <= now)
        {
            return new(id, title, IdentityCheck.Fail, detail + " (expired).",
                "The token has expired: the kubelet is not rotating the file, or the node clock is wrong. Entra will answer AADSTS700024.");
        }

        if (!claims.Audiences.Contains(ExchangeAudience, StringComparer.Ordinal))
        {
            return new(id, title, IdentityCheck.Warn, detail,
                $"The audience is not {ExchangeAudience}; the federated credential's audience must equal the token's (else AADSTS700212).");
        }

        if (claims.Subject is null || !claims.Subject.StartsWith("system:serviceaccount:", StringComparison.Ordinal))
        {
            return new(id, title, IdentityCheck.Warn, detail, "The subject should be system:serviceaccount:<namespace>:<service account>.");
        }

        return new(id, title, IdentityCheck.Ok, detail, null);
    }

    private async Task<IdentityCheck> CheckExchangeAsync(bool forceProbe, CancellationToken cancellationToken)
    {
        const string id = "tokenExchange", title = "Token exchange with Entra ID";
        // The process's credential answers from its cache while its token is valid, so only the probe's fresh
        // exchange tells whether the federation works now; whichever exchange is newer is the answer.
        var probed = await probe.GetAsync(forceProbe, cancellationToken);
        PrincipalInfo? principal = null;
        Exception? principalError = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ExchangeTimeout);
            principal = await principals.GetAsync(timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            principalError = e;
        }

        var newest = Newest(probed, LastExchange());
        if (newest?.Error is { } error)
        {
            var failure = failures.Translate(error);
            var when = newest == probed ? $" (fresh exchange at {probed.At:O})" : "";
            return new(id, title, IdentityCheck.Fail, $"{failure.Code}: {failure.Message}{when}", failure.Fix);
        }

        if (principal is null && state.Last is not { Error: not null })
        {
            // Not the exchange itself (the newest succeeded): the principal is unknown for another reason, e.g. no oid claim.
            var failure = failures.Translate(principalError!);
            return new(id, title, IdentityCheck.Fail, $"{failure.Code}: {failure.Message}", failure.Fix);
        }

        var verified = probed.Error is null ? $" A fresh exchange at {probed.At:O} confirmed the federation." : "";
        return principal is null
            ? new(id, title, IdentityCheck.Ok,
                $"A fresh exchange at {newest!.At:O} succeeded; the API renews its own token within {PrincipalResolver.RetryFailedExchangeAfter.TotalSeconds:0} s.", null)
            : new(id, title, IdentityCheck.Ok,
                $"Access token for {arm.Audience} obtained as object id {principal.ObjectId} (app {principal.ClientId}, tenant {principal.TenantId}), " +
                $"expires {state.LastSuccess?.ExpiresOn:O}.{verified}", null);
    }

    /// <summary>The process's latest exchange, to compare with the probe's.</summary>
    private ExchangeOutcome? LastExchange() => state.Last is { } last ? new(last.At, last.Error, last.ExpiresOn) : null;

    /// <summary>The later of two exchanges; at the same instant the failure, since either proves the set-up broken.</summary>
    private static ExchangeOutcome? Newest(ExchangeOutcome? a, ExchangeOutcome? b) =>
        a is null ? b : b is null ? a
        : a.At != b.At ? (a.At > b.At ? a : b)
        : a.Error is not null ? a : b;

    private async Task<IdentityCheck> CheckArmAsync(CancellationToken cancellationToken)
    {
        const string id = "armAuthorization", title = "ARM authorizes listing role assignments";
        try
        {
            // Uses the cached listing: the doctor must not spend ARM's read budget.
            var listing = await roleAssignments.GetAsync(forceRefresh: false, cancellationToken);
            if (listing.UpstreamError is { } stale)
            {
                var failure = roleAssignments.LastFailure;
                var fix = stale.Status == StatusCodes.Status403Forbidden
                    ? await ForbiddenFixAsync(stale.Message, listing.SubscriptionId, cancellationToken)
                    : failure?.Fix ?? "Wait for ARM to recover.";
                return new(id, title, stale.Status is 401 or 403 ? IdentityCheck.Fail : IdentityCheck.Warn,
                    $"ARM's last answer was {(stale.Status is { } http ? $"HTTP {http} " : "")}{stale.Code}: {stale.Message} A list from {listing.AgeSeconds:0} s ago is served.",
                    fix);
            }

            return listing.Items.Count == 0
                ? new(id, title, IdentityCheck.Warn, $"ARM answered, but the identity holds no role assignment in subscription {listing.SubscriptionId}.",
                    $"If it should act in Azure, grant it the narrowest role for that; to let RoleViewer list its assignments, {FailureTranslator.ReadAction} " +
                    $"suffices: the \"{FailureTranslator.ReaderRoleNameIn(listing.SubscriptionId)}\" custom role at /subscriptions/{listing.SubscriptionId}.")
                : new(id, title, IdentityCheck.Ok,
                    $"{listing.Items.Count} role assignment(s) listed in subscription {listing.SubscriptionId} ({string.Join(", ", listing.Items.Select(i => i.RoleName).Distinct())}).", null);
        }
        catch (UpstreamException e)
        {
            var status = e.Failure.Source == UpstreamSource.Arm ? IdentityCheck.Fail : IdentityCheck.Warn;
            var detail = e.Failure.Source == UpstreamSource.Arm
                ? $"ARM answered {e.Failure.Status} {e.Failure.Code}: {e.Failure.Message}"
                : $"Not reached: {e.Failure.Code} comes first.";
            var fix = e.Failure is { Source: UpstreamSource.Arm, Status: StatusCodes.Status403Forbidden }
                ? await ForbiddenFixAsync(e.Failure.Message, settings.SubscriptionId, cancellationToken)
                : e.Failure.Fix;
            return new(id, title, status, detail, fix);
        }
        catch (RefreshRateLimitedException)
        {
            return new(id, title, IdentityCheck.Warn, "Not checked: a listing is being rate-limited.", "Retry in a few seconds.");
        }
    }

    [GeneratedRegex(@"perform action '(?<action>[^']+)' over scope '(?<scope>[^']+)'")]
    private static partial Regex RefusedAction();

    /// <summary>ARM's 403 names the refused action and scope: the fix names the smallest built-in role that grants it.</summary>
    private async Task<string> ForbiddenFixAsync(string armMessage, string? subscriptionId, CancellationToken cancellationToken)
    {
        var principal = state.LastSuccess?.ObjectId ?? settings.PrincipalObjectIdOverride ?? "<principal object id>";
        var refused = RefusedAction().Match(armMessage);
        var action = refused.Success ? refused.Groups["action"].Value : "Microsoft.Authorization/roleAssignments/read";
        var scope = refused.Success ? ScopeOf(refused.Groups["scope"].Value) : $"/subscriptions/{subscriptionId}";
        var custom = $"add {action} to the actions of RoleViewer's custom role \"{FailureTranslator.ReaderRoleNameIn(subscriptionId)}\" (infra/main.bicep) and run azd provision";
        RoleDefinitionData? smallest = null;
        string? lookupFailed = null;
        try
        {
            smallest = await roles.SmallestGrantingAsync(action, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            lookupFailed = $" (The built-in roles could not be read to suggest one: {e.GetType().Name}.)";
        }

        return smallest is null
            ? $"The identity (object id {principal}) lacks the action {action} at {scope}. No built-in role was found that grants it{lookupFailed}: {custom}. " +
              "Access can take a few minutes to apply."
            : $"The identity (object id {principal}) lacks the action {action} at {scope}. The smallest built-in role that grants it is " +
              $"\"{smallest.Properties.RoleName}\": az role assignment create --assignee-object-id {principal} --assignee-principal-type ServicePrincipal " +
              $"--role \"{smallest.Properties.RoleName}\" --scope {scope}. Or {custom}. Access can take a few minutes to apply.";
    }

    /// <summary>ARM names the refused resource (e.g. …/roleAssignments/{id}); the assignment belongs at the scope that holds it.</summary>
    private static string ScopeOf(string refusedOn)
    {
        var at = refusedOn.IndexOf("/providers/Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase);
        return at > 0 ? refusedOn[..at] : refusedOn;
    }

    private static string Overall(List<IdentityCheck> checks) =>
        checks.Any(c => c.Status == IdentityCheck.Fail) ? IdentityCheck.Fail
        : checks.Any(c => c.Status == IdentityCheck.Warn) ? IdentityCheck.Warn
        : IdentityCheck.Ok;

    [LoggerMessage(Level = LogLevel.Error, Message = "The identity diagnosis failed")]
    private static partial void DoctorFailed(ILogger logger, Exception exception);
}
