using System.Diagnostics;

namespace SonoSynth.Tests;

/// <summary>Programs outside .NET that some tests drive. Each is named with the Debian packages that provide it.</summary>
public enum SystemRequirement
{
    /// <summary>A real headless browser for the curation page: Debian's chromium and chromium-driver.</summary>
    Chromium,

    /// <summary>A real single-node Slurm started by the test: slurm-wlm and munge, and root to start munged and slurmd.</summary>
    Slurm,

    /// <summary>Private user + mount namespaces (`unshare --user --map-root-user --mount`, util-linux) for tmpfs disks.</summary>
    UserNamespaces,

    /// <summary>Debian's PyTorch 1.13 / torchvision 0.14 under /usr/bin/python3, for the reference scripts in scripts/reference/.</summary>
    DebianPyTorch,

    /// <summary>
    /// A checkout of MedMamba's own code (github.com/YubiaoYue/MedMamba), named by $SONOSYNTH_MEDMAMBA_DIR. Opt-in even
    /// under CI=true: CI has no network to fetch it, and a committed fixture made from the same code is always tested.
    /// </summary>
    MedMambaSource,
}

/// <summary>
/// Whether a <see cref="SystemRequirement"/> is met here. On a developer machine a test that needs a missing one is
/// skipped, with a reason that names what to install. Under CI=true (as <c>.ci/run</c> sets it, after installing
/// everything) nothing is skipped: the test runs and fails with that reason, so CI can never pass by skipping.
/// </summary>
public static class SystemRequirements
{
    public const string MedMambaVariable = "SONOSYNTH_MEDMAMBA_DIR";
    public const string DebianPython = "/usr/bin/python3";

    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static readonly Dictionary<SystemRequirement, Lazy<string?>> Checks = new()
    {
        [SystemRequirement.Chromium] = new(() => AllExist("/usr/bin/chromium", "/usr/bin/chromedriver") ? null :
            "needs Chromium and ChromeDriver (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install chromium chromium-driver"),
        [SystemRequirement.Slurm] = new(() =>
            !AllExist("/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch", "/usr/sbin/munged")
                ? "needs Slurm and MUNGE: apt-get install slurm-wlm munge (and root: the test starts munged, slurmctld and slurmd)"
                : Environment.UserName != "root" ? "starts its own munged, slurmctld and slurmd, which needs root (slurm-wlm and munge are installed)" : null),
        [SystemRequirement.UserNamespaces] = new(() => Succeeds("unshare", "--user", "--map-root-user", "--mount", "true") ? null :
            "needs private user and mount namespaces: `unshare --user --map-root-user --mount true` failed here " +
            "(unshare is in util-linux; unprivileged user namespaces need sysctl kernel.unprivileged_userns_clone=1, or run as root)"),
        [SystemRequirement.DebianPyTorch] = new(() =>
            AllExist([DebianPython, .. new[] { "torch", "torchvision", "numpy" }.Select(p => $"/usr/lib/python3/dist-packages/{p}/__init__.py")]) ? null :
            $"needs Debian's PyTorch for {DebianPython}: apt-get install python3-torch python3-torchvision python3-numpy"),
        [SystemRequirement.MedMambaSource] = new(() =>
            Environment.GetEnvironmentVariable(MedMambaVariable) is { Length: > 0 } folder && File.Exists(Path.Combine(folder, "MedMamba.py")) ? null :
            $"needs MedMamba's own code: {MedMambaVariable}=<folder with MedMamba.py>; scripts/reference/fetch-medmamba.sh <folder> clones it " +
            "(and Debian's python3-torch python3-torchvision python3-numpy)"),
    };

    /// <summary>Why the requirement is not met here, or null when it is.</summary>
    public static string? Missing(SystemRequirement requirement) => Checks[requirement].Value;

    /// <summary>Requirements that CI cannot install (they need the network): missing, they skip even under CI=true.</summary>
    private static readonly HashSet<SystemRequirement> OptIn = [SystemRequirement.MedMambaSource];

    /// <summary>The skip reason for a test attribute: null under CI=true (unless opt-in), so CI runs the test and it fails instead.</summary>
    public static string? SkipReason(IEnumerable<SystemRequirement> requirements)
    {
        var missing = requirements.Where(r => !InCi || OptIn.Contains(r)).Select(Missing).OfType<string>().ToList();
        return missing.Count == 0 ? null : "This test " + string.Join("; it also ", missing) + ".";
    }

    /// <summary>Fails the test, with what to install, unless the requirement is met (the CI path of a skipped test).</summary>
    public static void Require(SystemRequirement requirement)
    {
        if (Missing(requirement) is { } reason)
            Assert.Fail($"This test {reason}." + (InCi ? " CI=true: .ci/run installs it, so it is a failure here, not a skip." : ""));
    }

    private static bool AllExist(params string[] paths) => paths.All(File.Exists);

    private static bool Succeeds(string program, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(10_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // the program is not installed
        }
    }
}

/// <summary>A [Fact] that is skipped, with the reason and the packages to install, when a requirement is missing (never under CI=true).</summary>
public sealed class SystemFactAttribute : FactAttribute
{
    public SystemFactAttribute(params SystemRequirement[] requirements) => Skip = SystemRequirements.SkipReason(requirements);
}

/// <summary>A [Theory] that is skipped like <see cref="SystemFactAttribute"/>.</summary>
public sealed class SystemTheoryAttribute : TheoryAttribute
{
    public SystemTheoryAttribute(params SystemRequirement[] requirements) => Skip = SystemRequirements.SkipReason(requirements);
}
