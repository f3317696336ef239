using System;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DataNet.Gateway.Faults;

/// <summary>
/// The fault controls over HTTP (<see cref="GatewayOptions.FaultControlsOverHttp"/>): each route parses a small JSON
/// body and calls the same <see cref="GatewayFaults"/> method a test in the same process would. Served only on a
/// loopback bind, and only to loopback callers (403 otherwise). A bad body gets 400, never a 500.
/// </summary>
internal static class FaultControlEndpoints
{
    private const int MaxBodyBytes = 1024 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static void Map(IEndpointRouteBuilder app, GatewayRuntime runtime)
    {
        var faults = runtime.Faults;
        Get(app, "/faults", runtime, _ => Task.FromResult<object>(new FaultStatus(runtime.Stats, faults.HungAuthRequests)));
        Post(app, "/faults/drop", runtime, r => Affected(faults.DropConnections(r.Selector)));
        Post(app, "/faults/silence", runtime, r => Affected(faults.GoSilent(r.Silent ?? true, r.Selector)));
        Post(app, "/faults/inject", runtime, async r => new FaultResult(await InjectAsync(faults, r).ConfigureAwait(false)));
        Post(app, "/faults/rate-limited", runtime, async r =>
            new FaultResult(await faults.SendRateLimitedAsync(r.RetryMs, r.Scope, r.Channel, r.Selector).ConfigureAwait(false)));
        Post(app, "/faults/device-limit", runtime, async r =>
            new FaultResult(await faults.SendDeviceLimitReachedAsync(r.Limit ?? 1, r.Selector).ConfigureAwait(false)));
        Post(app, "/faults/tokens/expire", runtime, _ =>
        {
            faults.ExpireTokens();
            return Affected(0);
        });
        Post(app, "/faults/tokens/revoke", runtime, _ => Affected(faults.RevokeTokens()));
        Post(app, "/faults/auth", runtime, r =>
        {
            switch (r.Mode)
            {
                case "fail":
                    faults.FailAuth(r.Status ?? StatusCodes.Status503ServiceUnavailable, r.Body);
                    break;
                case "hang":
                    faults.HangAuth();
                    break;
                case "normal":
                    faults.ResetAuth();
                    break;
                default:
                    throw new FaultRequestException("\"mode\" must be \"fail\", \"hang\" or \"normal\"");
            }
            return Affected(0);
        });
        Get(app, "/faults/frames", runtime, _ => Task.FromResult<object>(RecordedFrames(runtime)));
        app.MapDelete("/faults/frames", Guarded(runtime, _ =>
        {
            runtime.Recorder?.Clear();
            return Task.FromResult<object>(new FaultResult(0));
        }));
    }

    private static Task<object> Affected(int count) => Task.FromResult<object>(new FaultResult(count));

    private static Task<int> InjectAsync(GatewayFaults faults, FaultRequest request)
    {
        if ((request.Text is null) == (request.B64 is null))
        {
            throw new FaultRequestException("give exactly one of \"text\" and \"b64\"");
        }
        if (request.Text is { } text)
        {
            return faults.InjectTextFrameAsync(text, request.Selector);
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(request.B64!);
        }
        catch (FormatException)
        {
            throw new FaultRequestException("\"b64\" is not standard base64");
        }
        return faults.InjectBinaryFrameAsync(bytes, request.Selector);
    }

    private static RecordedFrameJson[] RecordedFrames(GatewayRuntime runtime)
    {
        if (runtime.Recorder is null)
        {
            throw new FaultRequestException("frames are recorded only with RecordClientFrames (--record-frames)");
        }
        var frames = runtime.Recorder.Snapshot();
        var json = new RecordedFrameJson[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            var f = frames[i];
            json[i] = new RecordedFrameJson(
                f.ConnId, f.DeviceId, f.IsBinary, f.ReceivedAt.ToUnixTimeMilliseconds(),
                System.Text.Unicode.Utf8.IsValid(f.Bytes.Span) ? f.Text : null, Convert.ToBase64String(f.Bytes.Span));
        }
        return json;
    }

    private static void Get(IEndpointRouteBuilder app, string path, GatewayRuntime runtime, Func<FaultRequest, Task<object>> control) =>
        app.MapGet(path, Guarded(runtime, _ => control(new FaultRequest())));

    private static void Post(IEndpointRouteBuilder app, string path, GatewayRuntime runtime, Func<FaultRequest, Task<object>> control) =>
        app.MapPost(path, Guarded(runtime, async context => await control(await ReadAsync(context).ConfigureAwait(false)).ConfigureAwait(false)));

    /// <summary>Wraps a control: loopback callers only, a bad request is a 400, the result is written as JSON.</summary>
    private static RequestDelegate Guarded(GatewayRuntime runtime, Func<HttpContext, Task<object>> control) =>
        context => RunGuardedAsync(context, runtime, control);

    private static async Task RunGuardedAsync(HttpContext context, GatewayRuntime runtime, Func<HttpContext, Task<object>> control)
    {
        if (context.Connection.RemoteIpAddress is not { } remote || !IPAddress.IsLoopback(remote))
        {
            GatewayLog.FaultControlRefused(runtime.Logger, "caller is not on loopback");
            await HttpJson.WriteAsync(context, StatusCodes.Status403Forbidden,
                ServerEnvelopes.RestError("fault controls answer loopback callers only", "forbidden")).ConfigureAwait(false);
            return;
        }
        object result;
        try
        {
            result = await control(context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FaultRequestException or ArgumentException)
        {
            GatewayLog.FaultControlRefused(runtime.Logger, LogText.Escape(e.Message)!);
            await HttpJson.WriteAsync(context, StatusCodes.Status400BadRequest,
                ServerEnvelopes.RestError(e.Message, "invalid_request")).ConfigureAwait(false);
            return;
        }
        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, JsonSerializer.SerializeToUtf8Bytes(result, result.GetType(), Json))
            .ConfigureAwait(false);
    }

    private static async Task<FaultRequest> ReadAsync(HttpContext context)
    {
        if (await HttpJson.ReadBodyAsync(context, MaxBodyBytes).ConfigureAwait(false) is not { } body)
        {
            throw new FaultRequestException($"body larger than {MaxBodyBytes} bytes");
        }
        if (body.Length == 0)
        {
            return new FaultRequest();
        }
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw new FaultRequestException("body is not valid UTF-8");
        }
        try
        {
            return JsonSerializer.Deserialize<FaultRequest>(body.Span, Json) ?? throw new FaultRequestException("body must be a JSON object");
        }
        catch (JsonException e)
        {
            // The message names the field at fault; it never holds a secret (fault bodies carry none).
            throw new FaultRequestException("body is not a valid fault request: " + e.Message);
        }
    }

    /// <summary>A control's answer: how many connections it acted on.</summary>
    private sealed record FaultResult(int Affected);

    /// <summary><c>GET /faults</c>: the gateway's counters and the token requests being held.</summary>
    private sealed record FaultStatus(GatewayStats Stats, int HungAuthRequests);

    /// <summary>One recorded client frame: text when it is UTF-8, always base64.</summary>
    private sealed record RecordedFrameJson(string ConnId, string? DeviceId, bool Binary, long ReceivedAtMs, string? Text, string B64);

    private sealed class FaultRequestException(string message) : Exception(message);
}
