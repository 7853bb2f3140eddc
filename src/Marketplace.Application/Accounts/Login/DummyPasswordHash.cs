using System.Security.Cryptography;
using Marketplace.Application.Common.Interfaces;

namespace Marketplace.Application.Accounts.Login;

/// <summary>
/// A hash of a random password, made once with the current hasher's parameters. Login verifies
/// against it when the email is unknown, so an unknown email costs the same work as a wrong password
/// and response times do not reveal which accounts exist.
/// </summary>
public sealed class DummyPasswordHash(IPasswordHasher hasher)
{
    private readonly Lazy<string> _hash = new(() => hasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    public string Value => _hash.Value;
}
