namespace SonoSynth.Diffusion.Networks;

/// <summary>
/// Exact parameter counts from a config, without allocating the network (the paper-scale U-Net has ~420 M parameters).
/// Mirrors the layer list of <see cref="UNetModel"/> / <see cref="NoiseAwareClassifier"/>; tests check it against
/// built modules on small configs.
/// </summary>
public static class ParameterCounts
{
    private static long Conv(long inCh, long outCh, long kernel) => inCh * outCh * kernel * kernel + outCh;
    private static long Linear(long inCh, long outCh) => inCh * outCh + outCh;
    private static long GroupNorm(long ch) => 2 * ch;
    private static long Attention(long ch) => GroupNorm(ch) + Conv(ch, 3 * ch, 1) + Conv(ch, ch, 1);

    private static long Res(long ch, long embedding, long outCh, bool scaleShift) =>
        GroupNorm(ch) + Conv(ch, outCh, 3) + Linear(embedding, scaleShift ? 2 * outCh : outCh) + GroupNorm(outCh) +
        Conv(outCh, outCh, 3) + (outCh != ch ? Conv(ch, outCh, 1) : 0);

    public static long Of(UNetConfig c)
    {
        long mc = c.ModelChannels, emb = c.TimeEmbeddingChannels;
        var rates = c.AttentionDownsampleRates;
        long n = Linear(mc, emb) + Linear(emb, emb) + (long)c.LabelEmbeddingRows * emb;
        long ch = c.ChannelsAt(0), inputChannels = ch;
        n += Conv(c.InChannels, ch, 3);
        var skips = new Stack<long>();
        skips.Push(ch);
        int rate = 1;
        for (int level = 0; level < c.ChannelMultipliers.Length; level++)
        {
            for (int b = 0; b < c.ResBlocksPerLevel; b++)
            {
                n += Res(ch, emb, c.ChannelsAt(level), c.UseScaleShiftNorm);
                ch = c.ChannelsAt(level);
                if (rates.Contains(rate)) n += Attention(ch);
                skips.Push(ch);
            }
            if (level != c.ChannelMultipliers.Length - 1)
            {
                n += c.ResBlockUpDown ? Res(ch, emb, ch, c.UseScaleShiftNorm) : c.ConvResample ? Conv(ch, ch, 3) : 0;
                skips.Push(ch);
                rate *= 2;
            }
        }
        n += 2 * Res(ch, emb, ch, c.UseScaleShiftNorm) + Attention(ch);
        for (int level = c.ChannelMultipliers.Length - 1; level >= 0; level--)
        {
            for (int b = 0; b <= c.ResBlocksPerLevel; b++)
            {
                n += Res(ch + skips.Pop(), emb, c.ChannelsAt(level), c.UseScaleShiftNorm);
                ch = c.ChannelsAt(level);
                if (rates.Contains(rate)) n += Attention(ch);
                if (level > 0 && b == c.ResBlocksPerLevel)
                {
                    n += c.ResBlockUpDown ? Res(ch, emb, ch, c.UseScaleShiftNorm) : c.ConvResample ? Conv(ch, ch, 3) : 0;
                    rate /= 2;
                }
            }
        }
        return n + GroupNorm(ch) + Conv(inputChannels, c.OutChannels, 3);
    }

    public static long Of(NoiseClassifierConfig c)
    {
        long mc = c.ModelChannels, emb = c.TimeEmbeddingChannels;
        var rates = c.AttentionDownsampleRates;
        long n = Linear(mc, emb) + Linear(emb, emb);
        long ch = c.ChannelsAt(0), featureSize = ch;
        n += Conv(c.InChannels, ch, 3);
        int rate = 1;
        for (int level = 0; level < c.ChannelMultipliers.Length; level++)
        {
            for (int b = 0; b < c.ResBlocksPerLevel; b++)
            {
                n += Res(ch, emb, c.ChannelsAt(level), c.UseScaleShiftNorm);
                ch = c.ChannelsAt(level);
                if (rates.Contains(rate)) n += Attention(ch);
                featureSize += ch;
            }
            if (level != c.ChannelMultipliers.Length - 1)
            {
                n += c.ResBlockUpDown ? Res(ch, emb, ch, c.UseScaleShiftNorm) : Conv(ch, ch, 3);
                rate *= 2;
                featureSize += ch;
            }
        }
        n += 2 * Res(ch, emb, ch, c.UseScaleShiftNorm) + Attention(ch);
        featureSize += ch;
        long spatial = c.ImageSize / rate, hidden = NoiseAwareClassifier.SpatialHiddenChannels;
        return n + c.Pool switch
        {
            ClassifierPool.Adaptive => GroupNorm(ch) + Conv(ch, c.ClassCount, 1),
            ClassifierPool.Attention => GroupNorm(ch) + ch * (spatial * spatial + 1) + Conv(ch, 3 * ch, 1) + Conv(ch, c.ClassCount, 1),
            ClassifierPool.Spatial => Linear(featureSize, hidden) + Linear(hidden, c.ClassCount),
            ClassifierPool.SpatialV2 => Linear(featureSize, hidden) + GroupNorm(hidden) + Linear(hidden, c.ClassCount),
            _ => throw new ArgumentOutOfRangeException(nameof(c)),
        };
    }
}
