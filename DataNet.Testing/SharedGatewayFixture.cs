using System;
using System.Threading.Tasks;
using DataNet.Gateway;
using NUnit.Framework;

namespace DataNet.Testing;

/// <summary>
/// One real in-process gateway (default options: dev keys, a free loopback port) for every test of a fixture, for
/// tests that neither change gateway options nor inject faults. Starting one per test cost a web server each;
/// a fixture's tests run one after another, and each uses its own channels and device ids (<see cref="Unique"/>),
/// so none sees another's traffic or presence.
/// </summary>
public abstract class SharedGatewayFixture
{
    private LocalGateway? _gateway;

    /// <summary>The fixture's gateway.</summary>
    protected LocalGateway Gateway => _gateway ?? throw new InvalidOperationException("gateway not started");

    [OneTimeSetUp]
    public async Task StartSharedGatewayAsync() => _gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0 });

    [OneTimeTearDown]
    public async Task StopSharedGatewayAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    /// <summary><paramref name="name"/> made unique to the running test (e.g. a channel or a device id).</summary>
    protected static string Unique(string name) => $"{name}.t{TestContext.CurrentContext.Test.ID}";
}
