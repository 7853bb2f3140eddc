using FluentValidation;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Models;
using Mediator;

namespace Marketplace.Application.Webhooks;

/// <summary>
/// Changes an endpoint: what is given changes, what is null stays. <c>enabled</c> true turns a disabled
/// endpoint on again (its failure count starts over and deliveries queued meanwhile go out).
/// </summary>
public sealed record UpdateWebhookEndpointCommand(Guid Id, string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled)
    : ICommand<WebhookEndpointDto>;

public sealed class UpdateWebhookEndpointValidator : AbstractValidator<UpdateWebhookEndpointCommand>
{
    public UpdateWebhookEndpointValidator(OperatingMode mode)
    {
        RuleFor(c => c.Url).NotEmpty().WebhookUrl(mode).When(c => c.Url is not null);
        RuleFor(c => c.EventTypes).WebhookEventTypes().When(c => c.EventTypes is not null);
        RuleFor(c => c.Description).WebhookDescription();
    }
}

public sealed class UpdateWebhookEndpointHandler(IApplicationDbContext db, ICurrentUser currentUser, IWebhookTargetGuard guard, TimeProvider clock)
    : ICommandHandler<UpdateWebhookEndpointCommand, WebhookEndpointDto>
{
    public async ValueTask<WebhookEndpointDto> Handle(UpdateWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.OwnEndpointAsync(currentUser.RequireAccountId(), command.Id, cancellationToken);
        if (command.Url is not null) await guard.EnsureAllowedAsync(command.Url, cancellationToken);
        var now = clock.GetUtcNow();
        endpoint.Change(command.Url, command.EventTypes, command.Description, command.Enabled, now);
        await db.SaveChangesAsync(cancellationToken);
        return WebhookEndpointDto.From(endpoint, now);
    }
}

/// <summary>Removes an endpoint with its delivery log; nothing more is sent to it.</summary>
public sealed record DeleteWebhookEndpointCommand(Guid Id) : ICommand;

public sealed class DeleteWebhookEndpointHandler(IApplicationDbContext db, ICurrentUser currentUser) : ICommandHandler<DeleteWebhookEndpointCommand>
{
    public async ValueTask<Unit> Handle(DeleteWebhookEndpointCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.OwnEndpointAsync(currentUser.RequireAccountId(), command.Id, cancellationToken);
        db.WebhookEndpoints.Remove(endpoint);
        await db.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>
/// A new signing secret, shown once. The old one keeps signing (a second v1 entry) for 24 hours, so the
/// receiver can deploy the new secret without rejecting a delivery meanwhile.
/// </summary>
public sealed record RotateWebhookSecretCommand(Guid Id) : ICommand<WebhookEndpointWithSecretDto>;

public sealed class RotateWebhookSecretHandler(IApplicationDbContext db, ICurrentUser currentUser, ISecretProtector protector, TimeProvider clock)
    : ICommandHandler<RotateWebhookSecretCommand, WebhookEndpointWithSecretDto>
{
    public async ValueTask<WebhookEndpointWithSecretDto> Handle(RotateWebhookSecretCommand command, CancellationToken cancellationToken)
    {
        var endpoint = await db.OwnEndpointAsync(currentUser.RequireAccountId(), command.Id, cancellationToken);
        var secret = WebhookSecrets.New();
        var now = clock.GetUtcNow();
        endpoint.RotateSecret(protector.Protect(secret), now);
        await db.SaveChangesAsync(cancellationToken);
        return new WebhookEndpointWithSecretDto(WebhookEndpointDto.From(endpoint, now), secret);
    }
}
