using System;
using System.Globalization;
using System.Text;

namespace DataNet.Td;

/// <summary>A structured error: a gateway <c>{"type":"error"}</c> envelope or a client-side failure.</summary>
public sealed class DataNetError
{
    internal DataNetError(string code, string message)
    {
        Code = code;
        Message = message;
    }

    /// <summary>Machine-readable code, e.g. <c>rate_limited</c>, <c>authentication_failed</c> (see <see cref="ErrorCodes"/>).</summary>
    public string Code { get; }

    /// <summary>Plain words for an artist; never contains the key or the token.</summary>
    public string Message { get; }

    /// <summary>The channel concerned, when there is one (<c>channel</c>, else <c>ch</c>).</summary>
    public string? Channel { get; internal init; }

    /// <summary>For <c>rate_limited</c>: milliseconds to wait (<c>retry_ms</c>).</summary>
    public int? RetryMs { get; internal init; }

    /// <summary>For <c>rate_limited</c>: which budget fired (<c>"connection"</c> for the per-connection throttle).</summary>
    public string? Scope { get; internal init; }

    /// <summary>The plan limit for <c>device_limit_reached</c> and <c>topic_limit_reached</c>.</summary>
    public int? Limit { get; internal init; }

    /// <summary>The operation refused (<c>sub</c>, <c>pub</c>), when the gateway says.</summary>
    public string? Operation { get; internal init; }

    /// <summary>The missing scope for <c>insufficient_scope</c>.</summary>
    public string? Required { get; internal init; }

    /// <summary>HTTP status for REST failures (auth, presence).</summary>
    public int? Status { get; internal init; }

    /// <summary>True when the client stopped retrying because of this error.</summary>
    public bool IsFatal { get; internal init; }

    /// <summary>A copy with <paramref name="mask"/> applied to every text field a server or peer can fill.</summary>
    internal DataNetError Masked(Func<string, string> mask) => new(mask(Code), mask(Message))
    {
        Channel = Channel is null ? null : mask(Channel),
        RetryMs = RetryMs,
        Scope = Scope is null ? null : mask(Scope),
        Limit = Limit,
        Operation = Operation is null ? null : mask(Operation),
        Required = Required is null ? null : mask(Required),
        Status = Status,
        IsFatal = IsFatal,
    };

    internal DataNetError NotFatal() => IsFatal ? WithMessage(Message, fatal: false) : this;

    internal DataNetError WithMessage(string message) => WithMessage(message, IsFatal);

    private DataNetError WithMessage(string message, bool fatal) => new(Code, message)
    {
        Channel = Channel,
        RetryMs = RetryMs,
        Scope = Scope,
        Limit = Limit,
        Operation = Operation,
        Required = Required,
        Status = Status,
        IsFatal = fatal,
    };

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder(Code).Append(": ").Append(Message);
        if (Status is { } status)
        {
            text.Append(" (HTTP ").Append(status.ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        return text.ToString();
    }
}
