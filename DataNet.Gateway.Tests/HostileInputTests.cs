using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Tests;

/// <summary>
/// Input an attacker would send: bytes that are not UTF-8, broken escapes, forged log lines, huge identities.
/// Each gets the protocol's error; nothing is relayed, nothing throws, the connection stays.
/// </summary>
[TestFixture]
public sealed class HostileInputTests : GatewayTestBase
{
    private const string Channel = "project.local.ch";
    private const string InvalidUtf8Error = """{"type":"error","error":"invalid_message","message":"frame is not valid UTF-8"}""";

    private readonly CapturingLoggerProvider _logs = new();

    /// <inheritdoc/>
    protected override GatewayOptions Configure(GatewayOptions options) =>
        options with
        {
            LoggerProvider = _logs,
            MinimumLogLevel = LogLevel.Debug,
            Config = new GatewayConfig
            {
                Keys = new System.Collections.Generic.Dictionary<string, ApiKeyConfig>
                {
                    ["ak_narrow"] = new() { ChannelPrefixes = ["project.local."] },
                },
            },
        };

    [Test]
    public async Task DataThatIsNotUtf8IsRefusedAtThePublisherAndNeverRelayed()
    {
        using var subscriber = await SubscribedAsync(Channel, "subscriber");
        using var publisher = await ConnectAsync("publisher");

        // A binary WebSocket frame is not checked for UTF-8 by the socket layer: the envelope's bytes are the attack.
        await publisher.SendBinaryAsync(Envelope("{\"op\":\"pub\",\"ch\":\"project.local.ch\",\"d\":\"", [0xFF], "\"}"));
        Assert.That(await publisher.ReceiveTextAsync(), Is.EqualTo(InvalidUtf8Error));
        Assert.That(Gateway.Stats.InvalidMessages, Is.EqualTo(1));

        await publisher.SendTextAsync("""{"op":"pub","ch":"project.local.ch","d":"fine"}""");
        Assert.That(await subscriber.ReceiveTextAsync(), Does.StartWith("""{"type":"message","op":"pub","ch":"project.local.ch","d":"fine","""),
            "the subscriber's next frame is the valid message: the bad one was not relayed and its socket is still open");
        Assert.That(subscriber.Socket.State, Is.EqualTo(WebSocketState.Open));
    }

    [TestCase("ch")]
    [TestCase("ct")]
    [TestCase("b64")]
    public async Task ABinaryFrameWithAFieldThatIsNotUtf8GetsInvalidMessageAndKeepsTheConnection(string field)
    {
        using var socket = await SubscribedAsync(Channel);
        var prefix = field switch
        {
            "ch" => """{"op":"pub","bin":true,"b64":"AQID","ch":"project.local.""",
            "ct" => """{"op":"pub","ch":"project.local.ch","bin":true,"b64":"AQID","ct":"binary/""",
            _ => """{"op":"pub","ch":"project.local.ch","bin":true,"b64":"AQ""",
        };
        await socket.SendBinaryAsync(Envelope(prefix, [0xC3, 0x28], "\"}"));
        Assert.That(await socket.ReceiveTextAsync(), Is.EqualTo(InvalidUtf8Error));
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "the connection stays up");
    }

    [TestCase("""{"op":"sub","ch":"project.local.\ud800"}""")]
    [TestCase("""{"op":"pub","ch":"project.local.ch","bin":true,"b64":"AQID","ct":"x\udc00"}""")]
    [TestCase("""{"op":"unsub","ch":"\udfff"}""")]
    public async Task AnEscapedUnpairedSurrogateGetsInvalidMessageAndKeepsTheConnection(string frame)
    {
        using var socket = await ConnectAsync();
        Assert.That(await socket.RequestAsync(frame), Does.StartWith("""{"type":"error","error":"invalid_message","""));
        Assert.That(await socket.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
    }

    [Test]
    public async Task ATextFrameThatIsNotUtf8FailsOnlyThatConnectionWith1007AsRfc6455Requires()
    {
        using var other = await SubscribedAsync(Channel, "other");
        using var socket = await ConnectAsync("attacker");
        await socket.Socket.SendAsync(new byte[] { 0x22, 0xFF, 0x22 }, WebSocketMessageType.Text, endOfMessage: true, default);
        var close = await socket.ReceiveAsync();
        Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.InvalidPayloadData));
        Assert.That(await other.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "other connections are untouched");
    }

    [Test]
    public async Task ATokenRequestThatIsNotUtf8Gets400NotA500()
    {
        using var content = new ByteArrayContent(Envelope("{\"apiKey\":\"ak_test\",\"deviceId\":\"", [0xFF, 0xFE], "\"}"));
        using var response = await Http.PostAsync(new Uri(Gateway.ApiUrl, "/auth/token"), content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo("""{"error":"body is not valid UTF-8","code":"invalid_request"}"""));
    }

    [TestCase("""{"apiKey":"ak_test","deviceId":"\ud800"}""")]
    [TestCase("""{"apiKey":"\udc00x"}""")]
    public async Task ATokenRequestWithAnUnpairedSurrogateGets400(string body)
    {
        using var response = await PostTokenAsync(body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("\"code\":\"invalid_request\""));
    }

    [TestCase("deviceId", "dev\n2026-12-04 INFO Token issued for project admin")]
    [TestCase("clientId", "td\u001b[2J")]
    [TestCase("deviceName", "name\u202Eevil")]
    [TestCase("deviceId", "line\u2028separator")]
    public async Task AnIdentityWithControlOrFormatCharactersIsRefused(string field, string value)
    {
        using var response = await PostTokenAsync(System.Text.Json.JsonSerializer.Serialize(
            new System.Collections.Generic.Dictionary<string, string> { ["apiKey"] = "ak_test", [field] = value }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(),
            Is.EqualTo($$"""{"error":"\"{{field}}\" holds control, format or separator characters","code":"invalid_request"}"""));
        Assert.That(_logs.Logs.Where(l => l.Message.Contains('\n', StringComparison.Ordinal) || l.Message.Contains('\u001b', StringComparison.Ordinal)),
            Is.Empty);
    }

    [Test]
    public async Task AHugeDeviceIdIsRefusedInsteadOfSignedIntoATokenTheGatewayCannotAccept()
    {
        using var response = await PostTokenAsync($$"""{"apiKey":"ak_test","deviceId":"{{new string('d', 60_000)}}"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("is longer than 128 characters"));

        var longest = await GetTokenAsync(deviceId: new string('d', 128));
        var (socket, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, longest);
        using (socket)
        {
            Assert.That(connected, Does.StartWith("{\"type\":\"connected\""), "the longest allowed identity still makes a usable token");
        }
    }

    [Test]
    public void IssueTokenInProcessAppliesTheSameBounds()
    {
        Assert.Throws<ArgumentException>(() => Gateway.IssueToken("ak_test", deviceId: "a\nb"));
        Assert.Throws<ArgumentException>(() => Gateway.IssueToken("ak_test", clientId: new string('c', 129)));
        Assert.That(Gateway.IssueToken("ak_test", deviceId: "Bühne 🎛 links"), Is.Not.Empty, "printable Unicode is fine");
    }

    [Test]
    public async Task AChannelNameWithANewlineIsLoggedEscaped()
    {
        using var socket = await ConnectAsync(apiKey: "ak_narrow");
        Assert.That(await socket.RequestAsync("""{"op":"sub","ch":"project.other.x\r\n2026 INFO forged"}"""),
            Does.StartWith("""{"type":"error","error":"channel_not_allowed","channel":"project.other.x\r\n2026 INFO forged","""));
        await Eventually.TrueAsync(() => _logs.Logs.Any(l => l.Message.Contains("forged", StringComparison.Ordinal)));
        var forged = _logs.Logs.Where(l => l.Message.Contains("forged", StringComparison.Ordinal)).Select(l => l.Message).ToArray();
        Assert.That(forged, Has.All.Not.Contain("\n").And.All.Not.Contain("\r"));
        Assert.That(forged, Has.Some.Contain("\\u000a"), "the newline is shown escaped");
    }

    private static byte[] Envelope(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];
}
