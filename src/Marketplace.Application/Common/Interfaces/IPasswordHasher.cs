namespace Marketplace.Application.Common.Interfaces;

public interface IPasswordHasher
{
    string Hash(string password);

    PasswordCheck Verify(string hash, string password);
}

public enum PasswordCheck
{
    Failed,
    Success,
    /// <summary>Correct, but hashed with outdated parameters: store a fresh hash.</summary>
    SuccessRehashNeeded,
}
