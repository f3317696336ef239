using System.IO;
using System.Linq;
using System.Net.WebSockets;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Tests;

/// <summary>Start, stop, restart on the same port, connection count, config files, binding and logging.</summary>
[TestFixture]
public sealed class LifecycleTests : GatewayTestBase
{
    [Test]
    public void UrlsPointAtLoopbackAndTheRealPort()
    {
        Assert.That(Gateway.Port, Is.GreaterThan(0));
        Assert.That(Gateway.ApiUrl, Is.EqualTo(new Uri($"http://127.0.0.1:{Gateway.Port}")));
        Assert.That(Gateway.WsUrl, Is.EqualTo(new Uri($"ws://127.0.0.1:{Gateway.Port}")));
    }

    [Test]
    public async Task ConnectionCountFollowsOpenSockets()
    {
        Assert.That(Gateway.ConnectionCount, Is.Zero);
        var one = await ConnectAsync("device-1");
        using var two = await ConnectAsync("device-2");
        Assert.That(Gateway.ConnectionCount, Is.EqualTo(2));
        await one.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", default);
        one.Dispose();
        await Eventually.TrueAsync(() => Gateway.ConnectionCount == 1);
    }

    [Test]
    public async Task AClientCloseIsAnsweredWithACloseFrame()
    {
        using var socket = await ConnectAsync();
        using var deadline = Eventually.Deadline();
        await socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token);
        Assert.That(socket.Socket.State, Is.EqualTo(WebSocketState.Closed));
        Assert.That(socket.Socket.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }

    [Test]
    public async Task StopClosesSocketsAndRefusesConnectionsUntilRestartOnTheSamePort()
    {
        var port = Gateway.Port;
        var token = Gateway.IssueToken("ak_test", "device-1");
        using var socket = await ConnectAsync("device-1");

        await Gateway.StopAsync();
        Assert.That(Gateway.IsRunning, Is.False);
        var close = await socket.ReceiveAsync();
        Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable), "1001 going away");
        Assert.That(Gateway.ConnectionCount, Is.Zero);
        Assert.ThrowsAsync<WebSocketException>(async () => await RawSocket.ConnectAsync(Gateway.WsUrl, token));

        await Gateway.RestartAsync();
        Assert.That(Gateway.Port, Is.EqualTo(port));
        var (again, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, token);
        using (again)
        {
            Assert.That(connected, Does.StartWith("{\"type\":\"connected\""), "tokens issued before a restart stay valid");
        }
    }

    [Test]
    public async Task RestartWhileRunningDropsClientsAndServesAgain()
    {
        using var socket = await ConnectAsync("device-1");
        await Gateway.RestartAsync();
        var frame = await socket.ReceiveAsync();
        Assert.That(frame.Type, Is.EqualTo(WebSocketMessageType.Close));
        using var again = await ConnectAsync("device-1");
        Assert.That(await again.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }

    [Test]
    public void APortInUseIsAClearError()
    {
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => LocalGateway.StartAsync(new GatewayOptions { Port = Gateway.Port }));
        Assert.That(error!.Message, Does.Contain(Gateway.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public async Task AConfigFileDefinesKeysAndProjects()
    {
        var path = Path.Combine(Path.GetTempPath(), $"datanet-gateway-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """
            {
              // comments are allowed
              "allowDevKeys": false,
              "keys": { "studio-key": { "project": "studio", "scopes": ["pub", "sub"], "channelPrefixes": ["project.studio."] } },
              "projects": { "studio": { "channels": ["project.studio.lights"], "deviceLimit": 3, "topicLimit": 10, "messagesPerSecond": 50 } },
            }
            """);
        try
        {
            await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, ConfigPath = path });
            var payload = Jwt.Payload(gateway.IssueToken("studio-key"));
            Assert.That(payload.GetProperty("pid").GetString(), Is.EqualTo("studio"));
            Assert.Throws<ArgumentException>(() => gateway.IssueToken("ak_dev"), "dev keys are off");
            var (socket, _) = await RawSocket.ConnectAsync(gateway.WsUrl, gateway.IssueToken("studio-key"));
            using (socket)
            {
                Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.studio.other"}"""), Does.Contain("channel_not_provisioned"));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task AnInvalidConfigFileIsAClearErrorThatNamesNoKey()
    {
        var path = Path.Combine(Path.GetTempPath(), $"datanet-gateway-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, """{ "keys": { "ak_secret_value": { "scopes": "pub" } } }""");
        try
        {
            var error = Assert.ThrowsAsync<InvalidOperationException>(() => LocalGateway.StartAsync(new GatewayOptions { Port = 0, ConfigPath = path }));
            Assert.That(error!.Message, Does.Contain("not valid"));
            Assert.That(error.Message, Does.Not.Contain("ak_secret_value"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public async Task BindingAnotherAddressLogsAWarning()
    {
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, BindAddress = "0.0.0.0", LoggerProvider = logs });
        Assert.That(logs.Logs.Any(l => l.Level == LogLevel.Warning && l.Message.Contains("not loopback", StringComparison.Ordinal)), Is.True);
        Assert.That(gateway.ApiUrl.Host, Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task LoopbackLogsNoBindWarning()
    {
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, LoggerProvider = logs });
        Assert.That(logs.Logs.Any(l => l.Level >= LogLevel.Warning), Is.False);
        Assert.That(logs.Logs.Any(l => l.Message.Contains("listening", StringComparison.Ordinal)), Is.True);
    }
}
