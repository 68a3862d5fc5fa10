using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// ViT's Grad-CAM cut: the tokens entering the last encoder block; the patch tokens [N, g², D] become a map
/// [N, D, g, g] and the class token is carried alongside, so the gradient reaches the patches through the last attention.
/// </summary>
internal sealed class VisionTransformerGradCamTarget : IGradCamTarget
{
    private const string BlockPrefix = "encoder.layers.encoder_layer_";
    private readonly ImageClassifier model;
    private readonly nn.Module<Tensor, Tensor> convProj, dropout, lastBlock, finalNorm;
    private readonly nn.Module<Tensor, Tensor>[] earlierBlocks;
    private readonly Parameter classToken, positionEmbedding;

    public VisionTransformerGradCamTarget(VisionTransformer model)
    {
        this.model = model;
        var modules = model.named_modules().ToDictionary(m => m.name, m => m.module);
        nn.Module<Tensor, Tensor> Module(string path) => modules.TryGetValue(path, out var module) && module is nn.Module<Tensor, Tensor> typed
            ? typed : throw new InvalidOperationException($"'{model.GetName()}' has no module '{path}'; its layout changed, update {nameof(VisionTransformerGradCamTarget)}.");
        convProj = Module("conv_proj");
        dropout = Module("encoder.dropout");
        finalNorm = Module("encoder.ln");
        var blocks = modules.Keys.Where(name => name.StartsWith(BlockPrefix, StringComparison.Ordinal) && !name[BlockPrefix.Length..].Contains('.'))
            .OrderBy(name => int.Parse(name[BlockPrefix.Length..])).Select(Module).ToArray();
        earlierBlocks = blocks[..^1];
        lastBlock = blocks[^1];
        LayerName = $"{BlockPrefix}{blocks.Length - 1} (input)";
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        classToken = parameters["class_token"];
        positionEmbedding = parameters["encoder.pos_embedding"];
    }

    public string LayerName { get; }
    public string Method => "Grad-CAM on the patch-token grid entering the last encoder block";

    public GradCamSplit Split(Tensor input)
    {
        var batch = input.shape[0];
        var patches = convProj.call(input);                  // [N, D, g, g]
        long grid = patches.shape[2], width = patches.shape[3];
        var tokens = cat([classToken.expand(batch, -1, -1), patches.flatten(2).transpose(1, 2)], 1);
        tokens = dropout.call(tokens + positionEmbedding);
        foreach (var block in earlierBlocks) tokens = block.call(tokens);
        var classRow = tokens[TensorIndex.Colon, TensorIndex.Slice(0, 1)];
        var map = tokens[TensorIndex.Colon, TensorIndex.Slice(1)].transpose(1, 2).reshape(batch, -1, grid, width);
        return new GradCamSplit(map, m =>
        {
            var rebuilt = cat([classRow, m.flatten(2).transpose(1, 2)], 1);
            return model.ForwardHead(finalNorm.call(lastBlock.call(rebuilt))[TensorIndex.Colon, 0]);
        });
    }
}
