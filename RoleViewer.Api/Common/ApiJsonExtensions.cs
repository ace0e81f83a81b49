namespace RoleViewer.Api.Common;

public static class ApiJsonExtensions
{
    /// <summary>Minimal APIs look the generated contracts up first; anything else (ProblemDetails) keeps the defaults.</summary>
    public static IHostApplicationBuilder AddApiJson(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, ContractsJsonContext.Default));
        return builder;
    }
}
