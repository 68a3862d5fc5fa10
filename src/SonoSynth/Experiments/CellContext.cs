namespace SonoSynth.Experiments;

/// <summary>What a running cell gets: its folder, the experiment's root and a progress sink.</summary>
public sealed record CellContext(string Folder, string ExperimentFolder, IProgress<Runtime.ProgressUpdate>? Progress)
{
    /// <summary>The folder of another cell (read its outputs).</summary>
    public string FolderOf(string cellId) => ExperimentLayout.CellFolder(ExperimentFolder, cellId);
}
