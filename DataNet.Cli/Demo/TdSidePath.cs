using System;
using System.Diagnostics;
using System.Threading;
using DataNet.Td;

namespace DataNet.Cli.Demo;

/// <summary>
/// TouchDesigner's side of the data path, headless: one thread plays TD's main thread, calling
/// <c>Poll()</c> 60 times a second, moving the frame's rows into a row-limited table and copying the
/// flattened numbers (what the Script CHOP shows). Only this thread touches the client after start.
/// </summary>
internal sealed class TdSidePath : IDisposable
{
    private static readonly TimeSpan Frame = TimeSpan.FromSeconds(1.0 / 60);

    private readonly DataNetOptions _options;
    private readonly string[] _channels;
    private readonly RowTable _rows;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private DemoSnapshot _snapshot = DemoSnapshot.Empty;
    private int _disposed;

    public TdSidePath(DataNetOptions options, string[] channels, int rowLimit)
    {
        _options = options with { RowCapacity = rowLimit };
        _channels = channels;
        _rows = new RowTable(rowLimit);
        _thread = new Thread(Run) { IsBackground = true, Name = "TD main thread (demo)" };
    }

    /// <summary>The latest frame; safe to read from any thread.</summary>
    public DemoSnapshot Snapshot => Volatile.Read(ref _snapshot);

    public void Start() => _thread.Start();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        using var client = new DataNetClient(_options);
        foreach (var channel in _channels)
        {
            client.Subscribe(channel); // no handler: feeds LastValues and the rows, as the TD component does
        }

        client.Connect();
        var clock = Stopwatch.StartNew();
        var work = new Stopwatch();
        long frames = 0;
        double totalWorkMs = 0, maxWorkMs = 0;
        string[] names = [];
        double[] values = [];
        long layoutVersion = 0;
        long valuesVersion = -1;
        var nextFrame = Frame;

        while (true)
        {
            work.Restart();
            client.Poll();
            _rows.Append(client.TakeRows(_rows.Limit));
            if (client.LastValues.Version != valuesVersion)
            {
                valuesVersion = client.LastValues.Version;
                var collected = client.LastValues.Collect(_channels, prefixWithChannel: true);
                names = collected.Names;
                values = collected.Values;
                layoutVersion = collected.LayoutVersion;
            }

            var workMs = work.Elapsed.TotalMilliseconds;
            frames++;
            totalWorkMs += workMs;
            maxWorkMs = Math.Max(maxWorkMs, workMs);

            Volatile.Write(ref _snapshot, new DemoSnapshot
            {
                Status = client.Status,
                Stats = client.Stats,
                Rows = _rows.Snapshot(),
                RowLimit = _rows.Limit,
                RowsAppended = _rows.Appended,
                RowsTrimmed = _rows.Trimmed,
                Names = names,
                Values = values,
                LayoutVersion = layoutVersion,
                Frames = frames,
                Elapsed = clock.Elapsed,
                MeanFrameWorkMs = totalWorkMs / frames,
                MaxFrameWorkMs = maxWorkMs,
            });

            // Frame pacing, as TD's cook loop: wait for the next 1/60 s boundary or the stop signal.
            var wait = nextFrame - clock.Elapsed;
            nextFrame += Frame;
            if (wait < TimeSpan.Zero)
            {
                nextFrame = clock.Elapsed + Frame; // a slow frame: do not try to catch up
                wait = TimeSpan.Zero;
            }

            if (_stop.Wait(wait))
            {
                return;
            }
        }
    }
}
