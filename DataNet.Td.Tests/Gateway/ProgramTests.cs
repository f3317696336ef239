using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DataNet.Td.Tests.Support;
using NUnit.Framework;

namespace DataNet.Td.Tests.Gateway;

/// <summary>The gateway as a program: <c>--port</c>, <c>--config</c>, the printed URL, a clean stop on SIGTERM.</summary>
[TestFixture]
[Platform(Exclude = "Win", Reason = "Sends SIGTERM with /bin/kill")]
public sealed class ProgramTests
{
    private const string ReadyPrefix = "DataNet gateway listening on ";

    // Starting a .NET process on a busy 2-core CI machine can take seconds; this only bounds a failure.
    private static readonly TimeSpan ProcessDeadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task PrintsTheUrlWhenReadyServesTheConfigAndStopsCleanlyOnSigterm()
    {
        var config = Path.Combine(Path.GetTempPath(), $"datanet-gateway-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(config, """{ "allowDevKeys": false, "keys": { "cli-key": { "project": "cli" } } }""");
        using var process = GatewayProcess.Start("--port", "0", "--config", config);
        try
        {
            var ready = await Eventually.CompletesAsync(ReadLineStartingWithAsync(process.StandardOutput, ReadyPrefix), ProcessDeadline,
                because: "the program should print its URL once listening");
            Assert.That(ready, Does.Match("""^DataNet gateway listening on http://127\.0\.0\.1:[0-9]+ \(ws://127\.0\.0\.1:[0-9]+/ws\)$"""));
            var apiUrl = new Uri(ready[ReadyPrefix.Length..ready.IndexOf(' ', ReadyPrefix.Length)]);

            using var http = new HttpClient();
            using var response = await http.PostAsync(new Uri(apiUrl, "/auth/token"),
                new StringContent("""{"apiKey":"cli-key"}""", Encoding.UTF8, "application/json"));
            var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString()!;
            Assert.That(Jwt.Payload(token).GetProperty("pid").GetString(), Is.EqualTo("cli"), "--config was read");

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }
            await Eventually.CompletesAsync(process.WaitForExitAsync(), ProcessDeadline, "SIGTERM should stop the gateway");
            Assert.That(process.ExitCode, Is.Zero);
            Assert.That(await process.StandardOutput.ReadToEndAsync(), Does.Not.Contain(token));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
            File.Delete(config);
        }
    }

    [Test]
    public async Task ABadArgumentExitsWith2AndExplains()
    {
        using var process = GatewayProcess.Start("--port", "eighty");
        await Eventually.CompletesAsync(process.WaitForExitAsync(), ProcessDeadline);
        Assert.That(process.ExitCode, Is.EqualTo(2));
        Assert.That(await process.StandardError.ReadToEndAsync(), Does.Contain("'--port' needs a whole number"));
    }

    private static async Task<string> ReadLineStartingWithAsync(StreamReader reader, string prefix)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
        throw new EndOfStreamException("The program ended without printing its URL.");
    }
}
