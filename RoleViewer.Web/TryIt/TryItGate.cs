using Microsoft.Extensions.Options;

namespace RoleViewer.Web.TryIt;

/// <summary>Stops the web at start-up when Try-it is configured where it must not run (see <see cref="EmulatorOptions.Refusal"/>).</summary>
public sealed class TryItGate(IHostEnvironment environment) : IValidateOptions<EmulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, EmulatorOptions options) =>
        options.Refusal(environment) is { } refusal ? ValidateOptionsResult.Fail(refusal) : ValidateOptionsResult.Success;
}

/// <summary>Sends the emulator's admin key with admin calls only: ARM calls carry the operator's token, never the key.</summary>
public sealed class AdminKeyHandler(IOptions<EmulatorOptions> options) : DelegatingHandler
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
