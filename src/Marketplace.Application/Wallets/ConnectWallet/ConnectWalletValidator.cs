using FluentValidation;
using Marketplace.Application.Common.Validation;
using Marketplace.Application.Payments.Rails;

namespace Marketplace.Application.Wallets.ConnectWallet;

public sealed class ConnectWalletValidator : AbstractValidator<ConnectWalletCommand>
{
    public ConnectWalletValidator(IRailRegistry rails)
    {
        RuleFor(c => c.Provider)
            .NotEmpty()
            .SingleLine()
            .Must(p => ConnectWalletHandler.Connector(rails, p) is not null)
            .WithMessage(_ => $"'Provider' must be one of: {string.Join(", ", ConnectWalletHandler.Connectable(rails))}.");
        RuleFor(c => c.Account)
            .NotEmpty()
            .MaximumLength(64)
            .SingleLine()
            .Must((c, account) => ConnectWalletHandler.Connector(rails, c.Provider) is not { } connector || connector.NormalizeAccount(account!) is not null)
            .WithMessage("'Account' is not a valid wallet number for this provider (QIWI: +7 and 10 digits).");
        RuleFor(c => c.Token).NotEmpty().MaximumLength(512).SingleLine();
    }
}
