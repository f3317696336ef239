using System;

namespace DataNet.Td;

/// <summary>What one <c>Poll</c> did.</summary>
public readonly struct PollResult : IEquatable<PollResult>
{
    internal PollResult(int messages, int events, int handlerErrors, int remaining)
    {
        Messages = messages;
        Events = events;
        HandlerErrors = handlerErrors;
        Remaining = remaining;
    }

    /// <summary>Messages taken from the inbox and dispatched.</summary>
    public int Messages { get; }

    /// <summary>Lifecycle events raised (connected, disconnected, state changed, error, presence).</summary>
    public int Events { get; }

    /// <summary>Handlers that threw (each also reported as a <c>handler_failed</c> error).</summary>
    public int HandlerErrors { get; }

    /// <summary>Messages still queued when the budget ran out.</summary>
    public int Remaining { get; }

    /// <inheritdoc />
    public bool Equals(PollResult other) =>
        Messages == other.Messages && Events == other.Events && HandlerErrors == other.HandlerErrors && Remaining == other.Remaining;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PollResult other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => ((Messages * 397 ^ Events) * 397 ^ HandlerErrors) * 397 ^ Remaining;

    /// <summary>Equality.</summary>
    public static bool operator ==(PollResult left, PollResult right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(PollResult left, PollResult right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => $"{Messages} messages, {Events} events, {HandlerErrors} handler errors, {Remaining} remaining";
}
