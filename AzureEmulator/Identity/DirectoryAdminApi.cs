using AzureEmulator.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Identity;

/// <summary>Admin routes of the identity half: directory, groups, federated credentials, access tokens, token rotation.</summary>
public static class DirectoryAdminApi
{
    public static RouteGroupBuilder MapDirectoryAdmin(this RouteGroupBuilder admin)
    {
        admin.MapGet("/directory", (DirectoryStore directory, ClusterIssuer issuer) =>
            TypedResults.Ok(new DirectoryView(issuer.Issuer, issuer.Subject, directory.Snapshot())));
        admin.MapPut("/identities/{clientId}/federated-credentials/{name}", PutFederatedCredential);
        admin.MapDelete("/identities/{clientId}/federated-credentials/{name}", DeleteFederatedCredential);
        admin.MapPost("/identities/{clientId}/client-secrets", AddClientSecret);
        admin.MapDelete("/identities/{clientId}/client-secrets/{keyId:guid}", RemoveClientSecret);
        admin.MapPut("/groups/{objectId}", PutGroup);
        admin.MapDelete("/groups/{objectId}", DeleteGroup);
        admin.MapPost("/tokens", IssueToken);
        admin.MapPost("/service-account-token/rotate", RotateServiceAccountToken);
        return admin;
    }

    private static Results<Ok<FederatedCredential>, Created<FederatedCredential>, ProblemHttpResult> PutFederatedCredential(
        string clientId, string name, FederatedCredentialBody body, DirectoryStore directory)
    {
        var credential = new FederatedCredential
        {
            Name = name,
            Issuer = body.Issuer ?? "",
            Subject = body.Subject ?? "",
            Audiences = body.Audiences ?? [],
            Description = body.Description,
        };
        var change = directory.PutFederatedCredential(clientId, credential);
        return change.Outcome switch
        {
            FederatedCredentialOutcome.Created => TypedResults.Created($"/admin/identities/{clientId}/federated-credentials/{name}", credential),
            FederatedCredentialOutcome.Updated => TypedResults.Ok(credential),
            _ => Problem(change),
        };
    }

    private static Results<NoContent, ProblemHttpResult> DeleteFederatedCredential(string clientId, string name, DirectoryStore directory)
    {
        var change = directory.DeleteFederatedCredential(clientId, name);
        return change.Outcome == FederatedCredentialOutcome.Deleted ? TypedResults.NoContent() : Problem(change);
    }

    private static Results<Created<AddedClientSecret>, ProblemHttpResult> AddClientSecret(string clientId, ClientSecretBody body, DirectoryStore directory, TimeProvider time)
    {
        var change = directory.AddClientSecret(clientId, body.DisplayName, TimeSpan.FromDays(body.LifetimeDays ?? 180), time.GetUtcNow());
        return change.Outcome == ClientSecretOutcome.Added
            ? TypedResults.Created($"/admin/identities/{clientId}/client-secrets/{change.Secret!.KeyId}",
                new AddedClientSecret(change.Secret.KeyId, change.Secret.DisplayName, change.Secret.Hint, change.Text!, change.Secret.StartDateTime, change.Secret.EndDateTime))
            : Problem(change);
    }

    private static Results<NoContent, ProblemHttpResult> RemoveClientSecret(string clientId, Guid keyId, DirectoryStore directory)
    {
        var change = directory.RemoveClientSecret(clientId, keyId);
        return change.Outcome == ClientSecretOutcome.Removed ? TypedResults.NoContent() : Problem(change);
    }

    private static ProblemHttpResult Problem(ClientSecretChange change) => change.Outcome switch
    {
        ClientSecretOutcome.IdentityNotFound => TypedResults.Problem(title: "Unknown identity", detail: change.Error, statusCode: StatusCodes.Status404NotFound),
        ClientSecretOutcome.SecretNotFound => TypedResults.Problem(title: "Unknown client secret", detail: change.Error, statusCode: StatusCodes.Status404NotFound),
        ClientSecretOutcome.LimitReached => TypedResults.Problem(title: "Too many client secrets", detail: change.Error, statusCode: StatusCodes.Status409Conflict),
        _ => TypedResults.Problem(title: "Invalid client secret request", detail: change.Error, statusCode: StatusCodes.Status400BadRequest),
    };

    private static Results<Ok<DirectoryGroup>, Created<DirectoryGroup>, ProblemHttpResult> PutGroup(string objectId, GroupBody body, DirectoryStore directory)
    {
        var change = directory.PutGroup(objectId, body.DisplayName, body.Members);
        return change.Outcome switch
        {
            GroupOutcome.Created => TypedResults.Created($"/admin/groups/{change.Group!.ObjectId}", change.Group),
            GroupOutcome.Updated => TypedResults.Ok(change.Group!),
            _ => TypedResults.Problem(title: "Invalid group", detail: change.Error, statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static Results<NoContent, ProblemHttpResult> DeleteGroup(string objectId, DirectoryStore directory)
    {
        var change = directory.DeleteGroup(objectId);
        return change.Outcome == GroupOutcome.Deleted
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: "Unknown group", detail: change.Error, statusCode: StatusCodes.Status404NotFound);
    }

    private static Results<Ok<AdminTokenResponse>, ProblemHttpResult> IssueToken(
        AdminTokenRequest request, DirectoryStore directory, EntraSigningKeys keys, IOptions<EmulatorOptions> options)
    {
        var identity = string.IsNullOrEmpty(request.ClientId) ? null : directory.FindByClientId(request.ClientId);
        if (identity is null)
        {
            return TypedResults.Problem(
                title: "Unknown identity",
                detail: $"No identity with client id '{request.ClientId}' is in the emulator's directory; GET /admin/directory lists them.",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (request.Resource?.Length > FederatedCredentialRules.MaxFieldLength)
        {
            return TypedResults.Problem(title: "Invalid resource", detail: $"resource must be at most {FederatedCredentialRules.MaxFieldLength} characters.", statusCode: StatusCodes.Status400BadRequest);
        }

        var lifetime = request.LifetimeSeconds ?? options.Value.AccessTokenLifetimeSeconds;
        if (lifetime is < 1 or > 86_400)
        {
            return TypedResults.Problem(title: "Invalid lifetime", detail: "lifetimeSeconds must be between 1 and 86400.", statusCode: StatusCodes.Status400BadRequest);
        }

        var issued = keys.Issue(new AccessTokenRequest(identity, directory.TenantId, request.Resource ?? "https://management.azure.com/", TimeSpan.FromSeconds(lifetime)));
        return TypedResults.Ok(new AdminTokenResponse(issued.AccessToken, issued.ExpiresOn.ToUnixTimeSeconds()));
    }

    private static Results<Ok<RotationResponse>, ProblemHttpResult> RotateServiceAccountToken(ServiceAccountTokenProjector projector)
    {
        var token = projector.RotateNow();
        return token is null
            ? TypedResults.Problem(
                title: "No token file",
                detail: "The emulator writes no projected service-account token: set Emulator__ServiceAccountTokenFile (the AppHost does).",
                statusCode: StatusCodes.Status409Conflict)
            : TypedResults.Ok(new RotationResponse(projector.TokenFile!, token.IssuedAt, token.ExpiresOn));
    }

    private static ProblemHttpResult Problem(FederatedCredentialChange change) => change.Outcome switch
    {
        FederatedCredentialOutcome.IdentityNotFound => TypedResults.Problem(title: "Unknown identity", detail: change.Error, statusCode: StatusCodes.Status404NotFound),
        FederatedCredentialOutcome.CredentialNotFound => TypedResults.Problem(title: "Unknown federated credential", detail: change.Error, statusCode: StatusCodes.Status404NotFound),
        FederatedCredentialOutcome.Conflict => TypedResults.Problem(title: "Duplicate issuer and subject", detail: change.Error, statusCode: StatusCodes.Status409Conflict),
        FederatedCredentialOutcome.LimitReached => TypedResults.Problem(title: "Too many federated credentials", detail: change.Error, statusCode: StatusCodes.Status409Conflict),
        _ => TypedResults.Problem(title: "Invalid federated credential", detail: change.Error, statusCode: StatusCodes.Status400BadRequest),
    };
}

/// <summary>GET /admin/directory: the cluster issuer and subject the emulator mints, and the directory.</summary>
public sealed record DirectoryView(string ClusterIssuer, string ServiceAccountSubject, DirectoryState Directory);

public sealed record FederatedCredentialBody(string? Issuer, string? Subject, IReadOnlyList<string>? Audiences, string? Description);

/// <param name="LifetimeDays">Days until the secret expires; 180 (Entra's suggestion) when omitted.</param>
public sealed record ClientSecretBody(string? DisplayName, int? LifetimeDays);

/// <summary>The answer to adding a client secret: the only time its value (secretText) is shown.</summary>
public sealed record AddedClientSecret(Guid KeyId, string? DisplayName, string Hint, string SecretText, DateTimeOffset StartDateTime, DateTimeOffset EndDateTime);

public sealed record GroupBody(string? DisplayName, IReadOnlyList<string>? Members);

public sealed record AdminTokenRequest(string? ClientId, string? Resource, int? LifetimeSeconds);

public sealed record AdminTokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_on")] long ExpiresOn);

public sealed record RotationResponse(string TokenFile, DateTimeOffset IssuedAt, DateTimeOffset ExpiresOn);
