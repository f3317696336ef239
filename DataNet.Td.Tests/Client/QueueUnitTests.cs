using System.Linq;
using DataNet.Td.Queues;
using DataNet.Td.Subscriptions;
using DataNet.Td.Values;

namespace DataNet.Td.Tests;

public class QueueUnitTests
{
    private static DataNetMessage Message(string channel, string json) => TestFrames.Json(channel, "", 1, json);

    private static string[] Drain(Inbox inbox)
    {
        var items = new System.Collections.Generic.List<string>();
        while (inbox.TryDequeue(out var item))
        {
            items.Add(item is DataNetMessage m ? m.Channel + "=" + m.DataJson : "event");
        }

        return items.ToArray();
    }

    [Test]
    public void InboxDropOldestNeverDropsEventsAndCountsExactly()
    {
        var inbox = new Inbox(2, InboxOverflowPolicy.DropOldest);
        inbox.EnqueueEvent(ClientEvent.Connected());
        inbox.EnqueueMessage(Message("a", "1"));
        inbox.EnqueueMessage(Message("a", "2"));
        inbox.EnqueueMessage(Message("a", "3"));
        var counters = inbox.Snapshot();
        Assert.That(counters.Received, Is.EqualTo(3));
        Assert.That(counters.DroppedOverflow, Is.EqualTo(1));
        Assert.That(counters.Backlog, Is.EqualTo(2));
        Assert.That(Drain(inbox), Is.EqualTo(new[] { "event", "a=2", "a=3" }));
        var after = inbox.Snapshot();
        Assert.That(after.Received, Is.EqualTo(after.Dispatched + after.Backlog + after.DroppedOverflow));
    }

    [Test]
    public void InboxLatestPerChannelDropsSupersededValuesFirst()
    {
        var inbox = new Inbox(3, InboxOverflowPolicy.LatestPerChannel);
        inbox.EnqueueMessage(Message("a", "1"));
        inbox.EnqueueMessage(Message("b", "1"));
        inbox.EnqueueMessage(Message("c", "1"));
        inbox.EnqueueMessage(Message("b", "2"));
        Assert.That(Drain(inbox), Is.EqualTo(new[] { "a=1", "c=1", "b=2" }));

        inbox.EnqueueMessage(Message("a", "1"));
        inbox.EnqueueMessage(Message("a", "2"));
        inbox.EnqueueMessage(Message("b", "1"));
        inbox.EnqueueMessage(Message("c", "1"));
        Assert.That(Drain(inbox), Is.EqualTo(new[] { "a=2", "b=1", "c=1" }), "a's older value goes, not b's only one");

        inbox.EnqueueMessage(Message("a", "1"));
        inbox.EnqueueMessage(Message("b", "1"));
        inbox.EnqueueMessage(Message("c", "1"));
        inbox.EnqueueMessage(Message("d", "1"));
        Assert.That(Drain(inbox), Is.EqualTo(new[] { "b=1", "c=1", "d=1" }), "more channels than room: oldest goes");
        Assert.That(inbox.Snapshot().DroppedOverflow, Is.EqualTo(3));
    }

    [Test]
    public void InboxEventsAreBoundedSeparately()
    {
        var inbox = new Inbox(1, InboxOverflowPolicy.DropOldest);
        for (var i = 0; i < Inbox.EventCapacity + 5; i++)
        {
            inbox.EnqueueEvent(ClientEvent.Connected());
        }

        inbox.EnqueueMessage(Message("a", "1"));
        Assert.That(inbox.Snapshot().DroppedEvents, Is.EqualTo(5));
        Assert.That(Drain(inbox), Has.Length.EqualTo(Inbox.EventCapacity + 1));
    }

    [Test]
    public void OutboxPolicies()
    {
        var oldest = new Outbox(2, OutboxOverflowPolicy.DropOldest);
        Assert.That(oldest.Enqueue("1"), Is.True);
        Assert.That(oldest.Enqueue("2"), Is.True);
        Assert.That(oldest.Enqueue("3"), Is.True);
        Assert.That(oldest.DroppedOverflow, Is.EqualTo(1));
        Assert.That(oldest.TryDequeue(out var first), Is.True);
        Assert.That(first, Is.EqualTo("2"));
        oldest.Requeue(first);
        Assert.That(oldest.TryDequeue(out first), Is.True);
        Assert.That(first, Is.EqualTo("2"), "a refused send goes back to the front");

        var newest = new Outbox(1, OutboxOverflowPolicy.DropNewest);
        Assert.That(newest.Enqueue("1"), Is.True);
        Assert.That(newest.Enqueue("2"), Is.False);
        Assert.That(newest.Count, Is.EqualTo(1));
        Assert.That(newest.DroppedOverflow, Is.EqualTo(1));
    }

    [Test]
    public void SubscriptionsSendOneSubPerChannelAndUnsubWithTheLast()
    {
        var registry = new SubscriptionRegistry();
        System.Action<DataNetMessage> h1 = _ => { };
        System.Action<DataNetMessage> h2 = _ => { };
        registry.Add("c", new Subscription(h1, false, null));
        registry.Add("c", new Subscription(h2, true, "binary/dmx"));
        registry.Add("c", new Subscription(h1, false, null));
        registry.Add("d", new Subscription(null, false, null));
        Assert.That(TakeAll(registry), Is.EqualTo(new[] { "{\"op\":\"sub\",\"ch\":\"c\"}", "{\"op\":\"sub\",\"ch\":\"d\"}" }));
        Assert.That(registry.Get("c"), Has.Length.EqualTo(2), "the same handler twice is one subscription");
        Assert.That(registry.BinaryContentType("c"), Is.EqualTo("binary/dmx"));
        Assert.That(registry.SingleBinaryChannel(out var count), Is.EqualTo("c"));
        Assert.That(count, Is.EqualTo(1));

        registry.ResetForSession();
        Assert.That(TakeAll(registry), Is.EqualTo(new[] { "{\"op\":\"sub\",\"ch\":\"c\"}", "{\"op\":\"sub\",\"ch\":\"d\"}" }), "deduplicated resubscribe");

        Assert.That(registry.Remove("c", h1), Is.False);
        Assert.That(TakeAll(registry), Is.Empty, "the binary handler still needs the channel");
        Assert.That(registry.Remove("c", h2), Is.True);
        Assert.That(TakeAll(registry), Is.EqualTo(new[] { "{\"op\":\"unsub\",\"ch\":\"c\"}" }));
        Assert.That(registry.Channels, Is.EqualTo(new[] { "d" }));
        Assert.That(registry.Remove("nope", null), Is.False);
    }

    private static string[] TakeAll(SubscriptionRegistry registry)
    {
        var list = new System.Collections.Generic.List<string>();
        while (registry.TryTakeControl(out var envelope))
        {
            list.Add(envelope);
        }

        return list.ToArray();
    }
}
