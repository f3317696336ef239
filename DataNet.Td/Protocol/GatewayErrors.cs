using System;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataNet.Td.Protocol;

/// <summary>
/// Maps <c>{"type":"error"}</c> envelopes like the JS, Python and Java SDKs (<c>code ?? error ?? "gateway_error"</c>,
/// <c>channel ?? ch</c>, <c>retry_ms</c>, <c>scope</c>, <c>limit</c>) and also <c>operation</c> and <c>required</c>,
/// which none of them map.
/// </summary>
internal static class GatewayErrors
{
    /// <summary>
    /// Longest pause a server can ask for with <c>retry_ms</c>: 5 minutes. A hostile or broken server sending
    /// 2147483647 must not freeze publishing for 25 days.
    /// </summary>
    public const int MaxRetryMs = 5 * 60 * 1000;

    public static bool IsFatalCode(string code) => code == ErrorCodes.DeviceLimitReached;

    public static DataNetError FromEnvelope(JsonElement root)
    {
        var code = String(root, "code") ?? String(root, "error") ?? ErrorCodes.GatewayError;
        var channel = String(root, "channel") ?? String(root, "ch");
        var retryMs = Int(root, "retry_ms") is { } asked ? Math.Min(Math.Max(asked, 0), MaxRetryMs) : (int?)null;
        var scope = String(root, "scope");
        var limit = Int(root, "limit");
        var operation = String(root, "operation");
        var required = String(root, "required");
        var detail = String(root, "message");

        var text = new StringBuilder(Describe(code, retryMs, limit, required, operation));
        if (channel is not null)
        {
            text.Append(" (channel ").Append(channel).Append(')');
        }

        if (detail is not null && detail != code)
        {
            text.Append(": ").Append(detail);
        }

        return new DataNetError(code, text.ToString())
        {
            Channel = channel,
            RetryMs = retryMs,
            Scope = scope,
            Limit = limit,
            Operation = operation,
            Required = required,
            IsFatal = IsFatalCode(code),
        };
    }

    private static string Describe(string code, int? retryMs, int? limit, string? required, string? operation)
    {
        var ms = retryMs?.ToString(CultureInfo.InvariantCulture) ?? "?";
        var cap = limit?.ToString(CultureInfo.InvariantCulture) ?? "?";
        return code switch
        {
            ErrorCodes.RateLimited => $"Rate limited by the gateway; publishing paused for {ms} ms",
            ErrorCodes.DeviceLimitReached => $"Device limit reached ({cap} devices on this plan); not reconnecting",
            ErrorCodes.TopicLimitReached => $"Channel limit reached ({cap} channels on this plan)",
            ErrorCodes.ChannelNotProvisioned => "Channel not created in this project" + Op(operation),
            ErrorCodes.ChannelNotAllowed => "Channel not allowed for this key" + Op(operation),
            ErrorCodes.InsufficientScope => $"The API key lacks the '{required ?? "?"}' scope",
            ErrorCodes.InvalidMessage => "The gateway rejected a frame as invalid",
            _ => "Gateway error " + code,
        };
    }

    private static string Op(string? operation) => operation is null ? string.Empty : " (" + operation + ")";

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement root, string name)
    {
        if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) &&
            d >= int.MinValue && d <= int.MaxValue)
        {
            return (int)d;
        }

        return null;
    }
}
