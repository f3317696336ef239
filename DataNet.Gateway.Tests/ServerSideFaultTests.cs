using System.Linq;
using System.Net;
using System.Net.WebSockets;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>
/// Faults a real server can throw at a client after the handshake: any <c>rate_limited</c>, a device cap, dead
/// tokens, and faults aimed at some connections only; plus timestamped recordings.
/// </summary>
[TestFixture]
public sealed class ServerSideFaultTests : GatewayTestBase
{
    /// <inheritdoc/>
    protected override GatewayOptions Configure(GatewayOptions options) => options with { RecordClientFrames = true };

    [Test]
    public async Task RateLimitedCarriesExactlyTheFieldsGiven()
    {
        using var socket = await ConnectAsync();
        Assert.That(await Gateway.Faults.SendRateLimitedAsync(retryMs: 45_000, scope: "project", channel: "project.local.x"), Is.EqualTo(1));
        Assert.That(await socket.ReceiveTextAsync(),
            Is.EqualTo("""{"type":"error","error":"rate_limited","channel":"project.local.x","retry_ms":45000,"scope":"project"}"""));
        await Gateway.Faults.SendRateLimitedAsync();
        Assert.That(await socket.ReceiveTextAsync(), Is.EqualTo("""{"type":"error","error":"rate_limited"}"""), "none: no retry_ms, no scope");
        await Gateway.Faults.SendRateLimitedAsync(retryMs: 0, scope: "topic");
        Assert.That(await socket.ReceiveTextAsync(), Is.EqualTo("""{"type":"error","error":"rate_limited","retry_ms":0,"scope":"topic"}"""));
    }

    [Test]
    public async Task DeviceLimitReachedAfterTheHandshakeIsSentThenTheSocketClosesWith1008()
    {
        using var target = await ConnectAsync("target");
        using var other = await ConnectAsync("other");
        Assert.That(await Gateway.Faults.SendDeviceLimitReachedAsync(3, new ConnectionSelector { DeviceId = "target" }), Is.EqualTo(1));
        Assert.That(await target.ReceiveTextAsync(), Is.EqualTo("""{"type":"error","error":"device_limit_reached","limit":3}"""));
        Assert.That((await target.ReceiveAsync()).CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(await other.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "only the selected device");
    }

    [Test]
    public async Task ExpiredTokensAreRefusedAtTheUpgradeWhileOpenSocketsStay()
    {
        var old = await GetTokenAsync(deviceId: "device-1");
        var (open, _) = await RawSocket.ConnectAsync(Gateway.WsUrl, old);
        using (open)
        {
            Gateway.Faults.ExpireTokens();
            Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", old), Is.EqualTo(HttpStatusCode.Unauthorized));
            using var presence = await GetPresenceAsync("project.local.x", old);
            Assert.That(presence.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await open.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "an open socket outlives its token");

            // Same frozen millisecond: issue order, not the clock, separates old tokens from new ones.
            var (fresh, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, await GetTokenAsync(deviceId: "device-1"));
            fresh.Dispose();
            Assert.That(connected, Does.StartWith("{\"type\":\"connected\""));
        }
    }

    [Test]
    public async Task RevokedTokensCloseTheirSocketsWith1008()
    {
        using var old = await ConnectAsync("old");
        Assert.That(Gateway.Faults.RevokeTokens(), Is.EqualTo(1));
        Assert.That((await old.ReceiveAsync()).CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        Assert.That(old.Socket.CloseStatusDescription, Is.EqualTo("token revoked"));
        using var fresh = await ConnectAsync("old");
        Assert.That(await fresh.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }

    [Test]
    public async Task FaultsAimedAtSomeConnectionsLeaveTheOthersAlone()
    {
        var (one, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, Gateway.IssueToken("ak_test", "one"));
        using var two = await ConnectAsync("two");
        using (one)
        {
            var connId = System.Text.Json.JsonDocument.Parse(connected).RootElement.GetProperty("connId").GetString()!;
            Assert.That(await Gateway.Faults.InjectTextFrameAsync("for two", new ConnectionSelector { DeviceId = "two" }), Is.EqualTo(1));
            Assert.That(await two.ReceiveTextAsync(), Is.EqualTo("for two"));
            Assert.That(Gateway.Faults.DropConnections(new ConnectionSelector { ConnIds = [connId] }), Is.EqualTo(1));
            Assert.ThrowsAsync<WebSocketException>(async () => await one.ReceiveAsync());
            Assert.That(await two.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""),
                "the other connection got neither the frame nor the drop");
        }
    }

    [Test]
    public async Task RecordedFramesCarryTheTimeTheGatewayReadThem()
    {
        using var socket = await ConnectAsync();
        await socket.RequestAsync("""{"op":"hb"}""");
        Clock.Advance(TimeSpan.FromMilliseconds(1234));
        await socket.RequestAsync("""{"op":"hb"}""");
        var times = Gateway.ClientFrames.Select(f => f.ReceivedAt.ToUnixTimeMilliseconds()).ToArray();
        Assert.That(times, Is.EqualTo(new[] { VirtualTime.ProtocolExample.ToUnixTimeMilliseconds(), VirtualTime.ProtocolExample.ToUnixTimeMilliseconds() + 1234 }));
    }

    [Test]
    public async Task FaultControlsAreNotServedOverHttpUnlessEnabled()
    {
        using var response = await Http.GetAsync(new Uri(Gateway.ApiUrl, "/faults"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void FaultControlsOverHttpRefuseANonLoopbackBind()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await LocalGateway.StartAsync(new GatewayOptions { Port = 0, BindAddress = "0.0.0.0", FaultControlsOverHttp = true }));
        Assert.That(error!.Message, Does.Contain("loopback bind only"));
    }
}
