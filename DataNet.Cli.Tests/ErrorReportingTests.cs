using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using DataNet.Gateway;

namespace DataNet.Cli.Tests;

/// <summary>Expected failures end with one clear line and a non-zero exit code: never a stack trace, never the key.</summary>
[TestFixture]
public sealed class ErrorReportingTests : CliGatewayFixture
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [TestCase("pub", "cli.x", "{value:42}", ExpectedResult = "not valid JSON")]
    [TestCase("pub", "cli.x", "", ExpectedResult = "not valid JSON: it is empty")]
    [TestCase("pub", "cli.x", "--dmx", "255,abc", ExpectedResult = "'abc' (value 2) is not a number")]
    [TestCase("pub", "cli.x", "--dmx", "1", "--length", "600", ExpectedResult = "--length: give 1 to 512")]
    [TestCase("pub", "cli.x", "--dmx", "1", "--artnet", "--universe", "16", ExpectedResult = "--universe: give 0 to 15")]
    [TestCase("pub", "cli.x", "{}", "--artnet", ExpectedResult = "--artnet needs --dmx VALUES")]
    [TestCase("pub", "cli.x", "{}", "--stdin", ExpectedResult = "give only one of")]
    [TestCase("pub", "cli.x", ExpectedResult = "nothing to publish")]
    [TestCase("pub", "cli.x", "{}", "--rate", "0", ExpectedResult = "--rate: give messages per second above 0")]
    [TestCase("pub", "{}", ExpectedResult = "no channel for this message")]
    [TestCase("pub", "cli.x", ExpectedResult = "nothing to publish")]
    [TestCase("pub", "", "1", ExpectedResult = "datanet: the channel is empty (see 'datanet pub --help')")]
    [TestCase("pub", "  ", "1", ExpectedResult = "the channel is empty")]
    [TestCase("pub", "--bogus", "{\"a\":1}", ExpectedResult = "datanet: unknown option '--bogus' (see 'datanet pub --help')")]
    [TestCase("pub", "cli.x", "--bogus", ExpectedResult = "unknown option '--bogus'")]
    [TestCase("sub", "--bogus", "x", ExpectedResult = "datanet: unknown option '--bogus' (see 'datanet sub --help')")]
    [TestCase("sub", "x", "", ExpectedResult = "the channel is empty")]
    [TestCase("sub", "x", "--json", "--raw", ExpectedResult = "give only one of --json and --raw")]
    [TestCase("sub", "x", "--idle-timeout", "0", ExpectedResult = "--idle-timeout: give a number of seconds above 0")]
    [TestCase("presence", "-x", ExpectedResult = "unknown option '-x'")]
    [TestCase("gateway", "--bogus", ExpectedResult = "Unrecognized command or argument '--bogus'")]
    [TestCase("gateway", "--quiet", "--verbose", ExpectedResult = "--quiet logs nothing")]
    [TestCase("sub", ExpectedResult = "no channel")]
    [TestCase("pub", "cli.x", "{}", "--api-url", "ftp://x", ExpectedResult = "--api-url: 'ftp://x' is not a http or https URL")]
    [TestCase("pub", "cli.x", "{}", "--rate", "fast", ExpectedResult = "datanet: --rate: 'fast' is not a number (see 'datanet pub --help')")]
    [TestCase("pub", "cli.x", "{}", "--rate", "1", "--count", "1.5", ExpectedResult = "datanet: --count: '1.5' is not a whole number (see 'datanet pub --help')")]
    [TestCase("frobnicate", ExpectedResult = "Unrecognized command or argument 'frobnicate' (see 'datanet --help')")]
    public async Task<string> BadInputExitsWithUsageCodeAndOneClearLine(params string[] args)
    {
        // No gateway needed: input is checked before anything connects.
        await using var run = await CliRun.RunAsync(NoEnvironment, args);

        Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
        AssertOneLine(run);
        Assert.That(run.Error.Text, Does.Not.Contain("System."), "no .NET type names");
        Assert.That(run.Output.Text, Is.Empty, run.ToString());
        return Matched(run.Error.Text, TestContext.CurrentContext.Test.ExpectedResult as string);
    }

    [Test]
    public async Task UnreachableGatewayIsOneLineWithAFix()
    {
        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = $"http://127.0.0.1:{ClosedPort()}" };

        await using var run = await CliRun.RunAsync(environment, "pub", "cli.x", "{}", "--timeout", "2");

        Assert.That(await run.Exit, Is.EqualTo(3), run.ToString());
        Assert.That(run.Error.Text, Does.StartWith("datanet: cannot reach the gateway at http://127.0.0.1:"));
        Assert.That(run.Error.Text, Does.Contain("datanet gateway"));
        AssertOneLine(run);
    }

    [Test]
    public async Task RejectedKeyIsReportedWithoutTheKey()
    {
        const string key = "sk_not_a_datanet_key_1234";
        var environment = Environment;
        environment["DATANET_API_KEY"] = key;

        await using var run = await CliRun.RunAsync(environment, "pub", "cli.x", "{}", "--timeout", "10");

        Assert.That(await run.Exit, Is.EqualTo(4), run.ToString());
        Assert.That(run.Error.Text, Does.Contain("the API key was rejected"));
        Assert.That(run.Error.Text + run.Output.Text, Does.Not.Contain(key));
        AssertOneLine(run);
    }

    [Test]
    public async Task RateLimitedPublishEndsWithItsOwnCode()
    {
        var config = new GatewayConfig
        {
            Keys = new Dictionary<string, ApiKeyConfig> { ["ak_slow"] = new() { Project = "slow" } },
            Projects = new Dictionary<string, ProjectConfig> { ["slow"] = new() { MessagesPerSecond = 2 } },
        };
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = config });
        var environment = new Dictionary<string, string>
        {
            ["DATANET_API_URL"] = gateway.ApiUrl.ToString().TrimEnd('/'),
            ["DATANET_API_KEY"] = "ak_slow",
        };

        await using var run = await CliRun.RunAsync(environment, "pub", "cli.fast", "{}", "--rate", "200", "--count", "50");

        Assert.That(await run.Exit, Is.EqualTo(5), run.ToString());
        Assert.That(run.Error.Text, Does.StartWith("datanet: rate limited"));
        Assert.That(run.Error.Text, Does.Not.Contain("ak_slow"));
        AssertOneLine(run);
    }

    [Test]
    public async Task MissingScopesAreReportedAsKeyProblems()
    {
        var config = new GatewayConfig
        {
            Keys = new Dictionary<string, ApiKeyConfig>
            {
                ["ak_listener"] = new() { Scopes = [GatewayScopes.Sub] },
            },
        };
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = config });
        var environment = new Dictionary<string, string>
        {
            ["DATANET_API_URL"] = gateway.ApiUrl.ToString().TrimEnd('/'),
            ["DATANET_API_KEY"] = "ak_listener",
        };

        await using var pub = await CliRun.RunAsync(environment, "pub", "cli.scoped", "{}");
        await using var presence = await CliRun.RunAsync(environment, "presence", "cli.scoped");

        Assert.That(await pub.Exit, Is.EqualTo(4), pub.ToString());
        Assert.That(pub.Error.Text, Does.StartWith("datanet: the API key lacks the 'pub' scope"));
        AssertOneLine(pub);
        Assert.That(await presence.Exit, Is.EqualTo(4), presence.ToString());
        Assert.That(presence.Error.Text, Does.StartWith("datanet: presence is not allowed"));
        AssertOneLine(presence);
    }

    private static string Matched(string error, string? expected) =>
        expected is not null && error.Contains(expected, System.StringComparison.Ordinal) ? expected : error;

    private static void AssertNoStackTrace(CliRun run) =>
        Assert.That(run.Error.Text + run.Output.Text, Does.Not.Contain("   at ").And.Not.Contain("Exception"), run.ToString());

    private static void AssertOneLine(CliRun run)
    {
        AssertNoStackTrace(run);
        Assert.That(run.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
