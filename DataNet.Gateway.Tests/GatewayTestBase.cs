using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>
/// Starts a fresh gateway (free port, frozen clock at unix ms 1710000000000) for every test, and gives
/// raw HTTP and WebSocket helpers. Override <see cref="Configure"/> to change options.
/// </summary>
public abstract class GatewayTestBase
{
    /// <summary>Shared: HttpClient is made to be reused.</summary>
    protected static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The gateway's clock.</summary>
    protected VirtualTime Clock { get; private set; } = null!;

    /// <summary>The gateway under test.</summary>
    protected LocalGateway Gateway { get; private set; } = null!;

    /// <summary>Options for this test's gateway; the default serves dev keys only.</summary>
    protected virtual GatewayOptions Configure(GatewayOptions options) => options;

    /// <summary>Starts the gateway.</summary>
    [SetUp]
    public async Task StartGatewayAsync()
    {
        Clock = new VirtualTime();
        Gateway = await LocalGateway.StartAsync(Configure(new GatewayOptions { Port = 0, TimeProvider = Clock }));
    }

    /// <summary>Stops the gateway.</summary>
    [TearDown]
    public async Task StopGatewayAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }
    }

    /// <summary>POSTs <paramref name="json"/> to /auth/token.</summary>
    protected Task<HttpResponseMessage> PostTokenAsync(string json) =>
        Http.PostAsync(new Uri(Gateway.ApiUrl, "/auth/token"), new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Gets a token over REST, as a client would.</summary>
    protected async Task<string> GetTokenAsync(string apiKey = "ak_test", string? deviceId = null)
    {
        var body = deviceId is null
            ? JsonSerializer.Serialize(new { apiKey })
            : JsonSerializer.Serialize(new { apiKey, deviceId });
        using var response = await PostTokenAsync(body);
        Assert.That(response.IsSuccessStatusCode, Is.True, "token request failed");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>Connects a raw socket with a token for <paramref name="deviceId"/>; returns it after <c>connected</c>.</summary>
    protected async Task<RawSocket> ConnectAsync(string? deviceId = "device-1", string apiKey = "ak_test")
    {
        var (socket, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, Gateway.IssueToken(apiKey, deviceId));
        Assert.That(connected, Does.StartWith("{\"type\":\"connected\",\"connId\":\""));
        return socket;
    }

    /// <summary>Connects and subscribes to <paramref name="channel"/>, consuming the sub_ack.</summary>
    protected async Task<RawSocket> SubscribedAsync(string channel, string? deviceId = "device-1", string apiKey = "ak_test")
    {
        var socket = await ConnectAsync(deviceId, apiKey);
        var ack = await socket.RequestAsync($"{{\"op\":\"sub\",\"ch\":\"{channel}\"}}");
        Assert.That(ack, Does.StartWith("{\"type\":\"sub_ack\""));
        return socket;
    }

    /// <summary>GET /presence with an optional bearer token.</summary>
    protected async Task<HttpResponseMessage> GetPresenceAsync(string channel, string? token, string? projectId = "local")
    {
        var query = "/presence?channel=" + Uri.EscapeDataString(channel) + (projectId is null ? "" : "&projectId=" + Uri.EscapeDataString(projectId));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.ApiUrl, query));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await Http.SendAsync(request);
    }

    /// <summary>Unix ms of the frozen clock.</summary>
    protected long Now => Clock.GetUtcNow().ToUnixTimeMilliseconds();
}
