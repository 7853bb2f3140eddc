using System.Reflection;

namespace Marketplace.Application.Accounts.Security;

/// <summary>The shipped list of common passwords (embedded resource common-passwords.txt), compared lower-cased.</summary>
public static class CommonPasswords
{
    private static readonly Lazy<HashSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    /// <summary>Compared trimmed and lower-cased: padding a common password with spaces does not make it uncommon.</summary>
    public static bool Contains(string password) => List.Value.Contains(password.Trim().ToLowerInvariant());

    private static HashSet<string> Load()
    {
        var assembly = typeof(CommonPasswords).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("common-passwords.txt", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"Resource {name} is missing.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line.ToLowerInvariant());
        }

        return set;
    }
}
