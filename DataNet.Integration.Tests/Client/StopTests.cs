using System.Linq;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>
/// Disconnect and Dispose run on TD's main thread: they return while the old loop is still stuck (a connect or a
/// send that never completes), and nothing the old loop does afterwards reaches the client: not its state, its
/// counters, its queues or its events.
/// </summary>
public class StopTests : VirtualGatewayFixture
{
    private const string Subscribe = "{\"op\":\"sub\",\"ch\":\"demo.stop\"}";
    private const string Message = "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"demo.stop\",\"d\":1,\"ts\":1,\"from\":\"x\"}";

    [Test]
    public async Task DisconnectDuringAHungConnectReturnsAndTheOldLoopNeverTouchesTheNextConnection()
    {
        var factory = Factory((attempt, t) =>
        {
            if (attempt == 1)
            {
                t.HoldConnect();
            }
            else
            {
                t.ServerText(Connected);
            }
        });
        using var client = Create(factory);
        var recorder = new Recorder(client);
        client.Subscribe("demo.stop");
        client.Connect();
        await Eventually.TrueAsync(() => factory.Created.Count == 1 && factory.Created[0].IsConnectHeld);
        var hung = factory.Created[0];

        client.Disconnect();
        Assert.That(hung.IsConnectHeld, Is.True, "Disconnect returned while the connect still hangs");
        Assert.That(hung.IsDisposed, Is.True, "its socket was aborted");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));

        await client.ConnectAsync();
        var fresh = factory.Created[1];
        await Eventually.TrueAsync(() => fresh.Sent.Contains(Subscribe));
        recorder.Pump();
        var before = client.Stats;
        var events = (recorder.States.Count, recorder.Errors.Count, recorder.Connected, recorder.Disconnects.Count);

        // The old connect completes late, and its socket says everything a socket can say.
        hung.ReleaseConnect();
        hung.ServerText(Connected);
        hung.ServerText(Message);
        hung.ServerText("{\"type\":\"error\",\"error\":\"rate_limited\",\"retry_ms\":1000}");
        hung.ServerClose("late close");
        // The old loop disposes its socket again on its way out: it has ended.
        await Eventually.TrueAsync(() => hung.DisposeCalls >= 2);

        recorder.Pump();
        var after = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
            Assert.That(client.Status, Is.EqualTo("Connected"), "no rate-limit pause from the old socket");
            Assert.That(after.Frames, Is.EqualTo(before.Frames), "no frame of the old socket was counted");
            Assert.That(after.Received, Is.EqualTo(before.Received));
            Assert.That(after.ConnectAttempts, Is.EqualTo(2));
            Assert.That(after.Reconnects, Is.Zero);
            Assert.That(after.RefusedByGateway, Is.Zero);
            Assert.That((recorder.States.Count, recorder.Errors.Count, recorder.Connected, recorder.Disconnects.Count), Is.EqualTo(events),
                "no state change, error, connected or disconnected event from the old loop");
            Assert.That(factory.Created, Has.Count.EqualTo(2));
        });
    }

    [Test]
    public async Task DisposeDuringAHungConnectReturnsAndNothingReachesTheClientAfter()
    {
        var factory = Factory((_, t) => t.HoldConnect());
        var client = Create(factory);
        client.Subscribe("demo.stop");
        var pending = client.ConnectAsync();
        await Eventually.TrueAsync(() => factory.Created.Count == 1 && factory.Created[0].IsConnectHeld);
        var hung = factory.Created[0];

        client.Dispose();
        Assert.That(hung.IsConnectHeld, Is.True, "Dispose returned while the connect still hangs");
        Assert.That(hung.IsDisposed, Is.True, "its socket was aborted");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(async () => await pending, Throws.TypeOf<ObjectDisposedException>());
        var frames = client.Stats.Frames;

        hung.ReleaseConnect();
        hung.ServerText(Connected);
        hung.ServerText(Message);
        await Eventually.TrueAsync(() => hung.DisposeCalls >= 2);

        Assert.That(client.Stats.Frames, Is.EqualTo(frames), "nothing reached the client after Dispose");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(factory.Created, Has.Count.EqualTo(1), "no attempt after Dispose");
    }

    [Test]
    public async Task DisconnectWithAStalledSendSettlesThePublishInHandAndTheOldSendCannotCountIt()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        using var client = Create(factory, resend: true);
        client.Subscribe("demo.stop");
        await client.ConnectAsync();
        var first = factory.Created[0];
        await Eventually.TrueAsync(() => first.Sent.Contains(Subscribe));
        first.StallSends = true;
        client.Publish("demo", "1");
        await Eventually.TrueAsync(() => first.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo\",\"d\":1}"));

        client.Disconnect();
        Assert.That(first.IsDisposed, Is.True);
        var stats = client.Stats;
        Assert.That((stats.Unconfirmed, stats.Resent, stats.Queued, stats.Published), Is.EqualTo((1L, 1L, 1, 1L)),
            "the publish whose send never finished may be lost: counted (in Published too), and queued again (ResendUnconfirmed)");

        await client.ConnectAsync();
        var second = factory.Created[1];
        await Eventually.TrueAsync(() => client.Stats.Published == 2 && second.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo\",\"d\":1}"));
        first.ReleaseStalledSends();
        await Eventually.TrueAsync(() => first.DisposeCalls >= 2);

        stats = client.Stats;
        Assert.That((stats.Published, stats.Unconfirmed, stats.Resent, stats.Queued), Is.EqualTo((2L, 1L, 1L, 0)),
            "two writes, one of them unconfirmed; the old send's late completion counted nothing and queued nothing");
    }

    [Test]
    public async Task ARefusalReadWhileItsPublishIsStillBeingWrittenFindsThatPublishCounted()
    {
        var factory = Factory((_, t) => t.ServerText(Connected));
        using var client = Create(factory);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        var socket = factory.Created[0];
        socket.StallSends = true;
        client.Publish("demo.unknown", "1");
        await Eventually.TrueAsync(() => socket.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo.unknown\",\"d\":1}"));

        // The gateway can answer before the write returns on this side (its completion is a thread-pool continuation).
        socket.ServerText("{\"type\":\"error\",\"code\":\"channel_not_provisioned\",\"message\":\"no such channel\",\"operation\":\"pub\",\"channel\":\"demo.unknown\"}");
        await Eventually.TrueAsync(() => recorder.ErrorCount("channel_not_provisioned") == 1, recorder.Pump);
        var stats = client.Stats;
        Assert.That((stats.Queued, stats.Published, stats.RefusedByGateway), Is.EqualTo((0, 1L, 1L)),
            "the refused publish is one of those Published, never in no count");

        // The loop sends one thing at a time: once the next publish is out, the stalled write's completion was handled.
        socket.StallSends = false;
        socket.ReleaseStalledSends();
        client.Publish("demo.stop", "2");
        await Eventually.TrueAsync(() => socket.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo.stop\",\"d\":2}"));
        stats = client.Stats;
        Assert.That((stats.Queued, stats.Published, stats.RefusedByGateway), Is.EqualTo((0, 2L, 1L)), "the write's completion counted nothing again");
    }

    private DataNetClient Create(ScriptedTransportFactory factory, bool resend = false) =>
        Create(factory, TestClients.For(Gateway) with { ResendUnconfirmed = resend });
}
