using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace AdaTapeDml.Server;

/// <summary>Reads a request body of at most a limit. An oversized body is still read to its end (discarded, up to
/// <see cref="DrainFactor"/> times the limit) before the 413 is sent: a server that answers and closes while the client's
/// bytes sit unread makes the kernel reset the connection, and the client may lose the 413 itself ("response ended
/// prematurely") — seen in 2 of 10 runs of the 413 test when Kestrel enforced the limit by aborting the read.</summary>
public static class BoundedBody
{
    /// <summary>How much of an oversized body is drained before the connection is given up on.</summary>
    public const int DrainFactor = 4;

    /// <summary>The largest body Kestrel lets through to this reader (its own hard limit, above which it aborts).</summary>
    public static long HardLimit(long limit) => limit * (DrainFactor + 1);

    /// <summary>The body, or null when it is larger than <paramref name="limit"/> (then drained as far as allowed).</summary>
    public static async Task<MemoryStream?> Read(HttpRequest request, long limit, CancellationToken cancel)
    {
        if (request.ContentLength > limit)
        {
            if (request.ContentLength <= HardLimit(limit)) await Drain(request.Body, HardLimit(limit), cancel).ConfigureAwait(false);
            return null;
        }
        var body = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancel).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    await Drain(request.Body, HardLimit(limit) - body.Length - read, cancel).ConfigureAwait(false);
                    return null;
                }
                body.Write(buffer, 0, read);
            }
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
        body.Position = 0;
        return body;
    }

    /// <summary>Reads and discards up to <paramref name="budget"/> bytes; beyond that (or on Kestrel's own limit) it stops.</summary>
    private static async Task Drain(Stream body, long budget, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (budget > 0)
            {
                var read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, budget)), cancel).ConfigureAwait(false);
                if (read == 0) return;
                budget -= read;
            }
        }
        catch (BadHttpRequestException) { }                              // Kestrel's hard limit: the connection is lost anyway
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }
}
