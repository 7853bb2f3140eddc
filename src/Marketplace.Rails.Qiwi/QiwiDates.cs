using System.Globalization;

namespace Marketplace.Rails.Qiwi;

/// <summary>QIWI wants ISO-8601 with an explicit offset, no fraction, and the same offset on both ends of a range.</summary>
public static class QiwiDates
{
    /// <summary>Moscow time: QIWI's own zone, used for both ends of every window we send.</summary>
    public static readonly TimeSpan MoscowOffset = TimeSpan.FromHours(3);

    public static string Format(DateTimeOffset value) =>
        value.ToOffset(MoscowOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
