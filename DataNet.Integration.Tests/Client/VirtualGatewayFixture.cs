using DataNet.Gateway;
using DataNet.Td;

namespace DataNet.Integration.Tests;

/// <summary>
/// Clients on scripted sockets and virtual time; their tokens come from a real gateway on the same virtual clock,
/// so token lifetimes are virtual too.
/// </summary>
public abstract class VirtualGatewayFixture
{
    protected const string Connected = ScriptedTransport.ConnectedFrame;

    protected VirtualTime Time { get; private set; } = null!;

    protected LocalGateway Gateway { get; private set; } = null!;

    [SetUp]
    public async Task StartGateway()
    {
        Time = new VirtualTime();
        Gateway = await LocalGateway.StartAsync(new GatewayOptions { Port = 0, TimeProvider = Time });
    }

    [TearDown]
    public async Task StopGateway() => await Gateway.DisposeAsync();

    /// <summary>A socket factory whose sockets stamp opens and sends with the virtual clock.</summary>
    private protected ScriptedTransportFactory Factory(Action<int, ScriptedTransport> onOpen) => new(onOpen, Time);

    private protected DataNetClient Create(ScriptedTransportFactory factory, DataNetOptions options) =>
        new(options, factory, Time, deviceIdPath: null);
}
