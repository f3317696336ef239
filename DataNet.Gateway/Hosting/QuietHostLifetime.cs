using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace DataNet.Gateway.Hosting;

/// <summary>
/// Replaces the console lifetime: an in-process gateway must not hook the test host's Ctrl-C or print
/// banners; the program handles signals itself.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
