using System.Net;
using System.Net.Http;
using System.Threading;
using DataNet.Td.Http;

namespace DataNet.Td.Tests;

/// <summary>
/// The HttpClient behind token and presence requests is disposed only after the last request in flight ended: one
/// disposed under a connecting request leaves its TCP connection open until a garbage collection (LeakTests).
/// </summary>
public class RestChannelTests
{
    /// <summary>Answers each request when the test says so; records its own disposal.</summary>
    private sealed class HeldHandler : HttpMessageHandler
    {
        public TaskCompletionSource<bool> Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<bool> Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool IsDisposed { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Entered.TrySetResult(true);
            await Release.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{}") };
        }

        protected override void Dispose(bool disposing)
        {
            IsDisposed = true;
            base.Dispose(disposing);
        }
    }

    private static HttpRequestMessage Request() => new(HttpMethod.Post, "http://127.0.0.1:9/auth/token");

    [Test]
    public async Task DisposeUnderARequestWaitsForItToEndThenDisposesTheClient()
    {
        var handler = new HeldHandler();
        var channel = new RestChannel(handler);
        using var cancel = new CancellationTokenSource();
        var inFlight = channel.SendAsync(Request(), cancel.Token);
        await Eventually.CompletesAsync(handler.Entered.Task);

        channel.Dispose();
        Assert.That(handler.IsDisposed, Is.False, "a request is still in flight");
        Assert.ThrowsAsync<ObjectDisposedException>(() => channel.SendAsync(Request(), CancellationToken.None), "no new request after Dispose");

        cancel.Cancel();
        Assert.That(async () => await inFlight, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(handler.IsDisposed, Is.True, "the last request's end disposed the client");
    }

    [Test]
    public async Task DisposeWithNothingInFlightDisposesAtOnceAndACompletedRequestLeavesItOpen()
    {
        var handler = new HeldHandler();
        handler.Release.SetResult(true);
        var channel = new RestChannel(handler);
        var response = await channel.SendAsync(Request(), CancellationToken.None);
        Assert.That(response.Status, Is.EqualTo(200));
        Assert.That(handler.IsDisposed, Is.False);

        channel.Dispose();
        Assert.That(handler.IsDisposed, Is.True);
        channel.Dispose();
    }
}
