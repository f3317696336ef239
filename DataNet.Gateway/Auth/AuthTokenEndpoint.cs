using System;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Threading.Tasks;
using DataNet.Gateway.Hosting;
using DataNet.Gateway.Logging;
using DataNet.Gateway.Protocol;
using Microsoft.AspNetCore.Http;

namespace DataNet.Gateway.Auth;

/// <summary>
/// <c>POST /auth/token</c> with <c>{"apiKey","deviceId"?,"clientId"?,"deviceName"?}</c>: 200 <c>{"token"}</c>;
/// an unknown key gets 200 <c>{"error":"invalid apiKey"}</c> like the cloud; a bad body gets 400.
/// </summary>
internal sealed class AuthTokenEndpoint(GatewayRuntime runtime)
{
    private const int MaxBodyBytes = 64 * 1024;
    private static readonly byte[] InvalidApiKey = ServerEnvelopes.RestError("invalid apiKey", code: null);

    public async Task HandleAsync(HttpContext context)
    {
        var faults = runtime.Faults.Auth;
        await faults.WaitWhileHangingAsync(context.RequestAborted).ConfigureAwait(false);
        if (faults.Failure is { } failure)
        {
            GatewayLog.AuthFaultAnswered(runtime.Logger, failure.Status);
            await HttpJson.WriteAsync(context, failure.Status, Encoding.UTF8.GetBytes(failure.Body)).ConfigureAwait(false);
            return;
        }
        var request = await ReadRequestAsync(context).ConfigureAwait(false);
        if (request.Error is { } error)
        {
            GatewayLog.TokenRefused(runtime.Logger, error);
            await HttpJson.WriteAsync(context, StatusCodes.Status400BadRequest,
                ServerEnvelopes.RestError(error, "invalid_request")).ConfigureAwait(false);
            return;
        }
        if (!runtime.Keys.TryResolve(request.ApiKey!, out var key))
        {
            GatewayLog.TokenRefused(runtime.Logger, "unknown API key");
            await HttpJson.WriteAsync(context, StatusCodes.Status200OK, InvalidApiKey).ConfigureAwait(false);
            return;
        }
        var token = runtime.Tokens.Issue(new TokenGrant(key, request.DeviceId, request.ClientId, request.DeviceName));
        GatewayLog.TokenIssued(runtime.Logger, key.Project, LogText.Escape(request.DeviceId), LogText.Escape(request.ClientId));
        await HttpJson.WriteAsync(context, StatusCodes.Status200OK, ServerEnvelopes.Token(token)).ConfigureAwait(false);
    }

    private static async Task<TokenRequest> ReadRequestAsync(HttpContext context)
    {
        if (await HttpJson.ReadBodyAsync(context, MaxBodyBytes).ConfigureAwait(false) is not { } body)
        {
            return TokenRequest.Invalid($"body larger than {MaxBodyBytes} bytes");
        }
        if (body.Length == 0)
        {
            return TokenRequest.Invalid("body must be a JSON object with \"apiKey\"");
        }
        if (!Utf8.IsValid(body.Span))
        {
            return TokenRequest.Invalid("body is not valid UTF-8");
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return TokenRequest.From(document.RootElement);
        }
        catch (JsonException)
        {
            return TokenRequest.Invalid("body is not valid JSON");
        }
    }
}
