using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td;

namespace DataNet.Cli.Demo;

/// <summary>The demo's sensor: its own client publishing every demo channel at a steady rate.</summary>
internal sealed class SensorPublisher : IAsyncDisposable
{
    private readonly DataNetClient _client;
    private readonly double _rateHz;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _published;
    private int _disposed;

    public SensorPublisher(DataNetOptions options, double rateHz)
    {
        _client = new DataNetClient(options);
        _rateHz = rateHz;
    }

    public long Published => Interlocked.Read(ref _published);

    public void Start()
    {
        _client.Connect();
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / _rateHz));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _client.Poll(); // nothing subscribed; keeps its events flowing
                if (_client.State != ConnectionState.Connected)
                {
                    continue; // sensors in the field do not queue while offline either
                }

                var t = clock.Elapsed.TotalSeconds;
                foreach (var channel in SensorModel.Channels)
                {
                    if (_client.Publish(channel, SensorModel.Sample(channel, t)))
                    {
                        Interlocked.Increment(ref _published);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
