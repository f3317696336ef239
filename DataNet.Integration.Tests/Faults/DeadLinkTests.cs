using System.Linq;
using System.Threading;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>
/// A send blocked on a dead link must not hold up the dead-link verdict. The request timeout is a minute here, so a
/// verdict that waited for the blocked send would miss every deadline below. A real-time smoke test over real
/// sockets with one-second heartbeats; the exact deadlines are in <c>TimerTests</c>, on virtual time.
/// </summary>
public class DeadLinkTests
{
    private static readonly TimeSpan LongRequestTimeout = TimeSpan.FromMinutes(1);

    [Test]
    public async Task ASilentGatewayIsDetectedUnderHeavyPublishing()
    {
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        var options = TestClients.For(gateway) with
        {
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            RequestTimeout = LongRequestTimeout,
            OutboxCapacity = 1000,
        };
        using var client = new DataNetClient(options);
        var recorder = new Recorder(client);
        await client.ConnectAsync();

        using var stopPublishing = new CancellationTokenSource();
        var payload = "\"" + new string('x', 4096) + "\"";
        var publishing = Task.Run(async () =>
        {
            while (!stopPublishing.IsCancellationRequested)
            {
                for (var i = 0; i < 100; i++)
                {
                    client.Publish("project.local.flood", payload);
                }

                await Task.Yield();
            }
        });

        await Eventually.TrueAsync(() => client.Stats.Published > 1000);
        gateway.Faults.GoSilent();
        await Eventually.TrueAsync(() => recorder.ErrorCount(ErrorCodes.ConnectionLost) >= 1, recorder.Pump, timeout: TimeSpan.FromSeconds(20),
            because: "two heartbeat intervals, not the minute a blocked send could take");
        stopPublishing.Cancel();
        await publishing;
        Assert.That(recorder.Errors.First(e => e.Code == ErrorCodes.ConnectionLost).Message, Does.Contain("dead link"));
    }
}
