//! The two copies Voussoir keeps of a photo: a 256 px thumbnail and a
//! review copy (about 2048 px), both JPEG with the orientation applied.
//! JPEGs are decoded at reduced scale in the DCT domain, as libvips'
//! shrink-on-load does.

use std::io::Cursor;

use image::{DynamicImage, GenericImageView};

use super::{
    check_size, image_format, PhotoFormat, PhotoRead, Previews, MAX_PIXELS, REVIEW_SIZE,
    THUMBNAIL_SIZE,
};

/// Makes the thumbnail and review copy, orientation applied. `None` for
/// HEIF, whose pixels Voussoir cannot decode.
pub fn make_previews(photo: &PhotoRead) -> Result<Option<Previews>, String> {
    let Some(review) = decode_oriented(photo, REVIEW_SIZE)? else {
        return Ok(None);
    };
    let thumbnail = review.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    Ok(Some(Previews {
        thumbnail_jpeg: encode_jpeg(&thumbnail, 80)?,
        review_jpeg: encode_jpeg(&review, 85)?,
        review_width: review.width(),
        review_height: review.height(),
    }))
}

/// Makes the thumbnail alone, decoding no more pixels than it needs (a
/// 4000-pixel JPEG at 1/8 scale): the import's path, the review copy
/// following on first need ([`make_review_copy`]). `None` for HEIF.
pub fn make_thumbnail(photo: &PhotoRead) -> Result<Option<Vec<u8>>, String> {
    let Some(image) = decode_oriented(photo, THUMBNAIL_SIZE)? else {
        return Ok(None);
    };
    encode_jpeg(&image, 80).map(Some)
}

/// Makes the review copy alone, the same as [`make_previews`] makes it.
/// `None` for HEIF.
pub fn make_review_copy(photo: &PhotoRead) -> Result<Option<Vec<u8>>, String> {
    let Some(review) = decode_oriented(photo, REVIEW_SIZE)? else {
        return Ok(None);
    };
    encode_jpeg(&review, 85).map(Some)
}

/// The photo's pixels, orientation applied, with a long side of at most
/// `size` (JPEGs decoded at reduced DCT scale first). `None` for HEIF.
fn decode_oriented(photo: &PhotoRead, size: u32) -> Result<Option<DynamicImage>, String> {
    let image = match photo.format {
        PhotoFormat::Heif => return Ok(None),
        PhotoFormat::Jpeg => decode_jpeg_scaled(&photo.bytes, size)?,
        other => {
            let mut reader =
                image::ImageReader::with_format(Cursor::new(&photo.bytes), image_format(other));
            let mut limits = image::Limits::default();
            limits.max_image_width = Some(60_000);
            limits.max_image_height = Some(60_000);
            limits.max_alloc = Some(2 * MAX_PIXELS * 4);
            reader.limits(limits);
            reader
                .decode()
                .map_err(|error| format!("cannot decode the {}: {error}", other.name()))?
        }
    };
    let mut image = match image {
        DynamicImage::ImageRgb8(_) | DynamicImage::ImageLuma8(_) => image,
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    };
    if let Some(orientation) =
        image::metadata::Orientation::from_exif(photo.metadata.orientation as u8)
    {
        image.apply_orientation(orientation);
    }
    let (width, height) = image.dimensions();
    Ok(Some(if width.max(height) > size {
        image.resize(size, size, image::imageops::FilterType::Triangle)
    } else {
        image
    }))
}

/// Decodes a JPEG at the smallest DCT scale (1, 1/2, 1/4, 1/8) whose long
/// side still reaches seven tenths of `target`: a 4000-pixel photo is
/// decoded at 1/2 (2000 px), a 6000-pixel one at 1/4 (1500 px).
fn decode_jpeg_scaled(bytes: &[u8], target: u32) -> Result<DynamicImage, String> {
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size((MAX_PIXELS * 4) as usize);
    decoder
        .read_info()
        .map_err(|error| format!("damaged JPEG: {error}"))?;
    let info = decoder.info().ok_or("damaged JPEG: no frame header")?;
    check_size(u32::from(info.width), u32::from(info.height))?;
    let long_side = u32::from(info.width.max(info.height));
    let wanted_long = (target * 7 / 10).min(long_side);
    let scale = f64::from(wanted_long) / f64::from(long_side);
    let wanted_width = ((f64::from(info.width) * scale).ceil() as u16).max(1);
    let wanted_height = ((f64::from(info.height) * scale).ceil() as u16).max(1);
    decoder
        .scale(wanted_width, wanted_height)
        .map_err(|error| format!("damaged JPEG: {error}"))?;
    let pixels = decoder
        .decode()
        .map_err(|error| format!("damaged JPEG: {error}"))?;
    let info = decoder.info().ok_or("damaged JPEG: no frame header")?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let image = match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            image::RgbImage::from_raw(width, height, pixels).map(DynamicImage::ImageRgb8)
        }
        jpeg_decoder::PixelFormat::L8 => {
            image::GrayImage::from_raw(width, height, pixels).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::L16 => {
            let narrowed: Vec<u8> = pixels.chunks_exact(2).map(|pair| pair[0]).collect();
            image::GrayImage::from_raw(width, height, narrowed).map(DynamicImage::ImageLuma8)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|cmyk| {
                    let k = u16::from(cmyk[3]);
                    [0, 1, 2].map(|channel| ((u16::from(cmyk[channel]) * k) / 255) as u8)
                })
                .collect();
            image::RgbImage::from_raw(width, height, rgb).map(DynamicImage::ImageRgb8)
        }
    };
    image.ok_or_else(|| "damaged JPEG: pixel data shorter than its size".to_string())
}

/// Encodes with `jpeg-encoder` (SIMD where the processor has it): about
/// four times faster than the `image` crate's own encoder.
pub(super) fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
    let too_large = || {
        format!(
            "the copy is too large to encode: {} x {}",
            image.width(),
            image.height()
        )
    };
    let width = u16::try_from(image.width()).map_err(|_| too_large())?;
    let height = u16::try_from(image.height()).map_err(|_| too_large())?;
    let mut out = Vec::new();
    let encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    let result = match image {
        DynamicImage::ImageLuma8(gray) => {
            encoder.encode(gray.as_raw(), width, height, jpeg_encoder::ColorType::Luma)
        }
        DynamicImage::ImageRgb8(rgb) => {
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
        other => {
            let rgb = other.to_rgb8();
            encoder.encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
        }
    };
    result.map_err(|error| format!("cannot write the JPEG copy: {error}"))?;
    Ok(out)
}
