namespace Marketplace.Application.Common.Interfaces;

/// <summary>The authenticated caller of the current request.</summary>
public interface ICurrentUser
{
    Guid? AccountId { get; }

    /// <summary>The session the caller's access token belongs to.</summary>
    Guid? SessionId { get; }

    Guid RequireAccountId() => AccountId ?? throw new Exceptions.UnauthorizedException();
}
