using System.Collections.Generic;
using System.Linq;
using DataNet.Gateway;

namespace DataNet.Cli.Tests;

/// <summary>How `datanet` connects: failing at once or waiting on request, saying what answered, and as whom.</summary>
[TestFixture]
public sealed class ConnectBehaviourTests : CliGatewayFixture
{
    [Test]
    public async Task ARefusedConnectionFailsAtOnceNotAfterTheTimeout()
    {
        using var nobody = new NotDataNetServer();
        var port = nobody.Port;
        nobody.Dispose(); // nothing listens there now
        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = $"http://127.0.0.1:{port}" };

        // A 10-minute timeout: the run only ends within the helper's one-minute deadline if it does not wait for it.
        await using var run = await CliRun.RunAsync(environment, "pub", "cli.refused", "1", "--timeout", "600");

        Assert.That(await run.Exit, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error.Text, Does.StartWith($"datanet: cannot reach the gateway at http://127.0.0.1:{port} (Connection refused"), run.ToString());
        Assert.That(run.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
    }

    [Test]
    public async Task WaitKeepsRetryingUntilTheGatewayIsThere()
    {
        var server = new NotDataNetServer();
        var port = server.Port;
        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = $"http://127.0.0.1:{port}" };
        await using var pub = CliRun.Start(environment, "pub", "cli.wait", "1", "--wait", "--timeout", "60");
        try
        {
            await Eventually.TrueAsync(() => server.Requests >= 2 || pub.Exit.IsCompleted, TimeSpan.FromSeconds(30), "pub retries");
            Assert.That(pub.Exit.IsCompleted, Is.False, pub.ToString());
        }
        finally
        {
            server.Dispose();
        }

        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = port });
        Assert.That(await pub.WaitAsync(), Is.Zero, pub.ToString());
        Assert.That(pub.Output.Text, Does.Contain("Published 1 message"));
    }

    [Test]
    public async Task AServerThatIsNotDataNetIsSummarisedInOneLine()
    {
        using var server = new NotDataNetServer();
        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = server.Url.ToString().TrimEnd('/') };

        await using var run = await CliRun.RunAsync(environment, "pub", "cli.html", "1", "--timeout", "600");

        Assert.That(await run.Exit, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
        Assert.That(run.Error.Text, Does.StartWith($"datanet: {server.Url.ToString().TrimEnd('/')} answered HTTP 404 with an HTML page, not as a DataNet API does"), run.ToString());
        Assert.That(run.Error.Text, Does.Not.Contain("<"), run.ToString());
    }

    [Test]
    public async Task AFailingGatewayIsOneLineThatSaysTryAgain()
    {
        Gateway.Faults.FailAuth(503);
        try
        {
            await using var run = await CliRun.RunAsync(Environment, "pub", "cli.failing", "1", "--timeout", "600");

            Assert.That(await run.Exit, Is.EqualTo(3), run.ToString());
            Assert.That(run.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error.Text, Does.Contain("answered HTTP 503").And.Contain("the server failed; try again (--wait retries until --timeout)"), run.ToString());
        }
        finally
        {
            Gateway.Faults.ResetAuth();
        }
    }

    [Test]
    public async Task TheToolSendsItsOwnStableDeviceIdNotTouchDesigners()
    {
        await using var subscriber = await RawSubscriber.SubscribeAsync(Gateway, "cli.identity");
        var tdDeviceId = DataNet.Td.Auth.DeviceIdStore.GetOrCreate(DataNet.Td.Auth.DeviceIdStore.DefaultPath);

        await using var pub = await CliRun.RunAsync(Environment, "pub", "cli.identity", "1");
        await using var again = await CliRun.RunAsync(Environment, "pub", "cli.identity", "2");

        Assert.That(await pub.Exit, Is.Zero, pub.ToString());
        await Eventually.TrueAsync(() => subscriber.MessageCount >= 2, because: "both messages arrive");
        var senders = subscriber.Messages().Select(m => m.GetProperty("from").GetString()).Distinct().ToArray();
        Assert.That(senders, Has.Length.EqualTo(1), "a stable id across runs");
        Assert.That(senders[0], Does.StartWith("cli-").And.Not.EqualTo(tdDeviceId), "not TouchDesigner's device id");
    }
}
