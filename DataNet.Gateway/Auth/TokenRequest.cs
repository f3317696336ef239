using System.Text.Json;

namespace DataNet.Gateway.Auth;

/// <summary>The parsed body of a token request, or why it is invalid.</summary>
internal sealed record TokenRequest(string? ApiKey, string? DeviceId, string? ClientId, string? DeviceName, string? Error)
{
    private const int MaxApiKeyLength = 512;

    public static TokenRequest Invalid(string error) => new(null, null, null, null, error);

    /// <summary>Reads the body; a string with an escaped unpaired surrogate is an invalid request, not a crash.</summary>
    public static TokenRequest From(JsonElement root)
    {
        try
        {
            return Read(root);
        }
        catch (System.InvalidOperationException)
        {
            return Invalid("a string holds an invalid escape (unpaired surrogate)");
        }
    }

    private static TokenRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Invalid("body must be a JSON object with \"apiKey\"");
        }
        if (!root.TryGetProperty("apiKey", out var key) || key.ValueKind != JsonValueKind.String || key.GetString() is not { Length: > 0 } apiKey)
        {
            return Invalid("\"apiKey\" is required (a non-empty string)");
        }
        string? deviceId = null, clientId = null, deviceName = null;
        if (apiKey.Length > MaxApiKeyLength)
        {
            return Invalid($"\"apiKey\" is longer than {MaxApiKeyLength} characters");
        }
        if (!Optional(root, "deviceId", ref deviceId) || !Optional(root, "clientId", ref clientId) || !Optional(root, "deviceName", ref deviceName))
        {
            return Invalid("\"deviceId\", \"clientId\" and \"deviceName\" must be strings when present");
        }
        var bad = IdentityFields.Check("deviceId", deviceId) ?? IdentityFields.Check("clientId", clientId)
            ?? IdentityFields.Check("deviceName", deviceName);
        return bad is null ? new TokenRequest(apiKey, deviceId, clientId, deviceName, null) : Invalid(bad);
    }

    private static bool Optional(JsonElement root, string name, ref string? value)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }
        var text = element.GetString();
        value = string.IsNullOrEmpty(text) ? null : text;
        return true;
    }

    /// <summary>Never shows the key.</summary>
    public override string ToString() => $"TokenRequest {{ DeviceId = {DeviceId}, ClientId = {ClientId}, DeviceName = {DeviceName} }}";
}
