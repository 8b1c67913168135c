//! The EXIF metadata that matters for an inspection: capture time with
//! sub-seconds and offset, GPS position, altitude and accuracy, camera,
//! orientation. Lenient where cameras are sloppy (pointer types, date
//! placeholders), and every value that cannot be read becomes a note.

use std::io::Cursor;

use voussoir_core::LonLat;

use super::PhotoMetadata;

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
pub(super) fn parse_exif_datetime(text: &str) -> Option<jiff::civil::DateTime> {
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
pub(super) fn subsec_nanos(digits: &str) -> Option<i32> {
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
