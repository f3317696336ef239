using System;
using System.Globalization;
using System.Text.Json;
using DataNet.Cli.Hosting;

namespace DataNet.Cli.Pub;

/// <summary>Checks JSON text before anything is sent, so a typo never reaches the wire.</summary>
internal static class JsonPayload
{
    /// <summary>The JSON text unchanged, or a <see cref="CliException"/> naming where it breaks.</summary>
    public static string Validate(string text, string what)
    {
        if (TryValidate(text, out var problem))
        {
            return text;
        }

        throw new CliException($"{what} is not valid JSON: {problem}", ExitCodes.Usage);
    }

    public static bool TryValidate(string text, out string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            problem = string.Empty;
            return true;
        }
        catch (JsonException e)
        {
            problem = Describe(e, text);
            return false;
        }
    }

    /// <summary>A JSON object (binary metadata must be one), else a <see cref="CliException"/>.</summary>
    public static string ValidateObject(string text, string what)
    {
        Validate(text, what);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.ValueKind == JsonValueKind.Object
            ? text
            : throw new CliException($"{what} must be a JSON object, like {{\"universe\":1}}", ExitCodes.Usage);
    }

    private static string Describe(JsonException e, string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "it is empty";
        }

        // The parser's message ends with "LineNumber: 0 | BytePositionInLine: 3."; say it plainly instead.
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        }

        if (cut > 0)
        {
            message = message[..cut];
        }

        var where = e.BytePositionInLine is { } column
            ? string.Create(CultureInfo.InvariantCulture, $" (at character {column + 1})")
            : string.Empty;
        return $"{message.TrimEnd('.', ' ')}{where}. Quote it for the shell, e.g. '{{\"value\":42}}'";
    }
}
