using System;

namespace DataNet.Td;

/// <summary>An exception's message, read safely: user code can throw an exception whose <c>Message</c> itself throws.</summary>
internal static class ExceptionText
{
    public static string MessageOf(Exception ex)
    {
        try
        {
            return ex.Message ?? string.Empty;
        }
#pragma warning disable CA1031 // A broken exception must not escape Poll or end the connection loop.
        catch (Exception)
#pragma warning restore CA1031
        {
            return "(its Message threw)";
        }
    }
}
