using System;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Gateway;
using Microsoft.Extensions.Logging;

namespace DataNet.Benchmarks.Fanout;

/// <summary>
/// Measures how many messages per second the gateway fans out to one loopback subscriber: one raw
/// publisher socket sends as fast as the gateway takes them, one subscriber socket counts arrivals.
/// A warm-up run, then five measured runs; prints each, the median and the best.
/// </summary>
internal static class FanoutBenchmark
{
    private const string Channel = "project.local.bench";
    private const int Runs = 5;

    public static async Task<int> RunAsync(FanoutSettings settings)
    {
        var gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, MinimumLogLevel = LogLevel.Warning }).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            using var subscriber = await ConnectAsync(gateway, "bench-subscriber").ConfigureAwait(false);
            var publishers = new ClientWebSocket[settings.Publishers];
            for (var i = 0; i < publishers.Length; i++)
            {
                publishers[i] = await ConnectAsync(gateway, $"bench-publisher-{i}").ConfigureAwait(false);
            }
            await SendAsync(subscriber, $"{{\"op\":\"sub\",\"ch\":\"{Channel}\"}}").ConfigureAwait(false);
            await ReceiveOneAsync(subscriber).ConfigureAwait(false); // sub_ack

            var frame = Encoding.UTF8.GetBytes(
                $"{{\"op\":\"pub\",\"ch\":\"{Channel}\",\"d\":{{\"value\":42,\"pad\":\"{new string('x', settings.PayloadBytes)}\"}}}}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fanout: {settings.Messages:N0} messages per run, {frame.Length} B publish frames, {publishers.Length} publisher(s) -> gateway -> 1 subscriber, loopback, {Environment.ProcessorCount} cores"));
            await MeasureAsync(publishers, subscriber, frame, Math.Min(settings.Messages, 20_000)).ConfigureAwait(false);
            var rates = new double[Runs];
            for (var run = 0; run < Runs; run++)
            {
                var elapsed = await MeasureAsync(publishers, subscriber, frame, settings.Messages).ConfigureAwait(false);
                rates[run] = settings.Messages / elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {run + 1}: {settings.Messages:N0} messages in {elapsed.TotalSeconds:F3} s = {rates[run]:N0} msg/s"));
            }
            Array.Sort(rates);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fan-out to one loopback subscriber: median {rates[Runs / 2]:N0} msg/s, best {rates[^1]:N0} msg/s ({Runs} runs)"));
            foreach (var publisher in publishers)
            {
                publisher.Dispose();
            }
        }
        return 0;
    }

    private static async Task<TimeSpan> MeasureAsync(ClientWebSocket[] publishers, ClientWebSocket subscriber, byte[] frame, int count)
    {
        var stopwatch = Stopwatch.StartNew();
        var receiving = CountAsync(subscriber, count);
        var sending = new Task[publishers.Length];
        for (var p = 0; p < publishers.Length; p++)
        {
            // Split the count; the first publisher also sends the remainder.
            var share = (count / publishers.Length) + (p == 0 ? count % publishers.Length : 0);
            sending[p] = PublishAsync(publishers[p], frame, share);
        }
        await Task.WhenAll(sending).ConfigureAwait(false);
        await receiving.ConfigureAwait(false);
        return stopwatch.Elapsed;
    }

    private static async Task PublishAsync(ClientWebSocket publisher, byte[] frame, int count)
    {
        await Task.Yield();
        for (var i = 0; i < count; i++)
        {
            await publisher.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task CountAsync(ClientWebSocket socket, int count)
    {
        var buffer = new byte[64 * 1024];
        var received = 0;
        while (received < count)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The gateway closed the subscriber socket.");
            }
            if (result.EndOfMessage)
            {
                received++;
            }
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(LocalGateway gateway, string deviceId)
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("bearer");
        socket.Options.AddSubProtocol(gateway.IssueToken("ak_bench", deviceId));
        await socket.ConnectAsync(new Uri(gateway.WsUrl, "/ws"), CancellationToken.None).ConfigureAwait(false);
        await ReceiveOneAsync(socket).ConfigureAwait(false); // connected
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    private static async Task ReceiveOneAsync(ClientWebSocket socket)
    {
        var buffer = new byte[4096];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
        }
        while (!result.EndOfMessage);
    }
}
