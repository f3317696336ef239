using System.Linq;
using System.Text;
using System.Text.Json;

namespace DataNet.Cli.Tests;

/// <summary>`datanet pub --dmx` and `--artnet`: the exact bytes on the wire, seen by a bare WebSocket subscriber.</summary>
[TestFixture]
public sealed class BinaryPubCommandTests : CliGatewayFixture
{
    [Test]
    public async Task DmxFrameIsClampedTruncatedAndZeroFilled()
    {
        await using var raw = await RawSubscriber.SubscribeAsync(Gateway, "cli.dmx");

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.dmx", "--dmx", "255, 300,-1,12.8", "--length", "6", "--meta", "{\"universe\":1}");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        var frame = await SingleMessageAsync(raw);
        Assert.That(frame.GetProperty("bin").GetBoolean(), Is.True);
        Assert.That(frame.GetProperty("ct").GetString(), Is.EqualTo("binary/dmx"));
        Assert.That(Convert.FromBase64String(frame.GetProperty("b64").GetString()!), Is.EqualTo(new byte[] { 255, 255, 0, 12, 0, 0 }));
        Assert.That(frame.GetProperty("meta").GetProperty("universe").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task DmxFrameDefaultsToAFullUniverse()
    {
        await using var raw = await RawSubscriber.SubscribeAsync(Gateway, "cli.dmx512");

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.dmx512", "--dmx", "1,2,3");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        var bytes = Convert.FromBase64String((await SingleMessageAsync(raw)).GetProperty("b64").GetString()!);
        Assert.That(bytes, Has.Length.EqualTo(512));
        Assert.That(bytes.Take(4), Is.EqualTo(new byte[] { 1, 2, 3, 0 }));
    }

    [Test]
    public async Task ArtNetPacketCarriesTheAddressAndTheFrame()
    {
        await using var raw = await RawSubscriber.SubscribeAsync(Gateway, "cli.artnet");

        await using var pub = await CliRun.RunAsync(
            Environment, "pub", "cli.artnet", "--dmx", "1,2,3", "--length", "3", "--artnet", "--universe", "2", "--subnet", "1", "--net", "3");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        var frame = await SingleMessageAsync(raw);
        Assert.That(frame.GetProperty("ct").GetString(), Is.EqualTo("binary/artnet"));
        var packet = Convert.FromBase64String(frame.GetProperty("b64").GetString()!);
        Assert.That(Encoding.ASCII.GetString(packet, 0, 7), Is.EqualTo("Art-Net"));
        Assert.Multiple(() =>
        {
            Assert.That(packet[7], Is.Zero);
            Assert.That(packet[8], Is.Zero, "OpDmx low byte");
            Assert.That(packet[9], Is.EqualTo(0x50), "OpDmx high byte");
            Assert.That(packet[11], Is.EqualTo(14), "protocol version");
            Assert.That(packet[12], Is.EqualTo(1), "first sequence number");
            Assert.That(packet[14], Is.EqualTo(0x12), "(subnet << 4) | universe");
            Assert.That(packet[15], Is.EqualTo(3), "net");
            Assert.That((packet[16] << 8) | packet[17], Is.EqualTo(4), "odd length rounded up to even");
            Assert.That(packet.Skip(18), Is.EqualTo(new byte[] { 1, 2, 3, 0 }));
        });
    }

    [Test]
    public async Task ArtNetStreamCountsTheSequence()
    {
        await using var raw = await RawSubscriber.SubscribeAsync(Gateway, "cli.artnet.seq");

        await using var pub = await CliRun.RunAsync(
            Environment, "pub", "cli.artnet.seq", "--dmx", "9", "--artnet", "--rate", "200", "--count", "3");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        await Eventually.TrueAsync(() => raw.MessageCount == 3, because: "three packets");
        var sequences = raw.Messages().Select(m => Convert.FromBase64String(m.GetProperty("b64").GetString()!)[12]);
        Assert.That(sequences, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public async Task SubShowsBinaryMessagesAsJsonLines()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.dmx.sub", "--json", "--count", "1");
        await PubSubCommandTests.WaitUntilListeningAsync(sub);

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.dmx.sub", "--dmx", "0,1,2,255", "--length", "4");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        using var line = JsonDocument.Parse(sub.Output.Text);
        Assert.That(line.RootElement.GetProperty("contentType").GetString(), Is.EqualTo("binary/dmx"));
        Assert.That(line.RootElement.GetProperty("data").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(line.RootElement.GetProperty("bytes").GetInt32(), Is.EqualTo(4));
        Assert.That(line.RootElement.GetProperty("b64").GetString(), Is.EqualTo("AAEC/w=="), "protocol.md's vector for [0,1,2,255]");
    }

    private static async Task<JsonElement> SingleMessageAsync(RawSubscriber raw)
    {
        await Eventually.TrueAsync(() => raw.MessageCount >= 1, because: "the published frame");
        Assert.That(raw.Messages(), Has.Count.EqualTo(1));
        return raw.Messages()[0];
    }
}
