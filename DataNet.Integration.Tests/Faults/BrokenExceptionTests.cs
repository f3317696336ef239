using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>User code that throws an exception whose <c>Message</c> throws as well.</summary>
public class BrokenExceptionTests
{
    private const string Channel = "project.local.sensor";

    [Test]
    public async Task AHandlerThrowingABrokenExceptionIsCountedAndPollCarriesOn()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        var calls = 0;
        client.Subscribe(Channel, _ =>
        {
            calls++;
            throw new BrokenMessageException();
        });
        await client.ConnectAsync();
        client.Publish(Channel, "1");
        client.Publish(Channel, "2");

        await Eventually.TrueAsync(() => calls == 2, recorder.Pump);
        Assert.That(client.Stats.HandlerErrors, Is.EqualTo(2));
        Assert.That(recorder.ErrorCount(ErrorCodes.HandlerFailed), Is.EqualTo(2));
        Assert.That(recorder.Errors[0].Message, Does.Contain("BrokenMessageException").And.Contain("its Message threw"));
    }

    [Test]
    public async Task ARetryPolicyThrowingABrokenExceptionFallsBackAndTheClientReconnects()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = new BrokenPolicy() });
        var recorder = new Recorder(client);
        await client.ConnectAsync();

        gateway.Faults.DropAllConnections();
        await Eventually.TrueAsync(() => client.Stats.Reconnects == 1, recorder.Pump, timeout: TimeSpan.FromSeconds(20),
            because: "the default backoff (1-2 s) takes over");
        Assert.That(recorder.ErrorCount(ErrorCodes.ReconnectFailed), Is.EqualTo(1));
    }

    private sealed class BrokenMessageException : Exception
    {
        public override string Message => throw new InvalidOperationException("no message for you");
    }

    private sealed class BrokenPolicy : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) => throw new BrokenMessageException();
    }
}
