using Marketplace.Domain.Accounts;
using Marketplace.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Api.Hosting;

/// <summary>
/// <c>dotnet Marketplace.Api.dll grant-moderator EMAIL</c>: the operator grants the moderator role to
/// an existing account, with the service's own configuration and database, then exits. The first
/// moderator comes from whoever runs the service (not from an email in configuration that anyone
/// could register first); moderators grant the role to others through the API.
/// </summary>
public static class ModeratorCommand
{
    public const string Name = "grant-moderator";

    public static async Task<int> RunAsync(IServiceProvider services, string email, TextWriter output)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var normalized = Account.NormalizeEmail(email);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Email == normalized);
        if (account is null)
        {
            await output.WriteLineAsync($"No account with the email {normalized}: register it first, then run this again.");
            return 1;
        }

        account.MakeModerator();
        await db.SaveChangesAsync();
        await output.WriteLineAsync($"{normalized} ({account.Id}) is now a moderator.");
        return 0;
    }
}
