using Azure.Core;
using Azure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Identity.Client;
using RoleViewer.Api.Arm;
using RoleViewer.Api.Doctor;
using RoleViewer.Api.Identity;

namespace RoleViewer.Api.Tests;

public sealed class IdentityProbeTests : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly FakeCredential _credential = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ApiFactory _factory = new();
    private int _credentialsBuilt;

    public void Dispose() => _factory.Dispose();

    private IdentityProbe CreateProbe() => new(
        () =>
        {
            Interlocked.Increment(ref _credentialsBuilt);
            return _credential;
        },
        Options.Create(new IdentityOptions { ProbeInterval = Interval }),
        ArmEndpoint.From(new ArmOptions()),
        _time,
        NullLogger<IdentityProbe>.Instance);

    private static AuthenticationFailedException SubjectMismatch() => new("ClientAssertionCredential authentication failed",
        new MsalServiceException("invalid_client", "AADSTS700213: No matching federated identity record found for presented assertion subject."));

    private static JsonElement Check(JsonElement body, string id) =>
        body.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    [Fact(Timeout = 30_000)]
    public async Task Probe_WithinInterval_AnswersTheLastOutcomeAndExchangesAgainAfterIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var probe = CreateProbe();

        var first = await probe.GetAsync(force: false, ct);
        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        var cached = await probe.GetAsync(force: false, ct);
        _time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await probe.GetAsync(force: false, ct);

        Assert.Same(first, cached);
        Assert.NotSame(first, fresh);
        Assert.Equal(2, _credential.Calls);
        Assert.Equal(2, _credentialsBuilt);
    }

    [Fact(Timeout = 30_000)]
    public async Task Probe_WhenManyAskAtOnce_RunsOneExchangeForAll()
    {
        var ct = TestContext.Current.CancellationToken;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _credential.Gate = release.Task;
        var probe = CreateProbe();

        var waiting = Enumerable.Range(0, 20).Select(i => probe.GetAsync(force: i % 2 == 0, ct)).ToArray();
        release.SetResult();
        var outcomes = await Task.WhenAll(waiting);

        Assert.Equal(1, _credential.Calls);
        Assert.All(outcomes, o => Assert.Same(outcomes[0], o));
    }

    [Fact(Timeout = 30_000)]
    public async Task Probe_WhenForced_ExchangesNowButNotMoreThanOncePerFloor()
    {
        var ct = TestContext.Current.CancellationToken;
        var probe = CreateProbe();
        await probe.GetAsync(force: false, ct);

        await probe.GetAsync(force: true, ct);
        await probe.GetAsync(force: true, ct);
        var callsWithinFloor = _credential.Calls;
        _time.Advance(IdentityProbe.ForcedProbeFloor);
        await probe.GetAsync(force: true, ct);

        Assert.Equal(2, callsWithinFloor);
        Assert.Equal(3, _credential.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task Probe_WhenTheExchangeFails_ReturnsTheErrorInsteadOfThrowing()
    {
        _credential.Failure = SubjectMismatch();

        var outcome = await CreateProbe().GetAsync(force: false, TestContext.Current.CancellationToken);

        Assert.IsType<AuthenticationFailedException>(outcome.Error);
        Assert.Null(outcome.ExpiresOn);
    }

    [Fact(Timeout = 30_000)]
    public async Task Doctor_WhenFederationBreaksWhileTheTokenIsCached_FailsWithAadsts700213ThenRepairTurnsOk()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = _factory.CreateClient();
        await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);

        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        _factory.Credential.Failure = SubjectMismatch();
        var broken = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);
        _factory.Credential.Failure = null;
        _factory.Time.Advance(TimeSpan.FromSeconds(1));
        var stillReported = await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);
        var repaired = await api.GetFromJsonAsync<JsonElement>("/api/identity?probe=true", ct);

        var exchange = Check(broken, "tokenExchange");
        Assert.Equal("fail", exchange.GetProperty("status").GetString());
        Assert.StartsWith("AADSTS700213", exchange.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("the pod presented 'system:serviceaccount:roleviewer:roleviewer-api'", exchange.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Equal("AADSTS700213", broken.GetProperty("lastExchange").GetProperty("errorCode").GetString());
        Assert.Equal("fail", Check(stillReported, "tokenExchange").GetProperty("status").GetString());
        Assert.Equal("ok", Check(repaired, "tokenExchange").GetProperty("status").GetString());
        Assert.True(repaired.GetProperty("lastExchange").GetProperty("succeeded").GetBoolean());
    }

    [Fact(Timeout = 30_000)]
    public async Task RoleAssignments_NeverProbe_OnlyTheDoctorDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        var api = _factory.CreateClient();

        await api.GetFromJsonAsync<JsonElement>("/api/role-assignments", ct);
        await api.GetFromJsonAsync<JsonElement>("/api/role-assignments?refresh=true", ct);
        var probesAfterListings = _factory.Probes;
        await api.GetFromJsonAsync<JsonElement>("/api/identity", ct);

        Assert.Equal(0, probesAfterListings);
        Assert.Equal(1, _factory.Probes);
    }

    // Starts the feature's own registration on a bare host: through WebApplicationFactory the entry point's failed
    // Run disposes the host while the factory may still be starting it, and a busy machine then sees an
    // ObjectDisposedException instead of the validation failure.
    [Fact(Timeout = 30_000)]
    public async Task Start_WithProbeIntervalBelowFiveSeconds_FailsNamingTheOption()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Identity:ProbeInterval"] = "00:00:01";
        builder.AddDoctor();
        await using var app = builder.Build();

        var error = await Record.ExceptionAsync(() => app.StartAsync(TestContext.Current.CancellationToken));

        var invalid = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains("ProbeInterval", invalid.Message, StringComparison.Ordinal);
    }
}
