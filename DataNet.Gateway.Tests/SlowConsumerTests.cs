using System.Collections.Generic;
using System.Linq;
using System.Net.WebSockets;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>
/// The slow-consumer policy: a subscriber that does not read loses messages (counted, told once), is closed past
/// a limit, and never holds up a publisher or another subscriber.
/// </summary>
[TestFixture]
public sealed class SlowConsumerTests : GatewayTestBase
{
    internal const string Channel = "project.local.flood";

    // Big messages fill the kernel's socket buffers quickly, so the outbox fills within a few hundred publishes.
    private static readonly string Padding = new('x', 16 * 1024);

    /// <inheritdoc/>
    protected override GatewayOptions Configure(GatewayOptions options) =>
        options with { OutboxMessages = 16, SlowConsumerCloseAfterDrops = 0 };

    [Test]
    public async Task ASubscriberThatDoesNotReadLosesMessagesCountedAndToldOnceWhileOthersGetEverything()
    {
        using var stalled = await SubscribedAsync(Channel, "stalled");
        using var control = await SubscribedAsync(Channel, "control");
        using var publisher = await ConnectAsync("publisher");
        var controlReceived = new List<int>();
        var controlReading = ReadMessagesAsync(control, controlReceived);

        // Publish until the stalled subscriber's outbox overflowed, at the pace the control subscriber reads: the
        // publisher is answered throughout and the reading subscriber keeps up.
        var published = 0;
        while (Gateway.Stats.SlowConsumerDrops == 0 || published % 100 != 0)
        {
            Assert.That(published, Is.LessThan(20_000), "the stalled subscriber's outbox should have overflowed by now");
            for (var i = 0; i < 10; i++)
            {
                await publisher.SendTextAsync(Publish(published++));
            }
            Assert.That(await publisher.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""),
                "a publisher never waits on another client");
            await Eventually.TrueAsync(() => Count(controlReceived) == published, because: "the reading subscriber gets every message");
        }
        Assert.That(controlReceived, Is.EqualTo(Enumerable.Range(0, published)), "in order, none lost");

        // The stalled subscriber reads at last: what was queued, then the one notice, then (after a marker) live traffic.
        var stalledMessages = 0;
        var notices = new List<string>();
        var markerSent = false;
        while (true)
        {
            var frame = await stalled.ReceiveTextAsync();
            if (frame.Contains("\"error\":\"slow_consumer\"", StringComparison.Ordinal))
            {
                notices.Add(frame);
            }
            else if (frame.Contains("\"d\":{\"marker\":true}", StringComparison.Ordinal))
            {
                break;
            }
            else
            {
                stalledMessages++;
            }
            if (!markerSent && stalledMessages + Gateway.Stats.SlowConsumerDrops == published)
            {
                // Everything queued for it has been read: the episode is over and new messages flow again.
                markerSent = true;
                await publisher.SendTextAsync($$$"""{"op":"pub","ch":"{{{Channel}}}","d":{"marker":true}}""");
            }
        }
        Assert.That(notices, Has.Count.EqualTo(1), "told once per episode");
        Assert.That(notices[0], Is.EqualTo(
            """{"type":"error","error":"slow_consumer","channel":"project.local.flood","limit":16,"message":"this connection reads too slowly: its outbox holds 16 messages and newer ones are being dropped"}"""));
        var stats = Gateway.Stats;
        Assert.That(stalledMessages + stats.SlowConsumerDrops, Is.EqualTo(published), "every message delivered or counted as dropped");
        Assert.That(stats.SlowConsumerNotices, Is.EqualTo(1));
        Assert.That(stats.SlowConsumerCloses, Is.Zero, "no close limit in this test");
        Assert.That(stalled.Socket.State, Is.EqualTo(WebSocketState.Open));
        control.Dispose();
        await controlReading;
    }

    private static int Count(List<int> received)
    {
        lock (received)
        {
            return received.Count;
        }
    }

    internal static string Publish(int sequence) =>
        $$$"""{"op":"pub","ch":"{{{Channel}}}","d":{"n":{{{sequence}}},"pad":"{{{Padding}}}"}}""";

    private static async Task ReadMessagesAsync(RawSocket socket, List<int> received)
    {
        var buffer = new byte[64 * 1024];
        using var message = new System.IO.MemoryStream();
        try
        {
            while (true)
            {
                var result = await socket.Socket.ReceiveAsync(buffer.AsMemory(), default);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }
                using var json = System.Text.Json.JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                if (json.RootElement.GetProperty("d").TryGetProperty("n", out var n))
                {
                    lock (received)
                    {
                        received.Add(n.GetInt32());
                    }
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The test disposed the socket.
        }
    }
}

/// <summary>The slow-consumer policy's close: past the drop limit the subscriber's connection ends.</summary>
[TestFixture]
public sealed class SlowConsumerCloseTests : GatewayTestBase
{
    /// <inheritdoc/>
    protected override GatewayOptions Configure(GatewayOptions options) =>
        options with { OutboxMessages = 16, SlowConsumerCloseAfterDrops = 5 };

    [Test]
    public async Task ASubscriberPastTheDropLimitIsClosedAndThePublisherCarriesOn()
    {
        using var stalled = await SubscribedAsync(SlowConsumerTests.Channel, "stalled");
        using var publisher = await ConnectAsync("publisher");
        var published = 0;
        while (Gateway.Stats.SlowConsumerCloses == 0)
        {
            Assert.That(published, Is.LessThan(20_000), "the stalled subscriber should have been closed by now");
            for (var i = 0; i < 50; i++)
            {
                await publisher.SendTextAsync(SlowConsumerTests.Publish(published++));
            }
            Assert.That(await publisher.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
        }
        await Eventually.TrueAsync(() => Gateway.ConnectionCount == 1, because: "the slow consumer's connection ends");
        Assert.That(Gateway.GetOccupancy(SlowConsumerTests.Channel), Is.Zero);
        Assert.That(Gateway.Stats.SlowConsumerDrops, Is.GreaterThanOrEqualTo(5));
        Assert.That(await publisher.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }
}
