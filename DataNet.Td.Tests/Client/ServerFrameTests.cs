using System.Text;
using DataNet.Td.Protocol;

namespace DataNet.Td.Tests;

/// <summary>protocol.md sections 4 and 5: every server frame and the error mapping of the sibling SDKs' tests.</summary>
public class ServerFrameTests
{
    private const long Now = 1_800_000_000_000;

    [Test]
    public void Connected()
    {
        Assert.That(TestFrames.Text("{\"type\":\"connected\",\"connId\":\"c1\"}", Now).Kind, Is.EqualTo(ServerFrameKind.Connected));
        Assert.That(TestFrames.Text("{\"type\":\"connected\",\"userId\":\"dev-1\"}", Now).Kind, Is.EqualTo(ServerFrameKind.Connected));
    }

    [Test]
    public void RecentChannelAndSenderStringsAreReusedOnlyWhenEqual()
    {
        // More channels than the reader remembers, interleaved: every frame must still carry its own channel and sender.
        string? previous = null;
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 12; i++)
            {
                var ch = "project.demo.s" + i;
                var message = TestFrames.Text("{\"type\":\"message\",\"ch\":\"" + ch + "\",\"d\":1,\"from\":\"dev-" + (i % 3) + "\"}", Now).Message!;
                Assert.That(message.Channel, Is.EqualTo(ch));
                Assert.That(message.From, Is.EqualTo("dev-" + (i % 3)));
            }
        }

        for (var i = 0; i < 2; i++)
        {
            var message = TestFrames.Text("{\"type\":\"message\",\"ch\":\"project.demo.same\",\"d\":1}", Now).Message!;
            Assert.That(message.Channel, Is.EqualTo("project.demo.same"));
            Assert.That(previous is null || ReferenceEquals(previous, message.Channel), Is.True, "a repeated channel reuses its string");
            previous = message.Channel;
        }
    }

    [Test]
    public void JsonMessage()
    {
        var frame = TestFrames.Text("{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"project.demo.sensor\",\"d\":{\"value\":42},\"ts\":1710000000000,\"from\":\"device-1\"}", Now);
        Assert.That(frame.Kind, Is.EqualTo(ServerFrameKind.Message));
        var m = frame.Message!;
        Assert.Multiple(() =>
        {
            Assert.That(m.Channel, Is.EqualTo("project.demo.sensor"));
            Assert.That(m.From, Is.EqualTo("device-1"));
            Assert.That(m.Timestamp, Is.EqualTo(1_710_000_000_000L));
            Assert.That(m.DataJson, Is.EqualTo("{\"value\":42}"));
            Assert.That(m.IsBinary, Is.False);
            Assert.That(m.ContentType, Is.EqualTo("application/json"));
            Assert.That(m.DataUtf8.ToArray(), Is.EqualTo(Encoding.UTF8.GetBytes("{\"value\":42}")), "d kept as the UTF-8 bytes received");
        });
    }

    [Test]
    public void PythonStyleMessageWithoutTypeAndDefaults()
    {
        var m = TestFrames.Text("{\"op\":\"pub\",\"ch\":\"c\",\"d\":0}", Now).Message!;
        Assert.That(m.From, Is.Empty);
        Assert.That(m.Timestamp, Is.EqualTo(Now), "missing ts is now");
        Assert.That(m.DataJson, Is.EqualTo("0"), "falsy payloads survive (p5 turned them into {})");
        Assert.That(TestFrames.Text("{\"type\":\"message\",\"ch\":\"c\"}", Now).Message!.DataJson, Is.EqualTo("null"));
    }

    [Test]
    public void BinaryMessage()
    {
        var frame = TestFrames.Text("{\"type\":\"message\",\"op\":\"pub\",\"ch\":\"c\",\"bin\":true,\"b64\":\"AQID\",\"ct\":\"binary/dmx\",\"bytes\":3,\"ts\":123,\"from\":\"browser-controller\",\"meta\":{\"universe\":1}}", Now);
        var m = frame.Message!;
        Assert.Multiple(() =>
        {
            Assert.That(m.IsBinary, Is.True);
            Assert.That(m.IsRaw, Is.False);
            Assert.That(m.Bytes, Is.EqualTo(new byte[] { 1, 2, 3 }));
            Assert.That(m.ContentType, Is.EqualTo("binary/dmx"));
            Assert.That(m.ByteCount, Is.EqualTo(3));
            Assert.That(m.MetadataJson, Is.EqualTo("{\"universe\":1}"));
            Assert.That(m.DataJson, Is.EqualTo("null"));
            Assert.That(m.From, Is.EqualTo("browser-controller"));
            Assert.That(m.Timestamp, Is.EqualTo(123));
        });
    }

    [Test]
    public void BinaryMessageFallbacks()
    {
        var m = TestFrames.Text("{\"op\":\"pub\",\"ch\":\"c\",\"bin\":true,\"b64\":\"Zm9vYmFy\"}", Now).Message!;
        Assert.That(m.ByteCount, Is.EqualTo(6), "decoded length when bytes is missing");
        Assert.That(m.ContentType, Is.EqualTo("application/octet-stream"));
        Assert.That(m.DeclaredContentType, Is.Null, "the subscription's content type can still apply");
        Assert.That(m.MetadataJson, Is.Null);
        Assert.That(TestFrames.Text("{\"op\":\"pub\",\"ch\":\"c\",\"bin\":true,\"b64\":\"!!\"}", Now).Kind, Is.EqualTo(ServerFrameKind.Malformed));
        Assert.That(TestFrames.Text("{\"op\":\"pub\",\"ch\":\"c\",\"bin\":true,\"b64\":5,\"d\":1}", Now).Message!.IsBinary, Is.False, "b64 must be a string");
    }

    [Test]
    public void Acks()
    {
        var sub = TestFrames.Text("{\"type\":\"sub_ack\",\"op\":\"hereNow\",\"ch\":\"c\",\"occupancy\":1}", Now);
        Assert.That(sub.Kind, Is.EqualTo(ServerFrameKind.SubAck));
        Assert.That(sub.Channel, Is.EqualTo("c"));
        Assert.That(sub.Occupancy, Is.EqualTo(1));
        Assert.That(TestFrames.Text("{\"type\":\"unsub_ack\",\"op\":\"unsubAck\",\"ch\":\"c\"}", Now).Kind, Is.EqualTo(ServerFrameKind.UnsubAck));
        Assert.That(TestFrames.Text("{\"type\":\"hb_ack\",\"op\":\"hb\",\"timestamp\":1710000000000}", Now).Kind, Is.EqualTo(ServerFrameKind.HeartbeatAck));
        Assert.That(TestFrames.Text("{\"type\":\"presence\",\"ch\":\"c\"}", Now).Kind, Is.EqualTo(ServerFrameKind.Ignored), "a type this client does not know");
    }

    [Test]
    public void ErrorMappingLikeTheSiblingSdks()
    {
        var rate = TestFrames.Text("{\"type\":\"error\",\"error\":\"rate_limited\",\"retry_ms\":250,\"scope\":\"connection\",\"channel\":\"project.p1.sensor\"}", Now).Error!;
        Assert.Multiple(() =>
        {
            Assert.That(rate.Code, Is.EqualTo("rate_limited"));
            Assert.That(rate.RetryMs, Is.EqualTo(250));
            Assert.That(rate.Scope, Is.EqualTo("connection"));
            Assert.That(rate.Channel, Is.EqualTo("project.p1.sensor"));
            Assert.That(rate.IsFatal, Is.False);
        });

        var project = TestFrames.Text("{\"type\":\"error\",\"error\":\"rate_limited\",\"retry_ms\":1000}", Now).Error!;
        Assert.That(project.Scope, Is.Null);

        var device = TestFrames.Text("{\"type\":\"error\",\"error\":\"device_limit_reached\",\"limit\":25}", Now).Error!;
        Assert.That(device.Limit, Is.EqualTo(25));
        Assert.That(device.IsFatal, Is.True);

        var topic = TestFrames.Text("{\"type\":\"error\",\"error\":\"topic_limit_reached\",\"limit\":240,\"channel\":\"project.p1.one-channel-too-many\",\"operation\":\"sub\"}", Now).Error!;
        Assert.That(topic.Limit, Is.EqualTo(240));
        Assert.That(topic.Operation, Is.EqualTo("sub"));

        var scope = TestFrames.Text("{\"type\":\"error\",\"error\":\"insufficient_scope\",\"required\":\"pub\"}", Now).Error!;
        Assert.That(scope.Required, Is.EqualTo("pub"));
        Assert.That(scope.Message, Does.Contain("pub"));

        var viaCh = TestFrames.Text("{\"type\":\"error\",\"code\":\"channel_not_allowed\",\"error\":\"other\",\"ch\":\"x\"}", Now).Error!;
        Assert.That(viaCh.Code, Is.EqualTo("channel_not_allowed"), "code wins over error");
        Assert.That(viaCh.Channel, Is.EqualTo("x"), "ch when channel is missing");

        Assert.That(TestFrames.Text("{\"type\":\"error\"}", Now).Error!.Code, Is.EqualTo("gateway_error"));
        var invalid = TestFrames.Text("{\"type\":\"error\",\"error\":\"invalid_message\",\"message\":\"unknown op\"}", Now).Error!;
        Assert.That(invalid.Message, Is.EqualTo("The gateway rejected a frame as invalid: unknown op"));
    }

    [TestCase("not json")]
    [TestCase("[1,2]")]
    [TestCase("{\"op\":\"pub\",\"d\":1}")]
    [TestCase("")]
    [TestCase("{\"ch\":\"c\",\"d\":1}")]
    [TestCase("{\"type\":5,\"ch\":\"c\"}")]
    [TestCase("{\"type\":null}")]
    [TestCase("{\"type\":\"message\",\"ch\":\"c\",\"d\":1} trailing")]
    [TestCase("{\"type\":\"message\",\"ch\":\"c\",\"d\":1}{}")]
    [TestCase("{\"type\":\"message\",\"ch\":\"c\",\"d\":[1,}")]
    public void MalformedTextFrames(string text)
    {
        var frame = TestFrames.Text(text, Now);
        Assert.That(frame.Kind, Is.EqualTo(ServerFrameKind.Malformed));
        Assert.That(frame.Reason, Is.Not.Empty, "every malformed frame says why");
    }

    [Test]
    public void DataIsTheExactJsonOfAnyValueAndEscapedFieldsAreDecoded()
    {
        var text = TestFrames.Text("{ \"d\" : \"hi \\\"there\\\"\" , \"type\":\"mess\\u0061ge\",\"ch\":\"a\\/b\",\"from\":\"\\u00e9\"}", Now).Message!;
        Assert.That(text.DataJson, Is.EqualTo("\"hi \\\"there\\\"\""));
        Assert.That(text.Channel, Is.EqualTo("a/b"), "escaped channel decoded");
        Assert.That(text.From, Is.EqualTo("\u00e9"));
        var nested = TestFrames.Text("{\"type\":\"message\",\"ch\":\"c\",\"d\":{\"a\":[1, {\"b\":null}]},\"ts\":5}", Now).Message!;
        Assert.That(nested.DataJson, Is.EqualTo("{\"a\":[1, {\"b\":null}]}"));
        Assert.That(nested.Timestamp, Is.EqualTo(5));
    }

    [Test]
    public void BinaryFramesTryJsonFirst()
    {
        var json = ServerFrameReader.ReadBinary(Encoding.UTF8.GetBytes("{\"op\":\"pub\",\"ch\":\"c\",\"d\":1}"), Now);
        Assert.That(json.Kind, Is.EqualTo(ServerFrameKind.Message));
        Assert.That(ServerFrameReader.ReadBinary(Encoding.UTF8.GetBytes("hello-binary"), Now).Kind, Is.EqualTo(ServerFrameKind.RawBinary));
        Assert.That(ServerFrameReader.ReadBinary(new byte[] { 0xFF, 0xFE }, Now).Kind, Is.EqualTo(ServerFrameKind.RawBinary));
        Assert.That(ServerFrameReader.ReadBinary(new byte[] { 1, 2, 3 }, Now).RawBytes, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }
}
