using System.Collections.Generic;
using System.Net;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>GET /presence?channel=&amp;projectId= with a bearer JWT: occupancy and members, 401, 403.</summary>
[TestFixture]
public sealed class PresenceTests : GatewayTestBase
{
    private const string Channel = "project.local.room";

    protected override GatewayOptions Configure(GatewayOptions options) => options with
    {
        Config = new GatewayConfig
        {
            Keys = new Dictionary<string, ApiKeyConfig>
            {
                ["ak_nopresence"] = new() { Scopes = ["pub", "sub"] },
                ["ak_prefixed"] = new() { ChannelPrefixes = ["project.local.public."] },
            },
        },
    };

    [Test]
    public async Task ReturnsOccupancyAndMembersOfTheChannel()
    {
        using var one = await SubscribedAsync(Channel, "one");
        using var two = await SubscribedAsync(Channel, "two");
        using var elsewhere = await SubscribedAsync("project.local.other", "three");
        using var response = await GetPresenceAsync(Channel, await GetTokenAsync());
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"occupancy":2,"members":["one","two"]}"""));
    }

    [Test]
    public async Task AnEmptyChannelHasNoMembers()
    {
        using var response = await GetPresenceAsync(Channel, await GetTokenAsync());
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"occupancy":0,"members":[]}"""));
    }

    [Test]
    public async Task ProjectIdMayBeOmitted()
    {
        using var one = await SubscribedAsync(Channel, "one");
        using var response = await GetPresenceAsync(Channel, await GetTokenAsync(), projectId: null);
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"occupancy":1,"members":["one"]}"""));
    }

    [Test]
    public async Task MembersLeaveWhenTheirConnectionCloses()
    {
        using var one = await SubscribedAsync(Channel, "one");
        var two = await SubscribedAsync(Channel, "two");
        two.Dispose();
        var token = await GetTokenAsync();
        await Eventually.TrueAsync(async () =>
        {
            using var response = await GetPresenceAsync(Channel, token);
            return await response.Content.ReadAsStringAsync() == """{"occupancy":1,"members":["one"]}""";
        }, because: "the closed subscriber should leave the channel");
    }

    [Test]
    public async Task MissingTokenIs401() =>
        Assert.That((await GetPresenceAsync(Channel, token: null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task BadTokenIs401() =>
        Assert.That((await GetPresenceAsync(Channel, "not.a.jwt")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task ExpiredTokenIs401() =>
        Assert.That(
            (await GetPresenceAsync(Channel, Gateway.IssueToken("ak_test", lifetime: System.TimeSpan.FromSeconds(-1)))).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task WithoutThePresenceScopeIs403()
    {
        using var response = await GetPresenceAsync(Channel, await GetTokenAsync("ak_nopresence"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"code\":\"insufficient_scope\""));
    }

    [Test]
    public async Task AnotherProjectIs403() =>
        Assert.That((await GetPresenceAsync(Channel, await GetTokenAsync(), projectId: "someone-else")).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden));

    [Test]
    public async Task AChannelOutsideThePrefixesIs403() =>
        Assert.That((await GetPresenceAsync(Channel, await GetTokenAsync("ak_prefixed"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

    [Test]
    public async Task MissingChannelIs400() =>
        Assert.That((await GetPresenceAsync("", await GetTokenAsync())).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
}
