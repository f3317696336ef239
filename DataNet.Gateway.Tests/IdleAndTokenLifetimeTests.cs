using System.Net;
using System.Net.WebSockets;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>Idle sockets are closed; token lifetimes come from the config file and hold to the millisecond.</summary>
[TestFixture]
public sealed class IdleAndTokenLifetimeTests : GatewayTestBase
{
    /// <inheritdoc/>
    protected override GatewayOptions Configure(GatewayOptions options) =>
        options with { Config = GatewayConfigLoader.Parse("""{ "tokenLifetimeSeconds": 1.5 }""") };

    [Test]
    public async Task ASocketSilentForTheIdleTimeoutIsClosedWith1001AndAHeartbeatKeepsItOpen()
    {
        using var beating = await ConnectAsync("beating");
        using var idle = await ConnectAsync("idle");
        Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That(await beating.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
        Clock.Advance(TimeSpan.FromSeconds(31));

        var close = await idle.ReceiveAsync();
        Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable), "91 s without a frame: closed");
        Assert.That(idle.Socket.CloseStatusDescription, Is.EqualTo("idle: nothing received for 90 s (send hb)"));
        Assert.That(await beating.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""),
            "31 s after its heartbeat the other socket is open");
        Assert.That(Gateway.Stats.IdleCloses, Is.EqualTo(1));
    }

    [Test]
    public async Task TheConfigFilesTokenLifetimeHoldsToTheMillisecond()
    {
        var token = await GetTokenAsync();
        var payload = Jwt.Payload(token);
        Assert.That(payload.GetProperty("expMs").GetInt64(), Is.EqualTo(Now + 1500));
        Assert.That(payload.GetProperty("exp").GetInt64(), Is.EqualTo((Now / 1000) + 2), "exp is whole seconds, rounded up");

        Clock.Advance(TimeSpan.FromMilliseconds(1499));
        var (socket, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, token);
        socket.Dispose();
        Assert.That(connected, Does.StartWith("{\"type\":\"connected\""), "valid 1 ms before it expires");

        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", token), Is.EqualTo(HttpStatusCode.Unauthorized),
            "expired at exactly 1.5 s");
    }

    [Test]
    public async Task ASubSecondLifetimeGivesAUsableToken()
    {
        var token = Gateway.IssueToken("ak_test", "device-1", TimeSpan.FromMilliseconds(300));
        Assert.That(Jwt.Payload(token).GetProperty("exp").GetInt64(), Is.EqualTo((Now / 1000) + 1));
        Clock.Advance(TimeSpan.FromMilliseconds(299));
        var (socket, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, token);
        socket.Dispose();
        Assert.That(connected, Does.StartWith("{\"type\":\"connected\""));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", token), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnOptionLifetimeWinsOverTheConfigFilesAndTheConfigValueIsBounded()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions
        {
            Port = 0,
            TimeProvider = Clock,
            TokenLifetime = TimeSpan.FromSeconds(30),
            Config = GatewayConfigLoader.Parse("""{ "tokenLifetimeSeconds": 1.5 }"""),
        });
        Assert.That(Jwt.Payload(gateway.IssueToken("ak_test")).GetProperty("expMs").GetInt64(), Is.EqualTo(Now + 30_000));
        var error = Assert.Throws<InvalidOperationException>(() => GatewayConfigLoader.Parse("""{ "tokenLifetimeSeconds": 0 }"""));
        Assert.That(error!.Message, Does.Contain("tokenLifetimeSeconds must be from 0.001"));
    }
}
