namespace Marketplace.Application.Common.Telemetry;

/// <summary>
/// The outgoing webhook backlog for the metrics gauge. A scrape calls <see cref="Latest"/> synchronously,
/// so an implementation answers from a short-lived cache and reads the database at most every few seconds.
/// </summary>
public interface IWebhookBacklogProbe
{
    /// <summary>Undelivered deliveries (pending or waiting for a retry); null while nothing was read yet.</summary>
    long? Latest();
}
