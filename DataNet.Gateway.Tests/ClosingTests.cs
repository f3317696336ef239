using System.Linq;
using System.Net.WebSockets;
using System.Threading;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>How connections end, in the log: a client's clean close as such, a gateway stop as a stop (1001).</summary>
[TestFixture]
public sealed class ClosingTests
{
    [TestCase(false, TestName = "A client's close handshake is logged as a clean close")]
    [TestCase(true, TestName = "A client that sends its close frame and leaves is logged as a clean close")]
    public async Task CleanCloseIsLoggedAsSuch(bool leaveAfterCloseFrame)
    {
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, LoggerProvider = logs });
        var (socket, _) = await RawSocket.ConnectAsync(gateway.WsUrl, gateway.IssueToken("ak_close", "dev-close"));
        using (socket)
        {
            await socket.RequestAsync("""{"op":"hb"}""");
            if (leaveAfterCloseFrame)
            {
                // As the official SDKs do on close(): the close frame, then the TCP connection goes.
                await socket.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            else
            {
                await socket.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
        }

        await Eventually.TrueAsync(() => ClosedLines(logs).Any(), TimeSpan.FromSeconds(10), "the close is logged");
        Assert.That(ClosedLines(logs).Single(), Does.Contain("closed by client (1000 normal closure)"));
    }

    [Test]
    public async Task StopClosesEverySocketWith1001AndLogsAStop()
    {
        using var logs = new CapturingLoggerProvider();
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, LoggerProvider = logs });
        var (first, _) = await RawSocket.ConnectAsync(gateway.WsUrl, gateway.IssueToken("ak_close", "dev-1"));
        var (second, _) = await RawSocket.ConnectAsync(gateway.WsUrl, gateway.IssueToken("ak_close", "dev-2"));
        using (first)
        using (second)
        {
            var stopping = gateway.StopAsync();
            var closes = await Task.WhenAll(first.ReceiveAsync(TimeSpan.FromSeconds(10)), second.ReceiveAsync(TimeSpan.FromSeconds(10)));
            await stopping;

            Assert.That(closes.Select(c => c.CloseStatus), Is.All.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        }

        var messages = logs.Logs.Select(l => l.Message).ToArray();
        Assert.That(messages, Has.One.Contains("Gateway stopping: closing 2 connection(s) with 1001"));
        Assert.That(ClosedLines(logs).ToArray(), Has.Length.EqualTo(2).And.All.Contains("gateway stopping"), string.Join("\n", messages));
        Assert.That(messages, Has.One.EqualTo("Gateway stopped"));
    }

    private static System.Collections.Generic.IEnumerable<string> ClosedLines(CapturingLoggerProvider logs) =>
        logs.Logs.Select(l => l.Message).Where(m => m.StartsWith("Connection conn_", StringComparison.Ordinal) && m.Contains(" closed (", StringComparison.Ordinal));
}
