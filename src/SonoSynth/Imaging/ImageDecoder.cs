using SkiaSharp;
using static TorchSharp.torch;

namespace SonoSynth.Imaging;

/// <summary>
/// The one decoder of image files: PNG or JPEG of any bit depth (8/16), colour type (gray, gray+alpha, RGB, RGBA) and
/// size, converted and resized as a named <see cref="DecodePolicy"/> says (<see cref="DecodePolicy.Training"/>: the
/// paper's grayscale 128×128; <see cref="DecodePolicy.PytorchFid"/>: RGB at the file's size). Gray is ITU-R 601 luma
/// exactly as PIL's <c>convert('L')</c> computes it; alpha is ignored, as PIL does.
/// Every failure is an <see cref="InputError"/> that names the file and says what to do.
/// </summary>
public static class ImageDecoder
{
    /// <summary>Larger sides are refused before decoding: a 20,000 px side is no ultrasound frame, and decoding it could exhaust memory.</summary>
    public const int MaxSide = 20_000;
    /// <summary>RGBA decoding costs 4 bytes a pixel; 100 Mpx is 400 MB.</summary>
    public const long MaxPixels = 100_000_000;

    /// <summary>Decodes <paramref name="path"/> to gray, resized as the gray <paramref name="policy"/> says.</summary>
    public static GrayImage DecodeGray(string path, DecodePolicy policy) => DecodeGrayBytes(ReadFile(path), path, policy);

    /// <summary>Decodes encoded PNG/JPEG bytes as the gray <paramref name="policy"/> says; <paramref name="name"/> is used in error messages.</summary>
    public static GrayImage DecodeGrayBytes(byte[] bytes, string name, DecodePolicy policy)
    {
        RequireColor(policy, PixelColor.Gray);
        var (rgba, width, height) = DecodeRgba(bytes, name);
        var gray = new byte[width * height];
        for (int i = 0, j = 0; i < gray.Length; i++, j += 4)
            gray[i] = Luma(rgba[j], rgba[j + 1], rgba[j + 2]);
        return Fit(new GrayImage(gray, width, height), policy);
    }

    /// <summary>
    /// Resizes a gray image decoded under <see cref="DecodePolicy.NativeGray"/> as <paramref name="policy"/> says (nothing
    /// to do at the policy's size): for callers that need one decode at several sizes, or the file's own size too.
    /// </summary>
    public static GrayImage Fit(GrayImage image, DecodePolicy policy)
    {
        RequireColor(policy, PixelColor.Gray);
        return policy.Size is not int size || (image.Width == size && image.Height == size) ? image
            : new GrayImage(Resize(image.Pixels, image.Width, image.Height, size, policy.Mipmaps), size, size);
    }

    /// <summary>Decodes <paramref name="path"/> to 8-bit RGB under an RGB <paramref name="policy"/>: row-major, channels interleaved.</summary>
    public static (byte[] Rgb, int Width, int Height) DecodeRgb(string path, DecodePolicy policy)
    {
        RequireColor(policy, PixelColor.Rgb);
        // No RGB resize exists: the only RGB policy (pytorch-fid) keeps the file's size.
        if (policy.Size is not null) throw new NotSupportedException($"Decode policy '{policy.Name}' resizes RGB, which this decoder does not do.");
        var (rgba, width, height) = DecodeRgba(ReadFile(path), path);
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; j < rgba.Length; i += 3, j += 4)
        {
            rgb[i] = rgba[j];
            rgb[i + 1] = rgba[j + 1];
            rgb[i + 2] = rgba[j + 2];
        }
        return (rgb, width, height);
    }

    /// <summary>
    /// Float [C x H x W] in [0, 1] (torchvision's ToTensor: byte / 255) under <paramref name="policy"/>: C = 1 for gray
    /// policies, 3 for RGB; H x W is the policy's size, or the file's.
    /// </summary>
    public static Tensor Load(string path, DecodePolicy policy)
    {
        if (policy.Color == PixelColor.Gray)
        {
            var (gray, width, height) = DecodeGray(path, policy);
            return tensor(gray, [1, height, width], dtype: ScalarType.Byte).to_type(ScalarType.Float32).div_(255f);
        }
        var (rgb, rgbWidth, rgbHeight) = DecodeRgb(path, policy);
        using var scope = NewDisposeScope();
        return tensor(rgb, [rgbHeight, rgbWidth, 3], dtype: ScalarType.Byte).permute(2, 0, 1).to_type(ScalarType.Float32).div_(255f)
            .MoveToOuterDisposeScope();
    }

    private static void RequireColor(DecodePolicy policy, PixelColor color)
    {
        if (policy.Color != color)
            throw new ArgumentException($"Decode policy '{policy.Name}' gives {policy.Color}, not {color}; use {nameof(Load)} or the matching Decode method.");
    }

    /// <summary>The file's bytes, with an <see cref="InputError"/> that says what to do when it is missing, unreadable or empty.</summary>
    private static byte[] ReadFile(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new InputError($"Image '{path}' is missing. Restore the file, or pass --skip-bad to leave it out."); }
        catch (DirectoryNotFoundException) { throw new InputError($"Image '{path}' is missing (its folder does not exist). Restore it, or pass --skip-bad to leave it out."); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        { throw new InputError($"Cannot read image '{path}': {e.Message} Check the file's permissions, or pass --skip-bad to leave it out.", e); }
        if (bytes.Length == 0)
            throw new InputError($"Image '{path}' is an empty (zero-byte) file, probably from an interrupted copy. Copy it again, or pass --skip-bad to leave it out.");
        return bytes;
    }

    /// <summary>
    /// Encoded PNG/JPEG bytes → unpremultiplied 8-bit RGBA at full resolution (gray replicated, alpha as stored), with
    /// the size limits and <see cref="InputError"/>s of this decoder.
    /// </summary>
    private static (byte[] Rgba, int Width, int Height) DecodeRgba(byte[] bytes, string name)
    {
        var stream = new SKMemoryStream(bytes);
        using var codec = SKCodec.Create(stream, out var createResult); // the codec owns and disposes the stream
        if (codec is null) stream.Dispose();
        if (codec is null)
            throw new InputError($"Image '{name}' is not a readable PNG or JPEG ({createResult}); the file is corrupt or in another format. " +
                "Re-export it as PNG, or pass --skip-bad to leave it out.");
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0)
            throw new InputError($"Image '{name}' reports an empty size {width}x{height}; the file is corrupt. Replace it, or pass --skip-bad.");
        if (width > MaxSide || height > MaxSide || (long)width * height > MaxPixels)
            throw new InputError($"Image '{name}' is {width}x{height} pixels, larger than SonoSynth accepts (at most {MaxSide} px a side and " +
                $"{MaxPixels / 1_000_000} Mpx). Downscale it before use, or pass --skip-bad to leave it out.");

        // Unpremultiplied RGBA keeps the stored colour of translucent pixels, which is what PIL converts.
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[(long)width * height * 4];
        SKCodecResult result;
        unsafe
        {
            fixed (byte* pointer = rgba)
                result = codec.GetPixels(info, (IntPtr)pointer);
        }
        if (result == SKCodecResult.IncompleteInput || result == SKCodecResult.ErrorInInput)
            throw new InputError($"Image '{name}' is truncated or damaged ({result}). Copy it again from the source, or pass --skip-bad to leave it out.");
        if (result != SKCodecResult.Success)
            throw new InputError($"Image '{name}' could not be decoded ({result}). Re-export it as an 8- or 16-bit PNG, or pass --skip-bad.");
        return (rgba, width, height);
    }

    /// <summary>The message of a decode error without its <c>--skip-bad</c> advice, for callers that have no such option.</summary>
    public static string WithoutSkipAdvice(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @",? or pass --skip-bad( to leave it out)?\.", ".");

    /// <summary>PIL's <c>L = R·299/1000 + G·587/1000 + B·114/1000</c>, in its fixed-point form (weights sum to 2^16, rounded).</summary>
    public static byte Luma(byte red, byte green, byte blue) =>
        (byte)((red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16);

    /// <summary>
    /// Resizes 8-bit gray to size×size, bilinear. With <paramref name="mipmaps"/> the filter runs over mipmaps, so large
    /// downscales average the source (as PIL's antialiased resize does) instead of aliasing speckle.
    /// </summary>
    public static byte[] Resize(byte[] gray, int width, int height, int size, bool mipmaps = true)
    {
        var sourceInfo = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        var targetInfo = new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque);
        var target = new byte[size * size];
        unsafe
        {
            fixed (byte* source = gray)
            fixed (byte* destination = target)
            {
                using var sourcePixmap = new SKPixmap(sourceInfo, (IntPtr)source, width);
                using var targetPixmap = new SKPixmap(targetInfo, (IntPtr)destination, size);
                var sampling = new SKSamplingOptions(SKFilterMode.Linear, mipmaps ? SKMipmapMode.Linear : SKMipmapMode.None);
                if (!sourcePixmap.ScalePixels(targetPixmap, sampling))
                    throw new InvalidOperationException($"Resizing a {width}x{height} image to {size}x{size} failed.");
            }
        }
        return target;
    }
}
