using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Publishes written just before a connection dies: counted, and re-sent when asked (at-least-once).</summary>
public class InFlightTests
{
    private const string HeartbeatAck = "{\"type\":\"hb_ack\",\"op\":\"hb\",\"timestamp\":1710000000000}";
    private const string Heartbeat = "{\"op\":\"hb\"}";

    private static string Pub(int value) => "{\"op\":\"pub\",\"ch\":\"demo\",\"d\":" + value + "}";

    [TestCase(false)]
    [TestCase(true)]
    public async Task PublishesAfterTheLastAcknowledgedHeartbeatAreCountedAtADisconnect(bool resend)
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var time = new VirtualTime();
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(ScriptedTransport.ConnectedFrame), time);
        var options = TestClients.For(gateway) with { ResendUnconfirmed = resend, RetryPolicy = new FixedRetryPolicy(TimeSpan.Zero) };
        using var client = new DataNetClient(options, factory, time, deviceIdPath: null);
        for (var i = 1; i <= 3; i++)
        {
            client.Publish("demo", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await client.ConnectAsync();
        var first = factory.Created.Single();
        // The three publishes, then a heartbeat behind them a second later (their barrier): its ack confirms all three.
        await Eventually.TrueAsync(() => first.Sent.Contains(Pub(3)));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => first.Sent.Contains(Heartbeat));
        Assert.That(first.Sent.Take(4), Is.EqualTo(new[] { Pub(1), Pub(2), Pub(3), Heartbeat }));
        Assert.That(client.Stats.AwaitingConfirmation, Is.EqualTo(3), "written, their barrier not yet answered");
        first.ServerText(HeartbeatAck);
        await Eventually.TrueAsync(() => client.Stats.AwaitingConfirmation == 0);

        client.Publish("demo", "4");
        client.Publish("demo", "5");
        await Eventually.TrueAsync(() => first.Sent.Contains(Pub(5)));
        Assert.That(client.Stats.AwaitingConfirmation, Is.EqualTo(2));
        first.ServerClose("gateway killed");

        await Eventually.TrueAsync(() => client.Stats.Reconnects == 1);
        var stats = client.Stats;
        Assert.That(stats.Unconfirmed, Is.EqualTo(2), "4 and 5 were written after the acknowledged barrier");
        Assert.That(stats.Published, Is.EqualTo(resend ? 7 : 5));
        var second = factory.Created[1];
        if (resend)
        {
            await Eventually.TrueAsync(() => second.Sent.Contains(Pub(5)));
            Assert.That(second.Sent.Where(s => s.StartsWith("{\"op\":\"pub\"", StringComparison.Ordinal)), Is.EqualTo(new[] { Pub(4), Pub(5) }),
                "re-sent in order, never 1 to 3");
            Assert.That(stats.Resent, Is.EqualTo(2));
            Assert.That(client.Stats.AwaitingConfirmation, Is.EqualTo(2), "re-sent on the new connection, awaiting its barrier");
        }
        else
        {
            Assert.That(second.Sent, Has.None.StartsWith("{\"op\":\"pub\""), "at-most-once: never sent twice");
            Assert.That(stats.Resent, Is.Zero);
            Assert.That(stats.AwaitingConfirmation, Is.Zero, "the ended connection's two went to Unconfirmed");
        }
    }

    [Test]
    public async Task EveryMessagePublishedAcrossAGatewayKillReachesTheGatewayOrIsCounted()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, RecordClientFrames = true });
        const string channel = "project.local.stream";
        using var publisher = new DataNetClient(TestClients.For(gateway) with { OutboxCapacity = 100_000 });
        await publisher.ConnectAsync();

        const int total = 3000;
        for (var i = 0; i < total; i++)
        {
            publisher.Publish(channel, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (i == total / 2)
            {
                // Killed mid-stream: some publishes are written but never read by the gateway.
                await Eventually.TrueAsync(() => publisher.Stats.Published > total / 4);
                gateway.Faults.DropAllConnections();
            }
        }

        await Eventually.TrueAsync(() => publisher.Stats.Queued == 0 && publisher.State == ConnectionState.Connected, timeout: TimeSpan.FromSeconds(20));
        var stats = publisher.Stats;
        Assert.That(stats.DroppedOutboxOverflow, Is.Zero);
        Assert.That(stats.Unconfirmed, Is.GreaterThan(0), "the kill caught publishes in flight");
        // The gateway reads what the second connection wrote at its own pace: wait for it, then compare.
        await Eventually.TrueAsync(() => total - ArrivedAt(gateway) <= stats.Unconfirmed, timeout: TimeSpan.FromSeconds(20),
            because: "every publish that never reached the gateway is counted in Unconfirmed (" + stats + ")");
    }

    private static int ArrivedAt(LocalGateway gateway) => gateway.ClientFrames
        .Select(f => System.Text.Encoding.UTF8.GetString(f.Bytes.Span))
        .Where(text => text.StartsWith("{\"op\":\"pub\"", StringComparison.Ordinal))
        .Distinct()
        .Count();
}
