using System.IO;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace DataNet.Cli.Tests;

/// <summary>
/// `datanet gateway` as its own process: the labelled URLs once ready, --config, SIGTERM closing every socket
/// with 1001 and logging the stop, and tokens that stay valid when the process is started again.
/// </summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "Sends SIGTERM with /bin/kill")]
public sealed class GatewayProcessTests
{
    private string _folder = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "datanet-gateway-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task ServesTheConfigAndStopsOnSigtermClosingSocketsWith1001()
    {
        var config = Path.Combine(_folder, "gateway.json");
        await File.WriteAllTextAsync(config, """{ "allowDevKeys": false, "keys": { "cli-key": { "project": "cli" } } }""");
        using var gateway = await GatewayProcess.StartReadyAsync(["--port", "0", "--config", config], _folder);

        Assert.That(gateway.Banner, Does.Match(@"API URL \(apiUrl in the SDKs, DATANET_API_URL\): +http://127\.0\.0\.1:\d+\n"));
        Assert.That(gateway.Banner, Does.Match(@"WebSocket base \(wsUrl in the SDKs, they add /ws\): +ws://127\.0\.0\.1:\d+\n"));
        Assert.That(gateway.Banner, Does.Match(@"WebSocket endpoint \(full URL\): +ws://127\.0\.0\.1:\d+/ws\n"));
        var token = await TokenAsync(gateway.ApiUrl, "cli-key");
        Assert.That(Jwt.Payload(token).GetProperty("pid").GetString(), Is.EqualTo("cli"), "--config was read");
        var (socket, _) = await RawSocket.ConnectAsync(gateway.WsUrl, token);
        using (socket)
        {
            gateway.Process.Signal("TERM");

            var close = await socket.ReceiveAsync(TimeSpan.FromSeconds(30));
            Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable), "1001 going away");
        }

        Assert.That(await gateway.Process.WaitAsync(), Is.Zero, gateway.Process.ToString());
        Assert.That(gateway.Process.Output.Text, Does.Contain("Gateway stopping: closing 1 connection(s) with 1001"), gateway.Process.ToString());
        Assert.That(gateway.Process.Output.Text, Does.Match(@"Connection conn_1 closed \(gateway stopping\)"), gateway.Process.ToString());
        Assert.That(gateway.Process.Output.Text, Does.Contain("Gateway stopped."));
        Assert.That(gateway.Process.Output.Text + gateway.Process.Error.Text, Does.Not.Contain(token.Split('.')[2]), "no token in the log");
    }

    [Test]
    public async Task ATokenFromBeforeARestartOfTheProcessIsStillAccepted()
    {
        string token;
        int port;
        using (var first = await GatewayProcess.StartReadyAsync(["--port", "0"], _folder))
        {
            token = await TokenAsync(first.ApiUrl, "ak_saved");
            port = first.ApiUrl.Port;
            first.Process.Signal("TERM");
            Assert.That(await first.Process.WaitAsync(), Is.Zero, first.Process.ToString());
        }

        // The signing key lives in the per-user data folder (here under XDG_CONFIG_HOME): a new process uses it again.
        Assert.That(Directory.GetFiles(_folder, "gateway-signing-key", SearchOption.AllDirectories), Has.Length.EqualTo(1));
        using var second = await GatewayProcess.StartReadyAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)], _folder);
        var (socket, connected) = await RawSocket.ConnectAsync(second.WsUrl, token);
        using (socket)
        {
            Assert.That(connected, Does.StartWith("{\"type\":\"connected\""), "the saved token is accepted");
        }
    }

    [Test]
    public async Task APortInUseIsOneLineWithoutAStackTrace()
    {
        using var first = await GatewayProcess.StartReadyAsync(["--port", "0"], _folder);
        using var second = GatewayProcess.Start(["--port", first.ApiUrl.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], _folder);

        Assert.That(await second.WaitAsync(), Is.EqualTo(1), second.ToString());
        Assert.That(second.Error.Text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), second.ToString());
        Assert.That(second.Error.Text, Does.StartWith("datanet: Cannot listen on 127.0.0.1:"));
        Assert.That(second.Output.Text + second.Error.Text, Does.Not.Contain("   at ").And.Not.Contain("Exception"), second.ToString());
    }

    private static async Task<string> TokenAsync(Uri apiUrl, string key)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(apiUrl, "/auth/token"),
            new StringContent($$"""{"apiKey":"{{key}}"}""", Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
    }
}
