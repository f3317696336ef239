using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Options;
using DataNet.Td;

namespace DataNet.Cli.Connection;

/// <summary>
/// One <see cref="DataNetClient"/> driven the way TouchDesigner drives it: <c>Poll()</c> once per frame on
/// the caller's flow, never concurrently. Errors raised inside Poll that no waiting could fix end the
/// command as a <see cref="Hosting.CliException"/> with one plain line.
/// </summary>
internal sealed class ClientSession : IDisposable
{
    /// <summary>TouchDesigner's default cook rate: the pace every loop here polls at.</summary>
    public static readonly TimeSpan Frame = TimeSpan.FromSeconds(1.0 / 60);

    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    private DataNetError? _endingError;
    private DataNetError? _lastError;

    public ClientSession(ConnectionSettings settings, DataNetOptions? options = null)
    {
        Settings = settings;
        Client = new DataNetClient(options ?? settings.ToClientOptions());
        Client.Error += OnError;
    }

    public ConnectionSettings Settings { get; }

    public DataNetClient Client { get; }

    /// <summary>Connects, polling at frame rate, until connected; fails fast on a rejected key.</summary>
    public async Task ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Client.Connect();
        while (Client.State != ConnectionState.Connected)
        {
            Poll();
            if (Client.State == ConnectionState.Failed)
            {
                throw _lastError is null
                    ? FailureMessages.Unreachable(Settings, Client.Status)
                    : FailureMessages.FromError(_lastError, Settings);
            }

            if (clock.Elapsed > timeout)
            {
                throw FailureMessages.Unreachable(Settings, _lastError?.Message ?? Client.Status);
            }

            await Task.Delay(Frame, cancellationToken);
        }
    }

    /// <summary>One frame: drain the inbox (handlers and events run here), then stop on an ending error.</summary>
    public PollResult Poll()
    {
        var result = Client.Poll();
        ThrowIfEnded();
        return result;
    }

    /// <summary>Polls at frame rate until <paramref name="done"/> holds, the deadline passes, or cancellation.</summary>
    /// <returns>True when the condition held; false on timeout.</returns>
    public async Task<bool> PollUntilAsync(Func<bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Poll();
            if (done())
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(Frame, cancellationToken);
        }
    }

    /// <summary>Polls at frame rate until cancelled (Ctrl-C) or <paramref name="done"/> holds.</summary>
    public async Task PollUntilCancelledAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Frame);
        try
        {
            while (!done() && await timer.WaitForNextTickAsync(cancellationToken))
            {
                Poll();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C is how these commands end: not an error.
        }
    }

    public void ThrowIfEnded()
    {
        if (_endingError is { } error)
        {
            throw FailureMessages.FromError(error, Settings);
        }
    }

    public void Dispose()
    {
        Client.Error -= OnError;
        Client.Dispose();
    }

    private void OnError(DataNetError error)
    {
        _lastError = error;
        if (FailureMessages.EndsCommand(error))
        {
            _endingError ??= error;
        }
    }
}
