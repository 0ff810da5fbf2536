namespace AdaTapeDml.Server;

/// <summary>A request the server answers with <paramref name="status"/> and the protocol's error body
/// {"error": message}; the message is one line naming what is wrong and what is allowed.</summary>
public sealed class ProtocolException(int status, string message) : Exception(message)
{
    public int Status => status;

    public static ProtocolException BadRequest(string message) => new(400, message);
}
