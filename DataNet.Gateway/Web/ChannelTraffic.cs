using System.Diagnostics;
using System.Threading;

namespace DataNet.Gateway.Web;

/// <summary>
/// One channel's traffic as the web page shows it: messages since start, the rate over the last second and the
/// last message. Written on the publish path without a lock (one increment, one reference write).
/// </summary>
internal sealed class ChannelTraffic(int id, string project, string channel)
{
    private long _messages;
    private LastMessage? _last;
    private long _messagesAtLastTick;
    private long _lastTickTimestamp = Stopwatch.GetTimestamp();

    /// <summary>A small number naming this channel to the page (channel names can be long and hostile).</summary>
    public int Id { get; } = id;

    public string Project { get; } = project;

    public string Channel { get; } = channel;

    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Messages a second over the last <see cref="UpdateRate"/> interval.</summary>
    public double PerSecond { get; private set; }

    /// <summary>The newest message, or null before the first. Two publishers racing may leave the older of their two for a moment.</summary>
    public LastMessage? Last => Volatile.Read(ref _last);

    public void Record(byte[] envelope)
    {
        var sequence = Interlocked.Increment(ref _messages);
        Volatile.Write(ref _last, new LastMessage(envelope, sequence, Stopwatch.GetTimestamp()));
    }

    /// <summary>Called by the feed's one sampling loop once a second.</summary>
    public void UpdateRate(long now)
    {
        var messages = Messages;
        var seconds = Stopwatch.GetElapsedTime(_lastTickTimestamp, now).TotalSeconds;
        if (seconds > 0)
        {
            PerSecond = (messages - _messagesAtLastTick) / seconds;
        }
        _messagesAtLastTick = messages;
        _lastTickTimestamp = now;
    }
}

/// <summary>A message as the gateway relayed it: the envelope subscribers got, its number on the channel, when (<see cref="Stopwatch"/>).</summary>
internal sealed record LastMessage(byte[] Envelope, long Sequence, long ArrivedTimestamp);
