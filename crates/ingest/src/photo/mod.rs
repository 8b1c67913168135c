//! Reading photos: the format from the file's signature, the content hash,
//! the EXIF metadata that matters for an inspection (capture time with
//! sub-seconds and offset, GPS position and altitude, camera, orientation),
//! the pixel size, and the two copies Voussoir keeps: a thumbnail (256 px)
//! and a review copy (about 2048 px), both JPEG with orientation applied.
//!
//! JPEGs are decoded at reduced scale in the DCT domain (1/2, 1/4, 1/8), as
//! libvips' shrink-on-load does: a 12-megapixel photo is never decoded in
//! full to make a 2-megapixel copy. Declared sizes are checked before any
//! pixel is decoded, so a decompression bomb is refused cheaply.
//!
//! `exif` reads the metadata, `previews` makes the copies; this module
//! identifies the file and reads it.

mod exif;
mod previews;

use std::io::Cursor;
use std::path::Path;

use image::ImageFormat;
use voussoir_core::LonLat;

use crate::{read_file, IngestError};

pub use self::exif::read_metadata;
pub use previews::{make_previews, make_review_copy, make_thumbnail};
pub use voussoir_core::photo::parse_utc_offset as parse_offset;

/// Longest side of the review copy, in pixels.
pub const REVIEW_SIZE: u32 = 2048;
/// Longest side of the thumbnail, in pixels.
pub const THUMBNAIL_SIZE: u32 = 256;
/// Largest picture accepted, in pixels (a 150-megapixel camera still fits).
pub const MAX_PIXELS: u64 = 150_000_000;

/// The image formats Voussoir recognises by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoFormat {
    Jpeg,
    Png,
    Tiff,
    WebP,
    /// HEIC/HEIF: metadata is read, but no preview can be made.
    Heif,
}

impl PhotoFormat {
    pub fn name(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "JPEG",
            PhotoFormat::Png => "PNG",
            PhotoFormat::Tiff => "TIFF",
            PhotoFormat::WebP => "WebP",
            PhotoFormat::Heif => "HEIF",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "jpg",
            PhotoFormat::Png => "png",
            PhotoFormat::Tiff => "tif",
            PhotoFormat::WebP => "webp",
            PhotoFormat::Heif => "heic",
        }
    }
}

/// What the EXIF block says, as far as an inspection cares.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhotoMetadata {
    /// DateTimeOriginal with SubSecTimeOriginal folded in: the camera's
    /// local clock, no time zone.
    pub camera_time: Option<jiff::civil::DateTime>,
    /// OffsetTimeOriginal, when the camera wrote it.
    pub offset: Option<jiff::tz::Offset>,
    /// The position from the EXIF GPS block, when usable.
    pub gps: Option<LonLat>,
    pub altitude_m: Option<f64>,
    /// GPSHPositioningError, metres.
    pub gps_accuracy_m: Option<f64>,
    pub make: Option<String>,
    pub model: Option<String>,
    /// EXIF orientation, 1 to 8.
    pub orientation: u16,
    /// Why the time or position is missing though a tag was there.
    pub notes: Vec<String>,
}

/// A photo file read and identified.
#[derive(Debug, Clone)]
pub struct PhotoRead {
    pub format: PhotoFormat,
    /// BLAKE3 of the file's bytes, hex.
    pub hash: String,
    pub bytes: Vec<u8>,
    pub metadata: PhotoMetadata,
    /// Stored pixel size (before orientation).
    pub width: u32,
    pub height: u32,
}

/// The copies made for the field book.
#[derive(Debug, Clone)]
pub struct Previews {
    pub thumbnail_jpeg: Vec<u8>,
    pub review_jpeg: Vec<u8>,
    pub review_width: u32,
    pub review_height: u32,
}

/// Recognises an image format from the first bytes of a file.
pub fn detect_format(bytes: &[u8]) -> Result<PhotoFormat, String> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(PhotoFormat::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(PhotoFormat::Png);
    }
    if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        return Ok(PhotoFormat::Tiff);
    }
    if bytes.starts_with(b"II+\0") || bytes.starts_with(b"MM\0+") {
        return Err("a BigTIFF file, which is not supported".to_string());
    }
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Ok(PhotoFormat::WebP);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [
            b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"hevx",
        ]
        .iter()
        .any(|known| brand == *known)
        {
            return Ok(PhotoFormat::Heif);
        }
        if brand == b"avif" {
            return Err("an AVIF image, which is not supported".to_string());
        }
        return Err(format!(
            "an ISO media file of brand `{}`, not a photo",
            String::from_utf8_lossy(brand)
        ));
    }
    if bytes.starts_with(&[0, 0, 0, 0x0C, b'j', b'P', b' ', b' ']) {
        return Err("a JPEG 2000 file, which is not supported".to_string());
    }
    if bytes.len() < 16 {
        return Err(format!("only {} bytes: not a photo", bytes.len()));
    }
    let looks_like_text = bytes
        .iter()
        .take(256)
        .all(|byte| byte.is_ascii_graphic() || byte.is_ascii_whitespace());
    if looks_like_text {
        return Err("a text file, not a photo".to_string());
    }
    Err("not a JPEG, PNG, TIFF, WebP or HEIC photo (unknown signature)".to_string())
}

/// Reads a photo file: format, hash, metadata and pixel size. The pixels
/// themselves are decoded later, by [`make_previews`].
pub fn read_photo(path: &Path) -> Result<PhotoRead, IngestError> {
    let bytes = read_file(path)?;
    read_photo_bytes(path, bytes)
}

/// Reads a photo already in memory (an upload); `path` names it in errors.
/// The format is checked from the content, whatever the sender claimed.
pub fn read_photo_bytes(path: &Path, bytes: Vec<u8>) -> Result<PhotoRead, IngestError> {
    let format = detect_format(&bytes).map_err(|reason| IngestError::new(path, reason))?;
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let metadata = read_metadata(&bytes);
    let (width, height) =
        pixel_size(&bytes, format).map_err(|reason| IngestError::new(path, reason))?;
    check_size(width, height).map_err(|reason| IngestError::new(path, reason))?;
    // Voussoir cannot decode HEIF pixels: without metadata there would be
    // nothing at all to keep.
    let nothing_read =
        metadata.camera_time.is_none() && metadata.gps.is_none() && metadata.make.is_none();
    if format == PhotoFormat::Heif && nothing_read {
        let why = metadata
            .notes
            .first()
            .cloned()
            .unwrap_or_else(|| "no EXIF block".to_string());
        return Err(IngestError::new(
            path,
            format!("a HEIF file with no readable metadata ({why}), and its pixels cannot be decoded: nothing to import; convert it to JPEG first"),
        ));
    }
    Ok(PhotoRead {
        format,
        hash,
        bytes,
        metadata,
        width,
        height,
    })
}

pub(crate) fn check_size(width: u32, height: u32) -> Result<(), String> {
    if width == 0 || height == 0 {
        return Err(format!(
            "the image declares {width} x {height} pixels: it is damaged"
        ));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(format!(
            "the image declares {width} x {height} pixels, more than the {} megapixel limit (decompression bomb?)",
            MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

fn pixel_size(bytes: &[u8], format: PhotoFormat) -> Result<(u32, u32), String> {
    match format {
        PhotoFormat::Jpeg => {
            let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
            decoder
                .read_info()
                .map_err(|error| format!("damaged JPEG: {error}"))?;
            let info = decoder.info().ok_or("damaged JPEG: no frame header")?;
            Ok((u32::from(info.width), u32::from(info.height)))
        }
        PhotoFormat::Heif => {
            heif_size(bytes).ok_or_else(|| "damaged HEIF: no image size (ispe) found".to_string())
        }
        other => {
            let reader = image::ImageReader::with_format(Cursor::new(bytes), image_format(other));
            reader
                .into_dimensions()
                .map_err(|error| format!("damaged {}: {error}", other.name()))
        }
    }
}

pub(crate) fn image_format(format: PhotoFormat) -> ImageFormat {
    match format {
        PhotoFormat::Png => ImageFormat::Png,
        PhotoFormat::Tiff => ImageFormat::Tiff,
        PhotoFormat::WebP => ImageFormat::WebP,
        _ => ImageFormat::Jpeg,
    }
}

/// The largest `ispe` (image spatial extent) property of a HEIF file: the
/// primary image's size (tiles and thumbnails are smaller).
fn heif_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let mut best: Option<(u32, u32)> = None;
    let mut start = 0;
    while let Some(found) = bytes[start..]
        .windows(4)
        .position(|window| window == b"ispe")
    {
        let at = start + found + 4;
        let field = |offset: usize| -> Option<u32> {
            let slice = bytes.get(at + offset..at + offset + 4)?;
            Some(u32::from_be_bytes(slice.try_into().ok()?))
        };
        if let (Some(width), Some(height)) = (field(4), field(8)) {
            let area = u64::from(width) * u64::from(height);
            if best.is_none_or(|(w, h)| area > u64::from(w) * u64::from(h)) {
                best = Some((width, height));
            }
        }
        start = at;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::exif::{parse_exif_datetime, subsec_nanos};
    use super::previews::encode_jpeg;
    use super::*;
    use image::DynamicImage;

    #[test]
    fn exif_dates_with_subseconds_and_placeholders() {
        let time = parse_exif_datetime("2018:06:26 17:46:33.847").expect("date");
        assert_eq!(time.to_string(), "2018-06-26T17:46:33.847");
        assert!(parse_exif_datetime("    :  :     :  :  ").is_none());
        assert!(parse_exif_datetime("0000:00:00 00:00:00").is_none());
        assert_eq!(subsec_nanos("813"), Some(813_000_000));
        assert_eq!(subsec_nanos("5"), Some(500_000_000));
    }

    #[test]
    fn offsets_in_several_spellings() {
        assert_eq!(parse_offset("+0200").map(|o| o.seconds()), Some(7200));
        assert_eq!(parse_offset("-04").map(|o| o.seconds()), Some(-14_400));
        assert_eq!(parse_offset("Z").map(|o| o.seconds()), Some(0));
    }

    #[test]
    fn signatures_name_what_the_file_really_is() {
        assert_eq!(
            detect_format(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Ok(PhotoFormat::Jpeg)
        );
        assert!(detect_format(b"hello, this is not a photo at all")
            .expect_err("text")
            .contains("text file"));
        assert!(detect_format(&[
            0, 0, 0, 0x0C, b'j', b'P', b' ', b' ', 13, 10, 0x87, 10, 0, 0, 0, 0
        ])
        .expect_err("jp2")
        .contains("JPEG 2000"));
    }

    #[test]
    fn a_generated_jpeg_gets_both_copies_with_orientation() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(3000, 1000, |x, _| {
            image::Rgb([(x % 256) as u8, 100, 50])
        }));
        let bytes = encode_jpeg(&image, 90).expect("encode");
        let mut photo = PhotoRead {
            format: PhotoFormat::Jpeg,
            hash: String::new(),
            metadata: PhotoMetadata {
                orientation: 6,
                ..PhotoMetadata::default()
            },
            width: 3000,
            height: 1000,
            bytes,
        };
        let previews = make_previews(&photo).expect("decoded").expect("previews");
        // Decoded at 1/2 (1500 x 500), then rotated a quarter turn.
        assert_eq!((previews.review_width, previews.review_height), (500, 1500));
        let thumbnail = image::load_from_memory(&previews.thumbnail_jpeg).expect("jpeg");
        assert_eq!(thumbnail.height(), THUMBNAIL_SIZE);
        photo.format = PhotoFormat::Heif;
        assert!(make_previews(&photo).expect("no error").is_none());
    }

    #[test]
    fn absurd_declared_sizes_are_refused() {
        assert!(check_size(0, 100).expect_err("zero").contains("damaged"));
        assert!(check_size(100_000, 100_000)
            .expect_err("bomb")
            .contains("decompression bomb"));
    }
}
