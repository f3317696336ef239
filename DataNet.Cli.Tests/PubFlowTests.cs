using System.Linq;
using System.Text;
using DataNet.Gateway;

namespace DataNet.Cli.Tests;

/// <summary>`datanet pub` loses nothing silently: streams wait for the socket, oversize input is skipped and counted.</summary>
[TestFixture]
public sealed class PubFlowTests : CliGatewayFixture
{
    /// <summary>
    /// Room in the gateway for every message of the fast stream on its way to the subscriber: a subscriber starved of
    /// CPU on a busy machine must not make the gateway drop messages (as a slow consumer), since what is tested here
    /// is that the publishing side drops none.
    /// </summary>
    protected override GatewayOptions SharedGatewayOptions => base.SharedGatewayOptions with { OutboxMessages = 8192 };

    [Test]
    public async Task AStreamFasterThanTheSocketWaitsInsteadOfDropping()
    {
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "cli.flow.rate");

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.flow.rate", "{\"v\":1}", "--rate", "100000", "--count", "5000", "--timeout", "30");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        Assert.That(pub.Output.Text, Does.Contain("Published 5000 messages"), pub.ToString());
        await Eventually.TrueAsync(() => subscriber.MessageCount >= 5000,
            () => $"every message arrives (now {subscriber.MessageCount}; dropped by the gateway for a slow consumer: {Gateway.Stats.SlowConsumerDrops})",
            TimeSpan.FromSeconds(60));
        Assert.That(subscriber.Messages(), Has.Count.EqualTo(5000));
    }

    [Test]
    public async Task AMessageTooBigToSendIsOneLineWithExitCode2()
    {
        var big = "{\"s\":\"" + new string('x', 1_100_000) + "\"}";

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.flow.big", big);

        Assert.That(await pub.Exit, Is.EqualTo(2), pub.ToString()[..Math.Min(2000, pub.ToString().Length)]);
        Assert.That(pub.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(pub.Error.Text, Does.StartWith("datanet: not sent: ").And.Contain("the limit is 1048576").And.Not.Contain("Exception"));
    }

    [Test]
    public async Task ATooBigStdinLineIsSkippedCountedAndTheStreamGoesOn()
    {
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "cli.flow.stdin");
        var input = new StringBuilder()
            .Append("{\"i\":1}\n")
            .Append("{\"s\":\"").Append('x', 1_200_000).Append("\"}\n")
            .Append("{\"i\":2}\n")
            .ToString();

        await using var pub = await CliRun.RunWithInputAsync(Environment, input, "pub", "cli.flow.stdin", "--stdin");

        Assert.That(await pub.Exit, Is.EqualTo(2), pub.Error.Text);
        Assert.That(pub.Error.Text, Does.Contain("datanet: line 2 not sent, too big: 1,200,008 characters"));
        Assert.That(pub.Output.Text, Does.Contain("Published 2 messages").And.Contain("3 line(s) read: 2 published, 0 not valid JSON, 1 too big."));
        await Eventually.TrueAsync(() => subscriber.MessageCount >= 2, because: "the lines around the big one arrive");
        Assert.That(subscriber.Messages().Select(m => m.GetProperty("d").GetProperty("i").GetInt32()), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task ArtNetCarriesMetadataToo()
    {
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "cli.flow.artnet");

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.flow.artnet", "--dmx", "1,2", "--artnet", "--universe", "2", "--meta", "{\"universe\":2,\"fixture\":\"wash\"}");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        await Eventually.TrueAsync(() => subscriber.MessageCount >= 1, because: "the packet arrives");
        var message = subscriber.Messages()[0];
        Assert.That(message.GetProperty("ct").GetString(), Is.EqualTo("binary/artnet"));
        Assert.That(message.GetProperty("meta").GetProperty("fixture").GetString(), Is.EqualTo("wash"));
        Assert.That(Convert.FromBase64String(message.GetProperty("b64").GetString()!)[14], Is.EqualTo(2), "the packet keeps its own address");
    }
}
