using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>The connection loop against a scripted socket (tokens still come from a real gateway's REST API).</summary>
public class HandshakeTests : SharedGatewayFixture
{
    private const string Connected = ScriptedTransport.ConnectedFrame;

    private static DataNetClient Create(LocalGateway gateway, ScriptedTransportFactory factory, DataNetOptions? options = null) =>
        new(options ?? TestClients.For(gateway), factory, TimeProvider.System, deviceIdPath: null);

    [Test]
    public async Task ResubscribesDeduplicatedInOrderThenFlushesThenHeartbeats()
    {
        var gateway = Gateway;
        var time = new VirtualTime();
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(Connected), time);
        using var client = new DataNetClient(TestClients.For(gateway), factory, time, deviceIdPath: null);
        client.Subscribe("demo.json");
        client.SubscribeBinary("demo.binary");
        client.Subscribe("demo.any");
        client.SubscribeBinary("demo.any");
        client.Publish("demo.json", "{\"value\":42}");
        await client.ConnectAsync();
        var socket = factory.Created.Single();
        await Eventually.TrueAsync(() => socket.Sent.Count == 4);
        // An unconfirmed publish brings the next heartbeat (its barrier) to a second after the session began.
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => socket.Sent.Contains("{\"op\":\"hb\"}"));

        Assert.That(socket.Url!.ToString(), Is.EqualTo(gateway.WsUrl + "ws"));
        Assert.That(socket.Token, Does.Contain("."), "a JWT from /auth/token");
        Assert.That(socket.Sent.Take(5), Is.EqualTo(new[]
        {
            "{\"op\":\"sub\",\"ch\":\"demo.json\"}",
            "{\"op\":\"sub\",\"ch\":\"demo.binary\"}",
            "{\"op\":\"sub\",\"ch\":\"demo.any\"}",
            "{\"op\":\"pub\",\"ch\":\"demo.json\",\"d\":{\"value\":42}}",
            "{\"op\":\"hb\"}",
        }));
    }

    [Test]
    public async Task NothingIsSentBeforeConnectedAndNoiseBeforeItIsSkipped()
    {
        var gateway = Gateway;
        ScriptedTransport? socket = null;
        var factory = new ScriptedTransportFactory((_, t) =>
        {
            socket = t;
            t.ServerBinary(new byte[] { 0xFF, 0xFE });
            t.ServerText("not json");
        });
        using var client = Create(gateway, factory);
        client.Subscribe("c");
        client.Connect();
        // The raw binary frame is a message before 'connected': ignored, not routed.
        await Eventually.TrueAsync(() => socket is not null && client.Stats.Malformed == 1 && client.Stats.Ignored == 1);
        Assert.That(socket!.Sent, Is.Empty, "no sub before 'connected'");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Connecting));

        socket.ServerText(Connected);
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected);
        await Eventually.TrueAsync(() => socket.Sent.Count == 1);
    }

    [Test]
    public async Task APreHandshakeErrorFailsTheAttemptAndIsRetried()
    {
        var gateway = Gateway;
        var factory = new ScriptedTransportFactory((attempt, t) =>
        {
            if (attempt == 1)
            {
                t.ServerText("{\"type\":\"error\",\"error\":\"rate_limited\",\"retry_ms\":10}");
                t.ServerClose("closed by the server");
            }
            else
            {
                t.ServerText(Connected);
            }
        });
        using var client = Create(gateway, factory);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => recorder.Connected == 1, recorder.Pump);
        Assert.That(recorder.ErrorCount("rate_limited"), Is.EqualTo(1));
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(2));
        Assert.That(factory.Created[0].IsDisposed, Is.True, "the failed socket was disposed");
        Assert.That(client.Stats.Reconnects, Is.Zero);
    }

    [Test]
    public async Task ACloseBeforeConnectedIsAFailedAttempt()
    {
        var gateway = Gateway;
        var factory = new ScriptedTransportFactory((attempt, t) =>
        {
            if (attempt == 1)
            {
                t.ServerClose("the gateway closed the connection (close 1011)");
            }
            else
            {
                t.ServerText(Connected);
            }
        });
        using var client = Create(gateway, factory);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("connection_failed"));
        Assert.That(recorder.Errors[0].Message, Does.Contain("before 'connected'"));
    }

    [Test]
    public async Task AnUnsentPublishGoesBackToTheQueueWhenTheSocketRefusesIt()
    {
        var gateway = Gateway;
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(Connected));
        using var client = Create(gateway, factory);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        var first = factory.Created[0];
        first.Dispose();                 // the socket dies without telling anyone
        client.Publish("c", "1");        // refused by the dead socket, requeued, sent on the next one
        await Eventually.TrueAsync(() => factory.Created.Count == 2 && factory.Created[1].Sent.Contains("{\"op\":\"pub\",\"ch\":\"c\",\"d\":1}"), recorder.Pump);
        Assert.That(client.Stats.Published, Is.EqualTo(1));
        Assert.That(client.Stats.Queued, Is.Zero);
        Assert.That(recorder.ErrorCount("connection_lost"), Is.EqualTo(1));
    }

    [Test]
    public async Task TheTokenNeverReachesErrorsOrStatus()
    {
        var gateway = Gateway;
        var factory = new ScriptedTransportFactory((attempt, t) =>
        {
            if (attempt == 1)
            {
                throw new InvalidOperationException("The WebSocket protocol '" + t.Token + "' is invalid");
            }

            t.ServerText(Connected);
        });
        using var client = Create(gateway, factory);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        var token = factory.Created[0].Token!;
        Assert.That(recorder.Errors[0].Message, Does.Contain("'***'"));
        foreach (var text in new[] { recorder.Errors[0].Message, client.Stats.LastError, client.Status, client.ToString() })
        {
            Assert.That(text, Does.Not.Contain(token));
        }
    }

    [Test]
    public async Task AKeyOrTokenEchoedByTheServerNeverReachesStatusOrTheDisconnectReason()
    {
        var gateway = Gateway;
        const string key = "ak_echoed_by_a_server";
        var factory = new ScriptedTransportFactory((attempt, t) =>
        {
            t.ServerText(Connected);
            if (attempt == 1)
            {
                t.ServerClose("bye " + key + " " + t.Token);
            }
            else
            {
                t.ServerText("{\"type\":\"error\",\"error\":\"device_limit_reached\",\"message\":\"" + key + " " + t.Token + "\"}");
            }
        });
        using var client = Create(gateway, factory, TestClients.For(gateway, apiKey: key));
        var recorder = new Recorder(client);
        client.Connect();
        await Eventually.TrueAsync(() => client.State == ConnectionState.Failed && recorder.Disconnects.Count == 2, recorder.Pump);
        var token = factory.Created[1].Token!;
        foreach (var text in recorder.Disconnects.Concat(recorder.Errors.Select(e => e.Message)).Append(client.Status).Append(client.Stats.LastError))
        {
            Assert.That(text, Does.Not.Contain(key).And.Not.Contain(token));
        }

        Assert.That(recorder.Disconnects[0], Does.Contain("bye *** ***"));
    }

    [Test]
    public async Task DisposeWhileWaitingForConnectedClosesTheSocket()
    {
        var gateway = Gateway;
        var factory = new ScriptedTransportFactory((_, _) => { });
        var client = Create(gateway, factory, TestClients.For(gateway) with { RequestTimeout = TimeSpan.FromMinutes(1) });
        var pending = client.ConnectAsync();
        await Eventually.TrueAsync(() => factory.Created.Count == 1 && factory.Created[0].Token is not null);
        client.Dispose();
        Assert.That(factory.Created[0].IsDisposed, Is.True, "the socket is closed before Dispose returns");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(async () => await pending, Throws.TypeOf<ObjectDisposedException>());
        Assert.That(factory.Created, Has.Count.EqualTo(1), "no attempt after Dispose");
    }

    [Test]
    public async Task DisposeWithASendStuckOnADeadLinkEndsTheLoopAndClosesTheSocket()
    {
        var gateway = Gateway;
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(Connected));
        // The send timeout is far longer than the test: only Stop itself can end the send.
        var client = Create(gateway, factory, TestClients.For(gateway) with { RequestTimeout = TimeSpan.FromMinutes(10) });
        await client.ConnectAsync();
        var socket = factory.Created.Single();
        socket.StallSends = true;
        client.Publish("demo.stuck", "1");
        await Eventually.TrueAsync(() => socket.Sent.Contains("{\"op\":\"pub\",\"ch\":\"demo.stuck\",\"d\":1}"));

        client.Dispose();
        Assert.That(socket.IsDisposed, Is.True, "Dispose aborted the socket before it returned");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        Assert.That(factory.Created, Has.Count.EqualTo(1), "no attempt after Dispose");
    }
}
