namespace RoleViewer.Web.Dashboard;

/// <summary>Plain-language explanations of the Entra and ARM error codes people meet with workload identity.</summary>
public static class KnownErrors
{
    private static readonly Dictionary<string, (string What, string Fix)> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AADSTS700213"] = (
            "Entra found no federated identity credential matching the token's subject: the pod's service account is not the one the managed identity trusts.",
            "Make the federated credential's subject equal the pod's service account (system:serviceaccount:<namespace>:<name>), e.g. `az identity federated-credential update --subject system:serviceaccount:roleviewer:roleviewer-api …`, or run the pod under the trusted service account."),
        ["AADSTS700211"] = (
            "Entra found no federated identity credential with the token's issuer: the cluster's OIDC issuer URL is not the one the managed identity trusts.",
            "Set the federated credential's issuer to the cluster's OIDC issuer URL (`az aks show --query oidcIssuerProfile.issuerUrl`)."),
        ["AADSTS700212"] = (
            "Entra found no federated identity credential with the token's audience.",
            "Use the audience api://AzureADTokenExchange on both the credential and the projected token."),
        ["AADSTS700024"] = (
            "The projected service-account token has expired.",
            "The kubelet rotates it; check the token file is mounted and that the pod's clock is right."),
        ["AADSTS70021"] = (
            "No matching federated identity record was found for the presented assertion.",
            "Compare the credential's issuer, subject and audience with the projected token's claims."),
        ["AuthorizationFailed"] = (
            "The identity signed in, but it may not read role assignments at this scope.",
            "Grant it the missing action Microsoft.Authorization/roleAssignments/read at the subscription, e.g. with RoleViewer's custom role \"RoleViewer Reader\" (it allows nothing more)."),
    };

    public static (string What, string Fix)? Explain(string? code) =>
        code is not null && Codes.TryGetValue(code, out var known) ? known : null;
}
