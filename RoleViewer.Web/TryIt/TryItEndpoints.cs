using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using RoleViewer.Web.ApiClients;
using RoleViewer.Web.Security;

namespace RoleViewer.Web.TryIt;

/// <summary>The Try-it panel's actions, against the local emulator only. Forms post here; live.js posts them with fetch
/// and shows the message, without JavaScript the browser is sent back to the page. Cross-site posts are refused from the
/// browser's Fetch Metadata instead of antiforgery tokens, so the page carries nothing per visitor and can be cached.</summary>
public static class TryItEndpoints
{
    private const string WrongSubject = "system:serviceaccount:roleviewer:not-the-trusted-account";

    public static IHostApplicationBuilder AddTryIt(this IHostApplicationBuilder builder)
    {
        var environment = builder.Environment;
        builder.Services.AddOptions<TryItOptions>().BindConfiguration(TryItOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TryItOptions>>(new TryItGate(environment));
        builder.Services.AddTransient<AdminKeyHandler>();
        builder.Services.AddHttpClient<EmulatorClient>((services, client) =>
            client.BaseAddress = services.GetRequiredService<IOptions<TryItOptions>>().Value.Endpoint)
            .AddHttpMessageHandler<AdminKeyHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapTryIt(this IEndpointRouteBuilder app)
    {
        // Not mapped at all outside local runs: there is nothing to try against real Azure.
        if (!app.ServiceProvider.GetRequiredService<IOptions<TryItOptions>>().Value.Enabled)
        {
            return app;
        }

        var tryIt = app.MapGroup("/try-it").WithTags("Try it").DisableAntiforgery().RefuseCrossSiteRequests();
        tryIt.MapPost("/role-assignments", ChangeRoleAssignment).WithName("TryItRoleAssignment");
        tryIt.MapPost("/federation", ChangeFederation).WithName("TryItFederation");
        tryIt.MapPost("/state/reset", ResetToSeed).WithName("TryItResetToSeed");
        return app;
    }

    private static async Task<Results<Ok<TryItOutcome>, RedirectHttpResult, ProblemHttpResult>> ChangeRoleAssignment(
        [FromForm] string action, [FromForm] string role, HttpContext context, IOptions<TryItOptions> options,
        RoleViewerApiClient api, EmulatorClient emulator, CancellationToken cancellationToken)
    {
        var roleId = BuiltInRoles.IdOf(role);
        if (roleId is null || action is not ("grant" or "grant-group" or "revoke"))
        {
            return Problem(400, "Unknown Try-it action", $"Choose grant, grant-group or revoke and one of: {string.Join(", ", BuiltInRoles.All.Select(r => r.Name))}.");
        }

        var (principalId, subscriptionId) = await ListedPrincipalAsync(api, cancellationToken);
        if (principalId is null || subscriptionId is null)
        {
            return Problem(409, "The app identity is not known yet",
                "The RoleViewer API did not report its principal object id and subscription; wait until the Identity section shows them and try again.");
        }

        try
        {
            if (action == "grant")
            {
                await emulator.GrantAsync(subscriptionId, principalId, roleId, cancellationToken);
                return Done(context, $"Granted {role} to the app identity at /subscriptions/{subscriptionId}. It appears in Role assignments, highlighted.");
            }

            var settings = options.Value;
            if (action == "grant-group")
            {
                await emulator.EnsureTryItGroupAsync(principalId, cancellationToken);
                await emulator.GrantAsync(subscriptionId, settings.TryItGroupObjectId, roleId, cancellationToken, principalType: "Group");
                return Done(context, $"Granted {role} to group {settings.TryItGroupName}, which the app identity belongs to. It appears in Role assignments, assigned via the group.");
            }

            var removed = await emulator.RevokeAsync(subscriptionId, [principalId, settings.TryItGroupObjectId], roleId, cancellationToken);
            return Done(context, removed == 0
                ? $"Neither the app identity nor group {settings.TryItGroupName} holds {role} at /subscriptions/{subscriptionId}; nothing to revoke."
                : $"Revoked {role} ({removed} assignment{(removed == 1 ? "" : "s")}) from the app identity and group {settings.TryItGroupName}.");
        }
        catch (Exception ex) when (ex is EmulatorException or HttpRequestException)
        {
            return EmulatorProblem(ex);
        }
    }

    private static async Task<Results<Ok<TryItOutcome>, RedirectHttpResult, ProblemHttpResult>> ChangeFederation(
        [FromForm] string action, HttpContext context, IOptions<TryItOptions> options,
        RoleViewerApiClient api, EmulatorClient emulator, CancellationToken cancellationToken)
    {
        if (action is not ("break" or "repair"))
        {
            return Problem(400, "Unknown Try-it action", "Choose break or repair.");
        }

        var identity = (await api.GetIdentityAsync(cancellationToken: cancellationToken)).Value;
        if (identity?.ClientId is not { } clientId)
        {
            return Problem(409, "The app identity is not known yet",
                "The RoleViewer API did not report its client id; wait until the Identity section shows it and try again.");
        }

        try
        {
            // "Right" is what the api pod actually presents (issuer and subject); breaking changes only the subject.
            // The issuer includes the emulator's port, so a stored credential must follow the pod, not an old value.
            var issuer = identity.ProjectedToken?.Issuer ?? (await emulator.FindFederatedCredentialAsync(clientId, cancellationToken))?.Issuer;
            var rightSubject = identity.ProjectedToken?.Subject ?? "system:serviceaccount:roleviewer:roleviewer-api";
            if (issuer is null)
            {
                return Problem(409, "The federation issuer is not known",
                    $"Neither the emulator's directory nor the API's projected token names the issuer of '{options.Value.FederatedCredentialName}'; check the emulator's seed.");
            }

            var subject = action == "break" ? WrongSubject : rightSubject;
            await emulator.SetFederatedSubjectAsync(clientId, issuer, subject, cancellationToken);

            // The Api's credential keeps its cached token for up to an hour; the probe makes its doctor exchange afresh
            // now, so the page shows the change at its next refresh. Its answer is not needed here: the page reads it.
            await api.GetIdentityAsync(probe: true, cancellationToken);
            return Done(context, action == "break"
                ? $"Federation broken: the credential now trusts {subject}, not the pod's service account. The next token exchange fails with AADSTS700213."
                : $"Federation repaired: the credential trusts {subject} again.");
        }
        catch (Exception ex) when (ex is EmulatorException or HttpRequestException)
        {
            return EmulatorProblem(ex);
        }
    }

    private static async Task<Results<Ok<TryItOutcome>, RedirectHttpResult, ProblemHttpResult>> ResetToSeed(
        [FromForm] string? confirm, HttpContext context, RoleViewerApiClient api, EmulatorClient emulator, CancellationToken cancellationToken)
    {
        // The reset drops every change made since the seed: only the confirmation form sends confirm=yes.
        if (confirm != "yes")
        {
            return Problem(400, "Reset not confirmed",
                "Open 'Reset to seed…' in the Try it panel and press 'Yes, reset to seed' (the form sends confirm=yes).");
        }

        try
        {
            var report = await emulator.ResetToSeedAsync(cancellationToken);
            // The federated credential may have changed back: as after a repair, the doctor exchanges afresh now.
            await api.GetIdentityAsync(probe: true, cancellationToken);
            return Done(context, report.DiffersFromSeed
                ? $"The emulator reset its state but still reports differences: {string.Join(" ", report.Differences.Select(d => d.Detail))}"
                : "Reset to seed: role assignments, groups and the federated credential are as seeded again. Watch the sections above follow.");
        }
        catch (Exception ex) when (ex is EmulatorException or HttpRequestException)
        {
            return EmulatorProblem(ex);
        }
    }

    /// <summary>
    /// The principal whose role assignments the page lists, and its subscription. The Api's listing knows them even
    /// while the doctor's last token exchange failed (after an Entra outage its report lacks the principal until its
    /// next probe), so Try-it keeps working whenever the page shows assignments.
    /// </summary>
    private static async Task<(string? PrincipalId, string? SubscriptionId)> ListedPrincipalAsync(RoleViewerApiClient api, CancellationToken cancellationToken)
    {
        if ((await api.GetRoleAssignmentsAsync(cancellationToken: cancellationToken)).Value is { } listing)
        {
            return (listing.Principal.ObjectId, listing.SubscriptionId);
        }

        var identity = (await api.GetIdentityAsync(cancellationToken: cancellationToken)).Value;
        return (identity?.PrincipalObjectId, identity?.SubscriptionId);
    }

    private static Results<Ok<TryItOutcome>, RedirectHttpResult, ProblemHttpResult> Done(HttpContext context, string message) =>
        context.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.Ok(new TryItOutcome(message))
            : TypedResults.Redirect("/#try-it");

    private static ProblemHttpResult EmulatorProblem(Exception ex) =>
        Problem(502, "The emulator did not accept the change",
            $"{ex.Message} Check that the emulator resource is running (Aspire dashboard) and that this process trusts its certificate " +
            "(its start-up log says which it serves and how to trust it).");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);
}

public sealed record TryItOutcome(string Message);
