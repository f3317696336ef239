using System;
using System.Threading.Tasks;
using DataNet.Gateway;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>
/// One real in-process gateway (default options: dev keys, a free loopback port) for every test of a fixture, for
/// tests that neither change gateway options nor inject faults. Starting one per test cost a web server each;
/// a fixture's tests run one after another, each disposes its clients, and each connects as its own device
/// (<see cref="TestClients.For"/>), so none sees another's connection or presence.
/// </summary>
public abstract class SharedGatewayFixture
{
    private LocalGateway? _gateway;

    /// <summary>The fixture's gateway.</summary>
    protected LocalGateway Gateway => _gateway ?? throw new InvalidOperationException("gateway not started");

    /// <summary>The options of the fixture's gateway; by default a free port and nothing else.</summary>
    protected virtual GatewayOptions SharedGatewayOptions => new() { Port = 0 };

    [OneTimeSetUp]
    public async Task StartSharedGatewayAsync() => _gateway = await LocalGateway.StartAsync(SharedGatewayOptions);

    [OneTimeTearDown]
    public async Task StopSharedGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }
}
