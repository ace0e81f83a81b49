using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoleViewer.Web.ApiClients;

/// <summary>The Api's answers read by generated code: no reflection, no warm-up, fewer allocations per load.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RoleAssignmentsResponse))]
[JsonSerializable(typeof(IdentityReport))]
[JsonSerializable(typeof(PodFacts))]
[JsonSerializable(typeof(EffectivePermissionsResponse))]
[JsonSerializable(typeof(PermissionCheckResponse))]
[JsonSerializable(typeof(ApiProblem))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
