using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

public class ThreadingTests : SharedGatewayFixture
{
    private const string Channel = "project.local.threads";

    [Test]
    public async Task ManyThreadsPublishWhileOneThreadPollsAndHandlersStayOnThePollingThread()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var handlerThreads = new HashSet<int>();
        var received = new List<string>();
        client.Subscribe(Channel, m =>
        {
            handlerThreads.Add(Environment.CurrentManagedThreadId);
            received.Add(m.DataJson);
        });
        await client.ConnectAsync();

        const int threads = 4;
        const int each = 250;
        var publishers = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < each; i++)
            {
                client.Publish(Channel, "[" + t.ToString(CultureInfo.InvariantCulture) + "," + i.ToString(CultureInfo.InvariantCulture) + "]");
            }
        })).ToArray();

        // One dedicated "main thread" polls, as TouchDesigner's frame loop would.
        int pollThread = 0;
        var poller = new Thread(() =>
        {
            pollThread = Environment.CurrentManagedThreadId;
            var deadline = DateTime.UtcNow + Eventually.DefaultTimeout;
            while (client.Stats.Dispatched < threads * each && DateTime.UtcNow < deadline)
            {
                client.Poll();
                Thread.Yield();
            }
        });
        poller.Start();
        await Task.WhenAll(publishers);
        await Eventually.TrueAsync(() => !poller.IsAlive);

        Assert.That(received, Has.Count.EqualTo(threads * each));
        Assert.That(handlerThreads, Is.EqualTo(new[] { pollThread }), "handlers run only inside Poll, on its thread");
        for (var t = 0; t < threads; t++)
        {
            var prefix = "[" + t.ToString(CultureInfo.InvariantCulture) + ",";
            var order = received.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            Assert.That(order, Is.EqualTo(Enumerable.Range(0, each).Select(i => prefix + i.ToString(CultureInfo.InvariantCulture) + "]")), "each thread's order kept");
        }

        var stats = client.Stats;
        Assert.That(stats.Published, Is.EqualTo(threads * each));
        Assert.That(stats.Received, Is.EqualTo(threads * each));
        TestClients.AssertInvariant(stats);
    }

    [Test]
    public async Task StatusCountsDownToTheNextAttempt()
    {
        // Its own gateway: the test stops it.
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });
        using var client = new DataNetClient(TestClients.For(gateway) with { RetryPolicy = new FixedRetryPolicy(TimeSpan.FromMinutes(5)) });
        await client.ConnectAsync();
        await gateway.StopAsync();
        await Eventually.TrueAsync(() => client.Status.StartsWith("Reconnecting in", StringComparison.Ordinal));
        Assert.That(client.Status, Does.Match(new Regex(@"^Reconnecting in \d+ s \(attempt 1\)$")));
        Assert.That(client.State, Is.EqualTo(ConnectionState.Reconnecting));
        Assert.That(client.Stats.LastError, Does.StartWith("connection_lost"));
    }
}
