using FluentValidation;
using Marketplace.Application.Common.Exceptions;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Marketplace.Domain.Webhooks;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Marketplace.Application.Webhooks;

/// <summary>
/// Registers a receiver of outgoing webhooks for the caller's account and returns its signing secret,
/// the only time it is shown. At most <see cref="WebhookEndpoint.MaxPerAccount"/> per account (409
/// <c>webhook.limit_reached</c>); in Live the URL must be https on a public host (422 <c>webhook.url_not_allowed</c>).
/// </summary>
public sealed record CreateWebhookEndpointCommand(string Url, IReadOnlyList<string> EventTypes, string? Description = null)
    : ICommand<WebhookEndpointWithSecretDto>;

public sealed class CreateWebhookEndpointValidator : AbstractValidator<CreateWebhookEndpointCommand>
{
    public CreateWebhookEndpointValidator(OperatingMode mode)
    {
        RuleFor(c => c.Url).NotEmpty().WebhookUrl(mode);
        RuleFor(c => c.EventTypes).NotNull().WebhookEventTypes();
        RuleFor(c => c.Description).WebhookDescription();
    }
}

public sealed class CreateWebhookEndpointHandler(
    IApplicationDbContext db, ICurrentUser currentUser, ISecretProtector protector, IWebhookTargetGuard guard, TimeProvider clock)
    : ICommandHandler<CreateWebhookEndpointCommand, WebhookEndpointWithSecretDto>
{
    public async ValueTask<WebhookEndpointWithSecretDto> Handle(CreateWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var ownerId = currentUser.RequireAccountId();
        await guard.EnsureAllowedAsync(command.Url, cancellationToken);
        var secret = WebhookSecrets.New();
        // The cap is the unique (owner, slot) index: two creations racing for the last slot cannot both win.
        for (var attempt = 0; ; attempt++)
        {
            var used = await db.WebhookEndpoints.Where(e => e.OwnerId == ownerId).Select(e => e.Slot).ToListAsync(cancellationToken);
            var slot = Enumerable.Range(1, WebhookEndpoint.MaxPerAccount).FirstOrDefault(s => !used.Contains(s));
            if (slot == 0)
                throw new ConflictException("webhook.limit_reached", $"An account may have at most {WebhookEndpoint.MaxPerAccount} webhook endpoints.");
            var now = clock.GetUtcNow();
            var endpoint = new WebhookEndpoint(Guid.NewGuid(), ownerId, slot, command.Url, command.EventTypes, command.Description,
                protector.Protect(secret), now);
            db.WebhookEndpoints.Add(endpoint);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new WebhookEndpointWithSecretDto(WebhookEndpointDto.From(endpoint, now), secret);
            }
            // Each lost race means another creation took a slot: after at most MaxPerAccount of them the
            // account is full and the next round answers limit_reached.
            catch (DbUpdateException ex) when (db.IsUniqueViolation(ex) && attempt < WebhookEndpoint.MaxPerAccount)
            {
                db.Entry(endpoint).State = EntityState.Detached;
            }
        }
    }
}
