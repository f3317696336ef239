using System;

namespace DataNet.Td.Protocol;

/// <summary>
/// Per-thread bump allocator for the UTF-8 payloads of received messages: a payload is copied into a shared chunk
/// instead of an array of its own, so a small message costs a share of a chunk rather than an object. Chunks are never
/// reused: one stays alive as long as any message cut from it, so a handler may keep a message as long as it likes.
/// </summary>
internal static class Utf8Arena
{
    /// <summary>Small enough that a kept message pins little; large enough for hundreds of typical payloads.</summary>
    private const int ChunkBytes = 16 * 1024;

    /// <summary>Payloads above this get an array of their own (a chunk would mostly go to waste).</summary>
    private const int LargestShared = ChunkBytes / 8;

    [ThreadStatic]
    private static byte[]? t_chunk;

    [ThreadStatic]
    private static int t_used;

    public static ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > LargestShared)
        {
            return bytes.ToArray();
        }

        var chunk = t_chunk;
        if (chunk is null || ChunkBytes - t_used < bytes.Length)
        {
            t_chunk = chunk = new byte[ChunkBytes];
            t_used = 0;
        }

        var at = t_used;
        bytes.CopyTo(chunk.AsSpan(at));
        t_used = at + bytes.Length;
        return new ReadOnlyMemory<byte>(chunk, at, bytes.Length);
    }
}
