using FluentValidation;
using Marketplace.Application.Common.Interfaces;
using Marketplace.Application.Common.Validation;

namespace Marketplace.Application.Wallets.ConnectWallet;

public sealed class ConnectWalletValidator : AbstractValidator<ConnectWalletCommand>
{
    public ConnectWalletValidator(IPaymentRails rails)
    {
        RuleFor(c => c.Provider)
            .NotEmpty()
            .SingleLine()
            .Must(p => rails.Find(p!.Trim().ToLowerInvariant()) is not null)
            .WithMessage(_ => $"'Provider' must be one of: {string.Join(", ", rails.Providers)}.");
        RuleFor(c => c.Account)
            .NotEmpty()
            .MaximumLength(64)
            .SingleLine()
            .Must((c, account) => rails.Find(c.Provider?.Trim().ToLowerInvariant() ?? "") is not { } rail || rail.NormalizeAccount(account!) is not null)
            .WithMessage("'Account' is not a valid wallet number for this provider (QIWI: +7 and 10 digits).");
        RuleFor(c => c.Token).NotEmpty().MaximumLength(512).SingleLine();
    }
}
