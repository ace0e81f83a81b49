using AzureEmulator.Hosting;
using AzureEmulator.State;
using Microsoft.Extensions.Options;

namespace AzureEmulator.Identity;

/// <summary>
/// Plays the kubelet's projected service-account volume: writes the token to Emulator:ServiceAccountTokenFile
/// (atomically, without a trailing newline) and rotates it once 80 % of its lifetime has passed.
/// </summary>
public sealed class ServiceAccountTokenProjector(
    ClusterIssuer issuer,
    IOptions<EmulatorOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ServiceAccountTokenProjector> logger) : BackgroundService
{
    private readonly SemaphoreSlim _rotateNow = new(0);
    private readonly Lock _gate = new();

    /// <summary>The token currently in the file; null before the first write or when no file is configured.</summary>
    public ServiceAccountToken? Current { get; private set; }

    public string? TokenFile => options.Value.ServiceAccountTokenFile;

    /// <summary>Writes a fresh token now (POST /admin/service-account-token/rotate); returns null when no file is configured.</summary>
    public ServiceAccountToken? RotateNow()
    {
        if (TokenFile is null)
        {
            return null;
        }

        var token = Write();
        _rotateNow.Release();
        return token;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (TokenFile is null)
        {
            IdentityLog.NoTokenFile(logger);
            return;
        }

        // The issuer URL contains the https port, known only once Kestrel listens.
        await WhenStartedAsync(stoppingToken);
        Write();
        while (!stoppingToken.IsCancellationRequested)
        {
            var current = Current!;
            var rotateAt = current.IssuedAt + ((current.ExpiresOn - current.IssuedAt) * 0.8);
            var wait = rotateAt - time.GetUtcNow();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            if (wait > TimeSpan.Zero)
            {
                timeout.CancelAfter(wait);
            }
            else
            {
                timeout.Cancel();
            }

            try
            {
                // Woken by RotateNow (already written) or by the 80 % mark (write now).
                await _rotateNow.WaitAsync(timeout.Token);
                continue;
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }

            Write();
        }
    }

    private ServiceAccountToken Write()
    {
        lock (_gate)
        {
            var token = issuer.MintServiceAccountToken();
            var path = Path.GetFullPath(TokenFile!);
            // Rename within the same folder is atomic: a reader sees the old token or the new one, never half of one.
            var temp = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
            PrivateFiles.WriteAllText(temp, token.Token);
            File.Move(temp, path, overwrite: true);
            Current = token;
            IdentityLog.TokenFileWritten(logger, issuer.Subject, path, token.ExpiresOn);
            return token;
        }
    }

    private Task WhenStartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _rotateNow.Dispose();
        base.Dispose();
    }
}
