using System.Linq;
using System.Text;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>
/// Issue 10, items 2 to 4: whatever a server or a peer sends, memory stays bounded and every frame is counted once.
/// The hostile frames come from a rogue WebSocket server (or a scripted socket); tokens from a real gateway.
/// </summary>
[NonParallelizable] // measures the whole process's allocations (GC.GetTotalAllocatedBytes)
public class HostileServerTests
{
    private const string Channel = "project.local.c";

    private static string Message(string channel, string data) => "{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"" + channel + "\",\"d\":" + data + ",\"ts\":1,\"from\":\"rogue\"}";

    [Test]
    public async Task AFrameOverTheLimitIsCountedReportedAndReadThroughWithoutBeingHeld()
    {
        const int Limit = 1024 * 1024;
        const long Hostile = 64L * 1024 * 1024;
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        await using var rogue = RogueServer.Start();
        using var client = new DataNetClient(TestClients.For(gateway) with { WsUrl = rogue.Url, MaxReceiveFrameBytes = Limit });
        var recorder = new Recorder(client);
        client.Subscribe(Channel);
        client.Connect();
        await rogue.SendTextAsync(ScriptedTransport.ConnectedFrame);
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected);

        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await rogue.SendHugeTextAsync(Hostile);
        await rogue.SendTextAsync(Message(Channel, "{\"after\":1}"));
        await Eventually.TrueAsync(() => recorder.Messages.Count == 1, recorder.Pump);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        var stats = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(stats.TooLarge, Is.EqualTo(1));
            Assert.That(stats.Malformed, Is.Zero);
            Assert.That(recorder.ErrorCount(ErrorCodes.FrameTooLarge), Is.EqualTo(1));
            Assert.That(recorder.Errors.Single(e => e.Code == ErrorCodes.FrameTooLarge).Message, Does.Contain("67,108,864-byte frame").And.Contain("1,048,576-byte limit"));
            Assert.That(recorder.Messages.Single().DataJson, Is.EqualTo("{\"after\":1}"), "the connection carried on");
            Assert.That(stats.Reconnects, Is.Zero);
            Assert.That(client.State, Is.EqualTo(ConnectionState.Connected));
            // The whole process, both ends: a 64 MiB frame may cost the limit and change, never itself.
            Assert.That(allocated, Is.LessThan(Limit + 4 * 1024 * 1024), "bytes allocated while the hostile frame went through");
        });
    }

    [Test]
    public async Task EveryFrameIsCountedInExactlyOnePlaceAndNothingIsDeliveredBeforeConnected()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        await using var rogue = RogueServer.Start();
        using var client = new DataNetClient(TestClients.For(gateway) with { WsUrl = rogue.Url });
        var recorder = new Recorder(client);
        client.Subscribe(Channel);
        client.Connect();
        await rogue.SendTextAsync(Message(Channel, "\"before connected\""));
        await rogue.SendTextAsync(ScriptedTransport.ConnectedFrame);
        await Eventually.TrueAsync(() => client.State == ConnectionState.Connected);
        var frames = new[]
        {
            Message(Channel, "1"), Message(Channel, "2"), Message(Channel, "3"),
            Message("project.local.other", "4"),                                    // ignored: not subscribed
            "{\"ch\":\"" + Channel + "\",\"d\":5}", "{\"d\":6}",                     // malformed: no type
            "{\"type\":7,\"ch\":\"c\"}", "{\"type\":[\"message\"],\"ch\":\"c\"}",  // malformed: type not a string
            "{\"type\":\"presence\"}", "{\"type\":\"MESSAGE\",\"ch\":\"c\"}",      // ignored: unknown type
            "{\"type\":\"message\",\"ch\":",                                        // malformed: not JSON
            "{\"type\":\"hb_ack\",\"op\":\"hb\"}",
            "{\"type\":\"sub_ack\",\"op\":\"hereNow\",\"ch\":\"" + Channel + "\",\"occupancy\":3}",
            "{\"type\":\"sub_ack\",\"op\":\"hereNow\",\"ch\":\"project.local.other\",\"occupancy\":9}",
            "{\"type\":\"unsub_ack\",\"ch\":\"x\"}",
            "{\"type\":\"error\",\"error\":\"invalid_message\",\"message\":\"rogue\"}",
            Message(Channel, "\"last\""),
        };
        foreach (var frame in frames)
        {
            await rogue.SendTextAsync(frame);
        }

        var total = frames.Length + 2;
        await Eventually.TrueAsync(() => client.Stats.Frames == total && recorder.Messages.Count == 4, recorder.Pump);
        var stats = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(recorder.Messages.Select(m => m.DataJson), Is.EqualTo(new[] { "1", "2", "3", "\"last\"" }), "nothing before 'connected'");
            Assert.That(stats.Received, Is.EqualTo(4));
            Assert.That(stats.Ignored, Is.EqualTo(4), "before connected, unsubscribed, two unknown types");
            Assert.That(stats.Malformed, Is.EqualTo(5));
            Assert.That(stats.Acks, Is.EqualTo(5), "connected, hb_ack, two sub_acks, unsub_ack");
            Assert.That(stats.GatewayErrors, Is.EqualTo(1));
            Assert.That(stats.TooLarge, Is.Zero);
            Assert.That(stats.Frames, Is.EqualTo(stats.Received + stats.Ignored + stats.Malformed + stats.TooLarge + stats.GatewayErrors + stats.Acks));
            Assert.That(recorder.ErrorCount(ErrorCodes.MalformedFrame), Is.EqualTo(5), "each malformed frame reported");
            Assert.That(recorder.Errors.Where(e => e.Code == ErrorCodes.MalformedFrame).Select(e => e.Message).Distinct().Count(), Is.EqualTo(3), "with its reason");
            Assert.That(client.GetOccupancy(Channel), Is.EqualTo(3));
            Assert.That(client.GetOccupancy("project.local.other"), Is.EqualTo(-1), "no entry for a channel nobody subscribed to");
        });
        TestClients.AssertInvariant(stats);
    }

    [Test]
    public async Task LastValuesStayWithinTheCapEvictingTheLeastRecentlyUpdatedFields()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(ScriptedTransport.ConnectedFrame));
        using var client = new DataNetClient(TestClients.For(gateway) with { MaxValueFields = 100 }, factory, TimeProvider.System, deviceIdPath: null);
        client.Subscribe(Channel);
        client.Subscribe("project.local.steady");
        await client.ConnectAsync();
        var socket = factory.Created.Single();

        // A peer inventing names: 10 messages of 60 new fields each, while another channel keeps updating one field.
        for (var m = 0; m < 10; m++)
        {
            socket.ServerText(Message("project.local.steady", "{\"level\":" + m + "}"));
            socket.ServerText(Message(Channel, "{" + string.Join(",", Enumerable.Range(0, 60).Select(i => "\"k" + m + "_" + i + "\":" + i)) + "}"));
        }

        // One message with more fields than the cap, and one with a name longer than 255 characters.
        socket.ServerText(Message(Channel, "[" + string.Join(",", Enumerable.Range(0, 150)) + "]"));
        socket.ServerText(Message(Channel, "{\"" + new string('n', 300) + "\":1}"));
        socket.ServerText(Message("project.local.steady", "{\"level\":99}"));

        var values = client.LastValues;
        Assert.Multiple(() =>
        {
            Assert.That(values.CountValues(null), Is.EqualTo(100), "the cap holds");
            // Stored: 10 x 60 names, level, 100 of the array's 150, then level again (evicted by the array meanwhile):
            // 702 for 100 places. Never stored: the array's last 50 and the long name.
            Assert.That(values.DroppedFields, Is.EqualTo(702 - 100 + 50 + 1));
            Assert.That(client.Stats.DroppedValueFields, Is.EqualTo(values.DroppedFields));
            Assert.That(values.GetValue("project.local.steady", "level", -1), Is.EqualTo(99), "the field just updated stays");
            Assert.That(values.GetNames(Channel), Is.EqualTo(Enumerable.Range(1, 99).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
                "the array's fields, less its oldest, which made room for level");
        });
    }

    [Test]
    public async Task OccupancyEntriesAreCappedEvictingTheLeastRecentlyUpdated()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(ScriptedTransport.ConnectedFrame));
        using var client = new DataNetClient(TestClients.For(gateway), factory, TimeProvider.System, deviceIdPath: null);
        var channels = Enumerable.Range(0, 1100).Select(i => "project.local.c" + i).ToArray();
        foreach (var channel in channels)
        {
            client.Subscribe(channel);
        }

        await client.ConnectAsync();
        var socket = factory.Created.Single();
        foreach (var channel in channels)
        {
            socket.ServerText("{\"type\":\"sub_ack\",\"ch\":\"" + channel + "\",\"occupancy\":2}");
        }

        socket.ServerText("{\"type\":\"sub_ack\",\"ch\":\"" + channels[1099] + "\",\"occupancy\":5}");
        Assert.Multiple(() =>
        {
            Assert.That(client.Stats.DroppedOccupancyEntries, Is.EqualTo(1100 - 1024));
            Assert.That(client.GetOccupancy(channels[0]), Is.EqualTo(-1), "the oldest went");
            Assert.That(client.GetOccupancy(channels[76]), Is.EqualTo(2));
            Assert.That(client.GetOccupancy(channels[1099]), Is.EqualTo(5));
        });
    }
}
