namespace SonoSynth.Experiments;

/// <summary>sbatch settings of every array task: partition, time limit, CPUs, memory, generic resources, and how many tasks run at once (0 = no limit).</summary>
public sealed record SlurmOptions(string Partition = "", string TimeLimit = "24:00:00", int CpusPerTask = 2,
    string MemoryPerTask = "8G", string Gres = "", int MaxParallel = 0);
