using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway;
using DataNet.Td;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.Faults;

/// <summary>Time from a gateway going silent (TCP open, nothing read or written) to the client declaring the link dead.</summary>
internal static class SilentLinkPhase
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    public sealed record Result(double Min, double P50, double Max);

    public static async Task<Result> RunAsync(int trials, bool heavy)
    {
        var seconds = new double[trials];
        for (var trial = 0; trial < trials; trial++)
        {
            var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, MinimumLogLevel = LogLevel.Error }).ConfigureAwait(false);
            await using (gateway.ConfigureAwait(false))
            {
                using var client = new DataNetClient(DataNetOptions.LocalGateway(gateway.Port) with
                {
                    DeviceId = "bench-silent",
                    HeartbeatInterval = Heartbeat,
                    OutboxCapacity = 2_000,
                });
                await client.ConnectAsync().ConfigureAwait(false);
                using var stop = new CancellationTokenSource();
                var publishing = heavy ? Task.Run(() => Flood(client, stop.Token)) : Task.CompletedTask;
                if (heavy)
                {
                    while (client.Stats.Published < 2_000)
                    {
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                }

                var clock = Stopwatch.StartNew();
                gateway.Faults.GoSilent();
                while (client.State == ConnectionState.Connected && clock.Elapsed < TimeSpan.FromMinutes(1))
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }

                seconds[trial] = clock.Elapsed.TotalSeconds;
                stop.Cancel();
                await publishing.ConfigureAwait(false);
                Console.WriteLine($"  {(heavy ? "heavy" : "idle ")} trial {trial + 1}: {seconds[trial]:F2} s (published {client.Stats.Published:N0})");
                gateway.Faults.GoSilent(false);
            }
        }

        Array.Sort(seconds);
        return new Result(seconds[0], seconds[seconds.Length / 2], seconds[^1]);
    }

    private static async Task Flood(DataNetClient client, CancellationToken stop)
    {
        var payload = "\"" + new string('x', 4096) + "\"";
        while (!stop.IsCancellationRequested)
        {
            // Keep the outbox full: the socket, not the producer, is the bottleneck.
            while (client.Stats.Queued < 1_000 && !stop.IsCancellationRequested)
            {
                client.Publish("project.local.flood", payload);
            }

            await Task.Yield();
        }
    }
}
