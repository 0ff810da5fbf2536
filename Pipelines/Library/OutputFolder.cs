using AdaTapeDml.Core.Validation;

namespace AdaTapeDml.Pipelines;

/// <summary>Checks an output folder before any work is done, so that a path the results cannot go to is a one-line
/// <see cref="UserError"/> at the start, not an I/O failure after minutes of training.</summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="path"/> if needed and proves it writable by creating and deleting a file in it.</summary>
    /// <param name="path">The folder.</param>
    /// <param name="option">How the user named it, for the message (e.g. "--out").</param>
    /// <returns>The path, for chaining.</returns>
    public static string Prepare(string path, string option)
    {
        if (File.Exists(path)) throw new UserError($"{option} {path}: is an existing file; give a folder (new or existing)");
        try
        {
            Directory.CreateDirectory(path);
            using var probe = new FileStream(Path.Combine(path, $".write-probe-{Environment.ProcessId}-{Guid.NewGuid():N}"),
                FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{option} {path}: cannot create or write this folder ({e.Message}); give a writable folder");
        }
        return path;
    }
}
