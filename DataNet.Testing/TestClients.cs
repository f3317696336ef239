using System;
using System.Collections.Generic;
using System.Threading;
using DataNet.Gateway;
using DataNet.Td;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>A deterministic retry policy: a fixed short delay, optionally a limit; counts how often it was asked.</summary>
public sealed class FixedRetryPolicy : IRetryPolicy
{
    private int _calls;

    public FixedRetryPolicy(TimeSpan delay, int? maxAttempts = null)
    {
        Delay = delay;
        MaxAttempts = maxAttempts;
    }

    public TimeSpan Delay { get; }

    public int? MaxAttempts { get; }

    public int Calls => Volatile.Read(ref _calls);

    public TimeSpan? NextRetryDelay(RetryContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Interlocked.Increment(ref _calls);
        return MaxAttempts is { } max && context.Attempt > max ? null : Delay;
    }
}

/// <summary>Records everything a client raises inside Poll (the test thread is the "main thread").</summary>
public sealed class Recorder
{
    public Recorder(DataNetClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        client.Connected += () => Connected++;
        client.Disconnected += reason => Disconnects.Add(reason);
        client.Error += error => Errors.Add(error);
        client.StateChanged += (state, previous) => States.Add((state, previous));
        client.MessageReceived += message => Messages.Add(message);
        client.PresenceReceived += presence => Presence.Add(presence);
    }

    public DataNetClient Client { get; }

    public int Connected { get; private set; }

    public List<string> Disconnects { get; } = new();

    public List<DataNetError> Errors { get; } = new();

    public List<(ConnectionState State, ConnectionState Previous)> States { get; } = new();

    public List<DataNetMessage> Messages { get; } = new();

    public List<PresenceResult> Presence { get; } = new();

    public void Pump() => Client.Poll();

    public int ErrorCount(string code) => Errors.FindAll(e => e.Code == code).Count;
}

public static class TestClients
{
    public static readonly TimeSpan FastRetry = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Options for a test: explicit DeviceId (never the user's persisted file; by default one of this test's own, so
    /// tests sharing a gateway never share a device), fast deterministic retries, and a Poll time budget no stall can
    /// exhaust, so one Poll drains what is queued (the budget has its own test, on a stepped clock).
    /// </summary>
    public static DataNetOptions For(LocalGateway gateway, string? deviceId = null, string apiKey = "ak_test")
    {
        ArgumentNullException.ThrowIfNull(gateway);
        return DataNetOptions.LocalGateway(gateway.Port) with
        {
            ApiKey = apiKey,
            DeviceId = deviceId ?? "test-device-" + TestContext.CurrentContext.Test.ID,
            DeviceName = "NUnit",
            RetryPolicy = new FixedRetryPolicy(FastRetry),
            RequestTimeout = TimeSpan.FromSeconds(5),
            PollMaxTime = TimeSpan.FromMinutes(1),
        };
    }

    /// <summary>A client over real loopback sockets whose timers all run on <paramref name="time"/>.</summary>
    public static DataNetClient OnVirtualTime(DataNetOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DataNetClient(options, new DataNet.Td.Connection.ClientWebSocketTransportFactory(options.MaxReceiveFrameBytes, time), time, deviceIdPath: null);
    }

    /// <summary>Virtual time starting at the current whole second, for a gateway and a client that share it.</summary>
    public static VirtualTime VirtualNow() => new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public static void AssertInvariant(DataNetStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        Assert.That(stats.Received, Is.EqualTo(stats.Dispatched + stats.InboxBacklog + stats.DroppedInboxOverflow),
            "Received == Dispatched + InboxBacklog + DroppedInboxOverflow");
        Assert.That(stats.Dropped, Is.EqualTo(stats.DroppedInboxOverflow + stats.DroppedOutboxOverflow));
    }
}
