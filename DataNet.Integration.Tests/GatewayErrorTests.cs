using System.Collections.Generic;
using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Every gateway error code, structured as protocol.md section 5 says, with exact counters.</summary>
public class GatewayErrorTests : SharedGatewayFixture
{
    private static GatewayConfig Project(ProjectConfig project, Dictionary<string, ApiKeyConfig>? keys = null) => new()
    {
        Projects = new Dictionary<string, ProjectConfig> { ["local"] = project },
        Keys = keys ?? new Dictionary<string, ApiKeyConfig>(),
    };

    [Test]
    public async Task DeviceLimitIsFatalWithZeroRetries()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = Project(new ProjectConfig { DeviceLimit = 1 }) });
        using var first = new DataNetClient(TestClients.For(gateway, "device-a"));
        await first.ConnectAsync();

        var policy = new FixedRetryPolicy(TestClients.FastRetry);
        using var second = new DataNetClient(TestClients.For(gateway, "device-b") with { RetryPolicy = policy });
        var recorder = new Recorder(second);
        var thrown = Assert.ThrowsAsync<DataNetException>(() => second.ConnectAsync());
        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Error.Code, Is.EqualTo("device_limit_reached"));
            Assert.That(thrown.Error.Limit, Is.EqualTo(1));
            Assert.That(thrown.Error.IsFatal, Is.True);
            Assert.That(second.State, Is.EqualTo(ConnectionState.Failed));
            Assert.That(second.Status, Does.StartWith("Error: Device limit reached (1 devices"));
            Assert.That(policy.Calls, Is.Zero, "never asks the retry policy");
            Assert.That(second.Stats.ConnectAttempts, Is.EqualTo(1));
            Assert.That(second.Stats.Reconnects, Is.Zero);
            Assert.That(second.Stats.LastError, Does.StartWith("device_limit_reached"));
        });
        await Eventually.TrueAsync(() => recorder.States.Count == 2, recorder.Pump);
        Assert.That(recorder.ErrorCount("device_limit_reached"), Is.EqualTo(1));
        Assert.That(recorder.States[^1], Is.EqualTo((ConnectionState.Failed, ConnectionState.Connecting)));
        Assert.That(first.State, Is.EqualTo(ConnectionState.Connected), "the first device is unaffected");
        Assert.That(gateway.ConnectionCount, Is.EqualTo(1));
    }

    [Test]
    public async Task RateLimitedPausesPublishingForRetryMs()
    {
        // Gateway and client on one virtual clock: the gateway's one-second window and the client's pause are exact,
        // and no wall clock can split the first two publishes across two windows.
        var time = new VirtualTime();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions
        {
            Port = 0,
            TimeProvider = time,
            Config = Project(new ProjectConfig { MessagesPerSecond = 2 }),
        });
        using var client = TestClients.OnVirtualTime(TestClients.For(gateway), time);
        var recorder = new Recorder(client);
        const string channel = "project.local.fast";
        client.Subscribe(channel);
        await client.ConnectAsync();

        client.Publish(channel, "1");
        client.Publish(channel, "2");
        await Eventually.TrueAsync(() => recorder.Messages.Count == 2, recorder.Pump);
        client.Publish(channel, "3");
        await Eventually.TrueAsync(() => recorder.ErrorCount("rate_limited") == 1, recorder.Pump);
        var refusedAt = time.Monotonic;
        var error = recorder.Errors.Single(e => e.Code == "rate_limited");
        Assert.Multiple(() =>
        {
            Assert.That(error.RetryMs, Is.EqualTo(1000), "the window opened with \"1\", no time has passed since");
            Assert.That(error.Scope, Is.EqualTo("connection"));
            Assert.That(error.IsFatal, Is.False);
        });

        // Sent now, "4" would land in the same window and be refused too: the pause holds it for retry_ms.
        client.Publish(channel, "4");
        var pauseEnds = refusedAt + TimeSpan.FromMilliseconds(1000);
        await Eventually.TrueAsync(() => time.IsWaitingFor(pauseEnds), () => $"a timer for the end of the pause (pending: {time.Pending()})");
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.That((client.Stats.Queued, client.Stats.Published), Is.EqualTo((1, 3L)), "a millisecond before the pause ends, \"4\" still waits");
        Assert.That(time.IsWaitingFor(pauseEnds), Is.True);

        time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => recorder.Messages.Count == 3, recorder.Pump);
        Assert.That(recorder.Messages.Select(m => m.DataJson), Is.EqualTo(new[] { "1", "2", "4" }));
        Assert.That(recorder.ErrorCount("rate_limited"), Is.EqualTo(1));
        var stats = client.Stats;
        Assert.That(stats.Published, Is.EqualTo(4));
        Assert.That(stats.RefusedByGateway, Is.EqualTo(1), "the refused \"3\" is counted, not silently lost");
        Assert.That(stats.Queued, Is.Zero);
        Assert.That(stats.Reconnects, Is.Zero);
        Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
    }

    [Test]
    public async Task TopicLimitReached()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = Project(new ProjectConfig { TopicLimit = 1 }) });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        client.Subscribe("project.local.one");
        await client.ConnectAsync();
        client.Subscribe("project.local.two");
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        var error = recorder.Errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo("topic_limit_reached"));
            Assert.That(error.Limit, Is.EqualTo(1));
            Assert.That(error.Channel, Is.EqualTo("project.local.two"));
            Assert.That(error.Operation, Is.EqualTo("sub"));
            Assert.That(error.IsFatal, Is.False);
            Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
        });
        AssertStayedConnected(client, published: 0, refused: 0);
    }

    /// <summary>A non-fatal refusal keeps the one connection: no retry, no reconnect; refused publishes counted.</summary>
    private static void AssertStayedConnected(DataNetClient client, long published, long refused)
    {
        var stats = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
            Assert.That(stats.ConnectAttempts, Is.EqualTo(1));
            Assert.That(stats.Reconnects, Is.Zero);
            Assert.That(stats.Published, Is.EqualTo(published));
            Assert.That(stats.RefusedByGateway, Is.EqualTo(refused));
            Assert.That(stats.Queued, Is.Zero);
        });
    }

    [Test]
    public async Task ChannelNotProvisioned()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions
        {
            Port = 0,
            Config = Project(new ProjectConfig { Channels = new[] { "project.local.known" } }),
        });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        client.Publish("project.local.unknown", "1");
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("channel_not_provisioned"));
        Assert.That(recorder.Errors[0].Channel, Is.EqualTo("project.local.unknown"));
        Assert.That(recorder.Errors[0].Operation, Is.EqualTo("pub"));
        AssertStayedConnected(client, published: 1, refused: 1);
    }

    [Test]
    public async Task ChannelNotAllowed()
    {
        var keys = new Dictionary<string, ApiKeyConfig> { ["ak_prefixed"] = new() { ChannelPrefixes = new[] { "project.local.allowed." } } };
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = Project(new ProjectConfig(), keys) });
        using var client = new DataNetClient(TestClients.For(gateway, apiKey: "ak_prefixed"));
        var recorder = new Recorder(client);
        var received = new List<DataNetMessage>();
        client.Subscribe("project.local.allowed.x", received.Add);
        await client.ConnectAsync();
        client.Subscribe("project.local.other");
        client.Publish("project.local.allowed.x", "1");
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1 && received.Count == 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("channel_not_allowed"));
        Assert.That(recorder.Errors[0].Channel, Is.EqualTo("project.local.other"));
        Assert.That(recorder.Errors[0].Operation, Is.EqualTo("sub"));
        AssertStayedConnected(client, published: 1, refused: 0);
    }

    [Test]
    public async Task InsufficientScope()
    {
        var keys = new Dictionary<string, ApiKeyConfig> { ["ak_readonly"] = new() { Scopes = new[] { "sub" } } };
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = Project(new ProjectConfig(), keys) });
        using var client = new DataNetClient(TestClients.For(gateway, apiKey: "ak_readonly"));
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        client.Publish("project.local.x", "1");
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("insufficient_scope"));
        Assert.That(recorder.Errors[0].Required, Is.EqualTo("pub"));
        AssertStayedConnected(client, published: 1, refused: 1);
    }

    [Test]
    public async Task ErrorWithoutCodeAndMidSessionDeviceLimitAreMappedLikeTheSiblings()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        await gateway.Faults.InjectTextFrameAsync("{\"type\":\"error\",\"ch\":\"project.local.a\"}");
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("gateway_error"));
        Assert.That(recorder.Errors[0].Channel, Is.EqualTo("project.local.a"));

        // Python and Java treat device_limit_reached as fatal anywhere; so do we.
        await gateway.Faults.InjectTextFrameAsync("{\"type\":\"error\",\"error\":\"device_limit_reached\",\"limit\":5}");
        await Eventually.TrueAsync(() => client.State == ConnectionState.Failed, recorder.Pump);
        await Eventually.TrueAsync(() => recorder.Disconnects.Count == 1, recorder.Pump);
        Assert.That(recorder.ErrorCount("device_limit_reached"), Is.EqualTo(1));
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(1));
        await Eventually.TrueAsync(() => gateway.ConnectionCount == 0, because: "the socket is closed after a fatal error");
    }
}
