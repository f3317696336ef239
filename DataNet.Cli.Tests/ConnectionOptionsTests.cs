using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;

namespace DataNet.Cli.Tests;

/// <summary>Option, then environment variable, then default; without a key, the local gateway.</summary>
[TestFixture]
public sealed class ConnectionOptionsTests
{
    [Test]
    public void WithoutAKeyEverythingTargetsTheLocalGateway()
    {
        var settings = Bind([], []);

        Assert.That(settings.ApiUrl, Is.EqualTo("http://127.0.0.1:8080"));
        Assert.That(settings.WsUrl, Is.EqualTo("ws://127.0.0.1:8080"));
        Assert.That(settings.UsesLocalDevKey, Is.True);
        Assert.That(settings.ApiKey, Does.StartWith("ak_"));
        Assert.That(settings.ClientId, Is.EqualTo("datanet-cli"));
        Assert.That(settings.DeviceId, Does.StartWith("cli-"), "the tool's own device id, not TouchDesigner's");
    }

    [Test]
    public void AKeyTargetsTheCloud()
    {
        var settings = Bind([], new() { ["DATANET_API_KEY"] = "ak_live_secret" });

        Assert.That(settings.ApiUrl, Is.EqualTo("https://api.datanet.art"));
        Assert.That(settings.WsUrl, Is.EqualTo("wss://ws.datanet.art"));
        Assert.That(settings.UsesLocalDevKey, Is.False);
        Assert.That(settings.ToString(), Does.Not.Contain("ak_live_secret"));
        Assert.That(settings.Describe(), Does.Not.Contain("ak_live_secret"));
    }

    [Test]
    public void EnvironmentVariablesAreRead()
    {
        var settings = Bind([], new()
        {
            ["DATANET_API_KEY"] = "ak_x",
            ["DATANET_API_URL"] = "https://api.example.org/",
            ["DATANET_DEVICE_ID"] = "stage-left",
            ["DATANET_CLIENT_ID"] = "show-control",
        });

        Assert.That(settings.ApiUrl, Is.EqualTo("https://api.example.org"));
        Assert.That(settings.WsUrl, Is.EqualTo("wss://api.example.org"), "the socket lives on the API's host when only the API URL is set");
        Assert.That(settings.DeviceId, Is.EqualTo("stage-left"));
        Assert.That(settings.ClientId, Is.EqualTo("show-control"));
    }

    [Test]
    public void OptionsWinOverEnvironmentVariables()
    {
        var settings = Bind(
            ["--api-url", "http://127.0.0.1:9000", "--ws-url", "ws://127.0.0.1:9001/ws", "--device-id", "cli-device"],
            new() { ["DATANET_API_URL"] = "http://127.0.0.1:1", ["DATANET_WS_URL"] = "ws://127.0.0.1:2", ["DATANET_DEVICE_ID"] = "env-device" });

        Assert.That(settings.ApiUrl, Is.EqualTo("http://127.0.0.1:9000"));
        Assert.That(settings.WsUrl, Is.EqualTo("ws://127.0.0.1:9001/ws"));
        Assert.That(settings.DeviceId, Is.EqualTo("cli-device"));
        Assert.That(settings.UsesLocalDevKey, Is.True);
    }

    [Test]
    public void TheWebSocketVariableAloneIsUsed()
    {
        var settings = Bind([], new() { ["DATANET_WS_URL"] = "ws://127.0.0.1:9002" });

        Assert.That(settings.ApiUrl, Is.EqualTo("http://127.0.0.1:8080"));
        Assert.That(settings.WsUrl, Is.EqualTo("ws://127.0.0.1:9002"));
    }

    [Test]
    public void ABadUrlNamesWhereItCameFrom()
    {
        var fromVariable = Assert.Throws<CliException>(() => Bind([], new() { ["DATANET_WS_URL"] = "http://nope" }));
        Assert.That(fromVariable!.Message, Does.StartWith("$DATANET_WS_URL: 'http://nope' is not a ws or wss URL"));
        var fromOption = Assert.Throws<CliException>(() => Bind(["--api-url", "ftp://nope"], new() { ["DATANET_API_URL"] = "http://127.0.0.1:1" }));
        Assert.That(fromOption!.Message, Does.StartWith("--api-url: 'ftp://nope'"));
    }

    [Test]
    public void ClientOptionsCarryTheSettings()
    {
        var options = Bind(["--api-key", "ak_opt"], []).ToClientOptions();

        Assert.That(options.ApiKey, Is.EqualTo("ak_opt"));
        Assert.That(options.ApiUrl, Is.EqualTo("https://api.datanet.art"));
        Assert.That(options.WsUrl, Is.EqualTo("wss://ws.datanet.art"));
        Assert.That(options.ClientId, Is.EqualTo("datanet-cli"));
    }

    private static ConnectionSettings Bind(string[] args, Dictionary<string, string> environment)
    {
        var options = new ConnectionOptions();
        var command = new RootCommand();
        options.AddTo(command);
        var parseResult = command.Parse(args);
        Assert.That(parseResult.Errors, Is.Empty);
        return options.Bind(parseResult, CliConsole.Captured(TextWriter.Null, TextWriter.Null, environment: environment));
    }
}
