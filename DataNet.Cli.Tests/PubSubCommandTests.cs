using System.Linq;
using System.Text.Json;

namespace DataNet.Cli.Tests;

/// <summary>`datanet sub` and `datanet pub` against a real gateway, as a user would run them side by side.</summary>
[TestFixture]
public sealed class PubSubCommandTests : CliGatewayFixture
{
    [Test]
    public async Task PubThenSubRoundTrip()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.roundtrip", "--count", "1");
        await WaitUntilListeningAsync(sub);

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.roundtrip", "{\"value\":42}");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        Assert.That(pub.Output.Text, Does.Contain("Published 1 message (JSON) to cli.roundtrip"));
        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        Assert.That(sub.Output.Text, Does.Contain("cli.roundtrip").And.Contain("{\"value\":42}"), sub.ToString());
    }

    [Test]
    public async Task SubJsonPrintsOneParsableObjectPerMessage()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.json", "--json", "--count", "3");
        await WaitUntilListeningAsync(sub);

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.json", "{\"env\":{\"t\":21.5},\"name\":\"é\"}", "--rate", "100", "--count", "3");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        var lines = sub.Output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(3), sub.ToString());
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            Assert.That(root.GetProperty("channel").GetString(), Is.EqualTo("cli.json"));
            Assert.That(root.GetProperty("contentType").GetString(), Is.EqualTo("application/json"));
            Assert.That(root.GetProperty("timestamp").GetInt64(), Is.GreaterThan(0));
            Assert.That(root.GetProperty("data").GetProperty("env").GetProperty("t").GetDouble(), Is.EqualTo(21.5));
            Assert.That(root.GetProperty("data").GetProperty("name").GetString(), Is.EqualTo("é"));
        }
    }

    [Test]
    public async Task StdinPublishesEachLineAndReportsTheBadOneWithoutLosingTheOthers()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.stdin", "--json", "--count", "2");
        await WaitUntilListeningAsync(sub);

        await using var pub = await CliRun.RunWithInputAsync(
            Environment,
            "{\"i\":1}\nnot json\n\n{\"i\":2}\n",
            "pub",
            "cli.stdin",
            "--stdin");

        Assert.That(await pub.Exit, Is.EqualTo(2), pub.ToString());
        Assert.That(pub.Error.Text, Does.Contain("line 2 not sent, not valid JSON"));
        Assert.That(pub.Error.Text, Does.Contain("1 of 3 input line(s) were not sent (1 not valid JSON, 0 too big)"));
        Assert.That(pub.Output.Text, Does.Contain("3 line(s) read: 2 published, 1 not valid JSON, 0 too big."), "the counts add up");
        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        var values = sub.Output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("data").GetProperty("i").GetInt32());
        Assert.That(values, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task ChannelComesFromTheEnvironmentWhenNotGiven()
    {
        var environment = Environment;
        environment["DATANET_CHANNEL"] = "cli.fromenv";
        await using var sub = CliRun.Start(environment, "sub", "--json", "--count", "1");
        await WaitUntilListeningAsync(sub);

        await using var pub = await CliRun.RunAsync(environment, "pub", "{\"x\":1}");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        Assert.That(sub.Output.Text, Does.Contain("\"channel\":\"cli.fromenv\""));
    }

    [Test]
    public async Task PresenceCountsARunningSubscriber()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.presence");
        await WaitUntilListeningAsync(sub);

        await using var presence = await CliRun.RunAsync(Environment, "presence", "cli.presence", "--json");

        Assert.That(await presence.Exit, Is.Zero, presence.ToString());
        using var document = JsonDocument.Parse(presence.Output.Text);
        Assert.That(document.RootElement.GetProperty("channel").GetString(), Is.EqualTo("cli.presence"));
        Assert.That(document.RootElement.GetProperty("occupancy").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(await sub.InterruptAsync(), Is.Zero, "Ctrl-C ends sub cleanly");
    }

    internal static async Task WaitUntilListeningAsync(CliRun run)
    {
        await Eventually.TrueAsync(
            () => run.Error.Text.Contains("Listening on", StringComparison.Ordinal) || run.Exit.IsCompleted,
            TimeSpan.FromSeconds(20),
            "sub announces it is listening");
        Assert.That(run.Exit.IsCompleted, Is.False, $"sub ended early:\n{run}");
    }
}
