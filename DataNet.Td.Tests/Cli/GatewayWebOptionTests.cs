using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DataNet.Td.Tests.Support;
using NUnit.Framework;

namespace DataNet.Td.Tests.Cli;

/// <summary>`datanet gateway --web`: the banner names the page, which the program serves; --web-network needs --web.</summary>
[TestFixture]
public sealed class GatewayWebOptionTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static string KeyFile => Path.Combine(TestContext.CurrentContext.WorkDirectory, "cli-web-signing-key");

    [Test]
    public async Task TheBannerNamesTheWebPageAndTheProgramServesIt()
    {
        await using var gateway = CliRun.Start(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, "--web");
        await Eventually.TrueAsync(() => gateway.Output.Text.Contains("Press Ctrl-C", StringComparison.Ordinal) || gateway.Exit.IsCompleted, TimeSpan.FromSeconds(20));
        var page = Regex.Match(gateway.Output.Text, @"  Web page \(channels, clients, live plot\): +(http://127\.0\.0\.1:\d+/web/)\n");
        Assert.That(page.Success, Is.True, gateway.ToString());

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(page.Groups[1].Value));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("<title>DataNet local gateway</title>"));
        Assert.That(await gateway.InterruptAsync(), Is.Zero, gateway.ToString());
    }

    [Test]
    public async Task WithoutWebThereIsNoPageInTheBanner()
    {
        await using var gateway = CliRun.Start(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile);
        await Eventually.TrueAsync(() => gateway.Output.Text.Contains("Press Ctrl-C", StringComparison.Ordinal) || gateway.Exit.IsCompleted, TimeSpan.FromSeconds(20));
        Assert.That(gateway.Output.Text, Does.Not.Contain("Web page"), gateway.ToString());
        Assert.That(await gateway.InterruptAsync(), Is.Zero, gateway.ToString());
    }

    [Test]
    public async Task WebNetworkWithoutWebIsAUsageError()
    {
        await using var run = await CliRun.RunAsync(NoEnvironment, "gateway", "--port", "0", "--quiet", "--signing-key", KeyFile, "--web-network");

        Assert.That(await run.Exit, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error.Text.TrimEnd(), Is.EqualTo("datanet: --web-network opens the web page to the network: add --web"), run.ToString());
    }
}
