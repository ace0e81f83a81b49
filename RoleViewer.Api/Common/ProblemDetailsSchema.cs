using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RoleViewer.Api.Common;

/// <summary>
/// Names in the OpenAPI document the ProblemDetails extensions this API writes, so that a client generated from it
/// (or checked against it) knows them: traceId on every problem, upstreamStatus and upstreamCode on the
/// role-assignments problems.
/// </summary>
internal sealed class ProblemDetailsSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonTypeInfo.Type == typeof(ProblemDetails))
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "The request's trace id, to find it in the logs and traces.",
            };
            schema.Properties["upstreamStatus"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer | JsonSchemaType.Null,
                Format = "int32",
                Description = "The HTTP status Entra or ARM answered with; null when none answered (configuration, network).",
            };
            schema.Properties["upstreamCode"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String | JsonSchemaType.Null,
                Description = "Entra's AADSTS code, ARM's error code or this API's own code (e.g. SubscriptionNotConfigured).",
            };
        }

        return Task.CompletedTask;
    }
}
