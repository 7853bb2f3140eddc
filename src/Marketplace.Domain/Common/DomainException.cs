namespace Marketplace.Domain.Common;

/// <summary>
/// A business rule was broken. The API maps it to 409/422 rather than 500: it is the caller's
/// request that cannot be honoured in the current state, not a server fault.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
