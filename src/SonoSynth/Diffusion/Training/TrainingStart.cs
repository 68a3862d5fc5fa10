using SonoSynth.Data;

namespace SonoSynth.Diffusion.Training;

/// <summary>What the U-Net and the noise-aware classifier trainers check before they build a model.</summary>
internal static class TrainingStart
{
    /// <summary>
    /// The images must match the network's input, and an existing checkpoint is only continued with --resume,
    /// so a run never overwrites another by accident.
    /// </summary>
    public static void Check(LabelledImages data, int inChannels, int imageSize, string network, string outputFolder, string checkpointPath, bool resume)
    {
        if (data.Count == 0) throw new InputError("The training set is empty.");
        if (data.Channels != inChannels || data.Height != imageSize || data.Width != imageSize)
            throw new InputError($"The images are {data.Channels}×{data.Height}×{data.Width} but the {network} expects " +
                $"{inChannels}×{imageSize}×{imageSize}. Prepare the data at --image-size {imageSize}.");
        Directory.CreateDirectory(outputFolder);
        if (File.Exists(checkpointPath) && !resume)
            throw new InputError($"'{checkpointPath}' already exists. Pass --resume to continue it, or choose another --out folder.");
    }
}
