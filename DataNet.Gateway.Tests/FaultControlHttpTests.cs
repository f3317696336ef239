using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace DataNet.Gateway.Tests;

/// <summary>
/// Every fault control driven over HTTP against a gateway running as its own program, as an outside test harness
/// (another SDK's suite, a fault injector) would use it.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class FaultControlHttpTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private GatewayProcess _gateway = null!;

    [OneTimeSetUp]
    public async Task StartTheProgramAsync() =>
        _gateway = await GatewayProcess.StartReadyAsync(["--port", "0", "--fault-controls", "--record-frames"]);

    [OneTimeTearDown]
    public void StopTheProgram() => _gateway.Dispose();

    [Test]
    public async Task FramesAreInjectedToTheSelectedSocketsAndRecordedWithTheirTime()
    {
        var (one, oneId) = await ConnectAsync("inject-one");
        using var two = (await ConnectAsync("inject-two")).Socket;
        using (one)
        {
            Assert.That(await ControlAsync("inject", """{"text":"raw {","deviceId":"inject-one"}"""), Is.EqualTo("""{"affected":1}"""));
            Assert.That(await one.ReceiveTextAsync(), Is.EqualTo("raw {"));
            Assert.That(await ControlAsync("inject", $$"""{"b64":"AAEC/w==","connIds":["{{oneId}}"]}"""), Is.EqualTo("""{"affected":1}"""));
            Assert.That((await one.ReceiveAsync()).Bytes, Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
            Assert.That(await two.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""), "two got neither frame");

            using var frames = JsonDocument.Parse(await GetAsync("/faults/frames"));
            var hb = frames.RootElement.EnumerateArray().Single(f => f.GetProperty("deviceId").GetString() == "inject-two");
            Assert.That(hb.GetProperty("text").GetString(), Is.EqualTo("""{"op":"hb"}"""));
            Assert.That(hb.GetProperty("receivedAtMs").GetInt64(),
                Is.InRange(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            using var cleared = await Http.DeleteAsync(new Uri(_gateway.ApiUrl, "/faults/frames"));
            Assert.That(await GetAsync("/faults/frames"), Is.EqualTo("[]"));
        }
    }

    [Test]
    public async Task RateLimitedAndDeviceLimitReachedAreSentAfterTheHandshake()
    {
        var (socket, _) = await ConnectAsync("limits");
        using (socket)
        {
            await ControlAsync("rate-limited", """{"retryMs":2500,"scope":"channel","channel":"project.local.a","deviceId":"limits"}""");
            Assert.That(await socket.ReceiveTextAsync(),
                Is.EqualTo("""{"type":"error","error":"rate_limited","channel":"project.local.a","retry_ms":2500,"scope":"channel"}"""));
            await ControlAsync("rate-limited", """{"deviceId":"limits"}""");
            Assert.That(await socket.ReceiveTextAsync(), Is.EqualTo("""{"type":"error","error":"rate_limited"}"""));

            Assert.That(await ControlAsync("device-limit", """{"limit":2,"deviceId":"limits"}"""), Is.EqualTo("""{"affected":1}"""));
            Assert.That(await socket.ReceiveTextAsync(), Is.EqualTo("""{"type":"error","error":"device_limit_reached","limit":2}"""));
            Assert.That((await socket.ReceiveAsync()).CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        }
    }

    [Test]
    public async Task SilenceAndDropWorkOnTheSelectedSockets()
    {
        var (silent, _) = await ConnectAsync("silent");
        var (dropped, droppedId) = await ConnectAsync("dropped");
        using (silent)
        using (dropped)
        {
            var before = await SilencedFramesAsync();
            Assert.That(await ControlAsync("silence", """{"deviceId":"silent"}"""), Is.EqualTo("""{"affected":1}"""));
            await silent.SendTextAsync("""{"op":"hb"}""");
            await Eventually.TrueAsync(async () => await SilencedFramesAsync() > before, because: "the hb should be swallowed");
            await ControlAsync("silence", """{"silent":false,"deviceId":"silent"}""");
            Assert.That(await silent.RequestAsync("""{"op":"sub","ch":"project.local.after"}"""), Does.StartWith("{\"type\":\"sub_ack\""),
                "the swallowed hb was never answered");

            Assert.That(await ControlAsync("drop", $$"""{"connIds":["{{droppedId}}"]}"""), Is.EqualTo("""{"affected":1}"""));
            var error = Assert.ThrowsAsync<WebSocketException>(async () => await dropped.ReceiveAsync());
            Assert.That(error!.WebSocketErrorCode, Is.EqualTo(WebSocketError.ConnectionClosedPrematurely));
            Assert.That(await silent.RequestAsync("""{"op":"hb"}"""), Does.StartWith("{\"type\":\"hb_ack\""));
        }
    }

    [Test]
    public async Task AuthFailsHangsAndRecovers()
    {
        await ControlAsync("auth", """{"mode":"fail","status":429,"body":"{\"error\":\"slow down\"}"}""");
        using (var failed = await PostTokenAsync("auth-device"))
        {
            Assert.That(failed.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(await failed.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"slow down"}"""));
        }
        await ControlAsync("auth", """{"mode":"hang"}""");
        var hung = PostTokenAsync("auth-device");
        await Eventually.TrueAsync(async () => await StatusAsync("hungAuthRequests") == 1, because: "the token request should be held");
        Assert.That(hung.IsCompleted, Is.False);
        await ControlAsync("auth", """{"mode":"normal"}""");
        using var answered = await Eventually.CompletesAsync(hung);
        Assert.That(answered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task TokensExpireAndAreRevokedNow()
    {
        var old = await TokenAsync("tokens");
        await ControlAsync("tokens/expire", "");
        Assert.That(await RawSocket.ExpectRefusedAsync(_gateway.WsUrl, "bearer", old), Is.EqualTo(HttpStatusCode.Unauthorized));

        var (socket, _) = await RawSocket.ConnectAsync(_gateway.WsUrl, await TokenAsync("tokens"));
        using (socket)
        {
            Assert.That(await ControlAsync("tokens/revoke", ""), Does.Match("""^\{"affected":[1-9][0-9]*\}$"""));
            Assert.That((await socket.ReceiveAsync()).CloseStatus, Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
        }
    }

    [Test]
    public async Task ABadControlRequestGets400AndTheCountersAreReadable()
    {
        using var typo = await Http.PostAsync(new Uri(_gateway.ApiUrl, "/faults/drop"), Json("""{"connId":"conn_1"}"""));
        Assert.That(typo.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "an unknown field must not mean 'every connection'");
        using var mode = await Http.PostAsync(new Uri(_gateway.ApiUrl, "/faults/auth"), Json("""{"mode":"explode"}"""));
        Assert.That(mode.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var junk = await Http.PostAsync(new Uri(_gateway.ApiUrl, "/faults/inject"), Json("not json"));
        Assert.That(junk.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        using var status = JsonDocument.Parse(await GetAsync("/faults"));
        var stats = status.RootElement.GetProperty("stats");
        foreach (var counter in new[] { "connections", "invalidMessages", "slowConsumerDrops", "slowConsumerNotices", "slowConsumerCloses", "idleCloses", "silencedFrames" })
        {
            Assert.That(stats.GetProperty(counter).ValueKind, Is.EqualTo(JsonValueKind.Number), counter);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task<string> ControlAsync(string control, string body)
    {
        using var response = await Http.PostAsync(new Uri(_gateway.ApiUrl, "/faults/" + control), Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"/faults/{control}: {text}");
        return text;
    }

    private async Task<string> GetAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(_gateway.ApiUrl, path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<long> StatusAsync(string field)
    {
        using var status = JsonDocument.Parse(await GetAsync("/faults"));
        return status.RootElement.GetProperty(field).GetInt64();
    }

    private async Task<long> SilencedFramesAsync()
    {
        using var status = JsonDocument.Parse(await GetAsync("/faults"));
        return status.RootElement.GetProperty("stats").GetProperty("silencedFrames").GetInt64();
    }

    private Task<HttpResponseMessage> PostTokenAsync(string deviceId) =>
        Http.PostAsync(new Uri(_gateway.ApiUrl, "/auth/token"), Json($$"""{"apiKey":"ak_http","deviceId":"{{deviceId}}"}"""));

    private async Task<string> TokenAsync(string deviceId)
    {
        using var response = await PostTokenAsync(deviceId);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private async Task<(RawSocket Socket, string ConnId)> ConnectAsync(string deviceId)
    {
        var (socket, connected) = await RawSocket.ConnectAsync(_gateway.WsUrl, await TokenAsync(deviceId));
        using var json = JsonDocument.Parse(connected);
        return (socket, json.RootElement.GetProperty("connId").GetString()!);
    }
}
