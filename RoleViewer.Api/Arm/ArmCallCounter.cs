using Azure.Core;
using Azure.Core.Pipeline;
using RoleViewer.Api.Common;

namespace RoleViewer.Api.Arm;

/// <summary>
/// Counts ARM operations (roleviewer.arm.calls, by operation) in the client's pipeline, so no caller can forget to.
/// Placed per call, before the retry policy: retries are not counted, and neither are the follow-up pages of a
/// listing, which <see cref="ArmClient"/> sends without an operation name.
/// </summary>
public sealed class ArmCallCounter(ApiTelemetry telemetry) : HttpPipelineSynchronousPolicy
{
    /// <summary>The <see cref="HttpMessage"/> property holding the operation's name, e.g. "roleAssignments.list".</summary>
    public const string OperationProperty = "roleviewer.arm.operation";

    public override void OnSendingRequest(HttpMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.TryGetProperty(OperationProperty, out var operation) && operation is string name)
        {
            telemetry.ArmCall(name);
        }
    }
}
