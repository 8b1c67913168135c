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

use std::io::Cursor;
use std::path::Path;

use image::{DynamicImage, GenericImageView, ImageFormat};
use voussoir_core::LonLat;

use crate::{read_file, IngestError};

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

fn check_size(width: u32, height: u32) -> Result<(), String> {
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

fn image_format(format: PhotoFormat) -> ImageFormat {
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

fn ascii(field: &exif::Field) -> Option<String> {
    match &field.value {
        exif::Value::Ascii(parts) => {
            let text = parts
                .iter()
                .map(|part| String::from_utf8_lossy(part).into_owned())
                .collect::<Vec<_>>()
                .join(" ");
            let text = text
                .trim_matches(|c: char| c == '\0' || c.is_whitespace())
                .to_string();
            (!text.is_empty()).then_some(text)
        }
        _ => None,
    }
}

fn rationals(field: &exif::Field) -> Option<Vec<f64>> {
    match &field.value {
        exif::Value::Rational(values) => Some(values.iter().map(|value| value.to_f64()).collect()),
        exif::Value::SRational(values) => Some(values.iter().map(|value| value.to_f64()).collect()),
        // Some phones write degrees as text, e.g. "52,00000,50,00000,34,01180":
        // read the numbers in order, as exiftool does.
        exif::Value::Ascii(_) => {
            let text = ascii(field)?;
            let numbers: Vec<f64> = text
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .filter(|part| !part.is_empty())
                .filter_map(|part| part.parse().ok())
                .collect();
            (!numbers.is_empty()).then_some(numbers)
        }
        _ => None,
    }
}

fn first_number(field: &exif::Field) -> Option<f64> {
    match &field.value {
        exif::Value::Byte(values) => values.first().map(|value| f64::from(*value)),
        exif::Value::Short(values) => values.first().map(|value| f64::from(*value)),
        exif::Value::Long(values) => values.first().map(|value| f64::from(*value)),
        _ => rationals(field).and_then(|values| values.first().copied()),
    }
}

fn degrees(values: &[f64]) -> Option<f64> {
    let value = match values {
        [degrees] => *degrees,
        [degrees, minutes] => degrees + minutes / 60.0,
        [degrees, minutes, seconds, ..] => degrees + minutes / 60.0 + seconds / 3600.0,
        [] => return None,
    };
    value.is_finite().then_some(value)
}

/// Parses `2016:09:28 18:18:05`, also with `.847` sub-seconds or `-` date
/// separators; blank or all-zero placeholders give `None`.
fn parse_exif_datetime(text: &str) -> Option<jiff::civil::DateTime> {
    let text = text.trim();
    let (date, time) = text.split_once([' ', 'T'])?;
    let mut date_parts = date
        .split([':', '-'])
        .map(|part| part.trim().parse::<i32>().ok());
    let year = date_parts.next()??;
    let month = date_parts.next()??;
    let day = date_parts.next()??;
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let mut clock_parts = clock.split(':').map(|part| part.trim().parse::<i32>().ok());
    let hour = clock_parts.next()??;
    let minute = clock_parts.next()??;
    let second = clock_parts.next().flatten().unwrap_or(0);
    let nanos = fraction.and_then(subsec_nanos).unwrap_or(0);
    jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second.min(59)).ok()?,
        nanos,
    )
    .ok()
}

/// `813` → 813 000 000 ns; `5` → 500 000 000 ns.
fn subsec_nanos(digits: &str) -> Option<i32> {
    let digits: String = digits
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    if digits.is_empty() {
        return None;
    }
    let padded = format!("{digits:0<9}");
    padded.parse().ok()
}

/// Reads the EXIF fields Voussoir uses. Damaged EXIF yields what could be
/// read plus notes; no EXIF at all yields empty metadata.
pub fn read_metadata(bytes: &[u8]) -> PhotoMetadata {
    let mut metadata = PhotoMetadata {
        orientation: 1,
        ..PhotoMetadata::default()
    };
    let mut reader = exif::Reader::new();
    reader.continue_on_error(true);
    let mut result = reader.read_from_container(&mut Cursor::new(bytes));
    // Some cameras store the EXIF or GPS pointer as a signed or short
    // integer; strict readers then lose the whole GPS block. Retry with the
    // pointer types mended, as exiftool reads them.
    if matches!(&result, Err(exif::Error::PartialResult(_))) {
        if let Some(mended) = jpeg_exif_segment(bytes).and_then(mend_pointer_types) {
            if let Ok(exif) = reader.read_raw(mended) {
                result = Ok(exif);
            }
        }
    }
    let exif = match result {
        Ok(exif) => exif,
        Err(exif::Error::PartialResult(partial)) => {
            let (exif, errors) = partial.into_inner();
            if let Some(first) = errors.first() {
                metadata.notes.push(format!("EXIF partly damaged: {first}"));
            }
            exif
        }
        Err(exif::Error::NotFound(_)) => return metadata,
        Err(error) => {
            metadata.notes.push(format!("EXIF unreadable: {error}"));
            return metadata;
        }
    };
    let field = |tag: exif::Tag| exif.get_field(tag, exif::In::PRIMARY);

    metadata.make = field(exif::Tag::Make).and_then(ascii);
    metadata.model = field(exif::Tag::Model).and_then(ascii);
    metadata.orientation = field(exif::Tag::Orientation)
        .and_then(first_number)
        .map(|value| value as u16)
        .filter(|value| (1..=8).contains(value))
        .unwrap_or(1);

    if let Some(text) = field(exif::Tag::DateTimeOriginal).and_then(ascii) {
        match parse_exif_datetime(&text) {
            Some(mut time) => {
                if let Some(nanos) = field(exif::Tag::SubSecTimeOriginal)
                    .and_then(ascii)
                    .and_then(|digits| subsec_nanos(&digits))
                {
                    if time.subsec_nanosecond() == 0 {
                        time = time.with().subsec_nanosecond(nanos).build().unwrap_or(time);
                    }
                }
                metadata.camera_time = Some(time);
            }
            None => metadata
                .notes
                .push(format!("DateTimeOriginal `{text}` is not a date")),
        }
    }
    if let Some(text) = field(exif::Tag::OffsetTimeOriginal).and_then(ascii) {
        match parse_offset(&text) {
            Some(offset) => metadata.offset = Some(offset),
            None => metadata
                .notes
                .push(format!("OffsetTimeOriginal `{text}` is not an offset")),
        }
    }

    let latitude = field(exif::Tag::GPSLatitude)
        .and_then(rationals)
        .and_then(|values| degrees(&values));
    let longitude = field(exif::Tag::GPSLongitude)
        .and_then(rationals)
        .and_then(|values| degrees(&values));
    let latitude_ref = field(exif::Tag::GPSLatitudeRef).and_then(ascii);
    let longitude_ref = field(exif::Tag::GPSLongitudeRef).and_then(ascii);
    match (
        latitude,
        longitude,
        latitude_ref.as_deref(),
        longitude_ref.as_deref(),
    ) {
        (Some(lat), Some(lon), Some(lat_ref), Some(lon_ref)) => {
            let lat = if lat_ref.starts_with('S') { -lat } else { lat };
            let lon = if lon_ref.starts_with('W') { -lon } else { lon };
            match LonLat::new(lon, lat) {
                Ok(position) => metadata.gps = Some(position),
                Err(_) => metadata
                    .notes
                    .push(format!("EXIF GPS {lat}, {lon} is out of range")),
            }
        }
        (Some(_), Some(_), _, _) => metadata
            .notes
            .push("EXIF GPS has no N/S or E/W reference".to_string()),
        _ => {}
    }
    metadata.altitude_m = field(exif::Tag::GPSAltitude)
        .and_then(first_number)
        .map(|altitude| {
            let below = field(exif::Tag::GPSAltitudeRef)
                .and_then(first_number)
                .is_some_and(|reference| reference == 1.0);
            if below {
                -altitude
            } else {
                altitude
            }
        });
    metadata.gps_accuracy_m = field(exif::Tag::GPSHPositioningError).and_then(first_number);
    metadata
}

/// The TIFF structure inside a JPEG's `Exif` APP1 segment.
fn jpeg_exif_segment(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        if marker == 0xDA || marker == 0xD9 {
            return None;
        }
        let length = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        let body = bytes.get(at + 4..at + 2 + length)?;
        if marker == 0xE1 && body.starts_with(b"Exif\0\0") {
            return Some(body[6..].to_vec());
        }
        at += 2 + length;
    }
    None
}

/// Rewrites the type of the EXIF, GPS and interoperability pointers of
/// IFD0 to LONG when a camera wrote them as SLONG or SHORT.
fn mend_pointer_types(mut tiff: Vec<u8>) -> Option<Vec<u8>> {
    let big_endian = match tiff.get(0..2)? {
        b"MM" => true,
        b"II" => false,
        _ => return None,
    };
    let read16 = |data: &[u8], at: usize| -> Option<u16> {
        let pair: [u8; 2] = data.get(at..at + 2)?.try_into().ok()?;
        Some(if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        })
    };
    let read32 = |data: &[u8], at: usize| -> Option<u32> {
        let quad: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(quad)
        } else {
            u32::from_le_bytes(quad)
        })
    };
    let ifd = usize::try_from(read32(&tiff, 4)?).ok()?;
    let entries = usize::from(read16(&tiff, ifd)?);
    let mut changed = false;
    for index in 0..entries.min(512) {
        let entry = ifd + 2 + index * 12;
        let tag = read16(&tiff, entry)?;
        let kind = read16(&tiff, entry + 2)?;
        if matches!(tag, 0x8769 | 0x8825 | 0xA005) && (kind == 9 || kind == 3) {
            let long: u16 = 4;
            let bytes = if big_endian {
                long.to_be_bytes()
            } else {
                long.to_le_bytes()
            };
            if kind == 3 {
                // A SHORT value sits in the first two bytes: widen it.
                let value = u32::from(read16(&tiff, entry + 8)?);
                let wide = if big_endian {
                    value.to_be_bytes()
                } else {
                    value.to_le_bytes()
                };
                tiff.get_mut(entry + 8..entry + 12)?.copy_from_slice(&wide);
            }
            tiff.get_mut(entry + 2..entry + 4)?.copy_from_slice(&bytes);
            changed = true;
        }
    }
    changed.then_some(tiff)
}

pub use voussoir_core::photo::parse_utc_offset as parse_offset;

/// Makes the thumbnail and review copy, orientation applied. `None` for
/// HEIF, whose pixels Voussoir cannot decode.
pub fn make_previews(photo: &PhotoRead) -> Result<Option<Previews>, String> {
    let image = match photo.format {
        PhotoFormat::Heif => return Ok(None),
        PhotoFormat::Jpeg => decode_jpeg_scaled(&photo.bytes, REVIEW_SIZE)?,
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
    let review = if width.max(height) > REVIEW_SIZE {
        image.resize(
            REVIEW_SIZE,
            REVIEW_SIZE,
            image::imageops::FilterType::Triangle,
        )
    } else {
        image
    };
    let thumbnail = review.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    Ok(Some(Previews {
        thumbnail_jpeg: encode_jpeg(&thumbnail, 80)?,
        review_jpeg: encode_jpeg(&review, 85)?,
        review_width: review.width(),
        review_height: review.height(),
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
fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
