using System.Security.Claims;
using Marketplace.Application.Common.Interfaces;

namespace Marketplace.Api.Hosting;

public sealed class CurrentUser(IHttpContextAccessor accessor) : ICurrentUser
{
    public Guid? AccountId =>
        Guid.TryParse(accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public Guid? SessionId =>
        Guid.TryParse(accessor.HttpContext?.User.FindFirstValue(SessionAuthentication.SessionIdClaim), out var id) ? id : null;
}
