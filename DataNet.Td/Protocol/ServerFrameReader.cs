using System;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace DataNet.Td.Protocol;

/// <summary>
/// Decodes server frames straight from the received UTF-8 bytes with <see cref="Utf8JsonReader"/>: <c>type</c> and
/// <c>op</c> are compared in place, never made into strings, and a message's <c>d</c> is kept as a UTF-8 slice.
/// Runs on the socket thread and never throws: anything unexpected becomes <see cref="ServerFrameKind.Malformed"/>
/// (or <see cref="ServerFrameKind.Ignored"/> for a well-formed frame of a type this client does not know), so one bad
/// frame cannot take the connection down.
/// </summary>
internal static class ServerFrameReader
{
    private const int RecentStrings = 8;

    private const int LongestRemembered = 256;

    /// <summary>Marks a <c>b64</c> string that did not decode; told apart from "absent" (null).</summary>
    private static readonly byte[] InvalidBase64 = new byte[1];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    [ThreadStatic]
    private static Remembered[]? t_recent;

    [ThreadStatic]
    private static int t_next;

    private enum FrameType
    {
        Missing,
        NotAString,
        Unknown,
        Connected,
        Error,
        SubAck,
        UnsubAck,
        HeartbeatAck,
        Message,
    }

    /// <summary>A text frame (UTF-8).</summary>
    public static ServerFrame ReadText(ReadOnlySpan<byte> utf8, long nowUnixMs)
    {
        try
        {
            return Read(utf8, nowUnixMs);
        }
        catch (JsonException)
        {
            return ServerFrame.Malformed("not valid JSON");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader throws this for a string that is not valid UTF-8 when it is read.
            return ServerFrame.Malformed("a string that is not valid UTF-8");
        }
    }

    /// <summary>A binary frame: UTF-8 JSON first (some gateways send envelopes as binary), else a legacy raw frame.</summary>
    public static ServerFrame ReadBinary(ReadOnlySpan<byte> bytes, long nowUnixMs)
    {
        var start = 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            start++;
        }

        if (start < bytes.Length && bytes[start] is (byte)'{' or (byte)'[')
        {
            var copy = bytes.ToArray();
            if (IsUtf8(copy))
            {
                var frame = ReadText(copy, nowUnixMs);
                if (frame.Kind != ServerFrameKind.Malformed)
                {
                    return frame;
                }
            }

            return ServerFrame.RawBinary(copy);
        }

        return ServerFrame.RawBinary(bytes.ToArray());
    }

    private static bool IsUtf8(byte[] bytes)
    {
        try
        {
            StrictUtf8.GetCharCount(bytes);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ServerFrame Read(ReadOnlySpan<byte> utf8, long nowUnixMs)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        if (!reader.Read())
        {
            return ServerFrame.Malformed("empty frame");
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return reader.Read() ? ServerFrame.Malformed("not valid JSON") : ServerFrame.Malformed("not a JSON object");
        }

        var envelope = new Envelope(nowUnixMs);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ReadMember(ref reader, ref envelope);
        }

        // Whatever follows the object (a second value, garbage) makes the reader throw: not valid JSON.
        if (reader.Read())
        {
            return ServerFrame.Malformed("not valid JSON");
        }

        switch (envelope.Type)
        {
            case FrameType.Connected:
                return ServerFrame.Connected();
            case FrameType.Error:
                using (var document = JsonDocument.Parse(utf8.ToArray()))
                {
                    return ServerFrame.ForError(GatewayErrors.FromEnvelope(document.RootElement));
                }

            case FrameType.SubAck:
                return ServerFrame.SubAck(envelope.Channel, envelope.Occupancy);
            case FrameType.UnsubAck:
                return ServerFrame.UnsubAck(envelope.Channel);
            case FrameType.HeartbeatAck:
                // Note the ack carries op:"hb": it is not a request and must not be mistaken for one.
                return ServerFrame.HeartbeatAck();
        }

        if (envelope.Type == FrameType.Message || envelope.IsPub)
        {
            return ToMessage(utf8, ref envelope);
        }

        return envelope.Type switch
        {
            FrameType.Missing => ServerFrame.Malformed("no 'type'"),
            FrameType.NotAString => ServerFrame.Malformed("'type' is not a string"),
            _ => ServerFrame.Ignored("a frame type this client does not know"),
        };
    }

    private static void ReadMember(ref Utf8JsonReader reader, ref Envelope envelope)
    {
        if (reader.ValueTextEquals("type"u8))
        {
            reader.Read();
            envelope.Type = reader.TokenType == JsonTokenType.String ? TypeOf(ref reader) : FrameType.NotAString;
        }
        else if (reader.ValueTextEquals("op"u8))
        {
            reader.Read();
            envelope.IsPub = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("pub"u8);
        }
        else if (reader.ValueTextEquals("ch"u8))
        {
            reader.Read();
            envelope.Channel = reader.TokenType == JsonTokenType.String ? Reused(ref reader) : null;
        }
        else if (reader.ValueTextEquals("from"u8))
        {
            reader.Read();
            envelope.From = reader.TokenType == JsonTokenType.String ? Reused(ref reader) : null;
        }
        else if (reader.ValueTextEquals("ts"u8))
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.Number)
            {
                envelope.Timestamp = reader.TryGetInt64(out var exact) ? exact : (long)reader.GetDouble();
            }
        }
        else if (reader.ValueTextEquals("d"u8))
        {
            envelope.Data = Slice(ref reader);
        }
        else if (reader.ValueTextEquals("bin"u8))
        {
            reader.Read();
            envelope.IsBinary = reader.TokenType == JsonTokenType.True;
        }
        else if (reader.ValueTextEquals("b64"u8))
        {
            reader.Read();
            envelope.Base64 = reader.TokenType == JsonTokenType.String ? Base64Of(ref reader) : null;
        }
        else if (reader.ValueTextEquals("ct"u8))
        {
            reader.Read();
            envelope.ContentType = reader.TokenType == JsonTokenType.String ? Reused(ref reader) : null;
        }
        else if (reader.ValueTextEquals("bytes"u8))
        {
            reader.Read();
            envelope.ByteCount = Int(ref reader);
        }
        else if (reader.ValueTextEquals("occupancy"u8))
        {
            reader.Read();
            envelope.Occupancy = Int(ref reader);
        }
        else if (reader.ValueTextEquals("meta"u8))
        {
            envelope.Meta = Slice(ref reader);
        }
        else
        {
            reader.Read();
            reader.Skip();
        }
    }

    private static ServerFrame ToMessage(ReadOnlySpan<byte> utf8, ref Envelope envelope)
    {
        var channel = envelope.Channel;
        if (string.IsNullOrEmpty(channel))
        {
            return ServerFrame.Malformed("message without a channel");
        }

        var from = envelope.From ?? string.Empty;
        if (envelope.IsBinary && envelope.Base64 is not null)
        {
            var bytes = envelope.Base64;
            if (ReferenceEquals(bytes, InvalidBase64))
            {
                return ServerFrame.Malformed("binary message with invalid base64");
            }

            // meta is exposed only when it is an object.
            var meta = envelope.Meta.Length > 0 && utf8[envelope.Meta.Start] == (byte)'{' ? Encoding.UTF8.GetString(utf8.Slice(envelope.Meta.Start, envelope.Meta.Length).ToArray()) : null;
            return ServerFrame.ForMessage(new DataNetMessage(channel!, from, envelope.Timestamp, bytes, envelope.ContentType, envelope.ByteCount ?? bytes.Length, meta, isRaw: false));
        }

        var data = envelope.Data.Length > 0 ? Utf8Arena.Copy(utf8.Slice(envelope.Data.Start, envelope.Data.Length)) : DataNetMessage.NullUtf8;
        return ServerFrame.ForMessage(new DataNetMessage(channel!, from, envelope.Timestamp, data));
    }

    private static FrameType TypeOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("message"u8))
        {
            return FrameType.Message;
        }

        if (reader.ValueTextEquals("hb_ack"u8))
        {
            return FrameType.HeartbeatAck;
        }

        if (reader.ValueTextEquals("sub_ack"u8))
        {
            return FrameType.SubAck;
        }

        if (reader.ValueTextEquals("unsub_ack"u8))
        {
            return FrameType.UnsubAck;
        }

        if (reader.ValueTextEquals("connected"u8))
        {
            return FrameType.Connected;
        }

        return reader.ValueTextEquals("error"u8) ? FrameType.Error : FrameType.Unknown;
    }

    /// <summary>The raw JSON of the next value, as start and length in the frame; the reader ends on its last token.</summary>
    private static Range Slice(ref Utf8JsonReader reader)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return new Range(start, (int)reader.BytesConsumed);
    }

    private static byte[] Base64Of(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            try
            {
                return Convert.FromBase64String(reader.GetString()!);
            }
            catch (FormatException)
            {
                return InvalidBase64;
            }
        }

        var text = reader.ValueSpan;
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (Base64.DecodeFromUtf8(text, decoded, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            return InvalidBase64;
        }

        if (written != decoded.Length)
        {
            Array.Resize(ref decoded, written);
        }

        return decoded;
    }

    private static int? Int(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var i) ? i : null;

    /// <summary>
    /// A string value, reusing the string of a recent frame when the bytes are equal: a stream repeats its channel and
    /// sender, so most messages allocate neither (a few recent values per thread, compared without allocating).
    /// </summary>
    private static string Reused(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!;
        }

        var bytes = reader.ValueSpan;
        var recent = t_recent ??= new Remembered[RecentStrings];
        foreach (var candidate in recent)
        {
            if (candidate.Utf8 is not null && bytes.SequenceEqual(candidate.Utf8))
            {
                return candidate.Text;
            }
        }

        var text = reader.GetString()!;
        if (bytes.Length <= LongestRemembered)
        {
            recent[t_next] = new Remembered(bytes.ToArray(), text);
            t_next = (t_next + 1) % RecentStrings;
        }

        return text;
    }

    private readonly struct Remembered
    {
        public Remembered(byte[] utf8, string text)
        {
            Utf8 = utf8;
            Text = text;
        }

        public byte[]? Utf8 { get; }

        public string Text { get; }
    }

    private readonly struct Range
    {
        public Range(int start, int end)
        {
            Start = start;
            End = end;
        }

        public int Start { get; }

        public int End { get; }

        public int Length => End - Start;
    }

    /// <summary>What the members of one envelope said, collected in one pass (members come in any order).</summary>
    private struct Envelope
    {
        public Envelope(long nowUnixMs)
        {
            this = default;
            Timestamp = nowUnixMs;
        }

        public FrameType Type;
        public bool IsPub;
        public bool IsBinary;
        public string? Channel;
        public string? From;
        public string? ContentType;
        public long Timestamp;
        public int? ByteCount;
        public int? Occupancy;
        public byte[]? Base64;
        public Range Data;
        public Range Meta;
    }
}
