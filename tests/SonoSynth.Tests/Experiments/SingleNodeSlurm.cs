using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SonoSynth.Tests.Experiments;

/// <summary>
/// A real single-node Slurm (Debian's slurm-wlm and munge) started by a test in a temporary folder, following
/// shared/slurm-single-node.md: munged as the munge user, slurmctld and slurmd in the foreground as children of the
/// test, so they stop with it. Needs root and the packages (scripts/install-test-dependencies.sh installs them).
/// </summary>
public sealed class SingleNodeSlurm : IDisposable
{
    private readonly List<Process> daemons = [];

    private SingleNodeSlurm(string folder) { Folder = folder; ConfigPath = Path.Combine(folder, "slurm.conf"); }

    public string Folder { get; }
    public string ConfigPath { get; }

    public static SingleNodeSlurm Start(string folder)
    {
        SystemRequirements.Require(SystemRequirement.Slurm);
        var slurm = new SingleNodeSlurm(folder);
        try
        {
            StartMunge();
            slurm.WriteConfig();
            slurm.daemons.Add(slurm.Daemon("/usr/sbin/slurmctld", "-D", "-f", slurm.ConfigPath));
            slurm.daemons.Add(slurm.Daemon("/usr/sbin/slurmd", "-D", "-f", slurm.ConfigPath));
            slurm.WaitForIdleNode();
            return slurm;
        }
        catch
        {
            slurm.Dispose();
            throw;
        }
    }

    private static void StartMunge()
    {
        if (Run("/usr/bin/bash", "-c", "munge -n | unmunge").ExitCode == 0) return;
        var script = """
            set -e
            mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
            [ -s /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
            chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
            chmod 700 /etc/munge; chmod 400 /etc/munge/munge.key; chmod 755 /run/munge
            runuser -u munge -- /usr/sbin/munged
            """;
        var start = Run("/usr/bin/bash", "-c", script);
        if (start.ExitCode != 0) throw new InvalidOperationException("munged did not start: " + start.Output);
        for (int i = 0; i < 50; i++)
        {
            if (Run("/usr/bin/bash", "-c", "munge -n | unmunge").ExitCode == 0) return;
            Thread.Sleep(100);
        }
        throw new InvalidOperationException("munge -n | unmunge does not say Success.");
    }

    private void WriteConfig()
    {
        var host = Run("/usr/bin/hostname", "-s").Output.Trim();
        int controllerPort = FreePort(), daemonPort = FreePort();
        Directory.CreateDirectory(Path.Combine(Folder, "state"));
        Directory.CreateDirectory(Path.Combine(Folder, "spool"));
        File.WriteAllText(ConfigPath, $"""
            ClusterName=sonosynth-test
            SlurmctldHost={host}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            SlurmctldPort={controllerPort}
            SlurmdPort={daemonPort}
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/slurmctld.pid
            SlurmdPidFile={Folder}/slurmd.pid
            SlurmctldLogFile={Folder}/slurmctld.log
            SlurmdLogFile={Folder}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ReturnToService=2
            MpiDefault=none
            NodeName={host} CPUs={Environment.ProcessorCount} RealMemory=2048 State=UNKNOWN
            PartitionName=debug Nodes={host} Default=YES MaxTime=INFINITE State=UP
            """);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Process Daemon(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["SLURM_CONF"] = ConfigPath;
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void WaitForIdleNode()
    {
        for (int i = 0; i < 150; i++)
        {
            var sinfo = Run("/usr/bin/sinfo", ["-h", "-o", "%T"], ConfigPath);
            if (sinfo.ExitCode == 0 && sinfo.Output.Contains("idle")) return;
            Thread.Sleep(200);
        }
        throw new InvalidOperationException("The Slurm node did not become idle in 30 s. slurmctld log:\n" + ReadLog("slurmctld.log") +
            "\nslurmd log:\n" + ReadLog("slurmd.log"));
    }

    public string ReadLog(string name)
    {
        var path = Path.Combine(Folder, name);
        return File.Exists(path) ? File.ReadAllText(path) : "(none)";
    }

    /// <summary>Waits until no job is pending or running.</summary>
    public bool WaitForEmptyQueue(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var squeue = Run("/usr/bin/squeue", ["-h"], ConfigPath);
            if (squeue.ExitCode == 0 && squeue.Output.Trim() == "") return true;
            Thread.Sleep(500);
        }
        return false;
    }

    public static (int ExitCode, string Output) Run(string program, params string[] args) => Run(program, args, null);

    public static (int ExitCode, string Output) Run(string program, string[] args, string? slurmConfig)
    {
        var start = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (slurmConfig is not null) start.Environment["SLURM_CONF"] = slurmConfig;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error.Result);
    }

    public void Dispose()
    {
        foreach (var daemon in daemons)
        {
            try { if (!daemon.HasExited) daemon.Kill(entireProcessTree: true); daemon.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            daemon.Dispose();
        }
    }
}
