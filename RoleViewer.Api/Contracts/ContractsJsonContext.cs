using System.Text.Json;
using System.Text.Json.Serialization;

namespace RoleViewer.Contracts;

/// <summary>
/// The contracts serialized by generated code: no reflection, no warm-up, fewer allocations. Compiled into the Api
/// (which writes them) and the Web (which reads them, ApiProblem included), so both agree on one list and one policy.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RoleAssignmentsResponse))]
[JsonSerializable(typeof(IdentityReport))]
[JsonSerializable(typeof(PodFacts))]
[JsonSerializable(typeof(EffectivePermissionsResponse))]
[JsonSerializable(typeof(PermissionCheckResponse))]
[JsonSerializable(typeof(ApiProblem))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
