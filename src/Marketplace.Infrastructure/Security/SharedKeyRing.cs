using Microsoft.AspNetCore.DataProtection;

namespace Marketplace.Infrastructure.Security;

/// <summary>
/// Loads (or creates) the token key ring at start-up, inside the start-up lock
/// (<see cref="Persistence.StartupLock"/>). Instances started together would otherwise each create a
/// first key, and one could refuse a token issued under the other's until its ring is next refreshed.
/// </summary>
public static class SharedKeyRing
{
    public static void Ensure(IDataProtectionProvider provider) => provider.CreateProtector("Marketplace.KeyRing").Protect([1]);
}
