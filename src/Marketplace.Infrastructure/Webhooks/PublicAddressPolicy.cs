using System.Net;
using System.Net.Sockets;

namespace Marketplace.Infrastructure.Webhooks;

/// <summary>
/// Which hosts the service may call with an outgoing webhook in Live: a host qualifies only when every
/// address it resolves to is public unicast; loopback, private, link-local (incl. the cloud metadata
/// service 169.254.169.254), CGNAT, documentation, multicast and reserved ranges are refused, also when
/// embedded in IPv6 (mapped, NAT64, 6to4). The same classification as the QIWI emulator's webhook
/// policy (which must not depend on the service); checked at registration and again at connect time,
/// against the address the socket actually connects to, so DNS rebinding gains nothing.
/// </summary>
public static class PublicAddressPolicy
{
    private static readonly (uint Network, int Bits)[] NonPublicV4 =
    [
        (V4(0, 0, 0, 0), 8), (V4(10, 0, 0, 0), 8), (V4(100, 64, 0, 0), 10), (V4(127, 0, 0, 0), 8), (V4(169, 254, 0, 0), 16),
        (V4(172, 16, 0, 0), 12), (V4(192, 0, 0, 0), 24), (V4(192, 0, 2, 0), 24), (V4(192, 88, 99, 0), 24), (V4(192, 168, 0, 0), 16),
        (V4(198, 18, 0, 0), 15), (V4(198, 51, 100, 0), 24), (V4(203, 0, 113, 0), 24), (V4(224, 0, 0, 0), 4), (V4(240, 0, 0, 0), 4),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork) return IsPublicV4(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return false;
        if (address.IsIPv4MappedToIPv6) return IsPublicV4(address.MapToIPv4());
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4..12].IndexOfAnyExcept((byte)0) < 0)
            return IsPublicV4(new IPAddress(b[12..16]));
        if (b[0] == 0x20 && b[1] == 0x02) return IsPublicV4(new IPAddress(b[2..6]));
        if ((b[0] & 0xE0) != 0x20) return false;
        if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xFE) == 0x00) return false;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;
        if (b[0] == 0x3f && b[1] == 0xff && (b[2] & 0xF0) == 0x00) return false;
        return true;
    }

    /// <summary>The addresses of <paramref name="host"/> when all may be called; null when any is refused or the name does not resolve.</summary>
    public static async Task<IPAddress[]?> ResolveAllowedAsync(string host, bool allowPrivate, CancellationToken cancellationToken)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (bare.Length == 0) return null;
        var name = bare.TrimEnd('.');
        if (!allowPrivate && (name.Equals("localhost", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)))
            return null;
        IPAddress[] addresses;
        if (IPAddress.TryParse(bare, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(bare, cancellationToken);
            }
            catch (Exception ex) when (ex is SocketException or ArgumentException)
            {
                return null;
            }
        }

        if (addresses.Length == 0) return null;
        return allowPrivate || addresses.All(IsPublic) ? addresses : null;
    }

    /// <summary>The relay's connect step: resolve, refuse unless every address is allowed, connect to a checked address.</summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> ConnectCallback(bool allowPrivate) =>
        async (context, cancellationToken) =>
        {
            var endpoint = context.DnsEndPoint;
            var addresses = await ResolveAllowedAsync(endpoint.Host, allowPrivate, cancellationToken)
                            ?? throw new HttpRequestException(HttpRequestError.ConnectionError,
                                $"Webhook target {endpoint.Host} is not a public Internet address; refused.");
            Exception? last = null;
            foreach (var address in addresses)
            {
                var target = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
                var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(target, endpoint.Port), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException ex)
                {
                    socket.Dispose();
                    last = ex;
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            throw new HttpRequestException(HttpRequestError.ConnectionError, $"Could not connect to webhook target {endpoint.Host}.", last);
        };

    private static bool IsPublicV4(IPAddress address)
    {
        Span<byte> b = stackalloc byte[4];
        address.TryWriteBytes(b, out _);
        var value = (uint)b[0] << 24 | (uint)b[1] << 16 | (uint)b[2] << 8 | b[3];
        foreach (var (network, bits) in NonPublicV4)
            if ((value & (uint.MaxValue << (32 - bits))) == network) return false;
        return true;
    }

    private static uint V4(byte a, byte b, byte c, byte d) => (uint)a << 24 | (uint)b << 16 | (uint)c << 8 | d;
}
