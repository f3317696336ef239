using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace DataNet.Cli.Tests;

/// <summary>What mosquitto_sub and the nats CLI users expect: --raw, an idle timeout, and doctor --json.</summary>
[TestFixture]
public sealed class SubOptionsTests : CliGatewayFixture
{
    [Test]
    public async Task RawPrintsTheDataOnly()
    {
        await using var sub = CliRun.Start(Environment, "sub", "cli.raw", "--raw", "--count", "2");
        await PubSubCommandTests.WaitUntilListeningAsync(sub);

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "cli.raw", "{\"v\":[1,\"a\"]}"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        await using (var pub = await CliRun.RunAsync(Environment, "pub", "cli.raw", "--dmx", "0,1,2,255", "--length", "4"))
        {
            Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        }

        Assert.That(await sub.WaitAsync(), Is.Zero, sub.ToString());
        Assert.That(sub.Output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "{\"v\":[1,\"a\"]}", "AAEC/w==" }), sub.ToString());
    }

    [Test]
    public async Task IdleTimeoutEndsAQuietSubscription()
    {
        await using var sub = await CliRun.RunAsync(Environment, "sub", "cli.idle", "--idle-timeout", "0.3");

        Assert.That(await sub.Exit, Is.Zero, sub.ToString());
        Assert.That(sub.Error.Text, Does.Contain("No message for 0.3 s: stopping after 0 message(s)."), sub.ToString());
    }

    [Test]
    public async Task DoctorJsonIsOneObjectWithEveryCheck()
    {
        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = "http://127.0.0.1:9" };
        var missing = Path.Combine(Path.GetTempPath(), "no-such-sdk-" + Guid.NewGuid().ToString("N"));

        await using var run = await CliRun.RunAsync(environment, "doctor", "--json", "--sdk", missing, "--timeout", "3");

        Assert.That(await run.Exit, Is.EqualTo(1), run.ToString());
        using var document = JsonDocument.Parse(run.Output.Text);
        var root = document.RootElement;
        Assert.That(root.GetProperty("ready").GetBoolean(), Is.False);
        Assert.That(root.GetProperty("failed").GetInt32(), Is.GreaterThan(0));
        var checks = root.GetProperty("checks");
        Assert.That(checks.GetArrayLength(), Is.EqualTo(root.GetProperty("passed").GetInt32() + root.GetProperty("failed").GetInt32() + root.GetProperty("skipped").GetInt32()));
        Assert.That(checks[checks.GetArrayLength() - 1].GetProperty("name").GetString(), Is.EqualTo("API"));
        Assert.That(checks[checks.GetArrayLength() - 1].GetProperty("outcome").GetString(), Is.EqualTo("failed"));
    }
}
