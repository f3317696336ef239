using System.Collections.Generic;
using System.IO;
using System.Text.RegularExpressions;

namespace DataNet.Cli.Tests;

/// <summary>`datanet gateway`: serves until Ctrl-C; a taken port or a bad config is one clear line.</summary>
[TestFixture]
public sealed class GatewayCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    /// <summary>Not the user's own key file: tests keep out of the per-user data folder.</summary>
    private static string KeyFile => Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-gateway-signing-key");

    [Test]
    public async Task ServesUntilCtrlC()
    {
        await using var gateway = CliRun.Start(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile);
        await Eventually.TrueAsync(() => gateway.Output.Text.Contains("Press Ctrl-C", StringComparison.Ordinal) || gateway.Exit.IsCompleted, TimeSpan.FromSeconds(20));
        var url = Regex.Match(gateway.Output.Text, @"API URL \(apiUrl in the SDKs, DATANET_API_URL\): +(http://127\.0\.0\.1:\d+)\n");
        Assert.That(url.Success, Is.True, gateway.ToString());
        Assert.That(gateway.Output.Text, Does.Not.Contain("Web page"), "no page unless --web");

        var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = url.Groups[1].Value };
        await using var pub = await CliRun.RunAsync(environment, "pub", "cli.gateway", "{\"ok\":true}");
        Assert.That(await pub.Exit, Is.Zero, pub.ToString());

        Assert.That(await gateway.InterruptAsync(), Is.Zero, gateway.ToString());
        Assert.That(gateway.Output.Text, Does.Contain("Gateway stopped."));
    }

    [Test]
    public async Task EveryGatewayOptionIsThere()
    {
        await using var gateway = CliRun.Start(
            NoEnvironment, "gateway", "--port", "0", "--signing-key", KeyFile, "--token-lifetime", "42.25", "--max-frame-bytes", "4096",
            "--fault-controls", "--record-frames", "--web", "--log-json", "--verbose");
        await Eventually.TrueAsync(() => gateway.Output.Text.Contains("Press Ctrl-C", StringComparison.Ordinal) || gateway.Exit.IsCompleted, TimeSpan.FromSeconds(20));
        var url = Regex.Match(gateway.Output.Text, @"API URL \(apiUrl in the SDKs, DATANET_API_URL\): +(http://127\.0\.0\.1:\d+)\n");
        Assert.That(url.Success, Is.True, gateway.ToString());

        using var http = new System.Net.Http.HttpClient();
        using var response = await http.PostAsync(new Uri(new Uri(url.Groups[1].Value), "/auth/token"),
            new System.Net.Http.StringContent("{\"apiKey\":\"ak_options\"}", System.Text.Encoding.UTF8, "application/json"));
        var token = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        var claims = Jwt.Payload(token);
        Assert.That(claims.GetProperty("expMs").GetInt64() - (claims.GetProperty("iat").GetInt64() * 1000), Is.InRange(42_250, 43_250), "--token-lifetime, to the ms");
        using var faults = await http.GetAsync(new Uri(new Uri(url.Groups[1].Value), "/faults"));
        Assert.That(faults.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), "--fault-controls");
        using var frames = await http.GetAsync(new Uri(new Uri(url.Groups[1].Value), "/faults/frames"));
        Assert.That(await frames.Content.ReadAsStringAsync(), Is.EqualTo("[]"), "--record-frames");
        var page = Regex.Match(gateway.Output.Text, @"  Web page \(channels, clients, live plot\): +(http://127\.0\.0\.1:\d+/web/)\n");
        Assert.That(page.Success, Is.True, "--web: " + gateway);
        Assert.That(await http.GetStringAsync(new Uri(page.Groups[1].Value)), Does.Contain("<title>DataNet local gateway</title>"), "--web");
        Assert.That(await gateway.InterruptAsync(), Is.Zero, gateway.ToString());
    }

    [TestCase("--token-lifetime", "0")]
    [TestCase("--token-lifetime", "ten")]
    [TestCase("--token-lifetime", "NaN")]
    public async Task ABadTokenLifetimeIsAUsageError(string option, string value)
    {
        await using var run = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, option, value);

        Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error.Text, Does.StartWith($"datanet: --token-lifetime: give a number of seconds from 0.001 to 315360000, not '{value}'"));
    }

    [Test]
    public async Task FaultControlsAreRefusedOffLoopback()
    {
        await using var run = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, "--bind", "0.0.0.0", "--fault-controls");

        Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error.Text.TrimEnd(), Is.EqualTo("datanet: --fault-controls is served on a loopback --bind only, not on 0.0.0.0"), run.ToString());
    }

    [Test]
    public async Task WebNetworkWithoutWebIsAUsageError()
    {
        await using var run = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, "--web-network");

        Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error.Text.TrimEnd(), Is.EqualTo("datanet: --web-network opens the web page to the network: add --web"), run.ToString());
    }

    [Test]
    public async Task TakenPortIsOneLine()
    {
        await using var first = CliRun.Start(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile);
        await Eventually.TrueAsync(() => first.Output.Text.Contains("Press Ctrl-C", StringComparison.Ordinal) || first.Exit.IsCompleted, TimeSpan.FromSeconds(20));
        var port = Regex.Match(first.Output.Text, @"127\.0\.0\.1:(\d+)").Groups[1].Value;

        await using var second = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", port, "--quiet", "--signing-key", KeyFile);

        Assert.That(await second.Exit, Is.EqualTo(1), second.ToString());
        Assert.That(second.Error.Text, Does.StartWith($"datanet: Cannot listen on 127.0.0.1:{port}").And.Contain("pick another --port"));
        Assert.That(second.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task MissingConfigIsAUsageError()
    {
        await using var run = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, "--config", Path.Combine(Path.GetTempPath(), "no-such-datanet-config.json"));

        Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error.Text, Does.StartWith("datanet: --config: no such file"));
    }

    [TestCase("""{ "keys": [] }""", TestName = "A config of the wrong shape is one line without .NET type names (array for object)")]
    [TestCase("""{ "projects": { "p": { "deviceLimit": "five" } } }""", TestName = "A config of the wrong shape is one line without .NET type names (text for number)")]
    [TestCase("""[1, 2]""", TestName = "A config of the wrong shape is one line without .NET type names (top-level array)")]
    public async Task BadConfigShapeIsOneLine(string json)
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-bad-shape-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            await using var run = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, "--config", file);

            Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
            Assert.That(run.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.ToString());
            Assert.That(run.Error.Text, Does.StartWith("datanet: Gateway config '").And.Contain("(line 1): a value has the wrong type"), run.ToString());
            Assert.That(run.Error.Text, Does.Not.Match(@"System\.|DataNet\.Gateway\.|Dictionary|`|\[\["), run.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
