using System.Text;

namespace DataNet.Gateway.Tests;

/// <summary>sub/unsub/hb acks and pub fan-out, compared byte for byte with protocol.md section 4.</summary>
[TestFixture]
public sealed class PubSubTests : GatewayTestBase
{
    private const string Sensor = "project.local.sensor";

    [Test]
    public async Task SubAckCarriesOccupancyExactly()
    {
        using var first = await ConnectAsync("device-1");
        using var second = await ConnectAsync("device-2");
        Assert.That(await first.RequestAsync($$"""{"op":"sub","ch":"{{Sensor}}"}"""),
            Is.EqualTo("""{"type":"sub_ack","op":"hereNow","ch":"project.local.sensor","occupancy":1}"""));
        Assert.That(await second.RequestAsync($$"""{"op":"sub","ch":"{{Sensor}}"}"""),
            Is.EqualTo("""{"type":"sub_ack","op":"hereNow","ch":"project.local.sensor","occupancy":2}"""));
        Assert.That(await second.RequestAsync($$"""{"op":"sub","ch":"{{Sensor}}"}"""),
            Is.EqualTo("""{"type":"sub_ack","op":"hereNow","ch":"project.local.sensor","occupancy":2}"""),
            "subscribing twice is idempotent");
    }

    [Test]
    public async Task UnsubAckIsExactAndStopsDelivery()
    {
        using var subscriber = await SubscribedAsync(Sensor, "device-2");
        Assert.That(await subscriber.RequestAsync("""{"op":"sub","ch":"project.local.other"}"""), Does.Contain("\"occupancy\":1"));
        Assert.That(await subscriber.RequestAsync($$"""{"op":"unsub","ch":"{{Sensor}}"}"""),
            Is.EqualTo("""{"type":"unsub_ack","op":"unsubAck","ch":"project.local.sensor"}"""));

        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}","d":1}""");
        await publisher.SendTextAsync("""{"op":"pub","ch":"project.local.other","d":2}""");
        Assert.That(await subscriber.ReceiveTextAsync(), Does.Contain("\"ch\":\"project.local.other\""),
            "the message on the unsubscribed channel must not arrive (it would come first)");
    }

    [Test]
    public async Task HeartbeatAckIsExactWithServerTimestampInMilliseconds()
    {
        using var socket = await ConnectAsync();
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Is.EqualTo("""{"type":"hb_ack","op":"hb","timestamp":1710000000000}"""));
        Clock.Advance(TimeSpan.FromMilliseconds(1234));
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Is.EqualTo("""{"type":"hb_ack","op":"hb","timestamp":1710000001234}"""));
    }

    [Test]
    public async Task JsonPublishFansOutExactlyWithServerTsAndFrom()
    {
        using var subscriber = await SubscribedAsync(Sensor, "device-2");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync("""{"op":"pub","ch":"project.local.sensor","d":{"value":42}}""");
        Assert.That(await subscriber.ReceiveTextAsync(),
            Is.EqualTo("""{"type":"message","op":"pub","ch":"project.local.sensor","d":{"value":42},"ts":1710000000000,"from":"device-1"}"""));
    }

    [TestCase("\"text\"")]
    [TestCase("3.25")]
    [TestCase("-0")]
    [TestCase("12345678901234567890123")]
    [TestCase("true")]
    [TestCase("null")]
    [TestCase("[1,\"two\",{\"x\":false}]")]
    [TestCase("{\"nested\":{\"é\":\"\\u00fc\\n\"}, \"spaced\" : 1}")]
    public async Task DataOfAnyJsonKindPassesThroughVerbatim(string d)
    {
        using var subscriber = await SubscribedAsync(Sensor, "device-2");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}","d":{{d}}}""");
        Assert.That(await subscriber.ReceiveTextAsync(),
            Is.EqualTo($$"""{"type":"message","op":"pub","ch":"{{Sensor}}","d":{{d}},"ts":1710000000000,"from":"device-1"}"""));
    }

    [Test]
    public async Task PublishWithoutDataCarriesNull()
    {
        using var subscriber = await SubscribedAsync(Sensor, "device-2");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}"}""");
        Assert.That(await subscriber.ReceiveTextAsync(), Does.Contain("\"d\":null,"));
    }

    [Test]
    public async Task ASubscribedPublisherGetsItsOwnMessageEchoed()
    {
        using var socket = await SubscribedAsync(Sensor, "device-1");
        await socket.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}","d":7}""");
        Assert.That(await socket.ReceiveTextAsync(),
            Is.EqualTo("""{"type":"message","op":"pub","ch":"project.local.sensor","d":7,"ts":1710000000000,"from":"device-1"}"""));
    }

    [Test]
    public async Task AnUnsubscribedPublisherGetsNoEcho()
    {
        using var socket = await ConnectAsync("device-1");
        await socket.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}","d":7}""");
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "an echo would arrive first");
    }

    [Test]
    public async Task FromIsTheConnIdWhenTheTokenHasNoDeviceId()
    {
        using var subscriber = await SubscribedAsync(Sensor, "device-2");
        var (publisher, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, Gateway.IssueToken("ak_test"));
        using (publisher)
        {
            var connId = System.Text.Json.JsonDocument.Parse(connected).RootElement.GetProperty("connId").GetString();
            await publisher.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}","d":1}""");
            Assert.That(await subscriber.ReceiveTextAsync(), Does.EndWith($",\"from\":\"{connId}\"}}"));
        }
    }

    [Test]
    public async Task ChannelsMatchByExactNameOnly()
    {
        using var exact = await SubscribedAsync("a.b", "device-2");
        using var longer = await SubscribedAsync("a.b.c", "device-3");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync("""{"op":"pub","ch":"a.b","d":1}""");
        Assert.That(await exact.ReceiveTextAsync(), Does.Contain("\"ch\":\"a.b\""));
        Assert.That(await longer.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "no prefix or wildcard match");
    }

    [Test]
    public async Task EverySubscriberGetsEveryMessageInPublishOrder()
    {
        using var one = await SubscribedAsync(Sensor, "device-2");
        using var two = await SubscribedAsync(Sensor, "device-3");
        using var publisher = await ConnectAsync("device-1");
        for (var i = 0; i < 200; i++)
        {
            await publisher.SendTextAsync($$"""{"op":"pub","ch":"{{Sensor}}","d":{{i}}}""");
        }
        foreach (var subscriber in new[] { one, two })
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.That(await subscriber.ReceiveTextAsync(), Does.Contain($"\"d\":{i},"));
            }
        }
    }

    [Test]
    public async Task BinaryEnvelopeFromTheJsTestPassesThroughWithBytes()
    {
        using var subscriber = await SubscribedAsync("demo.lighting.dmx", "device-2");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync("""{"op":"pub","ch":"demo.lighting.dmx","bin":true,"b64":"AQID","ct":"binary/dmx","meta":{"universe":1}}""");
        Assert.That(await subscriber.ReceiveTextAsync(), Is.EqualTo(
            """{"type":"message","op":"pub","ch":"demo.lighting.dmx","bin":true,"b64":"AQID","ct":"binary/dmx","bytes":3,"ts":1710000000000,"from":"device-1","meta":{"universe":1}}"""));
    }

    [TestCase("""{"op":"pub","ch":"bin","bin":true,"b64":"//79AIA="}""", TestName = "BinaryWithoutCtOrMetaDefaultsCtAndOmitsMeta")]
    [TestCase("""{"op":"pub","ch":"bin","bin":true,"b64":"//79AIA=","meta":null}""", TestName = "BinaryWithNullMetaOmitsMeta")]
    public async Task BinaryDefaults(string envelope)
    {
        using var subscriber = await SubscribedAsync("bin", "device-2");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync(envelope);
        Assert.That(await subscriber.ReceiveTextAsync(), Is.EqualTo(
            """{"type":"message","op":"pub","ch":"bin","bin":true,"b64":"//79AIA=","ct":"application/octet-stream","bytes":5,"ts":1710000000000,"from":"device-1"}"""));
    }

    [Test]
    public async Task AFull512ByteDmxFrameReportsItsDecodedLength()
    {
        var b64 = Convert.ToBase64String(new byte[512]);
        Assert.That(b64, Has.Length.EqualTo(684));
        using var subscriber = await SubscribedAsync("dmx", "device-2");
        using var publisher = await ConnectAsync("device-1");
        await publisher.SendTextAsync($$"""{"op":"pub","ch":"dmx","bin":true,"b64":"{{b64}}","ct":"binary/dmx"}""");
        Assert.That(await subscriber.ReceiveTextAsync(), Does.Contain($"\"b64\":\"{b64}\",\"ct\":\"binary/dmx\",\"bytes\":512,"));
    }

    [Test]
    public async Task AnEnvelopeSentAsABinaryWebSocketFrameIsHandledLikeText()
    {
        using var socket = await ConnectAsync();
        await socket.SendBinaryAsync(Encoding.UTF8.GetBytes("""{"op":"hb"}"""));
        Assert.That(await socket.ReceiveTextAsync(), Is.EqualTo("""{"type":"hb_ack","op":"hb","timestamp":1710000000000}"""));
    }
}
