using Marketplace.Application.Common.Models;
using Marketplace.Application.Disputes;
using Marketplace.Domain.Disputes;
using Marketplace.Api.Hosting;
using Marketplace.Domain.Accounts;
using Mediator;

namespace Marketplace.Api.Endpoints;

public static class DisputeEndpoints
{
    public static void MapDisputeEndpoints(this RouteGroupBuilder api)
    {
        var disputes = api.MapGroup("/disputes").WithTags("Disputes").RequireAuthorization();

        disputes.MapGet("/", async (ISender sender, CancellationToken ct, DisputeStatus? status = null, bool queue = false, int page = 1, int pageSize = 20) =>
                Results.Ok(await sender.Send(new ListDisputesQuery(status, queue, page, pageSize), ct)))
            .RequireScope(ApiScopes.DisputesRead)
            .WithName("ListDisputes")
            .WithSummary("List disputes")
            .WithDescription("The caller's disputes as buyer or seller; queue=true: a moderator's queue of escalated disputes.")
            .Produces<PagedResult<DisputeSummaryDto>>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);

        disputes.MapGet("/{id}", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetDisputeQuery(id), ct)))
            .RequireScope(ApiScopes.DisputesRead)
            .WithName("GetDispute")
            .WithSummary("Get a dispute")
            .WithDescription("A dispute and its whole thread: for its buyer, its seller and moderators (404 for anyone else).")
            .Produces<DisputeDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        disputes.MapGet("/{id}/evidence", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new GetDisputeEvidenceQuery(id), ct)))
            .RequireScope(ApiScopes.DisputesRead)
            .WithName("GetDisputeEvidence")
            .WithSummary("Get a dispute's evidence")
            .WithDescription("One JSON bundle of the evidence: thread, deadlines, order history, raw payment records, keyed hashes of the items, reveals. " +
                             "The seller does not see the buyer's address and user agent on reveals; buyer and moderators do.")
            .Produces<DisputeEvidenceDto>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        disputes.MapPost("/{id}/messages", async (Guid id, DisputeMessageRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new PostDisputeMessageCommand(id, body.Text), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("PostDisputeMessage")
            .WithSummary("Post a message in a dispute")
            .WithDescription("A message in an open dispute's thread (plain text, at most 2000 characters).")
            .Produces<DisputeDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        disputes.MapPost("/{id}/replace", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ReplaceDisputedItemCommand(id), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("ReplaceDisputedItem")
            .WithSummary("Replace the disputed item")
            .WithDescription("The seller delivers another item from the listing's stock; the dispute is resolved as Replaced. " +
                             "Seller only (403 for the buyer or a moderator). 409 order.out_of_stock when none is left, " +
                             "dispute.invalid_transition when the seller can no longer act (escalated or resolved).")
            .Produces<DisputeDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        disputes.MapPost("/{id}/refunds", async (Guid id, RefundReportRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ReportRefundCommand(id, body.TransactionId), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("ReportRefund")
            .WithSummary("Report a refund")
            .WithDescription("The seller reports a refund made from their wallet; the service verifies it in the wallet's own history. " +
                             "Accepted only for an outgoing, final transfer in the order's currency, made after the order, to a wallet " +
                             "the buyer paid this order from; 422 naming transactionId otherwise (refund.not_found, refund.not_final, " +
                             "refund.wrong_currency, refund.before_order, refund.wrong_recipient, refund.exceeds_paid), 409 " +
                             "refund.already_used for a transfer reported before. Partial refunds add up; a full refund resolves the dispute.")
            .Produces<DisputeDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        disputes.MapPost("/{id}/refunds/send", async (Guid id, RefundSendRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new SendRefundCommand(id, body.Amount), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("SendRefund")
            .WithSummary("Send a refund from the seller's wallet")
            .WithDescription("The seller has the service send a refund from their wallet (the wallet's token must be allowed to pay). " +
                             "Stored with an idempotency key before sending: repeat the same request after an error and the wallet pays " +
                             "once. The transfer goes to the wallet that paid the most toward the order, is read back from the wallet's " +
                             "history and recorded as a refund. 422 refund.not_sent when the wallet refuses (no payment permission), " +
                             "refund.exceeds_paid; 409 refund.pending (another amount is being sent), refund.processing (sent, not in " +
                             "history yet: repeat), dispute.invalid_transition.")
            .Produces<DisputeDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

        disputes.MapPost("/{id}/contest", async (Guid id, ContestRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new ContestDisputeCommand(id, body.Statement), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("ContestDispute")
            .WithSummary("Contest a dispute")
            .WithDescription("The seller disagrees: the dispute goes to a moderator.")
            .Produces<DisputeDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        disputes.MapPost("/{id}/withdraw", async (Guid id, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new WithdrawDisputeCommand(id), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("WithdrawDispute")
            .WithSummary("Withdraw a dispute")
            .WithDescription("The buyer withdraws the dispute; the order completes as usual.")
            .Produces<DisputeDto>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        disputes.MapPost("/{id}/decision", async (Guid id, DecisionRequest body, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(new DecideDisputeCommand(id, body.Decision, body.Note), ct)))
            .RequireScope(ApiScopes.DisputesWrite)
            .WithIdempotency()
            .WithName("DecideDispute")
            .WithSummary("Decide an escalated dispute")
            .WithDescription("A moderator decides an escalated dispute: ForSeller completes the order; ForBuyer holds it until the seller refunds or replaces.")
            .Produces<DisputeDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/moderators", async (GrantModeratorCommand command, ISender sender, CancellationToken ct) =>
                Results.Ok(await sender.Send(command, ct)))
            .WithTags("Disputes")
            .RequireAuthorization()
            .WithName("GrantModerator")
            .WithSummary("Grant the moderator role")
            .WithDescription("A moderator grants the moderator role to another account, by email.")
            .Produces<ModeratorDto>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }
}

public sealed record DisputeMessageRequest(string Text);

public sealed record ContestRequest(string? Statement);

/// <param name="TransactionId">The wallet's id of the outgoing transfer that refunded the buyer.</param>
public sealed record RefundReportRequest(string TransactionId);

/// <param name="Amount">How much to send back, in the order's currency (at most what the buyer's wallet paid, less refunds made).</param>
public sealed record RefundSendRequest(decimal Amount);

public sealed record DecisionRequest(DisputeDecision Decision, string Note);
