using System;
using System.Text;
using System.Text.Json;

namespace DataNet.Td.Protocol;

/// <summary>The two claims the SDKs read from the token, decoded without verification (the gateway verifies).</summary>
internal sealed class JwtPayload
{
    /// <summary>0001-01-01T00:00:00Z, the earliest time <see cref="DateTimeOffset"/> holds.</summary>
    public const long MinUnixSeconds = -62_135_596_800L;

    /// <summary>9999-12-31T23:59:59Z, the latest.</summary>
    public const long MaxUnixSeconds = 253_402_300_799L;

    private JwtPayload(long? expiresUnixSeconds, string? projectId)
    {
        ExpiresUnixSeconds = expiresUnixSeconds;
        ProjectId = projectId;
    }

    /// <summary><c>exp</c>, unix seconds.</summary>
    public long? ExpiresUnixSeconds { get; }

    /// <summary><c>pid</c>, the project id used by presence.</summary>
    public string? ProjectId { get; }

    public static JwtPayload Decode(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2)
        {
            return new JwtPayload(null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(Base64UrlDecode(parts[1]));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new JwtPayload(null, null);
            }

            long? exp = root.TryGetProperty("exp", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var seconds)
                ? (long)Math.Min(Math.Max(seconds, MinUnixSeconds), MaxUnixSeconds)
                : null;
            var pid = root.TryGetProperty("pid", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            return new JwtPayload(exp, pid);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or ArgumentException)
        {
            return new JwtPayload(null, null);
        }
    }

    internal static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        switch (s.Length % 4)
        {
            case 2:
                s += "==";
                break;
            case 3:
                s += "=";
                break;
        }

        return Convert.FromBase64String(s);
    }

    internal static string Base64UrlEncode(string json) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
