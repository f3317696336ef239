using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests.Web;

/// <summary>
/// The gateway's web page in a real browser (headless Chromium over the DevTools Protocol): it loads, lists the
/// channel a client publishes to, its clients and presence, shows a hostile payload as text, and its plot follows
/// the messages. With <c>UPDATE_SCREENSHOTS=1</c> the screenshot replaces docs/pictures/gateway-web.png.
/// </summary>
[TestFixture]
public sealed class WebPageBrowserTests : GatewayTestBase
{
    private const string Sensor = "project.local.sensor";
    private const string Lights = "project.local.lights";
    private const string Hostile = "<img src=x onerror=\\\"document.title='owned'\\\"><script>document.title='owned'</script>";

    protected override GatewayOptions Configure(GatewayOptions options) => options with { WebPage = true };

    [Test]
    public async Task PageShowsThePublishedChannelItsClientsAndAPlotThatFollowsTheMessages()
    {
        await using var browser = await HeadlessChromium.StartAsync();
        using var studio = await SubscribedAsync(Sensor, deviceId: "td-studio");
        using var rig = await ConnectAsync("sensor-rig");
        await rig.SendTextAsync($$$"""{"op":"pub","ch":"{{{Lights}}}","d":{"dimmer":0.5,"label":"{{{Hostile}}}"}}""");
        await rig.SendTextAsync(Reading(1));

        await browser.NavigateAsync(Gateway.WebPageUrl!);
        await PageAsync(browser, $"{ChannelButton(Sensor)} !== undefined", "the channel table lists the sensor channel");
        await PageAsync(browser, """[...document.querySelectorAll('#clients td')].some(td => td.textContent === 'sensor-rig')""",
            "the client table lists the publisher");
        await PageAsync(browser, """[...document.querySelectorAll('#channels td')].some(td => td.textContent === '1: td-studio')""",
            "the sensor channel shows its subscriber (presence)");

        // A payload is text: the markup it carries is shown, never run or parsed.
        await PageAsync(browser, """[...document.querySelectorAll('#channels pre')].some(p => p.textContent.includes('<img src=x onerror='))""",
            "the hostile payload is shown as text");
        Assert.That(await browser.Page.IsTrueAsync("document.querySelectorAll('main img, main script').length === 0 && document.title !== 'owned'"),
            Is.True, "the payload's markup became elements");

        await browser.Page.EvaluateAsync($"{ChannelButton(Sensor)}.click()");
        await PageAsync(browser, "document.querySelector('#plot canvas') !== null && document.getElementById('plot').dataset.points === '1'",
            "choosing the channel plots its newest message at once");
        for (var step = 2; step <= 40; step++)
        {
            await rig.SendTextAsync(Reading(step));
            // uPlot's own data, read back by the page after setData: the newest point is this message.
            await PageAsync(browser, $"JSON.parse(document.getElementById('plot').dataset.last ?? '[]')[0]?.[1] === {step}",
                $"the plot shows step {step}");
        }
        var points = (await browser.Page.EvaluateAsync("Number(document.getElementById('plot').dataset.points)")).GetInt32();
        Assert.That(points, Is.InRange(2, 40), "the plot grew with the messages");
        var fields = await browser.Page.EvaluateAsync("JSON.parse(document.getElementById('plot').dataset.last).map(f => f[0])");
        Assert.That(fields.EnumerateArray().Select(f => f.GetString()), Is.EqualTo(new[] { "step", "wave", "arm.y" }));
        Assert.That(await browser.Page.IsTrueAsync("document.body.dataset.cspViolations === undefined"), Is.True,
            "the page broke its own Content-Security-Policy");

        await SaveScreenshotAsync(await browser.ScreenshotAsync());
    }

    /// <summary>A sensor reading: a step count, a wave and a nested value (plotted as arm.y).</summary>
    private static string Reading(int step)
    {
        var wave = Math.Round(Math.Sin(step / 4.0) * 10, 3).ToString(CultureInfo.InvariantCulture);
        var arm = Math.Round(Math.Cos(step / 6.0) * 6 + 20, 3).ToString(CultureInfo.InvariantCulture);
        return $$$"""{"op":"pub","ch":"{{{Sensor}}}","d":{"step":{{{step}}},"wave":{{{wave}}},"arm":{"y":{{{arm}}}},"name":"rig"}}""";
    }

    private static string ChannelButton(string channel) =>
        $"[...document.querySelectorAll('#channels button.channel')].find(b => b.textContent === {JsonSerializer.Serialize(channel)})";

    private static Task PageAsync(HeadlessChromium browser, string condition, string because) =>
        Eventually.TrueAsync(() => browser.Page.IsTrueAsync(condition), because: because);

    private static async Task SaveScreenshotAsync(byte[] png)
    {
        Assert.That(png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), Is.True, "not a PNG");
        var output = Path.Combine(TestContext.CurrentContext.WorkDirectory, "gateway-web.png");
        await File.WriteAllBytesAsync(output, png);
        TestContext.AddTestAttachment(output, "the web page at the end of the test");
        if (Environment.GetEnvironmentVariable("UPDATE_SCREENSHOTS") == "1")
        {
            await File.WriteAllBytesAsync(Path.Combine(Repository.Root, "docs", "pictures", "gateway-web.png"), png);
        }
    }
}
