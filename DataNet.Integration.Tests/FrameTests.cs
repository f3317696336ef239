using System.Collections.Generic;
using System.Text;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Malformed, raw and oversized frames: counted, reported, and never fatal to the connection.</summary>
public class FrameTests : SharedGatewayFixture
{
    private const string Lights = "project.local.lights";

    [Test]
    public async Task MalformedFramesAreCountedAndReported()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        client.Subscribe(Lights);
        await client.ConnectAsync();
        await gateway.Faults.InjectTextFrameAsync("not json");
        await gateway.Faults.InjectTextFrameAsync("{\"op\":\"pub\",\"d\":1}");
        await gateway.Faults.InjectTextFrameAsync("{\"type\":\"message\",\"ch\":\"" + Lights + "\",\"bin\":true,\"b64\":\"%%%\"}");
        await Eventually.TrueAsync(() => recorder.ErrorCount("malformed_frame") == 3, recorder.Pump);
        Assert.That(client.Stats.Malformed, Is.EqualTo(3));
        Assert.That(client.Stats.Received, Is.Zero);

        client.Publish(Lights, "1");
        await Eventually.TrueAsync(() => recorder.Messages.Count == 1, recorder.Pump);
        Assert.That(client.Stats.Reconnects, Is.Zero, "the connection survived");
    }

    [Test]
    public async Task RawBinaryFramesGoToTheSingleBinarySubscription()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        var raw = new List<DataNetMessage>();
        client.SubscribeBinary(Lights, raw.Add, "binary/dmx");
        client.Subscribe("project.local.json");
        await client.ConnectAsync();

        await gateway.Faults.InjectBinaryFrameAsync(new byte[] { 0xFF, 0xFE, 1 });
        await gateway.Faults.InjectBinaryFrameAsync(Encoding.UTF8.GetBytes("hello-binary"));
        // A JSON envelope in a binary frame is decoded as an envelope, not delivered raw.
        await gateway.Faults.InjectBinaryFrameAsync(Encoding.UTF8.GetBytes("{\"type\":\"message\",\"ch\":\"project.local.json\",\"d\":5}"));
        await Eventually.TrueAsync(() => raw.Count == 2 && recorder.Messages.Count == 3, recorder.Pump);
        Assert.Multiple(() =>
        {
            Assert.That(raw[0].IsRaw, Is.True);
            Assert.That(raw[0].Bytes, Is.EqualTo(new byte[] { 0xFF, 0xFE, 1 }));
            Assert.That(raw[0].ContentType, Is.EqualTo("binary/dmx"), "the subscription's content type");
            Assert.That(raw[0].From, Is.Empty);
            Assert.That(raw[1].Bytes, Is.EqualTo(Encoding.UTF8.GetBytes("hello-binary")));
            Assert.That(client.LastValues.GetValue("project.local.json", "value", -1), Is.EqualTo(5));
        });

        client.SubscribeBinary("project.local.other");
        await gateway.Faults.InjectBinaryFrameAsync(new byte[] { 7 });
        await Eventually.TrueAsync(() => recorder.ErrorCount("raw_binary_unroutable") == 1, recorder.Pump);
        Assert.That(recorder.Errors[^1].Message, Does.Contain("ambiguous"));
        Assert.That(raw, Has.Count.EqualTo(2));
        Assert.That(client.Stats.Malformed, Is.EqualTo(1));
    }

    [Test]
    public async Task OversizedPublishIsRefusedLocallyAndNothingIsLost()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { MaxMessageBytes = 1024 });
        var big = "\"" + new string('x', 2000) + "\"";
        Assert.That(() => client.Publish(Lights, big), Throws.ArgumentException.With.Message.Contains("MaxMessageBytes"));
        Assert.That(() => client.PublishBinary(Lights, new byte[900]), Throws.ArgumentException);
        Assert.That(client.Stats.Queued, Is.Zero);
        Assert.That(client.Publish(Lights, "1"), Is.True, "smaller messages still go");
        Assert.That(() => client.Publish(Lights, "{bad"), Throws.ArgumentException);
        Assert.That(client.Stats.Queued, Is.EqualTo(1));
    }

    [Test]
    public async Task AGatewayWithASmallerFrameLimitClosesWith1009AndTheClientCarriesOn()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, MaxFrameBytes = 1024 });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        client.Subscribe(Lights);
        await client.ConnectAsync();
        client.Publish(Lights, "\"" + new string('x', 2000) + "\"");
        await Eventually.TrueAsync(() => recorder.Disconnects.Count == 1, recorder.Pump);
        Assert.That(recorder.Disconnects[0], Does.Contain("1009"));
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump);

        client.Publish(Lights, "1");
        await Eventually.TrueAsync(() => recorder.Messages.Count == 1, recorder.Pump);
        var stats = client.Stats;
        Assert.That(stats.Published, Is.EqualTo(2), "the oversized one was sent once and not retried forever");
        Assert.That(stats.Reconnects, Is.EqualTo(1));
        Assert.That(stats.Queued, Is.Zero);
    }
}
