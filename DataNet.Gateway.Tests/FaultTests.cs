using System.Net.WebSockets;

namespace DataNet.Gateway.Tests;

/// <summary>Fault switches: drop without close, dead links, injected raw frames (auth faults: <see cref="AuthTokenTests"/>).</summary>
[TestFixture]
public sealed class FaultTests : GatewayTestBase
{
    [Test]
    public async Task DropAllConnectionsEndsSocketsWithoutACloseFrame()
    {
        using var one = await ConnectAsync("device-1");
        using var two = await ConnectAsync("device-2");
        Gateway.Faults.DropAllConnections();
        foreach (var socket in new[] { one, two })
        {
            var error = Assert.ThrowsAsync<WebSocketException>(async () => await socket.ReceiveAsync());
            Assert.That(error!.WebSocketErrorCode, Is.EqualTo(WebSocketError.ConnectionClosedPrematurely));
        }
        await Eventually.TrueAsync(() => Gateway.ConnectionCount == 0);
        using var after = await ConnectAsync("device-3");
        Assert.That(await after.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "new connections still work");
    }

    [Test]
    public async Task GoSilentStopsReadingAndWritingButKeepsTheSocketOpen()
    {
        using var silent = await SubscribedAsync("project.local.ch", "device-1");
        Gateway.Faults.GoSilent();
        using var publisher = await ConnectAsync("device-2");
        Assert.That(await publisher.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""),
            "connections opened after the fault are healthy");

        await publisher.SendTextAsync("""{"op":"pub","ch":"project.local.ch","d":1}""");
        await silent.SendTextAsync("""{"op":"hb"}""");
        await Eventually.TrueAsync(() => Gateway.Faults.SilencedFrames >= 2, because: "the pub and the hb should both be swallowed");
        Assert.That(silent.Socket.State, Is.EqualTo(WebSocketState.Open));
        Assert.That(Gateway.ConnectionCount, Is.EqualTo(2));

        Gateway.Faults.GoSilent(false);
        Assert.That(await silent.RequestAsync("""{"op":"sub","ch":"project.local.next"}"""),
            Does.StartWith("""{"type":"sub_ack","op":"hereNow","ch":"project.local.next","""),
            "neither the swallowed message nor an hb_ack may arrive before it");
    }

    [Test]
    public async Task AClientLeavingASilentConnectionIsNoticed()
    {
        var socket = await ConnectAsync("device-1");
        Gateway.Faults.GoSilent();
        await socket.SendTextAsync("""{"op":"hb"}""");
        await Eventually.TrueAsync(() => Gateway.Faults.SilencedFrames == 1, because: "the gateway should have stopped reading");
        socket.Dispose();
        await Eventually.TrueAsync(() => Gateway.ConnectionCount == 0, because: "the gateway should notice the TCP close even while silent");
    }

    [Test]
    public async Task StopDoesNotWaitForSilentConnectionsAndRestartServesAgain()
    {
        using var silent = await ConnectAsync("device-1");
        Gateway.Faults.GoSilent();
        await Gateway.StopAsync();
        Assert.That(Gateway.ConnectionCount, Is.Zero);
        await Gateway.RestartAsync();
        using var fresh = await ConnectAsync("device-1");
        Assert.That(await fresh.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }

    [Test]
    public async Task InjectTextFrameReachesEveryOpenSocketVerbatim()
    {
        using var one = await ConnectAsync("device-1");
        using var two = await ConnectAsync("device-2");
        await Gateway.Faults.InjectTextFrameAsync("not json {");
        Assert.That(await one.ReceiveTextAsync(), Is.EqualTo("not json {"));
        Assert.That(await two.ReceiveTextAsync(), Is.EqualTo("not json {"));
    }

    [Test]
    public async Task InjectBinaryFrameSendsARawBinaryFrame()
    {
        using var socket = await ConnectAsync();
        await Gateway.Faults.InjectBinaryFrameAsync([0xFF, 0xFE, 0x00, 0x01]);
        var frame = await socket.ReceiveAsync();
        Assert.That(frame.Type, Is.EqualTo(WebSocketMessageType.Binary));
        Assert.That(frame.Bytes, Is.EqualTo(new byte[] { 0xFF, 0xFE, 0x00, 0x01 }));
    }
}
