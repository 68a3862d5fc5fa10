using SonoSynth.Diffusion.Schedules;
using Xunit;

namespace SonoSynth.Tests.Diffusion;

/// <summary>Expected lists are guided-diffusion's space_timesteps outputs, worked out from its algorithm.</summary>
public class TimestepRespacingTests
{
    [Fact]
    public void Ddim50_takes_every_20th_step()
    {
        Assert.Equal(Enumerable.Range(0, 50).Select(i => 20 * i), TimestepRespacing.Select(1000, "ddim50"));
    }

    [Fact]
    public void Sections_split_the_range_and_round_half_to_even()
    {
        // Sections of 334, 333, 333 steps; stride 333/9 = 37, then 332/9 = 36.89, with round() on the fractional positions.
        int[] expected = [0, 37, 74, 111, 148, 185, 222, 259, 296, 333, 334, 371, 408, 445, 482, 518, 555, 592, 629, 666,
            667, 704, 741, 778, 815, 851, 888, 925, 962, 999];
        Assert.Equal(expected, TimestepRespacing.Select(1000, "10,10,10"));
        int[] expected25 = [0, 42, 83, 125, 166, 208, 250, 291, 333, 375, 416, 458, 500, 541, 583, 624, 666, 708, 749, 791,
            832, 874, 916, 957, 999];
        Assert.Equal(expected25, TimestepRespacing.Select(1000, "25"));
    }

    [Fact]
    public void Count_250_keeps_250_steps_including_both_ends()
    {
        var kept = TimestepRespacing.Select(1000, "250");
        Assert.Equal(250, kept.Length);
        Assert.Equal(0, kept[0]);
        Assert.Equal(999, kept[^1]);
        Assert.Equal(169, kept[42]); // the first place where the 999/249 stride rounds up
    }

    [Fact]
    public void Respaced_schedule_keeps_alpha_bar_and_maps_to_original_steps()
    {
        var full = NoiseSchedule.Create(NoiseScheduleKind.Linear, 1000);
        var spaced = full.Respace("ddim50");
        Assert.Equal(50, spaced.Count);
        Assert.Equal(980, spaced.OriginalTimesteps[49]);
        for (int i = 0; i < 50; i++) Assert.Equal(full.AlphasCumprod[20 * i], spaced.AlphasCumprod[i], 14);
        Assert.Equal(0.006165187946595374, spaced.Betas[1], 14);
        Assert.Equal(0.3246144475291255, spaced.Betas[49], 13);
    }

    [Fact]
    public void Impossible_specs_are_refused_with_a_hint()
    {
        var error = Assert.Throws<ArgumentException>(() => TimestepRespacing.Select(1000, "ddim999"));
        Assert.Contains("ddim999", error.Message);
        Assert.Throws<ArgumentException>(() => TimestepRespacing.Select(10, "20"));
        Assert.Throws<ArgumentException>(() => TimestepRespacing.Select(1000, "abc"));
    }
}
