using System;
using System.Text.RegularExpressions;

namespace DataNet.Cli.Connection;

/// <summary>
/// Last line of defence before anything reaches the terminal: removes the API key and anything shaped
/// like a JWT from a message, whatever produced it.
/// </summary>
internal static partial class SecretRedactor
{
    public static string Redact(string text, string? apiKey)
    {
        if (!string.IsNullOrEmpty(apiKey) && apiKey.Length >= 4)
        {
            text = text.Replace(apiKey, "***", StringComparison.Ordinal);
        }

        return JwtPattern().Replace(text, "***");
    }

    // header.payload.signature, each base64url; JWT headers always start with "eyJ" ({").
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")]
    private static partial Regex JwtPattern();
}
