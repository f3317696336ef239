using System;
using System.Buffers.Binary;
using System.IO;

namespace DataNet.Cli.Doctor;

/// <summary>
/// The CPU architecture a native library was built for, read from its header (ELF, PE or Mach-O), in
/// .NET's names (x64, arm64, x86). TD loads only a runtime of its own architecture.
/// </summary>
internal static class BinaryArchitecture
{
    public static string? Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> header = stackalloc byte[64];
            var read = file.Read(header);
            if (read < 20)
            {
                return null;
            }

            // ELF: e_machine at 18, little-endian on every platform .NET ships for.
            if (header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F')
            {
                return BinaryPrimitives.ReadUInt16LittleEndian(header[18..]) switch
                {
                    0x3E => "x64",
                    0xB7 => "arm64",
                    0x03 => "x86",
                    0x28 => "arm",
                    _ => null,
                };
            }

            // Mach-O 64-bit (0xFEEDFACF, little-endian on disk) or universal (0xCAFEBABE, big-endian).
            var magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (magic == 0xFEEDFACF)
            {
                return BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) switch
                {
                    0x01000007 => "x64",
                    0x0100000C => "arm64",
                    _ => null,
                };
            }

            if (BinaryPrimitives.ReadUInt32BigEndian(header) == 0xCAFEBABE)
            {
                return "universal";
            }

            // PE: "MZ", then the PE header offset at 0x3C, then "PE\0\0" and the machine type.
            if (header[0] == (byte)'M' && header[1] == (byte)'Z' && read >= 0x40)
            {
                var peOffset = BinaryPrimitives.ReadInt32LittleEndian(header[0x3C..]);
                Span<byte> pe = stackalloc byte[6];
                file.Seek(peOffset, SeekOrigin.Begin);
                if (file.Read(pe) == 6 && pe[0] == (byte)'P' && pe[1] == (byte)'E')
                {
                    return BinaryPrimitives.ReadUInt16LittleEndian(pe[4..]) switch
                    {
                        0x8664 => "x64",
                        0xAA64 => "arm64",
                        0x014C => "x86",
                        _ => null,
                    };
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
