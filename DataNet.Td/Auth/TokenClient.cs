using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Td.Http;
using DataNet.Td.Secrets;

namespace DataNet.Td.Auth;

/// <summary>
/// <c>POST {apiUrl}/auth/token</c> with <c>{"apiKey","deviceId"?,"clientId"?,"deviceName"?}</c> (optional fields only
/// when non-empty). Non-2xx and 200-without-token are <c>authentication_failed</c> with the HTTP status and the
/// body's error text; 400/401/403 and 200-without-token mean the key is wrong, which is fatal. An answer that is not
/// DataNet JSON (a captive portal's HTML, a proxy's page, an oversized body) is a transient failure, never "wrong key".
/// </summary>
internal sealed class TokenClient
{
    private const int MaxDetailChars = 200;

    private readonly RestChannel _http;
    private readonly string _endpoint;
    private readonly string? _apiKey;
    private readonly string _clientId;
    private readonly string? _deviceName;
    private readonly TimeSpan _timeout;
    private readonly Func<string> _deviceId;
    private readonly TimeProvider _time;
    private long _sent;

    public TokenClient(RestChannel http, DataNetOptions options, Func<string> deviceId, TimeProvider time)
    {
        _http = http;
        _time = time;
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

        using var timer = _time.CreateCancellationTokenSource(_timeout);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(BuildBody(_apiKey!, _deviceId(), _clientId, _deviceName), Encoding.UTF8, "application/json"),
        };

        RestResponse response;
        System.Threading.Interlocked.Increment(ref _sent);
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw Fail($"Authentication timed out after {_timeout.TotalSeconds:0.#} s ({_endpoint}).", null, fatal: false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            throw Fail($"Authentication request to {_endpoint} failed: {Scrub(ex.Message)}", null, fatal: false);
        }

        var status = response.Status;
        var httpStatus = "HTTP " + status.ToString(CultureInfo.InvariantCulture);
        if (response.Body is null)
        {
            throw Fail($"{_endpoint} answered {httpStatus} with more than {RestResponse.MaxBodyBytes / 1024} KiB: not a DataNet answer (a proxy or a wrong ApiUrl?). Retrying.", status, fatal: false);
        }

        if (!response.ClaimsJson || !TryReadBody(response.Body, out var token, out var errorText))
        {
            // A captive portal's login page, a proxy's error page: the key was never checked, so this is not "wrong key".
            var kind = response.ClaimsJson ? "a body that is not a JSON object" : SecretText.ForDisplay(response.MediaType!, _apiKey, 60);
            throw Fail($"{_endpoint} answered {httpStatus} with {kind}, not a DataNet answer (a captive portal, a proxy or a wrong ApiUrl?): " +
                       $"{SecretText.ForDisplay(response.Body, _apiKey, MaxDetailChars)}. Retrying.", status, fatal: false);
        }

        if (response.IsSuccess && !string.IsNullOrEmpty(token))
        {
            return token!;
        }

        var detail = errorText is null ? string.Empty : ": " + SecretText.ForDisplay(errorText, _apiKey, MaxDetailChars);
        if (response.IsSuccess)
        {
            throw Fail("Authentication response has no token" + detail, status, fatal: true);
        }

        var fatal = status is 400 or 401 or 403;
        var hint = fatal ? " (check the API key)" : string.Empty;
        throw Fail($"Authentication failed with {httpStatus}{detail}{hint}", status, fatal);
    }

    /// <summary>False when the body is not a JSON object (so not a DataNet answer at all).</summary>
    private static bool TryReadBody(string body, out string? token, out string? errorText)
    {
        token = null;
        errorText = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
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

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private string Scrub(string text) => SecretText.Apply(text, _apiKey);

    private static DataNetException Fail(string message, int? status, bool fatal) =>
        new(new DataNetError(ErrorCodes.AuthenticationFailed, message) { Status = status, IsFatal = fatal });
}
