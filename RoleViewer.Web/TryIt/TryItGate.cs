using Microsoft.Extensions.Options;

namespace RoleViewer.Web.TryIt;

/// <summary>Stops the web at start-up when Try-it is configured where it must not run (see <see cref="TryItOptions.Refusal"/>).</summary>
public sealed class TryItGate(IHostEnvironment environment) : IValidateOptions<TryItOptions>
{
    public ValidateOptionsResult Validate(string? name, TryItOptions options) =>
        options.Refusal(environment) is { } refusal ? ValidateOptionsResult.Fail(refusal) : ValidateOptionsResult.Success;
}

/// <summary>Sends the emulator's admin key with admin calls only: ARM calls carry the operator's token, never the key.</summary>
public sealed class AdminKeyHandler(IOptions<TryItOptions> options) : DelegatingHandler
{
    public const string HeaderName = "Emulator-Admin-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.AbsolutePath.StartsWith("/admin/", StringComparison.Ordinal) == true && options.Value.AdminKey is { } key)
        {
            request.Headers.Add(HeaderName, key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
