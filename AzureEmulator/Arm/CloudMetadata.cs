using System.Text.Json.Nodes;
using AzureEmulator.Hosting;

namespace AzureEmulator.Arm;

/// <summary>
/// GET /metadata/endpoints: ARM's description of its cloud, anonymous as in Azure. It describes the emulator as a
/// custom cloud — its own origin as login endpoint and resource manager, ARM's audiences — so that tools that
/// discover a cloud from an ARM endpoint (az cloud register --endpoint-resource-manager, SDK environment discovery)
/// find it. 2015-01-01 answers the old single-object form, later versions an array of clouds.
/// </summary>
public static class CloudMetadata
{
    public const string CloudName = "RoleViewerEmulator";

    public static readonly ArmResourceType Endpoints = new(null, "metadata", ["2015-01-01", "2019-05-01", "2020-06-01", "2022-09-01"]);

    /// <summary>The audiences of ARM tokens, as Azure's public cloud lists them; the emulator's ARM accepts exactly these.</summary>
    private static readonly string[] Audiences = ["https://management.core.windows.net/", "https://management.azure.com/"];

    public static Task<ArmOutcome> GetAsync(ArmRequest request)
    {
        var origin = request.Http.RequestServices.GetRequiredService<EmulatorOrigin>().ToString();
        JsonNode body = request.ApiVersion == "2015-01-01"
            ? new JsonObject
            {
                ["galleryEndpoint"] = $"{origin}/",
                ["graphEndpoint"] = "https://graph.windows.net/",
                ["portalEndpoint"] = $"{origin}/",
                ["authentication"] = new JsonObject
                {
                    ["loginEndpoint"] = $"{origin}/",
                    ["audiences"] = new JsonArray([.. Audiences.Select(a => JsonValue.Create(a))]),
                },
            }
            : new JsonArray(new JsonObject
            {
                ["portal"] = origin,
                ["authentication"] = new JsonObject
                {
                    ["loginEndpoint"] = origin,
                    ["audiences"] = new JsonArray([.. Audiences.Select(a => JsonValue.Create(a))]),
                    ["tenant"] = "common",
                    ["identityProvider"] = "AAD",
                },
                ["graphAudience"] = "https://graph.windows.net/",
                ["graph"] = "https://graph.windows.net/",
                ["name"] = CloudName,
                ["suffixes"] = new JsonObject
                {
                    ["acrLoginServer"] = "azurecr.io",
                    ["keyVaultDns"] = "vault.azure.net",
                    ["storage"] = "core.windows.net",
                    ["sqlServerHostname"] = "database.windows.net",
                },
                ["resourceManager"] = $"{origin}/",
                ["microsoftGraphResourceId"] = "https://graph.microsoft.com/",
                ["logAnalyticsResourceId"] = "https://api.loganalytics.io",
            });
        return Task.FromResult(ArmOutcome.Ok(TypedResults.Json(body, request.Arm.Json)));
    }
}
