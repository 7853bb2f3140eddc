namespace Marketplace.Infrastructure.Persistence;

/// <summary>
/// Files the service writes at run time (database, keys) hold secrets or personal data: they are
/// created owner-only, in folders only the owner can list.
/// </summary>
public static class RuntimeFiles
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates the file (empty) with mode 0600 if it is missing, or narrows an existing one to 0600.</summary>
    public static void EnsureOwnerOnlyFile(string path)
    {
        EnsureFolder(Path.GetDirectoryName(path)!);
        if (OperatingSystem.IsWindows())
        {
            if (!File.Exists(path)) File.Create(path).Dispose();
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnlyFile,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            // Already there (perhaps from an older release that did not restrict it).
        }

        if ((File.GetUnixFileMode(path) & ~OwnerOnlyFile) != 0) File.SetUnixFileMode(path, OwnerOnlyFile);
    }

    /// <summary>Creates a missing folder as 0700; an existing folder is left as the operator made it.</summary>
    public static void EnsureFolder(string folder)
    {
        if (Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }
}
