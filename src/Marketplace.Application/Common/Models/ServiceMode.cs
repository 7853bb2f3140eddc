namespace Marketplace.Application.Common.Models;

/// <summary>
/// What the service pays through. <see cref="Sandbox"/>: an emulated wallet (the embedded QIWI
/// emulator or a standalone one); nothing it delivers was paid with real money. <see cref="Live"/>:
/// real wallets only; the emulator cannot be hosted and sandbox data cannot be read.
/// </summary>
public enum ServiceMode
{
    Sandbox,
    Live,
}

/// <summary>The mode this process runs in, fixed at start-up (see docs/adr/0006-sandbox-and-live-modes.md).</summary>
public sealed record OperatingMode(ServiceMode Mode)
{
    public bool IsSandbox => Mode == ServiceMode.Sandbox;
}
