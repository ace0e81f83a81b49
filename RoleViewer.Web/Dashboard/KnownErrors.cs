namespace RoleViewer.Web.Dashboard;

/// <summary>Plain-language explanations of the Entra and ARM error codes people meet with workload identity.</summary>
public static class KnownErrors
{
    private static readonly Dictionary<string, (string What, string Fix)> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["AADSTS700213"] = (
            "Entra found no federated identity credential matching the token's subject: the pod's service account is not the one the managed identity trusts.",
            "Make the identity trust the subject this pod presents: add a federated credential for it (or run the pod under the trusted service account)."),
        ["AADSTS700211"] = (
            "Entra found no federated identity credential with the token's issuer: the cluster's OIDC issuer URL is not the one the managed identity trusts.",
            "Add a federated credential with the issuer this pod presents (the cluster's OIDC issuer, trailing slash included)."),
        ["AADSTS700212"] = (
            "Entra found no federated identity credential with the token's audience.",
            "Use the audience api://AzureADTokenExchange on both the federated credential and the projected token."),
        ["AADSTS700024"] = (
            "The projected service-account token has expired.",
            "The kubelet rotates it: check that the token file is mounted and keeps changing, and that the node's clock is right."),
        ["AADSTS70021"] = (
            "No federated identity credential matches the presented issuer, subject and audience together.",
            "Add a federated credential with exactly the issuer, subject and audience this pod presents."),
        ["AuthorizationFailed"] = (
            "The identity signed in, but it may not read role assignments at this scope.",
            "Grant it the missing action Microsoft.Authorization/roleAssignments/read at the subscription, e.g. with RoleViewer's custom role \"RoleViewer Reader\" (it allows nothing more)."),
    };

    public static (string What, string Fix)? Explain(string? code) =>
        code is not null && Codes.TryGetValue(code, out var known) ? known : null;
}
