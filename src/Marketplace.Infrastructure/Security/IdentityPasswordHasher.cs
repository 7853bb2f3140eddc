using Marketplace.Application.Common.Interfaces;
using Marketplace.Domain.Accounts;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Infrastructure.Security;

/// <summary>ASP.NET Core Identity's PBKDF2 hasher (versioned format, upgrades old hashes on login).</summary>
public sealed class IdentityPasswordHasher : IPasswordHasher
{
    private static readonly Account Subject = new(Guid.Empty, "hasher@localhost", "", DateTimeOffset.UnixEpoch);
    private readonly PasswordHasher<Account> _inner = new();

    public string Hash(string password) => _inner.HashPassword(Subject, password);

    public PasswordCheck Verify(string hash, string password) => _inner.VerifyHashedPassword(Subject, hash, password) switch
    {
        PasswordVerificationResult.Success => PasswordCheck.Success,
        PasswordVerificationResult.SuccessRehashNeeded => PasswordCheck.SuccessRehashNeeded,
        _ => PasswordCheck.Failed,
    };
}
