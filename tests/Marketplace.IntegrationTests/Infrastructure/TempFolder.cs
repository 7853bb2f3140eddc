namespace Marketplace.IntegrationTests.Infrastructure;

/// <summary>Removes a test's scratch folder.</summary>
public static class TempFolder
{
    /// <summary>
    /// Deletes <paramref name="path"/> and what it holds. SQLite's rollback journal and the emulator's
    /// state file are written through a temporary file beside them; a host that has just stopped can
    /// still have one appear while the folder is enumerated ("Directory not empty"). The folder is
    /// scratch, not a result, so deletion is retried and finally left to the OS's temp cleaner
    /// rather than failing a test that passed.
    /// </summary>
    public static void Delete(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt == 10) return;
                Thread.Sleep(100 * attempt);
            }
        }
    }
}
