using System.Diagnostics;
using Microsoft.Extensions.Options;
using RoleViewer.Api.Arm;
using RoleViewer.Api.Common;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.RoleAssignments;

/// <summary>Thrown when ?refresh=true comes sooner than <see cref="RoleAssignmentsOptions.RefreshRateLimit"/> allows.</summary>
public sealed class RefreshRateLimitedException(TimeSpan retryAfter)
    : Exception($"A forced refresh ran less than a rate-limit period ago; retry after {retryAfter.TotalSeconds:0.#} s.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The principal's role assignments, cached for a short TTL. However many requests arrive, one listing runs at a
/// time (the others join it), and when ARM fails, throttles or is slow the last good list is served as stale.
/// </summary>
public sealed partial class RoleAssignmentsService(
    ArmClient client,
    RoleDefinitionCache definitions,
    PrincipalResolver principals,
    WorkloadIdentitySettings settings,
    FailureContextFactory failures,
    IOptions<RoleAssignmentsOptions> options,
    TimeProvider time,
    ApiTelemetry telemetry,
    ILogger<RoleAssignmentsService> logger)
{
    public const string RefreshPendingCode = "RefreshPending";

    private readonly Lock _gate = new();
    private volatile Listing? _lastGood;
    private Task<Listing>? _refresh;
    private DateTimeOffset _lastForcedRefresh = DateTimeOffset.MinValue;
    private DateTimeOffset _lastFailureAt = DateTimeOffset.MinValue;

    /// <summary>One listing: the assignments, and the definitions of their roles by id (null: ARM no longer knows it).</summary>
    public sealed record Listing(
        PrincipalInfo Principal,
        string SubscriptionId,
        IReadOnlyList<RoleAssignmentDto> Items,
        DateTimeOffset FetchedAt,
        IReadOnlyDictionary<string, RoleDefinitionData?> Roles);

    /// <summary>The listing to answer from, and why it is stale when it is (null when fresh).</summary>
    public sealed record CurrentListing(Listing Listing, UpstreamErrorDto? StaleBecause);

    /// <summary>The outcome of the latest listing: null after a success, else what went wrong (for the doctor).</summary>
    public UpstreamFailure? LastFailure { get; private set; }

    public Listing? LastGood => _lastGood;

    public async Task<RoleAssignmentsResponse> GetAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var current = await GetListingAsync(forceRefresh, cancellationToken);
        return ToResponse(current.Listing, time.GetUtcNow(), current.StaleBecause);
    }

    /// <summary>The cached listing (or a fresh one when the cache expired), with the same staleness rules as <see cref="GetAsync"/>.</summary>
    public async Task<CurrentListing> GetListingAsync(bool forceRefresh, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var last = _lastGood;
        if (!forceRefresh && last is not null && now - last.FetchedAt < options.Value.CacheTtl)
        {
            telemetry.CacheHit();
            return new(last, null);
        }

        telemetry.CacheMiss();
        if (!forceRefresh && LastFailure is { } recent && now - _lastFailureAt < options.Value.FailureBackoff)
        {
            // ARM just failed: answer from that failure instead of hammering a throttled or broken upstream.
            if (last is null)
            {
                throw new UpstreamException(recent, null);
            }

            telemetry.StaleServe(recent.Code);
            return new(last, new UpstreamErrorDto(recent.Status, recent.Code, recent.Message));
        }

        var refresh = StartOrJoinRefresh(forceRefresh, now);
        try
        {
            if (last is null || refresh.IsCompleted)
            {
                return new(await refresh.WaitAsync(cancellationToken), null);
            }

            // A last good list exists: don't hold the caller for ARM's retries or a hung connection.
            var finished = await Task.WhenAny(refresh, Task.Delay(options.Value.StaleAfter, time, cancellationToken));
            if (finished == refresh)
            {
                return new(await refresh, null);
            }

            cancellationToken.ThrowIfCancellationRequested();
            // If the previous refresh failed, that failure is why the list is stale (this refresh is ARM's next try);
            // "not answered yet" would hide a persistent 500 behind the retries.
            var pending = LastFailure is { } previous
                ? new UpstreamErrorDto(previous.Status, previous.Code, previous.Message)
                : new UpstreamErrorDto(null, RefreshPendingCode,
                    $"ARM has not answered within {options.Value.StaleAfter.TotalSeconds:0.#} s; the refresh continues and this is the last good list.");
            telemetry.StaleServe(pending.Code);
            return new(last, pending);
        }
        catch (UpstreamException e) when (last is not null)
        {
            telemetry.StaleServe(e.Failure.Code);
            return new(last, new UpstreamErrorDto(e.Failure.Status, e.Failure.Code, e.Failure.Message));
        }
    }

    private Task<Listing> StartOrJoinRefresh(bool forced, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (_refresh is { IsCompleted: false } running)
            {
                return running;
            }

            if (forced)
            {
                var wait = _lastForcedRefresh + options.Value.RefreshRateLimit - now;
                if (wait > TimeSpan.Zero)
                {
                    throw new RefreshRateLimitedException(wait);
                }

                _lastForcedRefresh = now;
            }
            else if (_lastGood is { } last && now - last.FetchedAt < options.Value.CacheTtl)
            {
                // Another request refreshed between our cache check and the lock.
                return Task.FromResult(last);
            }

            _refresh = RefreshAsync();
            return _refresh;
        }
    }

    private async Task<Listing> RefreshAsync()
    {
        await Task.Yield();
        // Runs in the first caller's execution context: the token exchange and ARM spans nest under its request.
        using var activity = ApiTelemetry.Source.StartActivity("RoleAssignments.Refresh");
        try
        {
            var listing = await ListAsync();
            activity?.SetTag("roleviewer.role_assignments.count", listing.Items.Count);
            LastFailure = null;
            _lastGood = listing;
            return listing;
        }
        catch (Exception e)
        {
            var failure = failures.Translate(e);
            activity?.SetStatus(ActivityStatusCode.Error, failure.Code);
            RefreshFailed(logger, failure.Code, failure.Message, e);
            LastFailure = failure;
            _lastFailureAt = time.GetUtcNow();
            throw new UpstreamException(failure, e);
        }
    }

    private async Task<Listing> ListAsync()
    {
        var subscription = settings.SubscriptionId;
        if (!Guid.TryParse(subscription, out _))
        {
            throw new UpstreamException(new UpstreamFailure(UpstreamSource.Configuration, null, UpstreamCodes.SubscriptionMissing,
                subscription is null ? "AZURE_SUBSCRIPTION_ID is not set." : $"AZURE_SUBSCRIPTION_ID '{subscription}' is not a subscription id (a GUID).",
                "Set AZURE_SUBSCRIPTION_ID to the id of the subscription whose role assignments this workload should list."), null);
        }

        var principal = await principals.GetAsync(CancellationToken.None);
        if (!Guid.TryParse(principal.ObjectId, out var objectId))
        {
            throw new UpstreamException(new UpstreamFailure(UpstreamSource.Configuration, null, "InvalidPrincipalObjectId",
                $"The principal object id '{principal.ObjectId}' is not a GUID.",
                $"Unset {WorkloadIdentitySettings.PrincipalObjectIdVariable} or set it to the service principal's object id."), null);
        }

        var assignments = new List<RoleAssignmentData>();
        await foreach (var assignment in client.GetRoleAssignmentsAsync($"/subscriptions/{subscription}", $"assignedTo('{objectId:D}')"))
        {
            assignments.Add(assignment);
        }

        var roles = await definitions.ResolveAsync(assignments.Select(a => a.Properties.RoleDefinitionId), CancellationToken.None);
        var items = assignments.Select(a => ToDto(a, roles[a.Properties.RoleDefinitionId])).ToList();
        return new Listing(principal, subscription!, items, time.GetUtcNow(), roles);
    }

    private static RoleAssignmentDto ToDto(RoleAssignmentData a, RoleDefinitionData? role)
    {
        var p = a.Properties;
        var scope = ScopeInfo.Parse(p.Scope);
        var roleGuid = p.RoleDefinitionId[(p.RoleDefinitionId.LastIndexOf('/') + 1)..];
        return new RoleAssignmentDto(
            a.Id, a.Name, p.RoleDefinitionId,
            role?.Properties.RoleName ?? $"Unknown role {roleGuid}",
            role?.Properties.Type,
            role?.Properties.Description ?? (role is null ? "ARM no longer knows this role definition; it may have been deleted." : null),
            p.Scope, scope.Kind, scope.SubscriptionId, scope.ResourceGroup, scope.ResourceType, scope.ResourceName,
            p.PrincipalId, p.PrincipalType, p.Condition, p.CreatedOn);
    }

    private static RoleAssignmentsResponse ToResponse(Listing listing, DateTimeOffset now, UpstreamErrorDto? error) =>
        new(new PrincipalDto(listing.Principal.ObjectId, listing.Principal.ClientId, listing.Principal.TenantId),
            listing.SubscriptionId,
            listing.Items,
            listing.FetchedAt,
            Stale: error is not null,
            AgeSeconds: Math.Max(0, Math.Round((now - listing.FetchedAt).TotalSeconds, 3)),
            error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing role assignments failed with {Code}: {Detail}")]
    private static partial void RefreshFailed(ILogger logger, string code, string detail, Exception exception);
}
