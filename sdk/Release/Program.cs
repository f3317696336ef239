using System;
using System.Threading.Tasks;

namespace DataNet.Release;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        ReleaseSettings settings;
        try
        {
            settings = ReleaseSettings.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"release: {e.Message}\n{ReleaseSettings.Usage}");
            return 2;
        }

        if (settings.ShowHelp)
        {
            Console.WriteLine(ReleaseSettings.Usage);
            return 0;
        }

        try
        {
            await new ReleaseBuild(settings).RunAsync();
            return 0;
        }
        catch (ReleaseException e)
        {
            await Console.Error.WriteLineAsync($"release: {e.Message}");
            return 1;
        }
    }
}
