using Marketplace.Client.Models;
using Refit;

namespace Marketplace.Client.Api;

/// <summary>Disputes as buyer or seller (docs/disputes.md has the rules).</summary>
public interface IDisputesApi
{
    [Get("/api/v1/disputes")]
    Task<PagedList<DisputeSummary>> ListAsync(string? status = null, int page = 1, int pageSize = 20, CancellationToken cancellationToken = default);

    [Get("/api/v1/disputes/{id}")]
    Task<Dispute> GetAsync(Guid id, CancellationToken cancellationToken = default);

    [Post("/api/v1/disputes/{id}/messages")]
    Task<Dispute> PostMessageAsync(Guid id, [Body] DisputeMessageRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/disputes/{id}/replace")]
    Task<Dispute> ReplaceItemAsync(Guid id, [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);

    [Post("/api/v1/disputes/{id}/refunds")]
    Task<Dispute> ReportRefundAsync(Guid id, [Body] RefundReportRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/disputes/{id}/refunds/send")]
    Task<Dispute> SendRefundAsync(Guid id, [Body] RefundSendRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/disputes/{id}/contest")]
    Task<Dispute> ContestAsync(Guid id, [Body] ContestRequest request, [Header("Idempotency-Key")] string? idempotencyKey = null,
        CancellationToken cancellationToken = default);

    [Post("/api/v1/disputes/{id}/withdraw")]
    Task<Dispute> WithdrawAsync(Guid id, [Header("Idempotency-Key")] string? idempotencyKey = null, CancellationToken cancellationToken = default);
}
