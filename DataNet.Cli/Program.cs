using System;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Hosting;

namespace DataNet.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        var interrupts = 0;

        // First Ctrl-C: end the command cleanly (sockets closed, gateway stopped). Second: leave at once.
        Console.CancelKeyPress += (_, e) =>
        {
            if (Interlocked.Increment(ref interrupts) == 1)
            {
                e.Cancel = true;
                stop.Cancel();
            }
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        return await CliApp.RunAsync(args, CliConsole.FromProcess(), stop.Token);
    }
}
