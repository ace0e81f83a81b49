using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace RoleViewer.Api.Arm;

/// <summary>
/// Azure.Core's retries, except that a Retry-After longer than <c>maxRetryAfter</c> ends the call instead of being
/// waited out: with a last good list at hand the Api serves it as stale at once, and sitting 30 s inside one refresh
/// would only keep the page stale for 30 s after ARM has recovered. The next refresh asks again after the cache TTL.
/// </summary>
public sealed class BriefRetryPolicy(int maxRetries, TimeSpan maxRetryAfter) : RetryPolicy(maxRetries)
{
    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        !AsksToWaitTooLong(message) && base.ShouldRetry(message, exception);

    protected override async ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        !AsksToWaitTooLong(message) && await base.ShouldRetryAsync(message, exception);

    private bool AsksToWaitTooLong(HttpMessage message)
    {
        if (!message.HasResponse || !message.Response.Headers.TryGetValue("Retry-After", out var value))
        {
            return false;
        }

        var wait = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow : TimeSpan.Zero;
        return wait > maxRetryAfter;
    }
}
