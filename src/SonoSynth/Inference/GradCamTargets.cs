using SonoSynth.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Inference;

/// <summary>
/// Grad-CAM cut points for the registered architectures, found by their torchvision module names:
/// ResNet at layer4, DenseNet after norm5 + ReLU, Swin after its last stage, MedMamba after its last VSS stage,
/// ViT at the input of its last encoder block with the patch tokens laid out on their 2-D grid.
/// Each split reproduces the model's <see cref="ImageClassifier.ForwardFeatures"/> exactly (checked by a test).
/// </summary>
public static class GradCamTargets
{
    public static IGradCamTarget For(ImageClassifier model) => model switch
    {
        ResNet => new ResNetTarget(model),
        DenseNet => new DenseNetTarget(model),
        SwinTransformer => new ChannelsLastTarget(model, "features", "norm", "Grad-CAM on the last Swin stage"),
        MedMamba => new ChannelsLastTarget(model, "layers", null, "Grad-CAM on the last VSS stage (MedMamba has no separate conv-branch output)"),
        VisionTransformer => new VisionTransformerTarget(model),
        SmallCnn small => new SmallCnnTarget(small),
        _ => throw new ArgumentException($"No Grad-CAM target is known for '{model.GetName()}'. Implement IGradCamTarget for it."),
    };

    private static nn.Module<Tensor, Tensor> Module(nn.Module model, string path) =>
        model.named_modules().FirstOrDefault(m => m.name == path).module as nn.Module<Tensor, Tensor>
        ?? throw new InvalidOperationException($"'{model.GetName()}' has no module '{path}'; its layout changed, update GradCamTargets.");

    private static Tensor Pool(Tensor map) => nn.functional.adaptive_avg_pool2d(map, [1, 1]).flatten(1);

    private sealed class ResNetTarget(ImageClassifier model) : IGradCamTarget
    {
        private readonly nn.Module<Tensor, Tensor>[] stem = new[] { "conv1", "bn1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4" }
            .Select(name => Module(model, name)).ToArray();

        public string LayerName => "layer4";
        public string Method => "Grad-CAM";

        public GradCamSplit Split(Tensor input)
        {
            var x = input;
            foreach (var module in stem) x = module.call(x);
            return new GradCamSplit(x, map => model.ForwardHead(Pool(map)));
        }
    }

    private sealed class SmallCnnTarget(SmallCnn model) : IGradCamTarget
    {
        public string LayerName => "features (last conv stage)";
        public string Method => "Grad-CAM";

        public GradCamSplit Split(Tensor input) => new(model.FeatureMap(input), map => model.ForwardHead(Pool(map)));
    }

    private sealed class DenseNetTarget(ImageClassifier model) : IGradCamTarget
    {
        private readonly nn.Module<Tensor, Tensor> features = Module(model, "features");

        public string LayerName => "features.norm5";
        public string Method => "Grad-CAM";

        public GradCamSplit Split(Tensor input) =>
            new(nn.functional.relu(features.call(input)), map => model.ForwardHead(Pool(map)));
    }

    /// <summary>Swin and MedMamba keep their maps channels-last [N, h, w, C]; the split hands out [N, C, h, w].</summary>
    private sealed class ChannelsLastTarget(ImageClassifier model, string body, string? norm, string method) : IGradCamTarget
    {
        private readonly nn.Module<Tensor, Tensor> bodyModule = Module(model, body);
        private readonly nn.Module<Tensor, Tensor>? normModule = norm is null ? null : Module(model, norm);
        private readonly nn.Module<Tensor, Tensor>? embed = model is MedMamba ? Module(model, "patch_embed") : null;

        public string LayerName => body;
        public string Method => method;

        public GradCamSplit Split(Tensor input)
        {
            var x = bodyModule.call(embed is null ? input : embed.call(input));
            return new GradCamSplit(x.permute(0, 3, 1, 2), map =>
            {
                var channelsLast = map.permute(0, 2, 3, 1);
                if (normModule is not null) channelsLast = normModule.call(channelsLast);
                return model.ForwardHead(channelsLast.mean([1, 2]));
            });
        }
    }

    /// <summary>
    /// ViT: the tokens entering the last encoder block; the patch tokens [N, g², D] become a map [N, D, g, g]
    /// and the class token is carried alongside, so the gradient reaches the patches through the last attention.
    /// </summary>
    private sealed class VisionTransformerTarget : IGradCamTarget
    {
        private readonly ImageClassifier model;
        private readonly nn.Module<Tensor, Tensor> convProj, dropout, lastBlock, finalNorm;
        private readonly nn.Module<Tensor, Tensor>[] earlierBlocks;
        private readonly Parameter classToken, positionEmbedding;

        public VisionTransformerTarget(ImageClassifier model)
        {
            this.model = model;
            convProj = Module(model, "conv_proj");
            dropout = Module(model, "encoder.dropout");
            finalNorm = Module(model, "encoder.ln");
            var blocks = model.named_modules().Where(m => m.name.StartsWith("encoder.layers.encoder_layer_", StringComparison.Ordinal)
                    && !m.name[("encoder.layers.encoder_layer_".Length)..].Contains('.'))
                .OrderBy(m => int.Parse(m.name[("encoder.layers.encoder_layer_".Length)..]))
                .Select(m => (nn.Module<Tensor, Tensor>)m.module).ToArray();
            earlierBlocks = blocks[..^1];
            lastBlock = blocks[^1];
            LayerName = $"encoder.layers.encoder_layer_{blocks.Length - 1} (input)";
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
}
