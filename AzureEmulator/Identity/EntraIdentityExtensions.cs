namespace AzureEmulator.Identity;

/// <summary>The identity half: cluster OIDC issuer, projected service-account token, Entra token endpoint, directory.</summary>
public static class EntraIdentityExtensions
{
    public static IHostApplicationBuilder AddEntraIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ClusterIssuer>();
        builder.Services.AddSingleton<DirectoryStore>();
        builder.Services.AddSingleton<EntraSigningKeys>();
        builder.Services.AddSingleton<TokenExchange>();
        builder.Services.AddSingleton<ServiceAccountTokenProjector>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ServiceAccountTokenProjector>());
        return builder;
    }

    public static WebApplication MapEntraIdentity(this WebApplication app, RouteGroupBuilder admin)
    {
        // Load the directory now so a damaged state file stops start-up with its message, not the first request.
        app.Services.GetRequiredService<DirectoryStore>();
        app.Services.GetRequiredService<EntraSigningKeys>();

        app.MapClusterIssuer();
        app.MapEntraEndpoints();
        admin.MapDirectoryAdmin();
        return app;
    }
}
