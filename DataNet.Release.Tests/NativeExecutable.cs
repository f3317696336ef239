using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;

namespace DataNet.Release.Tests;

/// <summary>
/// The format and machine of a native executable, read from its headers: PE (Windows), Mach-O (macOS), ELF (Linux).
/// Only what the release tests check; anything else reads as "unknown".
/// </summary>
internal sealed record NativeExecutable(string Format, string Machine, bool HasCodeSignature)
{
    private const uint MachO64Magic = 0xFEEDFACF;
    private const uint LcCodeSignature = 0x1D;

    public static NativeExecutable Read(byte[] head)
    {
        if (head.Length >= 0x40 && head[0] == 'M' && head[1] == 'Z')
        {
            var pe = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(0x3C));
            if (pe > 0 && pe + 6 <= head.Length && head.AsSpan(pe, 4).SequenceEqual("PE\0\0"u8))
            {
                var machine = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(pe + 4));
                return new("PE", machine switch { 0x8664 => "x64", 0xAA64 => "arm64", 0x14C => "x86", _ => $"0x{machine:X}" }, false);
            }
        }

        if (head.Length >= 32 && BinaryPrimitives.ReadUInt32LittleEndian(head) == MachO64Magic)
        {
            var cpu = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(4));
            var machine = cpu switch { 0x01000007 => "x64", 0x0100000C => "arm64", _ => $"0x{cpu:X}" };
            return new("Mach-O", machine, LoadCommands(head).Contains(LcCodeSignature));
        }

        if (head.Length >= 20 && head[0] == 0x7F && head.AsSpan(1, 3).SequenceEqual("ELF"u8) && head[4] == 2)
        {
            var machine = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(18));
            return new("ELF", machine switch { 0x3E => "x64", 0xB7 => "arm64", _ => $"0x{machine:X}" }, false);
        }

        return new("unknown", "unknown", false);
    }

    /// <summary>The first <paramref name="count"/> bytes of a stream (all of the headers the checks need).</summary>
    public static byte[] Head(Stream stream, int count = 64 * 1024)
    {
        var buffer = new byte[count];
        var read = 0;
        int n;
        while (read < count && (n = stream.Read(buffer, read, count - read)) > 0)
        {
            read += n;
        }

        return buffer[..read];
    }

    /// <summary>Mach-O 64 load command types, from the 32-byte header's ncmds onward.</summary>
    private static List<uint> LoadCommands(byte[] head)
    {
        var commands = new List<uint>();
        var count = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(16));
        var offset = 32;
        for (var i = 0; i < count && offset + 8 <= head.Length; i++)
        {
            commands.Add(BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(offset)));
            var size = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(offset + 4));
            if (size < 8)
            {
                break;
            }

            offset += size;
        }

        return commands;
    }
}
