using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Gateway.Tests;

/// <summary>Logs are structured and never contain an API key or a token, even at the most verbose level.</summary>
[TestFixture]
public sealed class LoggingTests
{
    private const string ApiKey = "ak_very_secret_key_123";

    [Test]
    public async Task NoKeyOrTokenIsEverLogged()
    {
        using var logs = new CapturingLoggerProvider();
        using var http = new HttpClient();
        await using var gateway = await LocalGateway.StartAsync(
            new GatewayOptions { Port = 0, LoggerProvider = logs, MinimumLogLevel = LogLevel.Trace });

        using var response = await http.PostAsync(new Uri(gateway.ApiUrl, "/auth/token"),
            new StringContent($$"""{"apiKey":"{{ApiKey}}","deviceId":"dev-1","clientId":"touchdesigner"}""", Encoding.UTF8, "application/json"));
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
        using (await http.PostAsync(new Uri(gateway.ApiUrl, "/auth/token"), new StringContent("""{"apiKey":"unknown_secret_key"}""")))
        {
        }

        var (socket, _) = await RawSocket.ConnectAsync(gateway.WsUrl, token);
        using (socket)
        {
            await socket.RequestAsync("""{"op":"sub","ch":"project.local.x"}""");
            await socket.RequestAsync("not json");
        }
        await RawSocket.ExpectRefusedAsync(gateway.WsUrl, "bearer", token + "x");
        using var presence = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.ApiUrl, "/presence?channel=project.local.x"));
        presence.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (await http.SendAsync(presence))
        {
        }
        await Eventually.TrueAsync(() => gateway.ConnectionCount == 0);

        var signature = token.Split('.')[2];
        Assert.That(logs.Logs, Is.Not.Empty);
        Assert.That(logs.Logs.Where(l => l.Mentions(ApiKey) || l.Mentions("unknown_secret_key") || l.Mentions(signature)).Select(l => l.Message),
            Is.Empty);
        Assert.That(logs.Logs.Any(l => l.Message.Contains("Token issued", StringComparison.Ordinal) && l.Values.Contains("DeviceId=dev-1")),
            Is.True, "logs are structured: identity travels as named values");
    }
}
