using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DataNet.Td.Auth;

/// <summary>
/// <c>POST {apiUrl}/auth/token</c> with <c>{"apiKey","deviceId"?,"clientId"?,"deviceName"?}</c> (optional fields only
/// when non-empty). Non-2xx and 200-without-token are <c>authentication_failed</c> with the HTTP status and the
/// body's error text; 400/401/403 and 200-without-token mean the key is wrong, which is fatal.
/// </summary>
internal sealed class TokenClient
{
    private readonly HttpClient _http;
    private readonly string _endpoint;
    private readonly string? _apiKey;
    private readonly string _clientId;
    private readonly string? _deviceName;
    private readonly TimeSpan _timeout;
    private readonly Func<string> _deviceId;
    private long _sent;

    public TokenClient(HttpClient http, DataNetOptions options, Func<string> deviceId)
    {
        _http = http;
        _endpoint = RestUrl.Base(options.ApiUrl) + "/auth/token";
        _apiKey = options.ApiKey;
        _clientId = options.ClientId;
        _deviceName = options.DeviceName;
        _timeout = options.RequestTimeout;
        _deviceId = deviceId;
    }

    /// <summary>Requests actually sent (a missing key sends none).</summary>
    public long Sent => System.Threading.Interlocked.Read(ref _sent);

    internal static string BuildBody(string apiKey, string? deviceId, string? clientId, string? deviceName)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("apiKey", apiKey);
            if (!string.IsNullOrEmpty(deviceId))
            {
                writer.WriteString("deviceId", deviceId);
            }

            if (!string.IsNullOrEmpty(clientId))
            {
                writer.WriteString("clientId", clientId);
            }

            if (!string.IsNullOrEmpty(deviceName))
            {
                writer.WriteString("deviceName", deviceName);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    /// <summary>The token text; <see cref="DataNetException"/> on failure (never containing the key).</summary>
    public async Task<string> RequestAsync(CancellationToken cancel)
    {
        if (string.IsNullOrWhiteSpace(_apiKey))
        {
            throw Fail("No API key set. Paste the project's key (ak_...) into the options.", null, fatal: true);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(BuildBody(_apiKey!, _deviceId(), _clientId, _deviceName), Encoding.UTF8, "application/json"),
        };

        HttpResponseMessage response;
        string body;
        System.Threading.Interlocked.Increment(ref _sent);
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Fail($"Authentication timed out after {_timeout.TotalSeconds:0.#} s ({_endpoint}).", null, fatal: false);
        }
        catch (HttpRequestException ex)
        {
            throw Fail($"Authentication request to {_endpoint} failed: {Scrub(ex.Message)}", null, fatal: false);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            ReadBody(body, out var token, out var errorText);
            if (response.IsSuccessStatusCode && !string.IsNullOrEmpty(token))
            {
                return token!;
            }

            var detail = errorText is null ? string.Empty : ": " + Scrub(errorText);
            if (response.IsSuccessStatusCode)
            {
                throw Fail("Authentication response has no token" + detail, status, fatal: true);
            }

            var fatal = status is 400 or 401 or 403;
            var hint = fatal ? " (check the API key)" : string.Empty;
            throw Fail($"Authentication failed with HTTP {status.ToString(CultureInfo.InvariantCulture)}{detail}{hint}", status, fatal);
        }
    }

    private static void ReadBody(string body, out string? token, out string? errorText)
    {
        token = null;
        errorText = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (root.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String)
            {
                token = t.GetString();
            }

            if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
            {
                errorText = e.GetString();
            }
            else if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String)
            {
                errorText = c.GetString();
            }
        }
        catch (JsonException)
        {
            errorText = body.Length > 200 ? body.Substring(0, 200) : body;
        }
    }

    private string Scrub(string text) =>
        string.IsNullOrEmpty(_apiKey) ? text : text.Replace(_apiKey, "***");

    private static DataNetException Fail(string message, int? status, bool fatal) =>
        new(new DataNetError(ErrorCodes.AuthenticationFailed, message) { Status = status, IsFatal = fatal });
}
