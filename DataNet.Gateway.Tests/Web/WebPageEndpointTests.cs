using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using DataNet.Gateway;
using DataNet.Gateway.Web;

namespace DataNet.Gateway.Tests.Web;

/// <summary>The web page's HTTP side: its files and their policy, who may read it, the snapshot and the live feed.</summary>
[TestFixture]
public sealed class WebPageEndpointTests : GatewayTestBase
{
    protected override GatewayOptions Configure(GatewayOptions options) => options with { WebPage = true };

    [TestCase("index.html", "text/html")]
    [TestCase("app.js", "text/javascript")]
    [TestCase("app.css", "text/css")]
    [TestCase("uPlot.iife.min.js", "text/javascript")]
    [TestCase("uPlot.min.css", "text/css")]
    public async Task EachFileIsServedFromTheGatewayUnderAStrictPolicy(string file, string contentType)
    {
        using var response = await Http.GetAsync(new Uri(Gateway.WebPageUrl!, file == "index.html" ? "" : file));
        var body = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo(contentType));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'; script-src 'self';"));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(body, Has.Length.GreaterThan(500));
        if (!file.StartsWith("uPlot", StringComparison.Ordinal))
        {
            // Venues have no internet: the page itself links nothing outside the gateway.
            Assert.That(body, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("//cdn"));
        }
    }

    [Test]
    public async Task TheChartingLibraryIsUPlotFromNpm()
    {
        var library = await Http.GetStringAsync(new Uri(Gateway.WebPageUrl!, "uPlot.iife.min.js"));
        var npm = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "DataNet.Gateway", "Web", "node_modules", "uplot", "dist", "uPlot.iife.min.js"));
        Assert.That(library, Is.EqualTo(npm));
    }

    [Test]
    public async Task AnUnknownFileIs404AndTheBarePathRedirects()
    {
        using var missing = await Http.GetAsync(new Uri(Gateway.WebPageUrl!, "secrets.json"));
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var bare = await noRedirect.GetAsync(new Uri(Gateway.ApiUrl, "/web"));
        Assert.That(bare.StatusCode, Is.EqualTo(HttpStatusCode.MovedPermanently));
        Assert.That(bare.Headers.Location?.ToString(), Is.EqualTo("/web/"));
    }

    [TestCase("localhost", HttpStatusCode.OK)]
    [TestCase("127.0.0.1", HttpStatusCode.OK)]
    [TestCase("rebound.example", HttpStatusCode.Forbidden)]
    public async Task OnlyRequestsNamingLocalhostOrAnAddressAreAnswered(string host, HttpStatusCode expected)
    {
        // A web site whose DNS name points at 127.0.0.1 must not read the page through a browser on this machine.
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.WebPageUrl!, "api/snapshot"));
        request.Headers.Host = host + ":" + Gateway.Port.ToString(CultureInfo.InvariantCulture);
        using var response = await Http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("localhost or an IP address only"));
        }
    }

    [Test]
    public async Task TheSnapshotListsChannelsPresenceClientsAndEscapedBoundedLastMessages()
    {
        using var subscriber = await SubscribedAsync("project.local.quiet", deviceId: "td-1");
        using var publisher = await ConnectAsync("rig-1");
        var hostile = "\\u001b[2J\u202Eevil" + new string('x', 5000);
        await publisher.SendTextAsync($$$"""{"op":"pub","ch":"project.local.loud","d":{"text":"{{{hostile}}}"}}""");
        var loud = await ChannelAsync("project.local.loud", c => c.GetProperty("messages").GetInt64() == 1);

        var text = loud.GetProperty("last").GetProperty("text").GetString()!;
        Assert.That(text, Does.StartWith("{\"text\":\"\\u001B[2J\\u202eevilxxx"), "controls and direction overrides are shown escaped");
        Assert.That(text.Any(c => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format), Is.False);
        Assert.That(text, Has.Length.LessThanOrEqualTo(MessagePreview.MaxTextLength + 20).And.EndsWith("chars)"), "cut, saying how long it was");
        Assert.That(loud.GetProperty("last").GetProperty("from").GetString(), Is.EqualTo("rig-1"));
        Assert.That(loud.GetProperty("id").ValueKind, Is.EqualTo(JsonValueKind.Number));

        var quiet = await ChannelAsync("project.local.quiet", _ => true);
        Assert.That(quiet.GetProperty("id").ValueKind, Is.EqualTo(JsonValueKind.Null), "nothing to plot before a message");
        Assert.That(quiet.GetProperty("subscribers").GetInt32(), Is.EqualTo(1));
        Assert.That(quiet.GetProperty("members").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { "td-1" }));

        using var snapshot = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Gateway.WebPageUrl!, "api/snapshot")));
        var clients = snapshot.RootElement.GetProperty("clients").EnumerateArray()
            .ToDictionary(c => c.GetProperty("deviceId").GetString()!, c => c.GetProperty("channels").EnumerateArray().Select(ch => ch.GetString()).ToArray());
        Assert.That(clients["td-1"], Is.EqualTo(new[] { "project.local.quiet" }));
        Assert.That(clients["rig-1"], Is.Empty);
        Assert.That(snapshot.RootElement.GetProperty("access").GetString(), Is.EqualTo("this machine only"));
    }

    [Test]
    public async Task TheFeedSendsASnapshotThenSamplesOfTheChosenChannel()
    {
        using var publisher = await ConnectAsync("rig-1");
        await publisher.SendTextAsync("""{"op":"pub","ch":"project.local.level","d":1}""");
        var id = (await ChannelAsync("project.local.level", c => c.GetProperty("messages").GetInt64() == 1)).GetProperty("id").GetInt32();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.WebPageUrl!, "api/events?channel=" + id));
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync());

        var (first, _) = await NextEventAsync(events);
        Assert.That(first, Is.EqualTo("snapshot"), "a snapshot at once");
        // The newest message at the time of joining comes first, then each new one (sampled at 20 a second).
        using var joined = await NextSampleAsync(events);
        Assert.That(joined.RootElement.GetProperty("fields")[0].GetRawText(), Is.EqualTo("""["value",1]"""));

        await publisher.SendTextAsync("""{"op":"pub","ch":"project.local.level","d":{"level":0.25,"on":true}}""");
        using var next = await NextSampleAsync(events);
        Assert.That(next.RootElement.GetProperty("fields").GetRawText(), Is.EqualTo("""[["level",0.25]]"""));
        Assert.That(next.RootElement.GetProperty("seq").GetInt64(), Is.EqualTo(2));
    }

    private async Task<JsonElement> ChannelAsync(string channel, Func<JsonElement, bool> until)
    {
        JsonElement found = default;
        await Eventually.TrueAsync(async () =>
        {
            using var snapshot = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Gateway.WebPageUrl!, "api/snapshot")));
            var match = snapshot.RootElement.GetProperty("channels").EnumerateArray()
                .Where(c => c.GetProperty("channel").GetString() == channel).Select(c => c.Clone()).ToList();
            found = match.FirstOrDefault();
            return match.Count == 1 && until(found);
        }, because: channel + " in the snapshot");
        return found;
    }

    private static async Task<JsonDocument> NextSampleAsync(StreamReader events)
    {
        while (true)
        {
            var (name, data) = await NextEventAsync(events);
            if (name == "sample")
            {
                return JsonDocument.Parse(data);
            }
        }
    }

    /// <summary>One Server-Sent Event: its name and data line.</summary>
    private static async Task<(string Name, string Data)> NextEventAsync(StreamReader events)
    {
        string? name = null;
        string? data = null;
        while (await Eventually.CompletesAsync(events.ReadLineAsync(), because: "the next event line") is { } line)
        {
            if (line.Length == 0 && name is not null && data is not null)
            {
                return (name, data);
            }
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }
        throw new EndOfStreamException("the feed ended");
    }
}

/// <summary>No page unless asked for.</summary>
[TestFixture]
public sealed class WebPageOffByDefaultTests : GatewayTestBase
{
    [TestCase("/web/")]
    [TestCase("/web/api/snapshot")]
    [TestCase("/web/api/events")]
    public async Task NothingIsServed(string path)
    {
        Assert.That(Gateway.WebPageUrl, Is.Null);
        using var response = await Http.GetAsync(new Uri(Gateway.ApiUrl, path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
