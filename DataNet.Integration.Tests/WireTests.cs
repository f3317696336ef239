using System.Collections.Generic;
using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>What actually crosses the wire, as the gateway recorded it.</summary>
public class WireTests
{
    private static string[] FramesOf(LocalGateway gateway, string connId) =>
        gateway.ClientFrames.Where(f => f.ConnId == connId).Select(f => f.Text).ToArray();

    [Test]
    public async Task EnvelopesAreExactAndResubscribeIsDeduplicatedAfterARestart()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, RecordClientFrames = true });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        client.Subscribe("demo.json");
        client.SubscribeBinary("demo.lighting.dmx", _ => { });
        client.Subscribe("demo.lighting.dmx");
        client.PublishBinary("demo.lighting.dmx", new byte[] { 1, 2, 3 }, "binary/dmx", "{\"universe\":1}");
        client.Publish("demo.json", "{\"value\":42}");
        await client.ConnectAsync();
        await Eventually.TrueAsync(() => recorder.Messages.Count == 2, recorder.Pump);

        var first = gateway.ClientFrames[0];
        Assert.That(first.DeviceId, Is.EqualTo("test-device-" + TestContext.CurrentContext.Test.ID), "the deviceId went into the token");
        Assert.That(gateway.ClientFrames.All(f => !f.IsBinary), Is.True, "every envelope is a text frame");
        Assert.That(FramesOf(gateway, first.ConnId), Is.EqualTo(new[]
        {
            "{\"op\":\"sub\",\"ch\":\"demo.json\"}",
            "{\"op\":\"sub\",\"ch\":\"demo.lighting.dmx\"}",
            "{\"op\":\"pub\",\"ch\":\"demo.lighting.dmx\",\"bin\":true,\"b64\":\"AQID\",\"ct\":\"binary/dmx\",\"meta\":{\"universe\":1}}",
            "{\"op\":\"pub\",\"ch\":\"demo.json\",\"d\":{\"value\":42}}",
        }));

        await gateway.RestartAsync();
        await Eventually.TrueAsync(() => recorder.Connected == 2, recorder.Pump);
        await Eventually.TrueAsync(() => gateway.GetOccupancy("demo.lighting.dmx") == 1 && gateway.GetOccupancy("demo.json") == 1);
        var second = gateway.ClientFrames.Last(f => f.ConnId != first.ConnId).ConnId;
        Assert.That(FramesOf(gateway, second), Is.EqualTo(new[]
        {
            "{\"op\":\"sub\",\"ch\":\"demo.json\"}",
            "{\"op\":\"sub\",\"ch\":\"demo.lighting.dmx\"}",
        }));
    }

    [Test]
    public async Task HeartbeatsAndUnsubscribeOnTheWire()
    {
        // Virtual time, shared with the gateway: the heartbeat comes when the test moves time by one interval, and no
        // stalled machine can make a dead-link reconnect add a sub to the exact frame list.
        var time = new VirtualTime();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, RecordClientFrames = true, TimeProvider = time });
        using var client = TestClients.OnVirtualTime(TestClients.For(gateway), time);
        System.Action<DataNetMessage> json = _ => { };
        System.Action<DataNetMessage> binary = _ => { };
        client.Subscribe("c", json);
        client.SubscribeBinary("c", binary);
        await client.ConnectAsync();
        Assert.That(gateway.ClientFrames.Any(f => f.Text == "{\"op\":\"hb\"}"), Is.False, "no heartbeat before its interval");
        time.Advance(client.Options.HeartbeatInterval);
        await Eventually.TrueAsync(() => gateway.ClientFrames.Any(f => f.Text == "{\"op\":\"hb\"}"));
        client.Unsubscribe("c", json);
        client.Unsubscribe("c", binary);
        await Eventually.TrueAsync(() => gateway.GetOccupancy("c") == 0);
        var texts = gateway.ClientFrames.Select(f => f.Text).Where(t => t != "{\"op\":\"hb\"}").ToArray();
        Assert.That(texts, Is.EqualTo(new[] { "{\"op\":\"sub\",\"ch\":\"c\"}", "{\"op\":\"unsub\",\"ch\":\"c\"}" }), "one sub, one unsub with the last handler");
    }
}
