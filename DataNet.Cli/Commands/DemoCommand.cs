using System;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Demo;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;
using DataNet.Gateway;
using DataNet.Td;
using Spectre.Console;

namespace DataNet.Cli.Commands;

/// <summary>
/// <c>datanet demo</c>: the whole data path on one machine with no key and no TouchDesigner: an
/// embedded gateway, a synthetic sensor publishing several channels, and TD's side headless (a client
/// polled at 60 Hz filling a row-limited table and the flattened values), rendered live.
/// </summary>
internal static class DemoCommand
{
    private const int PreferredPort = 8080;
    private static readonly TimeSpan LiveRefresh = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PlainRefresh = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ClientsLeaveTimeout = TimeSpan.FromSeconds(2);

    /// <summary>With --seconds, how long to wait for the first message before calling the run failed.</summary>
    private static readonly TimeSpan FirstDataTimeout = TimeSpan.FromSeconds(20);

    public static Command Create(CliConsole console)
    {
        var port = new Option<int?>("--port", "-p")
        {
            Description = $"Gateway port (default: {PreferredPort}, or a free one if that is taken; 0: a free one).",
        };
        var seconds = new Option<double?>("--seconds")
        {
            Description = "End by itself after this many seconds of live data (for scripts and CI). Fails if no data arrives.",
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Sensor messages per second on each channel.",
            DefaultValueFactory = _ => 30,
        };
        var rows = new Option<int>("--rows")
        {
            Description = "Row limit of the table (as the TD component's row limit).",
            DefaultValueFactory = _ => 20,
        };
        var command = new Command("demo", "Run the whole data path locally (gateway, sensor, TD side) and show it live.")
        {
            port, seconds, rate, rows,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var request = new Request(
                parseResult.GetValue(port) is { } p ? PortOption.Validate(p) : null,
                parseResult.GetValue(seconds) is { } s ? Positive(s, "--seconds") : null,
                Positive(parseResult.GetValue(rate), "--rate"),
                parseResult.GetValue(rows) is var r && r is >= 1 and <= 100_000
                    ? r
                    : throw new CliException("--rows: give 1 to 100000", ExitCodes.Usage));
            return RunAsync(console, request, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, Request request, CancellationToken cancellationToken)
    {
        await using var gateway = await StartGatewayAsync(request.Port, cancellationToken);
        var info = new DemoInfo(gateway.ApiUrl.ToString().TrimEnd('/'), SensorModel.Channels, request.RateHz, request.RowLimit);
        var sdkOptions = DataNetOptions.LocalGateway(gateway.Port);

        using var tdSide = new TdSidePath(
            sdkOptions with { DeviceId = "demo-td", ClientId = "touchdesigner", DeviceName = "datanet demo" },
            SensorModel.Channels,
            request.RowLimit);
        await using var sensor = new SensorPublisher(
            sdkOptions with { DeviceId = "demo-sensor", ClientId = "datanet-demo-sensor" },
            request.RateHz);
        tdSide.Start();
        sensor.Start();

        var ending = new DemoEnding(request.Seconds);
        if (console.IsOutputTerminal)
        {
            await RunLiveAsync(console, tdSide, info, ending, cancellationToken);
        }
        else
        {
            await RunPlainAsync(console, tdSide, info, ending, cancellationToken);
        }

        var last = tdSide.Snapshot;
        await sensor.DisposeAsync();
        tdSide.Dispose();
        await WhenClientsHaveLeftAsync(gateway);
        await gateway.StopAsync();

        await console.Output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Demo ended: {last.Dispatched} messages reached the TD side in {DemoText.Elapsed(last.Elapsed)}; sensor published {sensor.Published}; {last.Names.Length} CHOP channels; {last.RowsAppended} rows ({last.RowsTrimmed} trimmed to keep {last.RowLimit})."));
        if (ending.TimedOutWithoutData)
        {
            throw new CliException(
                $"no data reached the TD side within {FirstDataTimeout.TotalSeconds:0} s (status: {last.Status})",
                ExitCodes.Failure);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Lets both clients' close handshakes finish before the gateway stops (bounded: it stops anyway).</summary>
    private static async Task WhenClientsHaveLeftAsync(LocalGateway gateway)
    {
        var clock = Stopwatch.StartNew();
        while (gateway.ConnectionCount > 0 && clock.Elapsed < ClientsLeaveTimeout)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    private static async Task<LocalGateway> StartGatewayAsync(int? port, CancellationToken cancellationToken)
    {
        if (port is { } given)
        {
            return await GatewayCommand.StartAsync(new GatewayOptions { Port = given }, cancellationToken);
        }

        try
        {
            return await LocalGateway.StartAsync(new GatewayOptions { Port = PreferredPort }, cancellationToken);
        }
        catch (InvalidOperationException e) when (e.InnerException is IOException)
        {
            // 8080 is taken (perhaps by `datanet gateway`): the demo is self-contained, any port will do.
            return await GatewayCommand.StartAsync(new GatewayOptions { Port = 0 }, cancellationToken);
        }
    }

    private static async Task RunLiveAsync(
        CliConsole console,
        TdSidePath tdSide,
        DemoInfo info,
        DemoEnding ending,
        CancellationToken cancellationToken)
    {
        var terminal = Terminal.Create(console);
        await terminal.Live(DemoLiveView.Render(tdSide.Snapshot, info)).StartAsync(async context =>
        {
            try
            {
                while (!ending.IsDue(tdSide.Snapshot))
                {
                    context.UpdateTarget(DemoLiveView.Render(tdSide.Snapshot, info));
                    context.Refresh();
                    await Task.Delay(LiveRefresh, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl-C: end cleanly below.
            }

            context.UpdateTarget(DemoLiveView.Render(tdSide.Snapshot, info));
            context.Refresh();
        });
    }

    private static async Task RunPlainAsync(
        CliConsole console,
        TdSidePath tdSide,
        DemoInfo info,
        DemoEnding ending,
        CancellationToken cancellationToken)
    {
        var output = console.Output;
        await output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"DataNet demo: gateway {info.GatewayUrl}; sensor publishes {string.Join(", ", info.Channels)} at {info.PublishRateHz:0.#} Hz; TD side polls at 60 Hz into a {info.RowLimit}-row table."));
        await output.FlushAsync(cancellationToken);
        using var ticks = new PeriodicTimer(PlainRefresh);
        try
        {
            while (!ending.IsDue(tdSide.Snapshot) && await ticks.WaitForNextTickAsync(cancellationToken))
            {
                var snapshot = tdSide.Snapshot;
                await output.WriteLineAsync(DemoText.ProgressLine(snapshot));
                await output.WriteLineAsync(DemoText.ValuesLine(snapshot));
                await output.WriteLineAsync(DemoText.NewestRowLine(snapshot));
                await output.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: end cleanly.
        }
    }

    private static double Positive(double value, string name) => value > 0 && double.IsFinite(value)
        ? value
        : throw new CliException($"{name}: give a number above 0", ExitCodes.Usage);

    /// <summary>
    /// When the demo ends by itself: <c>--seconds</c> counts from the first message on the TD side, so a
    /// slow start never shortens the part worth seeing; without data it gives up after a while.
    /// </summary>
    private sealed class DemoEnding(double? seconds)
    {
        private readonly Stopwatch _sinceStart = Stopwatch.StartNew();
        private Stopwatch? _sinceData;

        public bool TimedOutWithoutData { get; private set; }

        public bool IsDue(DemoSnapshot snapshot)
        {
            if (seconds is not { } limit)
            {
                return false;
            }

            if (_sinceData is null && snapshot.Dispatched > 0)
            {
                _sinceData = Stopwatch.StartNew();
            }

            if (_sinceData is null)
            {
                TimedOutWithoutData = _sinceStart.Elapsed > FirstDataTimeout;
                return TimedOutWithoutData;
            }

            return _sinceData.Elapsed.TotalSeconds >= limit;
        }
    }

    private sealed record Request(int? Port, double? Seconds, double RateHz, int RowLimit);
}
