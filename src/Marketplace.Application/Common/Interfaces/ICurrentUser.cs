namespace Marketplace.Application.Common.Interfaces;

/// <summary>The authenticated caller of the current request.</summary>
public interface ICurrentUser
{
    Guid? AccountId { get; }

    Guid RequireAccountId() => AccountId ?? throw new Exceptions.UnauthorizedException();
}
