using System;
using System.Runtime.InteropServices;
using System.Text;

namespace DataNet.Td;

/// <summary>
/// <see cref="DataNetClient.PollFrame"/> behind a C function pointer, <c>int64 frame(int64 request)</c>, for a host
/// whose calls through pythonnet's method binder cost 80 to 110 µs once per frame when its caches went cold (a call
/// through ctypes costs about half). Arguments come from a <see cref="FrameRequest"/> block, the record goes back as
/// UTF-8 in a pinned buffer this entry owns and reuses, so nothing is marshalled but two integers.
/// </summary>
internal sealed class FrameEntry
{
    private const int InitialRecordBytes = 16 * 1024;

    private readonly DataNetClient _client;
    private readonly FrameCall _call;   // the function pointer is valid as long as this delegate lives
    private byte[] _record = new byte[InitialRecordBytes];
    private GCHandle _pinned;
    private byte[] _channelBytes = Array.Empty<byte>();
    private byte[] _scratch = Array.Empty<byte>();
    private string[]? _channels;
    private bool _channelsChanged;
    private readonly long[] _previousRequest = new long[(int)FrameRequest.Slot.ChannelsLength + 1];   // the inputs
    private string? _previousRecord;

    public FrameEntry(DataNetClient client)
    {
        _client = client;
        _call = Call;
        _pinned = GCHandle.Alloc(_record, GCHandleType.Pinned);
        Address = Marshal.GetFunctionPointerForDelegate(_call).ToInt64();
    }

    ~FrameEntry()
    {
        _pinned.Free();
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate long FrameCall(long request);

    /// <summary>The function pointer.</summary>
    public long Address { get; }

    /// <summary>The record's length in bytes; negative: the length of a plain-words error in its place.</summary>
    private long Call(long request)
    {
        var block = new IntPtr(request);
        try
        {
            var record = _client.PollFrameRecord(
                (int)Read(block, FrameRequest.Slot.MaxRows),
                Channels(block),
                Read(block, FrameRequest.Slot.PrefixWithChannel) != 0,
                Read(block, FrameRequest.Slot.ValuesAddress),
                (int)Read(block, FrameRequest.Slot.ValuesCapacity),
                Read(block, FrameRequest.Slot.KnownLayout),
                out var quiet);
            var sameRequest = SameRequestAsBefore(block);
            if (quiet && sameRequest && Read(block, FrameRequest.Slot.AcceptUnchanged) != 0
                && string.Equals(record, _previousRecord, StringComparison.Ordinal))
            {
                return 0;   // nothing to encode, nothing for the host to parse
            }

            _previousRecord = record;
            return Publish(block, record);
        }
#pragma warning disable CA1031 // An exception must not unwind into the native caller: that ends the process.
        catch (Exception ex)
        {
            _previousRecord = null;
            try
            {
                return -Publish(block, "PollFrame failed: " + ex.GetType().Name + ": " + _client.ScrubText(ExceptionText.MessageOf(ex)));
            }
            catch (Exception)
            {
                return long.MinValue;
            }
        }
#pragma warning restore CA1031
    }

    private static long Read(IntPtr block, FrameRequest.Slot slot) => Marshal.ReadInt64(block, (int)slot * sizeof(long));

    /// <summary>Whether the inputs (and the selected channels' bytes) equal the previous call's; keeps these for the next.</summary>
    private bool SameRequestAsBefore(IntPtr block)
    {
        var same = !_channelsChanged;
        for (var slot = 0; slot < _previousRequest.Length; slot++)
        {
            var value = Read(block, (FrameRequest.Slot)slot);
            same &= value == _previousRequest[slot];
            _previousRequest[slot] = value;
        }

        return same;
    }

    /// <summary>The selected channels; decoded again only when their bytes changed.</summary>
    private string[]? Channels(IntPtr block)
    {
        var address = Read(block, FrameRequest.Slot.ChannelsAddress);
        var length = (int)Read(block, FrameRequest.Slot.ChannelsLength);
        _channelsChanged = false;
        if (address == 0 || length <= 0)
        {
            return null;
        }

        if (_scratch.Length < length)
        {
            _scratch = new byte[length];
        }

        Marshal.Copy(new IntPtr(address), _scratch, 0, length);
        var bytes = _scratch.AsSpan(0, length);
        if (_channels is null || !bytes.SequenceEqual(_channelBytes))
        {
            _channelsChanged = true;
            _channelBytes = bytes.ToArray();
            _channels = Encoding.UTF8.GetString(_channelBytes).Split(FrameRecord.ItemSeparator);
        }

        return _channels;
    }

    private long Publish(IntPtr block, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (length > _record.Length)
        {
            _pinned.Free();
            _record = new byte[Math.Max(length, 2 * _record.Length)];
            _pinned = GCHandle.Alloc(_record, GCHandleType.Pinned);
        }

        Encoding.UTF8.GetBytes(text, 0, text.Length, _record, 0);
        Marshal.WriteInt64(block, (int)FrameRequest.Slot.RecordAddress * sizeof(long), _pinned.AddrOfPinnedObject().ToInt64());
        Marshal.WriteInt64(block, (int)FrameRequest.Slot.RecordCapacity * sizeof(long), _record.Length);
        return length;
    }
}
