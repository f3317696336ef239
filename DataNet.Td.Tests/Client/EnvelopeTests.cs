using System.Text;
using DataNet.Td.Protocol;

namespace DataNet.Td.Tests;

/// <summary>protocol.md sections 3 and 8: client envelopes and base64, byte for byte.</summary>
public class EnvelopeTests
{
    [Test]
    public void SubscribeUnsubscribeHeartbeat()
    {
        Assert.That(ClientEnvelopes.Subscribe("project.p1.sensor"), Is.EqualTo("{\"op\":\"sub\",\"ch\":\"project.p1.sensor\"}"));
        Assert.That(ClientEnvelopes.Unsubscribe("project.p1.sensor"), Is.EqualTo("{\"op\":\"unsub\",\"ch\":\"project.p1.sensor\"}"));
        Assert.That(ClientEnvelopes.Heartbeat, Is.EqualTo("{\"op\":\"hb\"}"));
    }

    [Test]
    public void JsonPublish()
    {
        Assert.That(ClientEnvelopes.Publish("project.p1.sensor", "{\"value\":42}"),
            Is.EqualTo("{\"op\":\"pub\",\"ch\":\"project.p1.sensor\",\"d\":{\"value\":42}}"));
        Assert.That(ClientEnvelopes.Publish("room.temp", "{\"c\":21.5}"), Is.EqualTo("{\"op\":\"pub\",\"ch\":\"room.temp\",\"d\":{\"c\":21.5}}"));
    }

    [TestCase("\"ping\"")]
    [TestCase("0")]
    [TestCase("false")]
    [TestCase("null")]
    [TestCase("[1,2,{\"a\":\"é+<>\"}]")]
    public void AnyJsonValueIsCarriedAsIs(string json)
    {
        Assert.That(ClientEnvelopes.Publish("c", json), Is.EqualTo("{\"op\":\"pub\",\"ch\":\"c\",\"d\":" + json + "}"));
    }

    [Test]
    public void WhitespaceIsCompacted()
    {
        Assert.That(ClientEnvelopes.Publish("c", " { \"value\" : 42 } "), Is.EqualTo("{\"op\":\"pub\",\"ch\":\"c\",\"d\":{\"value\":42}}"));
    }

    [TestCase("ping")]
    [TestCase("{\"a\":")]
    [TestCase("")]
    [TestCase("1 2")]
    public void InvalidJsonIsAnArgumentException(string json)
    {
        Assert.That(() => ClientEnvelopes.Publish("c", json), Throws.ArgumentException);
    }

    [Test]
    public void BinaryPublishKeyOrderMatchesTheJsTest()
    {
        Assert.That(ClientEnvelopes.PublishBinary("demo.lighting.dmx", new byte[] { 1, 2, 3 }, "binary/dmx", "{\"universe\":1}"),
            Is.EqualTo("{\"op\":\"pub\",\"ch\":\"demo.lighting.dmx\",\"bin\":true,\"b64\":\"AQID\",\"ct\":\"binary/dmx\",\"meta\":{\"universe\":1}}"));
    }

    [Test]
    public void BinaryPublishOmitsMetaAndDefaultsTheContentType()
    {
        Assert.That(ClientEnvelopes.PublishBinary("c", new byte[] { 4, 5 }, null, null),
            Is.EqualTo("{\"op\":\"pub\",\"ch\":\"c\",\"bin\":true,\"b64\":\"BAU=\",\"ct\":\"application/octet-stream\"}"));
    }

    [Test]
    public void MetadataMustBeAnObject()
    {
        Assert.That(() => ClientEnvelopes.PublishBinary("c", new byte[] { 1 }, "x", "[1]"), Throws.ArgumentException);
        Assert.That(() => ClientEnvelopes.PublishBinary("c", new byte[] { 1 }, "x", "nope"), Throws.ArgumentException);
    }

    [TestCase(new byte[] { 0, 1, 2, 255 }, "AAEC/w==")]
    [TestCase(new byte[] { 4, 5 }, "BAU=")]
    [TestCase(new byte[] { 255, 0 }, "/wA=")]
    [TestCase(new byte[] { 0xFF, 0xFE, 0xFD, 0x00, 0x80 }, "//79AIA=")]
    public void Base64Vectors(byte[] bytes, string expected)
    {
        var envelope = ClientEnvelopes.PublishBinary("c", bytes, "x", null);
        Assert.That(envelope, Does.Contain("\"b64\":\"" + expected + "\""));
    }

    [Test]
    public void Base64OfFoobarAndOfAFullDmxFrame()
    {
        Assert.That(ClientEnvelopes.PublishBinary("c", Encoding.ASCII.GetBytes("foobar"), "x", null), Does.Contain("\"Zm9vYmFy\""));
        var frame = Dmx.BuildFrame(new double[] { 1, 2, 3 });
        Assert.That(Convert.ToBase64String(frame), Has.Length.EqualTo(684));
        var envelope = ClientEnvelopes.PublishBinary("c", frame, Dmx.ContentType, null);
        Assert.That(envelope, Does.Contain("\"b64\":\"" + Convert.ToBase64String(frame) + "\""));
    }

    [TestCase("wss://ws.datanet.art", "wss://ws.datanet.art/ws")]
    [TestCase("wss://ws.datanet.art/", "wss://ws.datanet.art/ws")]
    [TestCase("wss://ws.datanet.art/ws", "wss://ws.datanet.art/ws")]
    [TestCase("wss://ws.datanet.art/ws/", "wss://ws.datanet.art/ws")]
    [TestCase("ws://127.0.0.1:8080", "ws://127.0.0.1:8080/ws")]
    [TestCase("ws://localhost:8080/prefix", "ws://localhost:8080/prefix/ws")]
    public void WsUrlNormalisation(string input, string expected)
    {
        Assert.That(WsUrlNormalizer.Normalize(input).ToString(), Is.EqualTo(expected));
    }

    [TestCase("http://x")]
    [TestCase("ws.datanet.art")]
    [TestCase("")]
    public void BadWsUrlIsRejected(string input)
    {
        Assert.That(() => WsUrlNormalizer.Normalize(input), Throws.ArgumentException);
    }

    [Test]
    public void JwtPayloadIsReadUnverified()
    {
        var token = "eyJhbGciOiJIUzI1NiJ9." + JwtPayload.Base64UrlEncode("{\"pid\":\"project-id\",\"exp\":4000000000,\"scopes\":[\"pub\"]}") + ".sig";
        var payload = JwtPayload.Decode(token);
        Assert.That(payload.ProjectId, Is.EqualTo("project-id"));
        Assert.That(payload.ExpiresUnixSeconds, Is.EqualTo(4_000_000_000L));
        Assert.That(JwtPayload.Decode("garbage").ExpiresUnixSeconds, Is.Null);
        Assert.That(JwtPayload.Decode("a.!!!.b").ProjectId, Is.Null);
    }
}
