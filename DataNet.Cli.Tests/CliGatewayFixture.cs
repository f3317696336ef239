using System.Collections.Generic;

namespace DataNet.Cli.Tests;

/// <summary>Every CLI test class that talks to a gateway gets a real one on a free loopback port, one per class.</summary>
public abstract class CliGatewayFixture : SharedGatewayFixture
{
    /// <summary>The environment a user would set to aim the CLI at this gateway: no key (local dev key).</summary>
    protected Dictionary<string, string> Environment => new()
    {
        ["DATANET_API_URL"] = Gateway.ApiUrl.ToString().TrimEnd('/'),
    };
}
