using System;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DataNet.Cli.Connection;
using DataNet.Cli.Options;

namespace DataNet.Cli.Doctor;

/// <summary>
/// Reaches the API the way the SDK does first (<c>POST /auth/token</c>), which also says whether the key
/// is accepted. The token is read for presence only and never shown.
/// </summary>
internal static class ApiCheck
{
    public const string Name = "API";

    public static async Task<CheckResult> RunAsync(ConnectionSettings settings, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = timeout };
        var url = $"{settings.ApiUrl}/auth/token";
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(url, new { apiKey = settings.ApiKey, clientId = settings.ClientId }, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            return Unreachable(settings, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreachable(settings, $"no answer within {timeout.TotalSeconds:0} s");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var (token, error) = Read(body);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && token && error is null)
            {
                return CheckResult.Pass(Name, $"{settings.Describe()}: reached, key accepted");
            }

            var detail = SecretRedactor.Redact(
                $"{settings.ApiUrl} answered HTTP {status}{(error is null ? string.Empty : $": {error}")}",
                settings.ApiKey);
            return status is 401 or 403 || (response.IsSuccessStatusCode && error is not null)
                ? CheckResult.Fail(Name, $"reached, but the key was rejected ({detail})", $"check {EnvironmentVariables.ApiKey} (the key from the DataNet dashboard)")
                : CheckResult.Fail(Name, detail, $"check {EnvironmentVariables.ApiUrl}; the API should answer POST /auth/token");
        }
    }

    private static CheckResult Unreachable(ConnectionSettings settings, string why) => CheckResult.Fail(
        Name,
        SecretRedactor.Redact($"cannot reach {settings.ApiUrl} ({why.TrimEnd('.')})", settings.ApiKey),
        settings.UsesLocalDevKey
            ? $"start the local gateway with `datanet gateway`, or set {EnvironmentVariables.ApiKey} to check the cloud"
            : $"check the network, a firewall, and {EnvironmentVariables.ApiUrl}");

    private static (bool HasToken, string? Error) Read(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (false, "not a JSON object");
            }

            var hasToken = root.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            return (hasToken, error);
        }
        catch (JsonException)
        {
            return (false, "not JSON");
        }
    }
}
