using Microsoft.Extensions.Time.Testing;

namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>
/// Business time is fake and moved by the test (deadlines, token expiry, rate windows), while timers
/// run in real time, so HTTP timeouts and retry back-off behave as in production instead of waiting
/// forever for a clock nobody advances.
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly FakeTimeProvider _now = new(start);

    public override DateTimeOffset GetUtcNow() => _now.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => _now.Advance(by);
}
