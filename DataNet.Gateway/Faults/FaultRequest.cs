using System.Collections.Generic;

namespace DataNet.Gateway.Faults;

/// <summary>
/// The JSON body of a <c>POST /faults/...</c> request (every field optional; each control reads the ones it
/// needs). Unknown fields are refused, so a typo does not silently mean "every connection".
/// </summary>
internal sealed record FaultRequest
{
    /// <summary>Only these connections (see <see cref="ConnectionSelector.ConnIds"/>).</summary>
    public IReadOnlyList<string>? ConnIds { get; init; }

    /// <summary>Only connections of this device (see <see cref="ConnectionSelector.DeviceId"/>).</summary>
    public string? DeviceId { get; init; }

    /// <summary><c>/faults/silence</c>: true (default) goes silent, false revives.</summary>
    public bool? Silent { get; init; }

    /// <summary><c>/faults/auth</c>: <c>fail</c>, <c>hang</c> or <c>normal</c>.</summary>
    public string? Mode { get; init; }

    /// <summary><c>/faults/auth</c> with <c>fail</c>: the HTTP status (default 503).</summary>
    public int? Status { get; init; }

    /// <summary><c>/faults/auth</c> with <c>fail</c>: the response body (default an injected-failure error).</summary>
    public string? Body { get; init; }

    /// <summary><c>/faults/inject</c>: a text frame to send verbatim.</summary>
    public string? Text { get; init; }

    /// <summary><c>/faults/inject</c>: a binary frame, as standard base64.</summary>
    public string? B64 { get; init; }

    /// <summary><c>/faults/rate-limited</c>: <c>retry_ms</c> to send (omitted when absent).</summary>
    public long? RetryMs { get; init; }

    /// <summary><c>/faults/rate-limited</c>: <c>scope</c> to send (omitted when absent).</summary>
    public string? Scope { get; init; }

    /// <summary><c>/faults/rate-limited</c>: <c>channel</c> to send (omitted when absent).</summary>
    public string? Channel { get; init; }

    /// <summary><c>/faults/device-limit</c>: <c>limit</c> to send (default 1).</summary>
    public int? Limit { get; init; }

    public ConnectionSelector Selector => new() { ConnIds = ConnIds, DeviceId = DeviceId };
}
