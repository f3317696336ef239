using System.Collections.Generic;
using System.Linq;
using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>Offline queue, inbox overflow policies, rows, and handler isolation, with exact counters.</summary>
public class QueueTests : SharedGatewayFixture
{
    private const string Channel = "project.local.queue";

    [Test]
    public async Task OfflineQueueDropsOldestAndFlushesInOrder()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { OutboxCapacity = 3 });
        var recorder = new Recorder(client);
        client.Subscribe(Channel);
        for (var i = 1; i <= 5; i++)
        {
            Assert.That(client.Publish(Channel, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), Is.True);
        }

        var offline = client.Stats;
        Assert.That(offline.Queued, Is.EqualTo(3));
        Assert.That(offline.DroppedOutboxOverflow, Is.EqualTo(2));
        Assert.That(offline.Dropped, Is.EqualTo(2));
        Assert.That(offline.Published, Is.Zero);

        client.Connect();
        await Eventually.TrueAsync(() => recorder.Messages.Count == 3, recorder.Pump);
        Assert.That(recorder.Messages.Select(m => m.DataJson), Is.EqualTo(new[] { "3", "4", "5" }), "flushed in order, after the resubscribe");
        var stats = client.Stats;
        Assert.That(stats.Published, Is.EqualTo(3));
        Assert.That(stats.Queued, Is.Zero);
        Assert.That(stats.DroppedOutboxOverflow, Is.EqualTo(2));
        TestClients.AssertInvariant(stats);
    }

    [Test]
    public async Task OfflineQueueDropNewestRefusesThePublish()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { OutboxCapacity = 2, OutboxOverflow = OutboxOverflowPolicy.DropNewest });
        var recorder = new Recorder(client);
        client.Subscribe(Channel);
        Assert.That(client.Publish(Channel, "1"), Is.True);
        Assert.That(client.Publish(Channel, "2"), Is.True);
        Assert.That(client.Publish(Channel, "3"), Is.False);
        client.Connect();
        await Eventually.TrueAsync(() => recorder.Messages.Count == 2, recorder.Pump);
        Assert.That(recorder.Messages.Select(m => m.DataJson), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(client.Stats.DroppedOutboxOverflow, Is.EqualTo(1));
        Assert.That(client.Stats.Published, Is.EqualTo(2));
    }

    [Test]
    public async Task InboxOverflowDropsOldestWithExactCounters()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { InboxCapacity = 5 });
        client.Subscribe(Channel);
        await client.ConnectAsync();
        for (var i = 1; i <= 8; i++)
        {
            client.Publish(Channel, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        // No Poll: TD is stalled. Memory stays bounded, every drop is counted.
        await Eventually.TrueAsync(() => client.Stats.Received == 8);
        var stalled = client.Stats;
        Assert.Multiple(() =>
        {
            Assert.That(stalled.InboxBacklog, Is.EqualTo(5));
            Assert.That(stalled.DroppedInboxOverflow, Is.EqualTo(3));
            Assert.That(stalled.Dispatched, Is.Zero);
        });
        TestClients.AssertInvariant(stalled);

        var received = new List<string>();
        client.MessageReceived += m => received.Add(m.DataJson);
        var result = client.Poll(3);
        Assert.That(result.Messages, Is.EqualTo(3));
        Assert.That(result.Remaining, Is.EqualTo(2));
        TestClients.AssertInvariant(client.Stats);
        client.Poll();
        Assert.That(received, Is.EqualTo(new[] { "4", "5", "6", "7", "8" }));
        var after = client.Stats;
        Assert.That(after.Dispatched, Is.EqualTo(5));
        Assert.That(after.InboxBacklog, Is.Zero);
        TestClients.AssertInvariant(after);
    }

    [Test]
    public async Task LatestPerChannelKeepsEveryChannelsNewestValue()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { InboxCapacity = 2, InboxOverflow = InboxOverflowPolicy.LatestPerChannel });
        const string a = "project.local.a";
        const string b = "project.local.b";
        client.Subscribe(a);
        client.Subscribe(b);
        await client.ConnectAsync();
        client.Publish(a, "1");
        client.Publish(b, "10");
        client.Publish(b, "20");
        await Eventually.TrueAsync(() => client.Stats.Received == 3);
        client.Poll();
        // DropOldest would have lost channel a entirely; coalescing drops b's older value instead.
        Assert.That(client.LastValues.GetValue(a, "value", -1), Is.EqualTo(1));
        Assert.That(client.LastValues.GetValue(b, "value", -1), Is.EqualTo(20));
        var stats = client.Stats;
        Assert.That(stats.DroppedInboxOverflow, Is.EqualTo(1));
        Assert.That(stats.Dispatched, Is.EqualTo(2));
        TestClients.AssertInvariant(stats);
    }

    [Test]
    public async Task RowsAreBoundedByRowCapacity()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway) with { RowCapacity = 2 });
        client.Subscribe(Channel);
        await client.ConnectAsync();
        client.Publish(Channel, "{\"n\":1}");
        client.Publish(Channel, "{\"n\":2}");
        client.Publish(Channel, "{\"n\":3}");
        await Eventually.TrueAsync(() => client.Stats.Dispatched == 3, () => client.Poll());
        var rows = client.TakeRows(100);
        Assert.That(rows.Count, Is.EqualTo(2));
        Assert.That(rows.Dropped, Is.EqualTo(1));
        Assert.That(rows.Cells[4], Is.EqualTo("{\"n\":2}"));
        Assert.That(rows.Cells[9], Is.EqualTo("{\"n\":3}"));
        Assert.That(client.Stats.DroppedRows, Is.EqualTo(1));
    }

    [Test]
    public async Task AThrowingHandlerIsIsolatedCountedAndReported()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var recorder = new Recorder(client);
        var survivors = new List<string>();
        client.Subscribe(Channel, _ => throw new InvalidOperationException("boom"));
        client.Subscribe(Channel, m => survivors.Add(m.DataJson));
        await client.ConnectAsync();
        client.Publish(Channel, "1");
        client.Publish(Channel, "2");
        await Eventually.TrueAsync(() => client.Stats.Received == 2);

        var result = client.Poll();
        Assert.Multiple(() =>
        {
            Assert.That(result.Messages, Is.EqualTo(2));
            Assert.That(result.HandlerErrors, Is.EqualTo(2));
            Assert.That(survivors, Is.EqualTo(new[] { "1", "2" }), "the other handler still ran");
            Assert.That(recorder.Messages, Has.Count.EqualTo(2), "MessageReceived still raised");
            Assert.That(recorder.ErrorCount("handler_failed"), Is.EqualTo(2));
            Assert.That(recorder.Errors[^1].Message, Does.Contain("InvalidOperationException: boom"));
            Assert.That(recorder.Errors[^1].Channel, Is.EqualTo(Channel));
            Assert.That(client.Stats.HandlerErrors, Is.EqualTo(2));
            Assert.That(client.LastValues.GetValue(Channel, "value", -1), Is.EqualTo(2));
        });
        TestClients.AssertInvariant(client.Stats);
    }

    [Test]
    public async Task AThrowingErrorHandlerDoesNotLoop()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        client.Error += _ => throw new InvalidOperationException("error handler fails too");
        client.Subscribe(Channel, _ => throw new InvalidOperationException("boom"));
        await client.ConnectAsync();
        client.Publish(Channel, "1");
        await Eventually.TrueAsync(() => client.Stats.Received == 1);
        var result = client.Poll();
        Assert.That(result.HandlerErrors, Is.EqualTo(2), "the message handler, then the Error handler once");
        Assert.That(client.Stats.HandlerErrors, Is.EqualTo(2));
    }

    [Test]
    public async Task PollFromInsideAHandlerReturnsAtOnce()
    {
        var gateway = Gateway;
        using var client = new DataNetClient(TestClients.For(gateway));
        var inner = new List<PollResult>();
        client.Subscribe(Channel, _ => inner.Add(client.Poll()));
        await client.ConnectAsync();
        client.Publish(Channel, "1");
        await Eventually.TrueAsync(() => inner.Count == 1, () => client.Poll());
        Assert.That(inner[0], Is.EqualTo(default(PollResult)));
    }
}
