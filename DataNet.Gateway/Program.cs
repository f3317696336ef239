using System.Threading.Tasks;
using DataNet.Gateway.Cli;

namespace DataNet.Gateway;

internal static class Program
{
    private static Task<int> Main(string[] args) => CommandLine.RunAsync(args);
}
