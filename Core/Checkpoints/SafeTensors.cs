using System.Buffers.Binary;
using System.Diagnostics.Contracts;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdaTapeDml.Core.Checkpoints;

/// <summary>The safetensors format (read by Python's safetensors and ONNX tooling), float32 only: an 8-byte little-endian
/// header length, a JSON header mapping names to dtype, shape and byte offsets (plus string metadata), then the raw data.
/// This codec adds a SHA-256 of the data to the metadata so truncated or altered files are refused.</summary>
public static class SafeTensors
{
    private const string ChecksumKey = "adatape.sha256";
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>Encodes tensors (sorted by name) and metadata into one byte array.</summary>
    [Pure]
    public static byte[] Encode(IReadOnlyDictionary<string, TensorData> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        var data = new byte[names.Sum(n => tensors[n].Values.LongLength * 4)];
        var header = new JsonObject();
        long offset = 0;
        foreach (var name in names)
        {
            var t = tensors[name];
            if (t.ElementCount != t.Values.LongLength)
                throw new ArgumentException($"tensor '{name}' has {t.Values.LongLength} values for shape [{string.Join(", ", t.Shape)}]");
            for (var i = 0; i < t.Values.Length; i++)
                BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan((int)(offset + i * 4L), 4), t.Values[i]);
            header[name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.Select(s => JsonValue.Create(s)).ToArray<JsonNode?>()),
                ["data_offsets"] = new JsonArray(offset, offset + t.Values.LongLength * 4),
            };
            offset += t.Values.LongLength * 4;
        }
        var meta = new JsonObject();
        foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal)) meta[key] = value;
        meta[ChecksumKey] = Convert.ToHexStringLower(SHA256.HashData(data));
        header["__metadata__"] = meta;
        var headerBytes = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (headerBytes.Length + 7) / 8 * 8;                       // the format aligns data to 8 bytes with spaces
        var file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        headerBytes.CopyTo(file, 8);
        file.AsSpan(8 + headerBytes.Length, padded - headerBytes.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + padded);
        return file;
    }

    /// <summary>Decodes a safetensors file; a truncated, foreign or corrupted file yields an error naming what is wrong.</summary>
    [Pure]
    public static SafeTensorsFile? TryDecode(ReadOnlySpan<byte> file, out string error)
    {
        error = "";
        if (file.Length < 8) { error = $"too short ({file.Length} bytes) to be a safetensors file"; return null; }
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength == 0 || headerLength > MaxHeaderBytes || (long)headerLength > file.Length - 8)
        {
            error = $"not a safetensors file, or truncated (header length {headerLength}, file {file.Length} bytes)";
            return null;
        }
        JsonObject header;
        try { header = JsonNode.Parse(file.Slice(8, (int)headerLength))?.AsObject() ?? throw new JsonException("empty header"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            error = "not a safetensors file (its header is not a JSON object)";
            return null;
        }
        var data = file[(8 + (int)headerLength)..];
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var tensors = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, node) in header)
            {
                if (name == "__metadata__")
                {
                    foreach (var (key, value) in node!.AsObject()) metadata[key] = value!.GetValue<string>();
                    continue;
                }
                var dtype = node!["dtype"]!.GetValue<string>();
                if (dtype != "F32") { error = $"tensor '{name}' has dtype {dtype}; only F32 is supported"; return null; }
                var shape = node["shape"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
                var offsets = node["data_offsets"]!.AsArray().Select(s => s!.GetValue<long>()).ToArray();
                var count = shape.Aggregate(1L, (a, b) => a * b);
                if (offsets.Length != 2 || offsets[1] - offsets[0] != count * 4 || offsets[0] < 0)
                { error = $"tensor '{name}' has inconsistent offsets"; return null; }
                if (offsets[1] > data.Length)
                { error = $"truncated: tensor '{name}' ends at byte {offsets[1]} of the data but only {data.Length} bytes are present"; return null; }
                var values = new float[count];
                for (var i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(data.Slice((int)(offsets[0] + i * 4), 4));
                tensors[name] = new TensorData(shape, values);
            }
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or JsonException)
        {
            error = "not a safetensors file (malformed tensor entries in its header)";
            return null;
        }
        if (metadata.TryGetValue(ChecksumKey, out var checksum) && checksum != Convert.ToHexStringLower(SHA256.HashData(data)))
        {
            error = "corrupted or truncated: the data does not match the checksum stored in the file";
            return null;
        }
        return new SafeTensorsFile(tensors, metadata);
    }
}

/// <summary>Decoded tensors and metadata.</summary>
public sealed record SafeTensorsFile(IReadOnlyDictionary<string, TensorData> Tensors, IReadOnlyDictionary<string, string> Metadata);
