using Azure;
using Azure.Core.Pipeline;
using RoleViewer.Api.Arm;

namespace RoleViewer.Api.Tests;

public sealed class RoleAssignmentsClientTests
{

    private sealed class Handler(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<HttpRequestMessage> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(respond(request, Requests.Count));
        }
    }

    private static ArmClient Client(Handler handler, FakeCredential? credential = null)
    {
        var options = new ArmClientOptions { Transport = new HttpClientTransport(new HttpClient(handler)) };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        return new ArmClient(new ArmEndpoint(new Uri("https://arm.test/"), "https://management.azure.com/"), credential ?? new FakeCredential(), options);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignmentsAsync_WhenArmReturnsNextLink_FollowsItToTheLastPage()
    {
        var handler = new Handler((request, n) => n == 1
            ? StubArm.Json(HttpStatusCode.OK, new
            {
                value = new[] { StubArm.Assignment(TestIds.CustomRoleId, $"/subscriptions/{TestIds.SubscriptionId}") },
                nextLink = $"https://arm.test/subscriptions/{TestIds.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01&$skipToken=page2",
            })
            : StubArm.Json(HttpStatusCode.OK, new { value = new[] { StubArm.Assignment(TestIds.ReaderRoleId, $"/subscriptions/{TestIds.SubscriptionId}") } }));
        var credential = new FakeCredential();

        var items = new List<RoleAssignmentData>();
        await foreach (var item in Client(handler, credential).GetRoleAssignmentsAsync($"/subscriptions/{TestIds.SubscriptionId}", $"assignedTo('{TestIds.ObjectId}')", TestContext.Current.CancellationToken))
        {
            items.Add(item);
        }

        Assert.Equal(2, items.Count);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains("$skipToken=page2", handler.Requests[1].RequestUri!.Query, StringComparison.Ordinal);
        Assert.Equal("Bearer", handler.Requests[0].Headers.Authorization?.Scheme);
        Assert.Equal(credential.Token, handler.Requests[0].Headers.Authorization?.Parameter);
        Assert.Equal($"/subscriptions/{TestIds.SubscriptionId}/providers/Microsoft.Authorization/roleAssignments", handler.Requests[0].RequestUri!.AbsolutePath);
        Assert.Equal("ServicePrincipal", items[0].Properties.PrincipalType);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("https://attacker.test/subscriptions/x/providers/Microsoft.Authorization/roleAssignments?$skipToken=2")]
    [InlineData("http://arm.test/subscriptions/x/providers/Microsoft.Authorization/roleAssignments?$skipToken=2")]
    [InlineData("https://arm.test:8443/subscriptions/x/providers/Microsoft.Authorization/roleAssignments?$skipToken=2")]
    [InlineData("https://arm.test.attacker.test/subscriptions/x?$skipToken=2")]
    [InlineData("https://user@arm.test/subscriptions/x?$skipToken=2")]
    public async Task GetRoleAssignmentsAsync_WhenNextLinkLeavesTheArmEndpoint_RefusesAndNeverSendsTheToken(string nextLink)
    {
        var handler = new Handler((_, _) => StubArm.Json(HttpStatusCode.OK, new
        {
            value = new[] { StubArm.Assignment(TestIds.CustomRoleId, $"/subscriptions/{TestIds.SubscriptionId}") },
            nextLink,
        }));

        var error = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (var _ in Client(handler).GetRoleAssignmentsAsync($"/subscriptions/{TestIds.SubscriptionId}", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal("UntrustedNextLink", error.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignmentsAsync_WhenArmReturns403_ThrowsRequestFailedExceptionWithArmCode()
    {
        var handler = new Handler((_, _) => StubArm.ArmError(HttpStatusCode.Forbidden, "AuthorizationFailed", "Not allowed."));

        var error = await Assert.ThrowsAsync<RequestFailedException>(async () =>
        {
            await foreach (var _ in Client(handler).GetRoleAssignmentsAsync($"/subscriptions/{TestIds.SubscriptionId}", cancellationToken: TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailed", error.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleAssignmentsAsync_WhenThrottledWithRetryAfter_RetriesAndSucceeds()
    {
        var handler = new Handler((_, n) =>
        {
            if (n == 1)
            {
                var throttled = StubArm.ArmError(HttpStatusCode.TooManyRequests, "SubscriptionRequestsThrottled", "Too many reads.");
                throttled.Headers.Add("Retry-After", "0");
                return throttled;
            }

            return StubArm.Json(HttpStatusCode.OK, new { value = Array.Empty<object>() });
        });

        var pages = new List<Page<RoleAssignmentData>>();
        await foreach (var page in Client(handler).GetRoleAssignmentsAsync($"/subscriptions/{TestIds.SubscriptionId}", cancellationToken: TestContext.Current.CancellationToken).AsPages())
        {
            pages.Add(page);
        }

        Assert.Single(pages);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetRoleDefinitionByIdAsync_ReturnsNameTypeAndDescription()
    {
        var id = $"/subscriptions/{TestIds.SubscriptionId}/providers/Microsoft.Authorization/roleDefinitions/{TestIds.ReaderRoleId}";
        var handler = new Handler((_, _) => StubArm.Json(HttpStatusCode.OK, new
        {
            id,
            name = TestIds.ReaderRoleId,
            properties = new { roleName = "Reader", type = "BuiltInRole", description = "View all resources." },
        }));

        var definition = await Client(handler).GetRoleDefinitionByIdAsync(id, TestContext.Current.CancellationToken);

        Assert.Equal("Reader", definition.Value.Properties.RoleName);
        Assert.Equal("BuiltInRole", definition.Value.Properties.Type);
        Assert.Equal(id, handler.Requests[0].RequestUri!.AbsolutePath);
    }
}
