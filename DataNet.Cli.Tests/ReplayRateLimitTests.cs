using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using DataNet.Gateway;

namespace DataNet.Cli.Tests;

/// <summary>`datanet replay` into a gateway that throttles it: the replay goes on, paced, and accounts for every message.</summary>
[TestFixture]
public sealed class ReplayRateLimitTests
{
    [Test]
    public async Task ARateLimitedReplayIsPacedReportedAndEveryMessageAccountedFor()
    {
        var config = new GatewayConfig
        {
            Projects = new Dictionary<string, ProjectConfig> { ["local"] = new() { MessagesPerSecond = 5 } },
            Keys = new Dictionary<string, ApiKeyConfig>(),
        };
        await using var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, Config = config });
        var file = Path.Combine(Path.GetTempPath(), $"datanet-replay-limited-{Guid.NewGuid():N}.jsonl");
        var text = new StringBuilder("{\"format\":\"datanet-recording\",\"version\":1,\"channels\":[\"limited.ch\"]}\n");
        for (var i = 0; i < 15; i++)
        {
            text.Append("{\"t\":").Append(i).Append(",\"ch\":\"limited.ch\",\"d\":").Append(i).Append("}\n");
        }

        await File.WriteAllTextAsync(file, text.ToString());
        try
        {
            await using var subscriber = await RawSubscriber.SubscribeAsync(gateway, "limited.ch");
            var environment = new Dictionary<string, string> { ["DATANET_API_URL"] = gateway.ApiUrl.ToString().TrimEnd('/') };

            await using var replay = await CliRun.RunAsync(environment, "replay", file);

            Assert.That(await replay.Exit, Is.EqualTo(5), replay.ToString());
            Assert.That(replay.Error.Text, Does.Contain("rate limited by the gateway (per connection): publishing paused for"), replay.ToString());
            var summary = replay.Output.Text;
            Assert.That(summary, Does.Contain("published 15 of 15 message(s)"), replay.ToString());
            var refused = int.Parse(summary.Split("Refused by the gateway: ")[1].Split(';')[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(refused, Is.InRange(1, 10), replay.ToString());
            Assert.That(replay.Error.Text, Does.Contain($"{refused} of 15 published message(s) were refused by the gateway (rate limited)"));
            await Eventually.TrueAsync(() => subscriber.MessageCount == 15 - refused, because: "every message not refused arrives");
            var values = subscriber.Messages().Select(m => m.GetProperty("d").GetInt32()).ToArray();
            Assert.That(values, Is.Ordered.And.Unique, "paced, still in order");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
