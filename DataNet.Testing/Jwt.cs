using System;
using System.Text;
using System.Text.Json;

namespace DataNet.Testing;

/// <summary>Reads a JWT the way the SDKs do: base64url, unverified.</summary>
internal static class Jwt
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    /// <summary>The token with its payload replaced (signature kept), to prove the signature is checked.</summary>
    public static string WithPayload(string token, string payloadJson)
    {
        var parts = token.Split('.');
        parts[1] = Base64Url(Encoding.UTF8.GetBytes(payloadJson));
        return string.Join('.', parts);
    }

    private static JsonElement Part(string token, int index)
    {
        var part = token.Split('.')[index].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        using var document = JsonDocument.Parse(Convert.FromBase64String(part));
        return document.RootElement.Clone();
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
