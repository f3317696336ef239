using System.Collections.Generic;
using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Reconnect, resubscribe, dead links and tokens across reconnects.</summary>
public class ReconnectTests
{
    private const string Json = "project.local.json";
    private const string Both = "project.local.both";

    [Test]
    public async Task ResubscribesEveryChannelAfterAGatewayRestart()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        var json = new List<DataNetMessage>();
        var binary = new List<DataNetMessage>();
        client.Subscribe(Json, json.Add);
        client.Subscribe(Both, json.Add);
        client.SubscribeBinary(Both, binary.Add);
        await client.ConnectAsync();

        await gateway.RestartAsync();
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump, because: "reconnected after the restart");
        Assert.That(recorder.Disconnects, Has.Count.EqualTo(1));
        Assert.That(client.Stats.Reconnects, Is.EqualTo(1));

        using var publisher = new DataNetClient(TestClients.For(gateway, "publisher"));
        await publisher.ConnectAsync();
        publisher.Publish(Json, "1");
        publisher.Publish(Both, "2");
        publisher.PublishBinary(Both, new byte[] { 3 });
        await Eventually.TrueAsync(() => json.Count == 2 && binary.Count == 1, recorder.Pump);
        await Eventually.TrueAsync(() => client.GetOccupancy(Both) == 1);
        Assert.That(client.Stats.Ignored, Is.Zero);
        Assert.That(recorder.States.Select(s => s.State), Is.EqualTo(new[]
        {
            ConnectionState.Connecting, ConnectionState.Connected, ConnectionState.Reconnecting, ConnectionState.Connected,
        }));
    }

    [Test]
    public async Task KeepsRetryingWhileTheGatewayIsDownAndSaysSo()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var policy = new FixedRetryPolicy(TimeSpan.FromMilliseconds(20));
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = policy });
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        await gateway.StopAsync();
        await Eventually.TrueAsync(() => policy.Calls >= 3, recorder.Pump, because: "the chain never stops after one failed retry (the JS defect)");
        Assert.That(client.State, Is.EqualTo(ConnectionState.Reconnecting));
        Assert.That(client.Status, Does.StartWith("Reconnecting"));
        Assert.That(recorder.Errors, Is.Not.Empty);

        await gateway.RestartAsync();
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected, recorder.Pump);
        Assert.That(client.Stats.Reconnects, Is.EqualTo(1));
        Assert.That(client.Status, Is.EqualTo("Connected"));
    }

    [Test]
    public async Task DetectsADeadLinkWhenTheGatewayGoesSilent()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        // Real sockets, virtual time: the 30 s heartbeat and the 60 s verdict cost no wall-clock time.
        var time = TestClients.VirtualNow();
        using var client = TestClients.OnVirtualTime(TestClients.For(gateway) with { RetryPolicy = new FixedRetryPolicy(TimeSpan.Zero) }, time);
        var recorder = new Recorder(client);
        client.Subscribe(Json);
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => client.GetOccupancy(Json) == 1, because: "the sub_ack is in: no frame is on its way");
        var start = time.Monotonic;
        gateway.Faults.GoSilent();
        time.AdvanceTo(start + TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => client.Stats.HeartbeatsSent == 1 && time.IsWaitingFor(start + TimeSpan.FromSeconds(60)));
        Assert.That(recorder.Disconnects, Is.Empty, "a heartbeat unanswered for less than an interval is no verdict");
        time.AdvanceTo(start + TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => recorder.Disconnects.Count == 1, recorder.Pump);
        Assert.That(recorder.Disconnects[0], Does.Contain("dead link"));
        Assert.That(recorder.ErrorCount("connection_lost"), Is.EqualTo(1));
        // New connections behave normally: the client is back without help.
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump);
        Assert.That(client.Stats.Reconnects, Is.EqualTo(1));
        gateway.Faults.GoSilent(false);
    }

    [Test]
    public async Task AQuietButHealthyLinkIsNotDead()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        // Real sockets, virtual time: the gateway answers each 30 s heartbeat at once.
        var time = TestClients.VirtualNow();
        using var client = TestClients.OnVirtualTime(TestClients.For(gateway), time);
        var recorder = new Recorder(client);
        client.Subscribe(Json);
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => client.GetOccupancy(Json) == 1);
        var start = time.Monotonic;
        // Five heartbeats span two and a half dead-link windows; each was answered by hb_ack.
        for (var beat = 1; beat <= 5; beat++)
        {
            var acks = client.Stats.Acks;
            var due = start + (beat * client.Options.HeartbeatInterval);
            await Eventually.TrueAsync(() => time.IsWaitingFor(due));
            time.AdvanceTo(due);
            await Eventually.TrueAsync(() => client.Stats.HeartbeatsSent == beat && client.Stats.Acks == acks + 1, recorder.Pump);
        }

        Assert.That(recorder.Disconnects, Is.Empty, "hb_ack keeps the link alive: " + string.Join("; ", recorder.Disconnects));
        Assert.That(client.Stats.Reconnects, Is.Zero);
    }

    [Test]
    public async Task ReusesAValidTokenAcrossAReconnect()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        gateway.Faults.DropAllConnections();
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump);
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(1), "a token valid for ten minutes is reused");
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(2));
    }

    [Test]
    public async Task ATokenTheGatewayRefusesAsExpiredIsFetchedAgainAtOnce()
    {
        // The gateway's clock runs ahead of the client's: a token the client still thinks valid is expired there.
        var gatewayClock = new VirtualTime(DateTimeOffset.UtcNow);
        // No idle close: the jump of the gateway's clock must end the connection only through the drop below.
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, TimeProvider = gatewayClock, IdleTimeout = TimeSpan.Zero });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(1));

        gatewayClock.Advance(TimeSpan.FromMinutes(11));
        gateway.Faults.DropAllConnections();
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump);
        var stats = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(stats.ConnectAttempts, Is.EqualTo(2), "connect, then the reconnect: its refused upgrade is retried within it");
            Assert.That(stats.TokenRequests, Is.EqualTo(2), "the refused token was forgotten and a fresh one fetched once");
            Assert.That(stats.Reconnects, Is.EqualTo(1));
            Assert.That(recorder.ErrorCount("connection_lost"), Is.EqualTo(1));
            Assert.That(recorder.Errors, Has.Count.EqualTo(1), "no backoff step, no error for the refused token");
        });
    }

    [Test]
    public async Task ShortLivedTokensAreRefreshedAheadAndBeforeAReconnect()
    {
        // The gateway and the client share virtual time: the 3 s tokens expire on it, at both ends.
        var time = TestClients.VirtualNow();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, TokenLifetime = TimeSpan.FromSeconds(3), TimeProvider = time });
        using var client = TestClients.OnVirtualTime(TestClients.For(gateway) with { RetryPolicy = new FixedRetryPolicy(TimeSpan.Zero) }, time);
        var recorder = new Recorder(client);
        const string channel = "project.local.token";
        client.Subscribe(channel);
        var start = time.Monotonic;
        await client.ConnectAsync();
        Assert.That(client.Stats.TokenRequests, Is.EqualTo(1));

        // Half the lifetime of a token shorter than 3 minutes.
        var due = start + TimeSpan.FromSeconds(1.5);
        await Eventually.TrueAsync(() => time.IsWaitingFor(due), because: "refresh due at half the lifetime");
        time.AdvanceTo(due);
        await Eventually.TrueAsync(() => client.Stats.TokenRequests == 2, recorder.Pump, because: "refreshed ahead of exp while connected");
        Assert.That(client.Stats.Reconnects, Is.Zero, "a refresh does not reconnect: the open socket outlives its token");

        var before = client.Stats.TokenRequests;
        gateway.Faults.DropAllConnections();
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump);
        Assert.That(client.Stats.TokenRequests, Is.GreaterThan(before), "a token with under 10 s left is never reused for a connect");
        Assert.That(client.Stats.Reconnects, Is.EqualTo(1));
        Assert.That(recorder.ErrorCount("connection_failed"), Is.Zero, "no upgrade was refused for an expired token");

        client.Publish(channel, "1");
        await Eventually.TrueAsync(() => recorder.Messages.Count == 1, recorder.Pump);
    }

    [Test]
    public async Task DisconnectKeepsSubscriptionsAndQueuedPublishes()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        client.Subscribe(Json);
        await client.ConnectAsync();
        client.Disconnect();
        Assert.That(client.State, Is.EqualTo(ConnectionState.Disconnected));
        await Eventually.TrueAsync(() => gateway.ConnectionCount == 0);
        Assert.That(client.Publish(Json, "\"offline\""), Is.True);
        Assert.That(client.Stats.Queued, Is.EqualTo(1));

        client.Connect();
        await Eventually.TrueAsync(() => recorder.Messages.Count == 1, recorder.Pump);
        Assert.That(recorder.Messages[0].DataJson, Is.EqualTo("\"offline\""));
        Assert.That(recorder.Disconnects, Is.EqualTo(new[] { "Disconnected by the application" }));
        Assert.That(client.Stats.Reconnects, Is.Zero, "a new Connect is not a reconnect");
    }

    private sealed class ThrowingPolicy : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) => throw new InvalidOperationException("policy bug");
    }

    [Test]
    public async Task AThrowingRetryPolicyFallsBackToTheDefaultAndSaysSo()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = new ThrowingPolicy() });
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        gateway.Faults.DropAllConnections();
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump, because: "reconnected after the default policy's 1 s");
        Assert.That(recorder.ErrorCount("reconnect_failed"), Is.EqualTo(1));
        Assert.That(recorder.Errors.Single(e => e.Code == "reconnect_failed").Message, Does.Contain("policy bug"));
        Assert.That(client.Stats.Reconnects, Is.EqualTo(1));
    }
}
