using System.Collections.Generic;

namespace DataNet.Gateway;

/// <summary>
/// Keys, projects, scopes, channel prefixes, provisioned channels and limits of a local gateway.
/// Loaded from a JSON file (<see cref="GatewayOptions.ConfigPath"/>) or built in code (<see cref="GatewayOptions.Config"/>).
/// </summary>
public sealed record GatewayConfig
{
    /// <summary>The project that development keys belong to. Default <c>"local"</c>.</summary>
    public const string DefaultProject = "local";

    /// <summary>
    /// When true (the default), any API key starting with <c>ak_</c> that is not listed in <see cref="Keys"/>
    /// is valid for project <c>local</c> with scopes pub, sub and presence and no channel restriction.
    /// </summary>
    public bool AllowDevKeys { get; init; } = true;

    /// <summary>
    /// Lifetime of issued tokens in seconds; fractions count (0.5 is 500 ms). Default null: 600, unless
    /// <see cref="GatewayOptions.TokenLifetime"/> (e.g. a command-line option) says otherwise, which wins.
    /// </summary>
    public double? TokenLifetimeSeconds { get; init; }

    /// <summary>Explicit API keys, by key. Default empty.</summary>
    public IReadOnlyDictionary<string, ApiKeyConfig> Keys { get; init; } = new Dictionary<string, ApiKeyConfig>();

    /// <summary>
    /// Per-project channels and limits, by project id. A project that is not listed has no provisioning
    /// and no limits. Default empty.
    /// </summary>
    public IReadOnlyDictionary<string, ProjectConfig> Projects { get; init; } = new Dictionary<string, ProjectConfig>();

    /// <summary>The settings of <paramref name="projectId"/>, or an unrestricted project when it is not listed.</summary>
    internal ProjectConfig ProjectOrDefault(string projectId) =>
        Projects.TryGetValue(projectId, out var project) ? project : ProjectConfig.Unrestricted;
}
