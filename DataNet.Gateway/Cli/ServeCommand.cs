using System;
using System.Net;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Gateway.Cli;

/// <summary>Runs the gateway until Ctrl-C or SIGTERM, printing the listening URL once it is ready.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(GatewayOptions options)
    {
        if (!IsLoopback(options.BindAddress))
        {
            await Console.Error.WriteLineAsync(
                $"WARNING: binding {options.BindAddress}, not loopback. Anyone who can reach this machine can use the gateway " +
                "(any key starting with ak_ is accepted unless the config says otherwise).").ConfigureAwait(false);
        }
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.TrySetResult();
        }
        // SIGINT is Ctrl-C on every platform (PosixSignalRegistration maps it on Windows too).
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        var gateway = await LocalGateway.StartAsync(options).ConfigureAwait(false);
        await using (gateway.ConfigureAwait(false))
        {
            Console.WriteLine($"DataNet gateway listening on {gateway.ApiUrl.ToString().TrimEnd('/')} ({gateway.WsUrl}ws)");
            Console.WriteLine("Press Ctrl-C to stop.");
            await stop.Task.ConfigureAwait(false);
            Console.WriteLine("Stopping...");
        }
        return 0;
    }

    private static bool IsLoopback(string bindAddress) =>
        string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(bindAddress, out var address) && IPAddress.IsLoopback(address));
}
