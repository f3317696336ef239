using System;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Threading;
using DataNet.Td;

namespace DataNet.Benchmarks.EndToEnd;

/// <summary>
/// The child process of <see cref="ClientProcessPhase"/>: only a DataNetClient (with a C# handler, no rows) and a
/// 60 fps "main thread" calling Poll, as TD would host it, so its process CPU time is the client's alone. Each <c>sample</c> line on stdin is
/// answered with one line: CPU ms, wall ms, bytes allocated, objects allocated and the bytes those events account for
/// (-1 unless the parent started it with EventPipe's allocation events), messages dispatched.
/// </summary>
internal static class ClientProbe
{
    public static int Run(string[] args)
    {
        var port = int.Parse(args[0], CultureInfo.InvariantCulture);
        var channel = args[1];
        using var objects = new AllocationCounter();
        using var client = new DataNetClient(DataNetOptions.LocalGateway(port) with { DeviceId = "bench-probe", InboxCapacity = 200_000, RowCapacity = 0 });
        long dispatched = 0;
        client.Subscribe(channel, _ => dispatched++);
        client.ConnectAsync().GetAwaiter().GetResult();
        while (client.GetOccupancy(channel) < 1)
        {
            client.Poll();
            Thread.Sleep(5);
        }

        var stop = 0;
        var frames = new Thread(() =>
        {
            // TD's frame loop: one Poll per 60 fps frame. No rows: the figures are the receive path's (a table sink's
            // TakeRows formats two strings per row it takes: the timestamp and the data).
            while (Volatile.Read(ref stop) == 0)
            {
                client.Poll();
                Thread.Sleep(16);
            }
        }) { Name = "bench-frames", IsBackground = true };
        frames.Start();
        Console.WriteLine("ready");
        var process = Process.GetCurrentProcess();
        var wall = Stopwatch.StartNew();
        while (Console.ReadLine() is "sample")
        {
            // Allocation events arrive on the EventPipe thread a little after the allocation.
            Thread.Sleep(300);
            process.Refresh();
            Console.WriteLine(string.Join(' ',
                process.TotalProcessorTime.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
                wall.Elapsed.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture),
                GC.GetTotalAllocatedBytes(precise: true).ToString(CultureInfo.InvariantCulture),
                objects.Objects.ToString(CultureInfo.InvariantCulture),
                objects.Bytes.ToString(CultureInfo.InvariantCulture),
                Volatile.Read(ref dispatched).ToString(CultureInfo.InvariantCulture)));
        }

        Volatile.Write(ref stop, 1);
        frames.Join();
        return 0;
    }

    /// <summary>
    /// Sums <c>ObjectCountForTypeSample</c> and <c>TotalSizeForTypeSample</c> of the runtime's GCSampledObjectAllocation
    /// events, only when the process was started with those events on (they need the slow allocation path from startup).
    /// Events can arrive late or be lost under load, so the parent scales the count by exact bytes over event bytes.
    /// </summary>
    private sealed class AllocationCounter : EventListener
    {
        private long _objects;
        private long _bytes;
        private bool _enabled;

        public long Objects => _enabled ? Interlocked.Read(ref _objects) : -1;

        public long Bytes => _enabled ? Interlocked.Read(ref _bytes) : -1;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime" && Environment.GetEnvironmentVariable("DOTNET_EnableEventPipe") == "1")
            {
                _enabled = true;
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x200000);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName?.StartsWith("GCSampledObjectAllocation", StringComparison.Ordinal) == true && eventData.PayloadNames is { } names)
            {
                Interlocked.Add(ref _objects, Convert.ToInt64(eventData.Payload![names.IndexOf("ObjectCountForTypeSample")], CultureInfo.InvariantCulture));
                Interlocked.Add(ref _bytes, Convert.ToInt64(eventData.Payload![names.IndexOf("TotalSizeForTypeSample")], CultureInfo.InvariantCulture));
            }
        }
    }
}
