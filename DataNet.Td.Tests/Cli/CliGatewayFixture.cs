using System.Collections.Generic;
using System.Threading.Tasks;
using DataNet.Gateway;
using NUnit.Framework;

namespace DataNet.Td.Tests.Cli;

/// <summary>Every CLI test class that talks to a gateway gets a real one on a free loopback port.</summary>
public abstract class CliGatewayFixture
{
    private LocalGateway? _gateway;

    protected LocalGateway Gateway => _gateway ?? throw new System.InvalidOperationException("gateway not started");

    /// <summary>The environment a user would set to aim the CLI at this gateway: no key (local dev key).</summary>
    protected Dictionary<string, string> Environment => new()
    {
        ["DATANET_API_URL"] = Gateway.ApiUrl.ToString().TrimEnd('/'),
    };

    [OneTimeSetUp]
    public async Task StartGatewayAsync() => _gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });

    [OneTimeTearDown]
    public async Task StopGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
