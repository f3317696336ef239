using System;

namespace DataNet.Td;

/// <summary>Thrown by the async methods when the operation fails with a structured <see cref="DataNetError"/>.</summary>
public sealed class DataNetException : Exception
{
    /// <summary>Creates an exception for an error.</summary>
    /// <param name="error">The error.</param>
    public DataNetException(DataNetError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).ToString())
    {
        Error = error;
    }

    /// <summary>Creates an exception with a client-side error code <c>gateway_error</c>.</summary>
    public DataNetException()
        : this(new DataNetError(ErrorCodes.GatewayError, "DataNet error"))
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public DataNetException(string message)
        : this(new DataNetError(ErrorCodes.GatewayError, message ?? string.Empty))
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public DataNetException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new DataNetError(ErrorCodes.GatewayError, message ?? string.Empty);
    }

    /// <summary>The structured error.</summary>
    public DataNetError Error { get; }
}
