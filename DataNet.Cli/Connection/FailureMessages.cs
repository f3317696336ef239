using System;
using System.Globalization;
using DataNet.Cli.Hosting;
using DataNet.Cli.Options;
using DataNet.Cli.Output;
using DataNet.Td;

namespace DataNet.Cli.Connection;

/// <summary>Turns the client's structured errors into one plain line with an exit code and, where useful, a fix.</summary>
internal static class FailureMessages
{
    public static CliException FromError(DataNetError error, ConnectionSettings settings)
    {
        var (message, exitCode) = Describe(error, settings);
        return new CliException(SecretRedactor.Redact(message, settings.ApiKey), exitCode);
    }

    /// <summary>
    /// A failed connection attempt: not reached at all (unreachable), reached but not answering as DataNet does
    /// (an HTML page, a 404: summarised in one line), or a DataNet refusal.
    /// </summary>
    public static CliException FromConnectError(DataNetError error, ConnectionSettings settings)
    {
        if (error.Code == ErrorCodes.ConnectionFailed || (error.Code == ErrorCodes.AuthenticationFailed && error.Status is null))
        {
            return Unreachable(settings, error.Message);
        }

        if (error.Code == ErrorCodes.AuthenticationFailed && error.Status is { } status and not (400 or 401 or 403))
        {
            var answer = Answer(error.Message);
            var notDataNet = answer is null or HtmlPage || status is not (200 or >= 500);
            if (notDataNet || status >= 500)
            {
                var text = string.Create(CultureInfo.InvariantCulture, $"{settings.ApiUrl} answered HTTP {status} with {answer ?? "no DataNet token"}");
                return new CliException(
                    SecretRedactor.Redact(
                        notDataNet
                            ? $"{text}, not as a DataNet API does: check {EnvironmentVariables.ApiUrl} or --api-url"
                            : $"{text}: the server failed; try again (--wait retries until --timeout)",
                        settings.ApiKey),
                    ExitCodes.Unreachable);
            }
        }

        return FromError(error, settings);
    }

    private const string HtmlPage = "an HTML page";

    /// <summary>What a server answered, in a few words: "an HTML page", or its first line cut short; null when it gave no text.</summary>
    private static string? Answer(string message)
    {
        var at = message.IndexOf(": ", StringComparison.Ordinal);
        var body = at < 0 ? string.Empty : message[(at + 2)..].Trim();
        if (body.Length == 0)
        {
            return null;
        }

        return body.StartsWith('<') ? HtmlPage : $"'{MessageText.Cut(body.Split('\n')[0].Trim(), 80)}'";
    }

    public static CliException Unreachable(ConnectionSettings settings, string? detail)
    {
        var hint = settings.UsesLocalDevKey
            ? "start one with `datanet gateway` (or run `datanet demo`), or set DATANET_API_KEY for the cloud"
            : "check the network and DATANET_API_URL / DATANET_WS_URL";
        var reason = string.IsNullOrWhiteSpace(detail) ? string.Empty : $" ({Cause(detail)})";
        return new CliException(
            SecretRedactor.Redact($"cannot reach the gateway at {settings.ApiUrl}{reason}: {hint}", settings.ApiKey),
            ExitCodes.Unreachable);
    }

    /// <summary>"Authentication request to URL failed: Connection refused (host:port)" says the URL twice: keep the cause.</summary>
    private static string Cause(string detail)
    {
        const string Failed = " failed: ";
        var at = detail.LastIndexOf(Failed, StringComparison.Ordinal);
        return (at < 0 ? detail : detail[(at + Failed.Length)..]).TrimEnd('.');
    }

    /// <summary>True for errors that end a command at once: nothing it could wait for would fix them.</summary>
    public static bool EndsCommand(DataNetError error) => error.IsFatal || error.Code switch
    {
        // Without an HTTP status the API was not reached: the client retries, the deadline decides.
        "authentication_failed" => error.Status is 400 or 401 or 403,
        "insufficient_scope" or "channel_not_allowed" or "channel_not_provisioned"
            or "topic_limit_reached" or "device_limit_reached" or "rate_limited" or "presence_forbidden" => true,
        _ => false,
    };

    private static (string Message, int ExitCode) Describe(DataNetError error, ConnectionSettings settings)
    {
        var on = error.Channel is null ? string.Empty : $" on {error.Channel}";
        return error.Code switch
        {
            "authentication_failed" => (
                $"the API key was rejected by {settings.ApiUrl}{Status(error)}; check {EnvironmentVariables.ApiKey} or --api-key",
                ExitCodes.AuthenticationFailed),
            "insufficient_scope" => (
                $"the API key lacks the '{error.Required ?? "needed"}' scope{on}: give it that scope in the DataNet dashboard",
                ExitCodes.AuthenticationFailed),
            "presence_forbidden" => (
                $"presence is not allowed{on} for this key (HTTP 403): give the key the 'presence' scope",
                ExitCodes.AuthenticationFailed),
            "rate_limited" => (
                $"rate limited{on}{Scope(error)}: slow down{RetryHint(error)}",
                ExitCodes.RateLimited),
            "channel_not_allowed" => (
                $"channel not allowed{on}: the key's channel prefixes do not cover it",
                ExitCodes.Failure),
            "channel_not_provisioned" => (
                $"channel not provisioned{on}: create it in the project first",
                ExitCodes.Failure),
            "topic_limit_reached" => (
                $"the plan's channel limit{Limit(error)} is reached{on}",
                ExitCodes.Failure),
            "device_limit_reached" => (
                $"the plan's device limit{Limit(error)} is reached: disconnect another device or set a known {EnvironmentVariables.DeviceId}",
                ExitCodes.Failure),
            _ => ($"{error.Code}{on}: {Text(error)}", ExitCodes.Failure),
        };
    }

    private static string Text(DataNetError error) =>
        string.IsNullOrWhiteSpace(error.Message) ? "no details" : error.Message.TrimEnd('.');

    private static string Status(DataNetError error) =>
        error.Status is { } status ? string.Create(CultureInfo.InvariantCulture, $" (HTTP {status})") : string.Empty;

    private static string Scope(DataNetError error) => error.Scope is null ? string.Empty : $" (per {error.Scope})";

    private static string Limit(DataNetError error) =>
        error.Limit is { } limit ? string.Create(CultureInfo.InvariantCulture, $" ({limit})") : string.Empty;

    private static string RetryHint(DataNetError error) =>
        error.RetryMs is { } ms ? string.Create(CultureInfo.InvariantCulture, $", retry after {ms} ms") : string.Empty;
}
