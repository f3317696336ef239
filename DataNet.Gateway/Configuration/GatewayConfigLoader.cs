using System;
using System.IO;
using System.Text.Json;

namespace DataNet.Gateway;

/// <summary>Reads a <see cref="GatewayConfig"/> from a JSON file (camelCase, comments and trailing commas allowed).</summary>
internal static class GatewayConfigLoader
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static GatewayConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read gateway config '{path}': {e.Message}", e);
        }
        return Parse(text, path);
    }

    public static GatewayConfig Parse(string json, string source = "config")
    {
        try
        {
            var config = JsonSerializer.Deserialize<GatewayConfig>(json, Json)
                ?? throw new InvalidOperationException($"Gateway config '{source}' is empty (null).");
            Validate(config, source);
            return config;
        }
        catch (JsonException e)
        {
            // The JSON path can name a dictionary key, which may be an API key: report the line instead.
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut >= 0)
            {
                message = message[..cut];
            }
            throw new InvalidOperationException(
                $"Gateway config '{source}' is not valid (line {e.LineNumber + 1}): {PlainWords(message)}", innerException: null);
        }
    }

    /// <summary>"could not be converted to System.Int32" says what .NET wanted: say what the file should hold instead.</summary>
    private static string PlainWords(string message)
    {
        const string Conversion = "The JSON value could not be converted to ";
        if (!message.StartsWith(Conversion, StringComparison.Ordinal))
        {
            return message;
        }
        var type = message[Conversion.Length..];
        var expected =
            type.Contains("Dictionary", StringComparison.Ordinal) || type.StartsWith("DataNet.", StringComparison.Ordinal) ? "an object { ... }"
            : type.Contains("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) || type.Contains("Set", StringComparison.Ordinal) ? "an array [ ... ]"
            : type.Contains("String", StringComparison.Ordinal) ? "a string"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("TimeSpan", StringComparison.Ordinal) ? "a number"
            : "another kind of value";
        return $"a value has the wrong type: {expected} is expected there";
    }

    /// <summary>Rejects unknown scopes, empty projects and negative limits with a plain message.</summary>
    public static void Validate(GatewayConfig config, string source = "config")
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.TokenLifetimeSeconds is { } lifetime && !(lifetime >= 0.001 && lifetime <= TimeSpan.FromDays(3650).TotalSeconds))
        {
            throw new InvalidOperationException(
                $"Gateway config '{source}': tokenLifetimeSeconds must be from 0.001 to 315360000, not {lifetime}.");
        }
        var index = 0;
        foreach (var key in config.Keys.Values)
        {
            index++;
            if (string.IsNullOrWhiteSpace(key.Project))
            {
                throw new InvalidOperationException($"Gateway config '{source}': key #{index} has an empty project.");
            }
            foreach (var scope in key.Scopes)
            {
                if (scope is not (GatewayScopes.Pub or GatewayScopes.Sub or GatewayScopes.Presence))
                {
                    throw new InvalidOperationException(
                        $"Gateway config '{source}': key #{index} has unknown scope '{scope}' (use pub, sub, presence).");
                }
            }
        }
        foreach (var (id, project) in config.Projects)
        {
            if (project.DeviceLimit < 0 || project.TopicLimit < 0 || project.MessagesPerSecond < 0
                || project.ChannelMessagesPerSecond < 0 || project.ProjectMessagesPerSecond < 0)
            {
                throw new InvalidOperationException($"Gateway config '{source}': project '{id}' has a negative limit.");
            }
        }
    }
}
