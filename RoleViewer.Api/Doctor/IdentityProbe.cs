using Azure.Core;
using Microsoft.Extensions.Options;
using RoleViewer.Api.Arm;

namespace RoleViewer.Api.Doctor;

/// <summary>The outcome of one token exchange, without the token.</summary>
public sealed record ExchangeOutcome(DateTimeOffset At, Exception? Error, DateTimeOffset? ExpiresOn);

/// <summary>
/// Verifies the federation now: the process's credential answers from its token cache for up to an hour, so a
/// federated credential changed in Entra shows only when that token is renewed. The probe exchanges the projected
/// token with a new credential (empty cache) instead, and drops the access token: it is never used for ARM nor shown.
/// At most one probe per <see cref="IdentityOptions.ProbeInterval"/>, one at a time however many callers wait;
/// it never throws.
/// </summary>
public sealed partial class IdentityProbe(
    [FromKeyedServices(IdentityProbe.CredentialFactoryKey)] Func<TokenCredential> createCredential,
    IOptions<IdentityOptions> options,
    ArmEndpoint arm,
    TimeProvider time,
    ILogger<IdentityProbe> logger)
{
    /// <summary>Key of the factory that builds each probe's credential; tests replace it with a fake.</summary>
    public const string CredentialFactoryKey = "identity-probe";

    /// <summary>The least time between two forced probes (?probe=true), whatever the interval.</summary>
    public static readonly TimeSpan ForcedProbeFloor = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private Task<ExchangeOutcome>? _running;
    private volatile ExchangeOutcome? _last;
    private DateTimeOffset _lastForced = DateTimeOffset.MinValue;

    /// <summary>The latest probe's outcome; null before the first.</summary>
    public ExchangeOutcome? Last => _last;

    /// <summary>
    /// The probe's outcome, fresh when the last one is older than the interval, or when <paramref name="force"/> is
    /// set and no forced probe ran within <see cref="ForcedProbeFloor"/> (then the cached outcome is the answer).
    /// </summary>
    public Task<ExchangeOutcome> GetAsync(bool force, CancellationToken cancellationToken)
    {
        Task<ExchangeOutcome> probe;
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_running is { IsCompleted: false } running)
            {
                probe = running;
            }
            else if (force && now - _lastForced >= ForcedProbeFloor)
            {
                _lastForced = now;
                probe = _running = ProbeAsync();
            }
            else if (_last is { } last && now - last.At < options.Value.ProbeInterval)
            {
                return Task.FromResult(last);
            }
            else
            {
                probe = _running = ProbeAsync();
            }
        }

        // The probe is shared: a caller that gives up must not cancel it for the others.
        return probe.WaitAsync(cancellationToken);
    }

    private async Task<ExchangeOutcome> ProbeAsync()
    {
        // Leave the lock before the exchange starts.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(ProbeTimeout, time);
        try
        {
            var token = await createCredential().GetTokenAsync(new TokenRequestContext([arm.DefaultScope]), timeout.Token);
            return _last = new ExchangeOutcome(time.GetUtcNow(), null, token.ExpiresOn);
        }
        catch (Exception e)
        {
            // Whatever failed is the answer: the doctor translates it.
            ProbeFailed(logger, e.GetType().Name, e.Message);
            return _last = new ExchangeOutcome(time.GetUtcNow(), e, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity probe's token exchange failed: {ErrorType}: {ErrorMessage}")]
    private static partial void ProbeFailed(ILogger logger, string errorType, string errorMessage);
}
