using System.Net.Http;
using System.Text.RegularExpressions;

namespace DataNet.Release.Tests;

/// <summary>The archive's single-file `datanet` serves the gateway's web page from its embedded resources.</summary>
public sealed partial class ExtractedReleaseTests
{
    [Test]
    public async Task GatewayServesItsWebPageFromTheSingleFile()
    {
        using var gateway = Start(NoExtra, "gateway", "--port", "0", "--web");
        var page = await Eventually.ValueAsync(
            () => WebPageUrl().Match(gateway.Output.Text),
            match => match.Success || gateway.HasExited,
            Patience,
            "the gateway prints its web page's URL");
        Assert.That(page.Success, Is.True, gateway.ToString());

        using var http = new HttpClient { Timeout = Patience };
        foreach (var file in new[] { "", "app.js", "app.css", "uPlot.iife.min.js", "uPlot.min.css" })
        {
            using var response = await http.GetAsync(new Uri(new Uri(page.Value), file));
            Assert.That(response.IsSuccessStatusCode, Is.True, $"/web/{file}: {response.StatusCode}");
            Assert.That((await response.Content.ReadAsByteArrayAsync()).Length, Is.GreaterThan(500), $"/web/{file}");
        }
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:[0-9]+/web/")]
    private static partial Regex WebPageUrl();
}
