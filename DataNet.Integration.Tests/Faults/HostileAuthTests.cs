using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>The token endpoint answered by something that is not DataNet: a captive portal, a proxy, a hostile server.</summary>
public class HostileAuthTests
{
    private const string Key = "ak_0123456789abcdefghijklmnopqrstuv";

    private static DataNetClient ClientFor(CannedHttpServer server) => new(new DataNetOptions
    {
        ApiKey = Key,
        ApiUrl = server.Url,
        WsUrl = "ws://127.0.0.1:9",
        DeviceId = "test-device",
        RetryPolicy = new FixedRetryPolicy(TestClients.FastRetry),
        PollMaxTime = TimeSpan.FromMinutes(1),
    });

    [TestCase(200)]
    [TestCase(401)]
    public async Task ACaptivePortalPageIsATransientFailureNeverAWrongKey(int status)
    {
        using var portal = new CannedHttpServer(status, "text/html; charset=utf-8", "<html><body>Log in to the hotel Wi-Fi</body></html>");
        using var client = ClientFor(portal);
        var recorder = new Recorder(client);
        client.Connect();

        await Eventually.TrueAsync(() => portal.Requests >= 3, recorder.Pump, because: "the client keeps retrying");
        Assert.That(client.State, Is.Not.EqualTo(ConnectionState.Failed));
        var error = recorder.Errors.First(e => e.Code == ErrorCodes.AuthenticationFailed);
        Assert.That(error.IsFatal, Is.False);
        Assert.That(error.Message, Does.Contain("text/html").And.Contain("not a DataNet answer").And.Not.Contain("check the API key"));
        Assert.That(error.Status, Is.EqualTo(status));
    }

    [Test]
    public async Task JsonThatIsNotAnObjectIsNotADataNetAnswerEither()
    {
        using var proxy = new CannedHttpServer(200, "application/json", "[\"not\",\"datanet\"]");
        using var client = ClientFor(proxy);
        var recorder = new Recorder(client);
        client.Connect();

        await Eventually.TrueAsync(() => proxy.Requests >= 2, recorder.Pump);
        Assert.That(recorder.Errors.First().IsFatal, Is.False);
        Assert.That(recorder.Errors.First().Message, Does.Contain("not a JSON object"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A256MiBAuthAnswerIsNotReadWhole(bool declareLength)
    {
        const long size = 256L * 1024 * 1024;
        using var hostile = new CannedHttpServer(200, "application/json", "{\"token\":\"" + new string('a', 1000), size, declareLength);
        using var client = ClientFor(hostile);
        var recorder = new Recorder(client);
        client.Connect();

        await Eventually.TrueAsync(() => recorder.ErrorCount(ErrorCodes.AuthenticationFailed) >= 2, recorder.Pump, because: "refused and retried");
        var error = recorder.Errors.First();
        Assert.That(error.IsFatal, Is.False);
        Assert.That(error.Message, Does.Contain("more than 64 KiB"));
    }

    [Test]
    public async Task AKeyEchoedInAnAuthErrorIsMaskedBeforeTheTextIsCut()
    {
        // Not JSON, so the body itself is shown, cut to 200 characters; the key straddles the cut.
        var body = new string('x', 190) + Key + " more";
        using var echo = new CannedHttpServer(500, "application/json", body);
        using var client = ClientFor(echo);
        var recorder = new Recorder(client);
        client.Connect();

        await Eventually.TrueAsync(() => recorder.ErrorCount(ErrorCodes.AuthenticationFailed) >= 1, recorder.Pump);
        var prefix = Key[..8];
        Assert.That(recorder.Errors.Select(e => e.ToString()), Has.All.Not.Contain(prefix));
        Assert.That(client.Stats.LastError, Does.Not.Contain(prefix));
        Assert.That(client.Status, Does.Not.Contain(prefix));
    }

    [Test]
    public async Task AKeyOrTokenEchoedInAnyFieldOfAGatewayErrorIsMasked()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var factory = new ScriptedTransportFactory((_, t) => t.ServerText(ScriptedTransport.ConnectedFrame));
        using var client = new DataNetClient(TestClients.For(gateway, apiKey: "ak_local"), factory, TimeProvider.System, deviceIdPath: null);
        var recorder = new Recorder(client);
        await client.ConnectAsync();
        var socket = factory.Created.Single();
        var token = socket.Token!;

        foreach (var secret in new[] { "ak_local", token })
        {
            socket.ServerText($"{{\"type\":\"error\",\"code\":\"x{secret}\",\"channel\":\"c{secret}\",\"scope\":\"s{secret}\"," +
                              $"\"operation\":\"o{secret}\",\"required\":\"r{secret}\",\"message\":\"m{secret}\"}}");
        }

        await Eventually.TrueAsync(() => recorder.Errors.Count == 2, recorder.Pump);
        foreach (var error in recorder.Errors)
        {
            var fields = new[] { error.Code, error.Message, error.Channel, error.Scope, error.Operation, error.Required };
            Assert.That(fields, Has.All.Not.Contain("ak_local").And.All.Not.Contain(token));
            Assert.That(error.Channel, Is.EqualTo("c***"));
        }

        Assert.That(client.Stats.LastError, Does.Not.Contain("ak_local").And.Not.Contain(token));
    }
}
