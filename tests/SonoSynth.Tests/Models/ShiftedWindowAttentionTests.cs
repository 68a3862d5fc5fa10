using SonoSynth.Models;
using static TorchSharp.torch;

namespace SonoSynth.Tests.Models;

/// <summary>Swin's windowing rules, checked through which outputs a change to one token can reach.</summary>
public class ShiftedWindowAttentionTests
{
    private static Tensor Influence(ShiftedWindowAttention attention, long size, long row, long col)
    {
        using var noGrad = no_grad();
        var x = randn(new long[] { 1, size, size, 12 }, generator: new Generator(4));
        var perturbed = x.clone();
        perturbed[0, row, col] += 1.0f;
        // [size x size]: true where the output moved.
        return (attention.call(perturbed) - attention.call(x)).abs().sum(-1)[0] > 1e-6;
    }

    [Fact]
    public void UnshiftedWindowsDoNotSeeEachOther()
    {
        manual_seed(1);
        using var attention = new ShiftedWindowAttention(12, 7, 0, 3);
        var moved = Influence(attention, 14, 0, 0);
        Assert.True(moved[..7, ..7].all().item<bool>());
        Assert.Equal(49, moved.sum().item<long>());
    }

    [Fact]
    public void ShiftMaskSeparatesRegionsThatWrapIntoOneWindow()
    {
        // Shift 3 on 14x14: rows/cols 11..13 wrap around next to rows/cols 0..3 in one window, but come from the
        // opposite border of the image, so the -100 mask keeps them apart: (0,0) reaches (1,1), never (13,13).
        manual_seed(1);
        using var attention = new ShiftedWindowAttention(12, 7, 3, 3);
        var moved = Influence(attention, 14, 0, 0);
        Assert.True(moved[1, 1].item<bool>());
        Assert.False(moved[13, 13].item<bool>());
        Assert.False(moved[0, 13].item<bool>());
        Assert.False(moved[13, 0].item<bool>());
        // After the shift, (0,0)'s window holds original rows/cols 10..13 (masked off) and 0..2 only.
        Assert.False(moved[3, 3].item<bool>());
        Assert.Equal(9, moved.sum().item<long>());
    }

    [Fact]
    public void NoShiftWhenOneWindowCoversThePaddedMap()
    {
        // A 4x4 map pads to 7x7 = one window, so torchvision drops the shift: shifted and unshifted layers agree.
        manual_seed(1);
        using var shifted = new ShiftedWindowAttention(12, 7, 3, 3);
        using var plain = new ShiftedWindowAttention(12, 7, 0, 3);
        plain.load_state_dict(shifted.state_dict());
        using var noGrad = no_grad();
        var x = randn(2, 4, 4, 12);
        var output = shifted.call(x);
        Assert.Equal(new long[] { 2, 4, 4, 12 }, output.shape);
        Assert.True(output.allclose(plain.call(x)));
    }
}
