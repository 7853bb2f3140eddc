using Marketplace.Application.Common.Models;

namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// The one row that says which mode a database belongs to. Written by the first service that
/// starts on it and checked by every later start, so a Live service refuses a sandbox database
/// (whose wallets and orders hold play money) and a Sandbox service refuses a live one.
/// </summary>
public sealed class DatabaseModeMarker
{
    public const int SingletonId = 1;

    private DatabaseModeMarker() { }

    public DatabaseModeMarker(ServiceMode mode, DateTimeOffset recordedAt, string reason)
    {
        Id = SingletonId;
        Mode = mode;
        RecordedAt = recordedAt;
        Reason = reason;
    }

    public int Id { get; private set; }
    public ServiceMode Mode { get; private set; }
    public DateTimeOffset RecordedAt { get; private set; }
    public string Reason { get; private set; } = "";
}
