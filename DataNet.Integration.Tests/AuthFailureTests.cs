using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Token request failures: a wrong key is fatal, a server error or a hang is retried; none leaks the key.</summary>
public class AuthFailureTests : SharedGatewayFixture
{
    [Test]
    public async Task WrongKeyIsFatalAndNeverLeaksTheKey()
    {
        var gateway = Gateway;
        var policy = new FixedRetryPolicy(TestClients.FastRetry);
        const string key = "wrong_secret_key_123";
        using var client = new DataNetClient(TestClients.For(gateway, apiKey: key) with { RetryPolicy = policy });
        var recorder = new Recorder(client);
        var thrown = Assert.ThrowsAsync<DataNetException>(() => client.ConnectAsync());
        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Error.Code, Is.EqualTo("authentication_failed"));
            Assert.That(thrown.Error.Status, Is.EqualTo(200), "the cloud answers 200 {\"error\":\"invalid apiKey\"}");
            Assert.That(thrown.Error.Message, Does.Contain("invalid apiKey"));
            Assert.That(thrown.Error.IsFatal, Is.True);
            Assert.That(policy.Calls, Is.Zero);
            Assert.That(client.State, Is.EqualTo(ConnectionState.Failed));
            Assert.That(client.Stats.TokenRequests, Is.EqualTo(1));
            Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(1));
        });
        await Eventually.TrueAsync(() => recorder.Errors.Count == 1, recorder.Pump);
        foreach (var text in new[] { thrown!.Message, thrown.ToString(), client.Status, client.ToString(), client.Stats.LastError, client.Options.ToString(), recorder.Errors[0].Message })
        {
            Assert.That(text, Does.Not.Contain(key));
        }
    }

    [Test]
    public async Task MissingKeyIsFatal()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { ApiKey = null });
        var thrown = Assert.ThrowsAsync<DataNetException>(() => client.ConnectAsync());
        Assert.That(thrown!.Error.Code, Is.EqualTo("authentication_failed"));
        Assert.That(client.Stats.TokenRequests, Is.Zero, "nothing sent without a key");
    }

    [Test]
    public async Task ServerErrorIsRetriedUntilAuthRecovers()
    {
        var gateway = Gateway;
        gateway.Faults.FailAuth(500);
        var policy = new FixedRetryPolicy(TestClients.FastRetry);
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = policy });
        var recorder = new Recorder(client);
        client.Connect();
        await Eventually.TrueAsync(() => recorder.ErrorCount("authentication_failed") >= 2, recorder.Pump);
        var error = recorder.Errors[0];
        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(500));
            Assert.That(error.Message, Does.Contain("injected auth failure"));
            Assert.That(error.IsFatal, Is.False);
            Assert.That(client.State, Is.EqualTo(ConnectionState.Reconnecting));
        });

        gateway.Faults.ResetAuth();
        await Eventually.TrueAsync(() => recorder.Connected == 1, recorder.Pump);
        var stats = client.Stats;
        Assert.That(stats.TokenRequests, Is.EqualTo(stats.ConnectAttempts), "one token request per attempt");
        Assert.That(policy.Calls, Is.EqualTo(stats.ConnectAttempts - 1), "the policy was asked after every failed attempt");
        Assert.That(stats.Reconnects, Is.Zero, "first connection, reached after retries");
    }

    [Test]
    public async Task HangingAuthTimesOutAndIsRetried()
    {
        var gateway = Gateway;
        gateway.Faults.HangAuth();
        using var client = new DataNetClient(TestClients.For(gateway) with { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var recorder = new Recorder(client);
        client.Connect();
        await Eventually.TrueAsync(() => recorder.Errors.Count >= 1, recorder.Pump);
        Assert.That(recorder.Errors[0].Code, Is.EqualTo("authentication_failed"));
        Assert.That(recorder.Errors[0].Message, Does.Contain("timed out"));
        Assert.That(recorder.Errors[0].IsFatal, Is.False);

        gateway.Faults.ResetAuth();
        await Eventually.TrueAsync(() => recorder.Connected == 1, recorder.Pump);
        var stats = client.Stats;
        Assert.That(stats.ConnectAttempts, Is.GreaterThanOrEqualTo(2));
        Assert.That(stats.TokenRequests, Is.EqualTo(stats.ConnectAttempts), "every attempt asked for a token (none was issued before)");
        Assert.That(recorder.ErrorCount("authentication_failed"), Is.EqualTo(stats.ConnectAttempts - 1), "each failed attempt reported once");
        Assert.That(recorder.Errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { "authentication_failed" }));
    }

    [Test]
    public async Task ConnectAsyncReportsAGiveUpFromTheRetryPolicy()
    {
        var gateway = Gateway;
        gateway.Faults.FailAuth(503);
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = new FixedRetryPolicy(TestClients.FastRetry, maxAttempts: 2) });
        var thrown = Assert.ThrowsAsync<DataNetException>(() => client.ConnectAsync());
        Assert.That(thrown!.Error.Code, Is.EqualTo("reconnect_failed"));
        Assert.That(thrown.Error.Message, Does.Contain("3 attempt(s)"));
        Assert.That(client.State, Is.EqualTo(ConnectionState.Failed));
        Assert.That(client.Status, Does.StartWith("Error: Gave up reconnecting"));
        Assert.That(client.Stats.ConnectAttempts, Is.EqualTo(3));

        gateway.Faults.ResetAuth();
        await client.ConnectAsync();
        Assert.That(client.State, Is.EqualTo(ConnectionState.Connected), "Connect after Failed starts over");
    }
}
