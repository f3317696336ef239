using System.Net.WebSockets;
using System.Text;
using System.Threading;
using DataNet.Gateway;

namespace DataNet.Gateway.Tests;

/// <summary>A client message over <see cref="GatewayOptions.MaxFrameBytes"/> closes the socket with 1009.</summary>
[TestFixture]
public sealed class FrameSizeTests : GatewayTestBase
{
    private const int Limit = 1024;

    protected override GatewayOptions Configure(GatewayOptions options) => options with { MaxFrameBytes = Limit };

    [Test]
    public async Task AFrameExactlyAtTheLimitIsAccepted()
    {
        using var socket = await SubscribedAsync("x");
        var frame = PubOfLength(Limit);
        Assert.That(Encoding.UTF8.GetByteCount(frame), Is.EqualTo(Limit));
        Assert.That(await socket.RequestAsync(frame), Does.StartWith("{\"type\":\"message\""));
    }

    [Test]
    public async Task AFrameOverTheLimitClosesWith1009()
    {
        using var socket = await SubscribedAsync("x");
        await socket.SendTextAsync(PubOfLength(Limit + 1));
        var close = await socket.ReceiveAsync();
        Assert.That(close.Type, Is.EqualTo(WebSocketMessageType.Close));
        Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task AFragmentedMessageCountsAsAWhole()
    {
        using var socket = await SubscribedAsync("x");
        var bytes = Encoding.UTF8.GetBytes(PubOfLength(Limit + 200));
        await socket.Socket.SendAsync(bytes.AsMemory(0, 600), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await socket.Socket.SendAsync(bytes.AsMemory(600), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        var close = await socket.ReceiveAsync();
        Assert.That(close.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    [Test]
    public async Task AFragmentedMessageUnderTheLimitIsReassembled()
    {
        using var socket = await SubscribedAsync("x");
        var bytes = Encoding.UTF8.GetBytes(PubOfLength(900));
        await socket.Socket.SendAsync(bytes.AsMemory(0, 450), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None);
        await socket.Socket.SendAsync(bytes.AsMemory(450), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        Assert.That(await socket.ReceiveTextAsync(), Does.StartWith("{\"type\":\"message\""));
    }

    private static string PubOfLength(int length)
    {
        const string Head = "{\"op\":\"pub\",\"ch\":\"x\",\"d\":\"";
        const string Tail = "\"}";
        return Head + new string('a', length - Head.Length - Tail.Length) + Tail;
    }
}
