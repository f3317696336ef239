using System.Linq;
using System.Net;
using System.Text;
using DataNet.Gateway.Web;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Tests.Web;

/// <summary>The web page's parts without a gateway: bounded feed queues, browser limit, numbers for the plot, who may read.</summary>
[TestFixture]
public sealed class WebFeedTests
{
    [Test]
    public void AFullBrowserQueueDropsNewEventsAndCountsThem()
    {
        var browser = new FeedSubscriber(watched: null);
        for (var i = 0; i < FeedSubscriber.QueueEvents + 5; i++)
        {
            browser.Post([(byte)i]);
        }

        Assert.That(browser.Dropped, Is.EqualTo(5));
        Assert.That(browser.Events.Count, Is.EqualTo(FeedSubscriber.QueueEvents), "the oldest wait to be written, in order");
        Assert.That(browser.Events.TryRead(out var first) && first[0] == 0, Is.True);
    }

    [Test]
    public void TheFeedTakesAtMostMaxBrowsersAndKeepsTheDropsOfThoseGone()
    {
        using var feed = new WebFeed(new ChannelActivity());
        var browsers = Enumerable.Range(0, WebFeed.MaxBrowsers).Select(_ => feed.TryJoin(null)).ToList();
        Assert.That(browsers, Has.None.Null);
        Assert.That(feed.TryJoin(null), Is.Null, "one browser too many");

        for (var i = 0; i < FeedSubscriber.QueueEvents + 3; i++)
        {
            browsers[0]!.Post([1]);
        }
        feed.Leave(browsers[0]!);
        Assert.That(feed.DroppedEvents, Is.EqualTo(3));
        Assert.That(feed.Browsers, Is.EqualTo(WebFeed.MaxBrowsers - 1));
        Assert.That(feed.TryJoin(null), Is.Not.Null, "a place came free");
    }

    [Test]
    public void TheNumbersOfAPayloadArePlottedByPathAndBounded()
    {
        Assert.That(Numbers("""{"a":1,"s":"x","t":true,"n":null,"b":{"c":2.5},"v":[3,{"w":4}]}"""),
            Is.EqualTo(new[] { "a=1", "b.c=2.5", "v[0]=3", "v[1].w=4" }));
        Assert.That(Numbers("42"), Is.EqualTo(new[] { "value=42" }));
        Assert.That(Numbers("\"text\""), Is.Empty);
        var wide = "{" + string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"f{i}\":{i}")) + "}";
        Assert.That(Numbers(wide), Has.Length.EqualTo(MessagePreview.MaxFields));
    }

    [Test]
    public void ABinaryMessageIsDescribedNotShown()
    {
        var envelope = Encoding.UTF8.GetBytes("""{"type":"message","op":"pub","ch":"c","bin":true,"b64":"AAEC","ct":"binary/dmx","bytes":3,"ts":5,"from":"d"}""");
        var preview = MessagePreview.Read(envelope);
        Assert.That(preview.Text, Is.EqualTo("binary, 3 bytes, binary/dmx"));
        Assert.That(preview.Binary, Is.True);
        Assert.That(MessagePreview.Numbers(envelope), Is.Empty);
    }

    [TestCase("198.51.100.7", "127.0.0.1", false, false, TestName = "Another machine is refused")]
    [TestCase("198.51.100.7", "127.0.0.1", true, true, TestName = "Another machine is answered with WebPageForNetwork")]
    [TestCase("198.51.100.7", "198.51.100.7", false, true, TestName = "This machine through its own network address is answered")]
    [TestCase("::ffff:127.0.0.1", "::ffff:127.0.0.1", false, true, TestName = "Loopback mapped to IPv6 is answered")]
    public void WhoMayReadThePage(string remote, string local, bool network, bool allowed)
    {
        // Addresses set on a request object only: no traffic goes anywhere.
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = IPAddress.Parse(local);
        context.Request.Host = new HostString("127.0.0.1", 8080);
        Assert.That(PageAccess.Refusal(context, network) is null, Is.EqualTo(allowed));
    }

    private static string[] Numbers(string payload) =>
        MessagePreview.Numbers(Encoding.UTF8.GetBytes($$"""{"type":"message","op":"pub","ch":"c","d":{{payload}},"ts":1,"from":"x"}"""))
            .Select(n => $"{n.Key}={n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}").ToArray();
}
