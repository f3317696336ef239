using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>POST /auth/token: real signed JWTs, the cloud's 200-with-error for unknown keys, 400 for bad bodies.</summary>
[TestFixture]
public sealed class AuthTokenTests : GatewayTestBase
{
    [Test]
    public async Task ValidKeyGetsSignedJwtWithExpProjectScopesAndIdentity()
    {
        using var response = await PostTokenAsync(
            """{"apiKey":"ak_test","deviceId":"dev-7","clientId":"touchdesigner","deviceName":"Stage left"}""");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(string.Join(",", body.RootElement.EnumerateObject().Select(p => p.Name)), Is.EqualTo("token"));
        var token = body.RootElement.GetProperty("token").GetString()!;

        Assert.That(Jwt.Header(token).GetProperty("alg").GetString(), Is.EqualTo("HS256"));
        var payload = Jwt.Payload(token);
        Assert.Multiple(() =>
        {
            Assert.That(payload.GetProperty("exp").GetInt64(), Is.EqualTo((Now / 1000) + 600), "exp = now + 10 min, unix seconds");
            Assert.That(payload.GetProperty("pid").GetString(), Is.EqualTo("local"));
            Assert.That(string.Join(",", payload.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())), Is.EqualTo("pub,sub,presence"));
            Assert.That(payload.TryGetProperty("prefixes", out _), Is.False, "dev keys have no channel restriction");
            Assert.That(payload.GetProperty("deviceId").GetString(), Is.EqualTo("dev-7"));
            Assert.That(payload.GetProperty("clientId").GetString(), Is.EqualTo("touchdesigner"));
            Assert.That(payload.GetProperty("deviceName").GetString(), Is.EqualTo("Stage left"));
            Assert.That(token, Does.Not.Contain("ak_test"));
        });
    }

    [Test]
    public async Task IssuedTokenOpensTheSocketButATamperedOneDoesNot()
    {
        var token = await GetTokenAsync();
        var (socket, connected) = await RawSocket.ConnectAsync(Gateway.WsUrl, token);
        socket.Dispose();
        Assert.That(connected, Does.StartWith("{\"type\":\"connected\""));

        var forged = Jwt.WithPayload(token, $$"""{"iss":"datanet-local-gateway","exp":{{(Now / 1000) + 600}},"pid":"other","scopes":["pub","sub","presence"]}""");
        Assert.That(await RawSocket.ExpectRefusedAsync(Gateway.WsUrl, "bearer", forged), Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("bad-key")]
    [TestCase("ak_")]
    [TestCase("AK_upper")]
    public async Task UnknownKeyGetsHttp200WithInvalidApiKeyAndNoToken(string apiKey)
    {
        using var response = await PostTokenAsync(JsonSerializer.Serialize(new { apiKey }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"invalid apiKey"}"""));
    }

    [TestCase("", TestName = "EmptyBodyIs400")]
    [TestCase("not json", TestName = "MalformedJsonIs400")]
    [TestCase("[1,2]", TestName = "NonObjectBodyIs400")]
    [TestCase("{}", TestName = "MissingApiKeyIs400")]
    [TestCase("""{"apiKey":42}""", TestName = "NonStringApiKeyIs400")]
    [TestCase("""{"apiKey":"ak_x","deviceId":7}""", TestName = "NonStringDeviceIdIs400")]
    public async Task BadBodyGets400WithErrorAndCode(string body)
    {
        using var response = await PostTokenAsync(body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.That(json.RootElement.GetProperty("error").GetString(), Is.Not.Empty);
        Assert.That(json.RootElement.GetProperty("code").GetString(), Is.EqualTo("invalid_request"));
        Assert.That(json.RootElement.TryGetProperty("token", out _), Is.False);
    }

    [Test]
    public async Task FailAuthAnswersTheGivenStatusAndBodyUntilReset()
    {
        Gateway.Faults.FailAuth(503);
        using (var response = await PostTokenAsync("""{"apiKey":"ak_test"}"""))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"injected auth failure","code":"injected_failure"}"""));
        }
        Gateway.Faults.FailAuth(401, """{"error":"key revoked"}""");
        using (var response = await PostTokenAsync("""{"apiKey":"ak_test"}"""))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"key revoked"}"""));
        }
        Gateway.Faults.ResetAuth();
        Assert.That(await GetTokenAsync(), Is.Not.Empty);
    }

    [Test]
    public async Task HangAuthHoldsTheRequestUntilReset()
    {
        Gateway.Faults.HangAuth();
        var pending = PostTokenAsync("""{"apiKey":"ak_test"}""");
        await Eventually.TrueAsync(() => Gateway.Faults.HungAuthRequests == 1, because: "the request should be held");
        Assert.That(pending.IsCompleted, Is.False);

        Gateway.Faults.ResetAuth();
        using var response = await Eventually.CompletesAsync(pending);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.StartWith("{\"token\":\""));
    }
}

/// <summary>Keys, projects, scopes and prefixes from config; dev keys off; a custom token lifetime.</summary>
[TestFixture]
public sealed class ConfiguredAuthTests : GatewayTestBase
{
    protected override GatewayOptions Configure(GatewayOptions options) => options with
    {
        TokenLifetime = TimeSpan.FromMinutes(2),
        Config = new GatewayConfig
        {
            AllowDevKeys = false,
            Keys = new Dictionary<string, ApiKeyConfig>
            {
                ["live-key-1"] = new() { Project = "p1", Scopes = ["sub"], ChannelPrefixes = ["project.p1."] },
            },
        },
    };

    [Test]
    public async Task ConfiguredKeyCarriesItsProjectScopesAndPrefixes()
    {
        var payload = Jwt.Payload(await GetTokenAsync("live-key-1"));
        Assert.Multiple(() =>
        {
            Assert.That(payload.GetProperty("pid").GetString(), Is.EqualTo("p1"));
            Assert.That(string.Join(",", payload.GetProperty("scopes").EnumerateArray().Select(s => s.GetString())), Is.EqualTo("sub"));
            Assert.That(string.Join(",", payload.GetProperty("prefixes").EnumerateArray().Select(s => s.GetString())), Is.EqualTo("project.p1."));
            Assert.That(payload.GetProperty("exp").GetInt64(), Is.EqualTo((Now / 1000) + 120), "TokenLifetime = 2 min");
        });
    }

    [Test]
    public async Task DevKeysAreRefusedWhenDisabled()
    {
        using var response = await PostTokenAsync("""{"apiKey":"ak_test"}""");
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("""{"error":"invalid apiKey"}"""));
    }
}
