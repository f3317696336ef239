using System.Collections.Generic;
using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Pub/sub, echo, binary, DMX and Art-Net, LastValues and rows over a real loopback gateway.</summary>
public class PubSubTests : SharedGatewayFixture
{
    private const string Sensor = "project.local.sensor";
    private const string Lights = "project.local.lights";

    [Test]
    public async Task JsonEchoFeedsHandlersLastValuesAndRows()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        var handled = new List<DataNetMessage>();
        client.Subscribe(Sensor, handled.Add);
        Assert.That(client.Channels, Is.EqualTo(new[] { Sensor }));
        await client.ConnectAsync();

        Assert.That(client.Publish(Sensor, "{\"env\":{\"t\":21.5,\"h\":60},\"on\":true,\"arr\":[1,2],\"label\":\"x\"}"), Is.True);
        await Eventually.TrueAsync(() => handled.Count == 1, recorder.Pump);

        var message = handled[0];
        Assert.Multiple(() =>
        {
            Assert.That(message.Channel, Is.EqualTo(Sensor));
            Assert.That(message.DataJson, Is.EqualTo("{\"env\":{\"t\":21.5,\"h\":60},\"on\":true,\"arr\":[1,2],\"label\":\"x\"}"));
            Assert.That(message.IsBinary, Is.False);
            Assert.That(message.ContentType, Is.EqualTo("application/json"));
            Assert.That(message.Timestamp, Is.GreaterThan(1_700_000_000_000L), "server ts in unix ms");
            Assert.That(recorder.Messages, Has.Count.EqualTo(1), "MessageReceived too");
        });
        Assert.That(client.LastValues.GetNames(Sensor), Is.EqualTo(new[] { "env/t", "env/h", "on", "arr/0", "arr/1" }));
        Assert.That(client.LastValues.GetValues(Sensor), Is.EqualTo(new[] { 21.5, 60, 1, 1, 2 }));

        var rows = client.TakeRows(10);
        Assert.That(rows.Count, Is.EqualTo(1));
        Assert.That(rows.Cells[0], Is.EqualTo(Sensor));
        Assert.That(rows.Cells[3], Is.EqualTo("application/json"));
        Assert.That(rows.Cells[4], Is.EqualTo(message.DataJson));

        var stats = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(stats.Received, Is.EqualTo(1));
            Assert.That(stats.Dispatched, Is.EqualTo(1));
            Assert.That(stats.Published, Is.EqualTo(1));
            Assert.That(stats.Queued, Is.Zero);
            Assert.That(stats.Dropped, Is.Zero);
            Assert.That(stats.LatencyMs, Is.GreaterThanOrEqualTo(0));
        });
        TestClients.AssertInvariant(stats);
    }

    [Test]
    public async Task TwoClientsExchangeMessagesAndHandlerlessSubscriptionsStillFeedValues()
    {
        var gateway = Gateway;
        using var publisher = new DataNetClient(TestClients.For(gateway, "publisher"));
        using var subscriber = new DataNetClient(TestClients.For(gateway, "subscriber"));
        var recorder = new Recorder(subscriber);
        subscriber.Subscribe(Sensor);
        await subscriber.ConnectAsync();
        await publisher.ConnectAsync();

        for (var i = 1; i <= 3; i++)
        {
            publisher.Publish(Sensor, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Eventually.TrueAsync(() => recorder.Messages.Count == 3, recorder.Pump);
        Assert.That(recorder.Messages.Select(m => m.DataJson), Is.EqualTo(new[] { "1", "2", "3" }), "order kept");
        Assert.That(recorder.Messages.Select(m => m.From).Distinct().Count(), Is.EqualTo(1));
        Assert.That(recorder.Messages[0].From, Is.Not.Empty);
        Assert.That(subscriber.LastValues.GetValue(Sensor, "value", -1), Is.EqualTo(3));
        Assert.That(publisher.Stats.Published, Is.EqualTo(3));
        Assert.That(publisher.Stats.Received, Is.Zero, "not subscribed: nothing echoed");
        Assert.That(subscriber.Stats.Received, Is.EqualTo(3));
        TestClients.AssertInvariant(subscriber.Stats);
    }

    [Test]
    public async Task BinaryDmxAndArtNetRoundTrip()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var binary = new List<DataNetMessage>();
        var json = new List<DataNetMessage>();
        client.SubscribeBinary(Lights, binary.Add);
        client.Subscribe(Lights, json.Add);
        await client.ConnectAsync();

        client.PublishBinary(Lights, new byte[] { 1, 2, 3 }, Dmx.ContentType, "{\"universe\":1}");
        client.PublishDmx(Lights, new[] { 255, 300, -1, 12.8 });
        client.PublishArtNet(Lights, new byte[] { 9, 8, 7 }, universe: 2, subnet: 1, net: 3, sequence: 9);
        client.PublishBinary(Lights, new byte[] { 4, 5 });
        await Eventually.TrueAsync(() => binary.Count == 4, () => client.Poll());

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.Empty, "binary messages go to binary subscriptions only");
            Assert.That(binary[0].Bytes, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(binary[0].ContentType, Is.EqualTo("binary/dmx"));
            Assert.That(binary[0].ByteCount, Is.EqualTo(3));
            Assert.That(binary[0].MetadataJson, Is.EqualTo("{\"universe\":1}"));
            Assert.That(binary[0].DataJson, Is.EqualTo("null"));
            Assert.That(binary[1].Bytes, Has.Length.EqualTo(512));
            Assert.That(binary[1].Bytes![..5], Is.EqualTo(new byte[] { 255, 255, 0, 12, 0 }));
            Assert.That(binary[1].MetadataJson, Is.Null);
            Assert.That(binary[2].ContentType, Is.EqualTo(ArtNet.ContentType));
            Assert.That(binary[3].ContentType, Is.EqualTo("application/octet-stream"));
        });
        Assert.That(ArtNet.TryParseArtDmx(binary[2].Bytes!, out var packet), Is.True);
        Assert.That(packet!.Data, Is.EqualTo(new byte[] { 9, 8, 7, 0 }), "odd length padded to even");
        Assert.That(packet.Universe, Is.EqualTo(2));
        Assert.That(client.LastValues.Channels, Is.Empty, "binary has no numeric fields");

        var rows = client.TakeRows(10);
        Assert.That(rows.Count, Is.EqualTo(4));
        Assert.That(rows.Cells[4], Is.EqualTo("AQID"), "binary rows carry base64");
        TestClients.AssertInvariant(client.Stats);
    }

    [Test]
    public async Task UnsubscribeSendsUnsubOnlyWhenTheLastHandlerGoes()
    {
        var gateway = Gateway;
        using var publisher = new DataNetClient(TestClients.For(gateway, "publisher"));
        using var client = new DataNetClient(TestClients.For(gateway, "subscriber"));
        var first = new List<DataNetMessage>();
        var second = new List<DataNetMessage>();
        var marker = new List<DataNetMessage>();
        Action<DataNetMessage> h1 = first.Add;
        Action<DataNetMessage> h2 = second.Add;
        client.Subscribe(Sensor, h1);
        client.SubscribeBinary(Sensor, h2);
        client.Subscribe(Lights, marker.Add);
        await client.ConnectAsync();
        await publisher.ConnectAsync();

        client.Unsubscribe(Sensor, h1);
        publisher.PublishBinary(Sensor, new byte[] { 1 });
        await Eventually.TrueAsync(() => second.Count == 1, () => client.Poll(), because: "the binary handler still listens");

        Assert.That((await publisher.GetPresenceAsync(Sensor)).Occupancy, Is.EqualTo(1), "still subscribed: no unsub yet");

        client.Unsubscribe(Sensor, h2);
        Assert.That(client.Channels, Is.EqualTo(new[] { Lights }));
        await Eventually.TrueAsync(async () => (await publisher.GetPresenceAsync(Sensor)).Occupancy == 0, because: "unsub sent with the last handler");
        publisher.Publish(Sensor, "1");
        publisher.Publish(Lights, "2");
        await Eventually.TrueAsync(() => marker.Count == 1, () => client.Poll());
        // One publisher connection keeps its order: had the gateway still routed Sensor here, it would have come first.
        Assert.That(client.Stats.Ignored, Is.Zero);
        Assert.That(first, Is.Empty);
        Assert.That(second, Has.Count.EqualTo(1));
        Assert.That(client.Stats.Received, Is.EqualTo(2));
    }

    [Test]
    public async Task UnsubscribeRemovesTheChannelsValues()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        client.Subscribe(Sensor);
        await client.ConnectAsync();
        client.Publish(Sensor, "{\"a\":1}");
        await Eventually.TrueAsync(() => client.LastValues.Channels.Length == 1, () => client.Poll());
        var layout = client.LastValues.LayoutVersion;
        client.Unsubscribe(Sensor);
        client.Poll();
        Assert.That(client.LastValues.Channels, Is.Empty);
        Assert.That(client.LastValues.LayoutVersion, Is.GreaterThan(layout));
    }
}
