using SonoSynth.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SonoSynth.Models;

/// <summary>
/// torchvision's ShiftedWindowAttention (Swin v1): multi-head attention inside non-overlapping windows with a learned
/// relative position bias, on a cyclically shifted map with masks for the wrapped-around regions. Maps that are not
/// a multiple of the window are zero-padded at the bottom/right (the padded tokens take part in attention, as in
/// torchvision), and a window that covers the whole padded map is not shifted.
/// </summary>
public sealed class ShiftedWindowAttention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv, proj;
    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly int windowSize, shiftSize, headCount;
    private readonly double attentionDropout, dropout;

    public ShiftedWindowAttention(long dim, int windowSize, int shiftSize, int headCount,
        double attentionDropout = 0.0, double dropout = 0.0) : base("ShiftedWindowAttention")
    {
        this.windowSize = windowSize;
        this.shiftSize = shiftSize;
        this.headCount = headCount;
        this.attentionDropout = attentionDropout;
        this.dropout = dropout;
        qkv = nn.Linear(dim, dim * 3);
        proj = nn.Linear(dim, dim);
        relative_position_bias_table = new Parameter(zeros((2 * windowSize - 1) * (2 * windowSize - 1), headCount));
        WeightInit.TruncatedNormal(relative_position_bias_table, std: 0.02);
        relative_position_index = RelativePositionIndex(windowSize);
        RegisterComponents();
    }

    /// <summary>For each (query, key) pair of a window, the row of the bias table for their offset (dy, dx).</summary>
    private static Tensor RelativePositionIndex(int window)
    {
        var tokens = window * window;
        var index = new long[tokens * tokens];
        for (var q = 0; q < tokens; q++)
            for (var k = 0; k < tokens; k++)
            {
                var dy = q / window - k / window + window - 1;
                var dx = q % window - k % window + window - 1;
                index[q * tokens + k] = dy * (2 * window - 1) + dx;
            }
        return tensor(index);
    }

    /// <param name="input">[N x H x W x C] channels-last feature map.</param>
    public override Tensor forward(Tensor input)
    {
        long batch = input.shape[0], height = input.shape[1], width = input.shape[2], channels = input.shape[3];
        long padBottom = (windowSize - height % windowSize) % windowSize;
        long padRight = (windowSize - width % windowSize) % windowSize;
        var x = nn.functional.pad(input, [0, 0, 0, padRight, 0, padBottom]);
        long paddedH = x.shape[1], paddedW = x.shape[2];

        // A window that already spans the padded map sees everything; shifting would only break it up.
        long shiftY = windowSize >= paddedH ? 0 : shiftSize;
        long shiftX = windowSize >= paddedW ? 0 : shiftSize;
        var shifted = shiftY + shiftX > 0;
        if (shifted) x = x.roll([-shiftY, -shiftX], [1, 2]);

        long windowsY = paddedH / windowSize, windowsX = paddedW / windowSize, windowCount = windowsY * windowsX;
        long tokens = windowSize * windowSize;
        x = x.view(batch, windowsY, windowSize, windowsX, windowSize, channels)
            .permute(0, 1, 3, 2, 4, 5).reshape(batch * windowCount, tokens, channels);

        var headDim = channels / headCount;
        var qkvSplit = qkv.call(x).reshape(x.shape[0], tokens, 3, headCount, headDim).permute(2, 0, 3, 1, 4);
        var query = qkvSplit[0] * Math.Pow(headDim, -0.5);
        var attention = query.matmul(qkvSplit[1].transpose(-2, -1));

        var bias = relative_position_bias_table.index_select(0, relative_position_index)
            .view(tokens, tokens, headCount).permute(2, 0, 1).unsqueeze(0);
        attention = attention + bias;

        if (shifted)
        {
            var mask = ShiftMask(paddedH, paddedW, shiftY, shiftX, attention.dtype, attention.device);
            attention = (attention.view(batch, windowCount, headCount, tokens, tokens) + mask.unsqueeze(1).unsqueeze(0))
                .view(-1, headCount, tokens, tokens);
        }

        attention = nn.functional.softmax(attention, -1);
        attention = nn.functional.dropout(attention, attentionDropout, training);
        x = attention.matmul(qkvSplit[2]).transpose(1, 2).reshape(x.shape[0], tokens, channels);
        x = nn.functional.dropout(proj.call(x), dropout, training);

        x = x.view(batch, windowsY, windowsX, windowSize, windowSize, channels)
            .permute(0, 1, 3, 2, 4, 5).reshape(batch, paddedH, paddedW, channels);
        if (shifted) x = x.roll([shiftY, shiftX], [1, 2]);
        return x[TensorIndex.Colon, TensorIndex.Slice(0, height), TensorIndex.Slice(0, width)].contiguous();
    }

    /// <summary>
    /// [windows x tokens x tokens]: -100 between tokens that came from different regions of the unshifted map
    /// (torchvision's three row x three column slices), 0 within a region.
    /// </summary>
    private Tensor ShiftMask(long paddedH, long paddedW, long shiftY, long shiftX, ScalarType dtype, Device device)
    {
        var region = new int[paddedH * paddedW];
        for (long row = 0; row < paddedH; row++)
            for (long col = 0; col < paddedW; col++)
            {
                var rowBand = RegionBand(row, paddedH, shiftY);
                var colBand = RegionBand(col, paddedW, shiftX);
                region[row * paddedW + col] = rowBand * 3 + colBand;
            }

        long windowsX = paddedW / windowSize, tokens = windowSize * windowSize;
        var windowCount = paddedH / windowSize * windowsX;
        var mask = new float[windowCount * tokens * tokens];
        for (long w = 0; w < windowCount; w++)
        {
            long top = w / windowsX * windowSize, left = w % windowsX * windowSize;
            for (long q = 0; q < tokens; q++)
                for (long k = 0; k < tokens; k++)
                {
                    var regionQ = region[(top + q / windowSize) * paddedW + left + q % windowSize];
                    var regionK = region[(top + k / windowSize) * paddedW + left + k % windowSize];
                    mask[(w * tokens + q) * tokens + k] = regionQ == regionK ? 0f : -100f;
                }
        }
        return tensor(mask).view(windowCount, tokens, tokens).to(dtype).to(device);
    }

    // torchvision's slices (0, -window), (-window, -shift), (-shift, None) along one axis.
    private int RegionBand(long position, long length, long shift)
    {
        if (position < length - windowSize) return 0;
        return position < length - shift ? 1 : 2;
    }
}
