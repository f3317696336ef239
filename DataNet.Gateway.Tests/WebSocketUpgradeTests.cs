using System.Net;

namespace DataNet.Gateway.Tests;

/// <summary>GET /ws: subprotocols <c>bearer</c> + a valid, unexpired JWT, else 401; then <c>connected</c> first.</summary>
[TestFixture]
public sealed class WebSocketUpgradeTests : GatewayTestBase
{
    [Test]
    public async Task ValidUpgradeSelectsBearerAndSendsConnectedFirst()
    {
        var (socket, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, Gateway.IssueToken("ak_test", "device-1"));
        using (socket)
        {
            Assert.That(socket.Socket.SubProtocol, Is.EqualTo("bearer"));
            Assert.That(connected, Does.Match("""^\{"type":"connected","connId":"conn_[0-9]+"\}$"""));
        }
    }

    [Test]
    public async Task EveryConnectionGetsItsOwnConnId()
    {
        var token = Gateway.IssueToken("ak_test");
        var (a, first) = await RawSocket.ConnectAsync(Gateway.WsUrl, token);
        var (b, second) = await RawSocket.ConnectAsync(Gateway.WsUrl, token);
        a.Dispose();
        b.Dispose();
        Assert.That(first, Is.Not.EqualTo(second));
    }

    [Test]
    public async Task NoSubprotocolsIs401() =>
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl), Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task BearerWithoutTokenIs401() =>
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer"), Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task TokenWithoutBearerIs401() =>
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, Gateway.IssueToken("ak_test")), Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task GarbageTokenIs401() =>
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", "not.a.jwt"), Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task ExpiredTokenIs401() =>
        Assert.That(
            await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", Gateway.IssueToken("ak_test", lifetime: TimeSpan.FromMinutes(-1))),
            Is.EqualTo(HttpStatusCode.Unauthorized));

    [Test]
    public async Task TokenPastItsExpIs401()
    {
        var token = await GetTokenAsync();
        Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", token), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AnOpenSocketOutlivesItsToken()
    {
        using var socket = await ConnectAsync();
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }

    [Test]
    public async Task PlainGetIsRefusedWith400()
    {
        using var response = await Http.GetAsync(new Uri(Gateway.ApiUrl, "/ws"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }
}
