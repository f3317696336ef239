using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Auth;
using DataNet.Td.Http;

namespace DataNet.Td.Presence;

/// <summary>
/// <c>GET {apiUrl}/presence?channel=..&amp;projectId=&lt;pid&gt;</c> with <c>Authorization: Bearer &lt;jwt&gt;</c>.
/// 403 is <c>presence_forbidden</c>, anything else <c>presence_failed</c>, no token yet <c>not_connected</c>.
/// </summary>
internal sealed class PresenceClient
{
    private readonly RestChannel _http;
    private readonly TokenProvider _tokens;
    private readonly string _base;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public PresenceClient(RestChannel http, TokenProvider tokens, DataNetOptions options, TimeProvider time)
    {
        _http = http;
        _time = time;
        _tokens = tokens;
        _base = RestUrl.Base(options.ApiUrl);
        _timeout = options.RequestTimeout;
    }

    internal static string BuildUrl(string apiBase, string channel, string? projectId)
    {
        var url = apiBase + "/presence?channel=" + Uri.EscapeDataString(channel);
        return projectId is null ? url : url + "&projectId=" + Uri.EscapeDataString(projectId);
    }

    public async Task<PresenceResult> GetAsync(string channel, CancellationToken cancel)
    {
        var token = _tokens.Current;
        if (token is null)
        {
            throw new DataNetException(new DataNetError(ErrorCodes.NotConnected, "DataNet: connect before requesting presence."));
        }

        if (!_tokens.IsReusable(token))
        {
            try
            {
                token = await _tokens.FetchAsync(token, cancel).ConfigureAwait(false);
            }
            catch (DataNetException ex)
            {
                // A failed refresh for presence does not stop the connection: never report it as fatal here.
                throw new DataNetException(ex.Error.NotFatal());
            }
        }

        using var timer = _time.CreateCancellationTokenSource(_timeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUrl(_base, channel, token.ProjectId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        try
        {
            var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var status = response.Status;
            if (status == (int)HttpStatusCode.Forbidden)
            {
                throw Fail(ErrorCodes.PresenceForbidden, $"Presence refused for {channel}: the key needs the 'presence' scope.", channel, status);
            }

            if (!response.IsSuccess)
            {
                throw Fail(ErrorCodes.PresenceFailed, $"Presence for {channel} failed with HTTP {status.ToString(CultureInfo.InvariantCulture)}.", channel, status);
            }

            return (response.Body is { } body ? Parse(channel, body) : null) ?? throw Fail(ErrorCodes.PresenceFailed, $"Presence for {channel}: unreadable response.", channel, status);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Fail(ErrorCodes.PresenceFailed, $"Presence for {channel} timed out after {_timeout.TotalSeconds:0.#} s.", channel, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Fail(ErrorCodes.PresenceFailed, $"Presence for {channel} failed: {ex.Message}", channel, null);
        }
    }

    internal static PresenceResult? Parse(string channel, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var occupancy = Count(root, "occupancy") ?? Count(root, "count") ?? 0;
            var members = new List<string>();
            if (root.TryGetProperty("members", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        members.Add(item.GetString()!);
                    }
                }
            }

            return new PresenceResult(channel, occupancy, members.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int? Count(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static DataNetException Fail(string code, string message, string channel, int? status) =>
        new(new DataNetError(code, message) { Channel = channel, Status = status });
}
