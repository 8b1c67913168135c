//! The compact encoding of a run of track points, stored as one BLOB per
//! chunk of a segment (`track_chunk.data`) instead of one row per point.
//! Pure and exact: decoding gives back every point bit for bit. It does not
//! touch the database.
//!
//! Layout (version 1, little-endian), for `n` points:
//! - `u8` version (1), then `n` as a LEB128 varint;
//! - times: a column marker, then each present time as a zigzag LEB128
//!   delta from the previous present time (the first from 0);
//! - longitudes then latitudes: `n` raw `f64` each (bit-exact);
//! - elevation, HDOP, PDOP: a column marker, then each present value as a
//!   raw `f64`;
//! - satellites: a column marker, then each present value as a varint.
//!
//! A column marker is `0` (no point has the value), `1` (every point has
//! it) or `2` followed by a bitmap of `ceil(n / 8)` bytes, bit `i % 8` of
//! byte `i / 8` set when point `i` has it.

use voussoir_core::track::TrackPoint;

const VERSION: u8 = 1;

/// Why a stored chunk could not be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodecError(pub &'static str);

impl std::fmt::Display for CodecError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "damaged track data: {}", self.0)
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn put_presence(out: &mut Vec<u8>, present: impl Iterator<Item = bool>, count: usize) {
    let flags: Vec<bool> = present.collect();
    let have = flags.iter().filter(|flag| **flag).count();
    if have == 0 {
        out.push(0);
    } else if have == count {
        out.push(1);
    } else {
        out.push(2);
        let mut bitmap = vec![0u8; count.div_ceil(8)];
        for (index, flag) in flags.iter().enumerate() {
            if *flag {
                bitmap[index / 8] |= 1 << (index % 8);
            }
        }
        out.extend_from_slice(&bitmap);
    }
}

/// Encodes points into one chunk.
pub fn encode(points: &[TrackPoint]) -> Vec<u8> {
    let count = points.len();
    let mut out = Vec::with_capacity(count * 20 + 16);
    out.push(VERSION);
    put_varint(&mut out, count as u64);
    put_presence(&mut out, points.iter().map(|p| p.time_ms.is_some()), count);
    let mut previous = 0i64;
    for time in points.iter().filter_map(|point| point.time_ms) {
        put_varint(&mut out, zigzag(time.wrapping_sub(previous)));
        previous = time;
    }
    for point in points {
        out.extend_from_slice(&point.lon.to_le_bytes());
    }
    for point in points {
        out.extend_from_slice(&point.lat.to_le_bytes());
    }
    let columns: [fn(&TrackPoint) -> Option<f64>; 3] = [|p| p.elevation_m, |p| p.hdop, |p| p.pdop];
    for column in columns {
        put_presence(&mut out, points.iter().map(|p| column(p).is_some()), count);
        for value in points.iter().filter_map(column) {
            out.extend_from_slice(&value.to_le_bytes());
        }
    }
    put_presence(
        &mut out,
        points.iter().map(|p| p.satellites.is_some()),
        count,
    );
    for value in points.iter().filter_map(|point| point.satellites) {
        put_varint(&mut out, u64::from(value));
    }
    out
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, length: usize) -> Result<&[u8], CodecError> {
        let end = self
            .at
            .checked_add(length)
            .filter(|end| *end <= self.bytes.len())
            .ok_or(CodecError("cut short"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, CodecError> {
        Ok(self.take(1)?[0])
    }

    fn varint(&mut self) -> Result<u64, CodecError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(CodecError("varint too long"))
    }

    fn f64(&mut self) -> Result<f64, CodecError> {
        let bytes: [u8; 8] = self.take(8)?.try_into().expect("eight bytes");
        Ok(f64::from_le_bytes(bytes))
    }

    /// Which of `count` points have a column's value.
    fn presence(&mut self, count: usize) -> Result<Vec<bool>, CodecError> {
        match self.byte()? {
            0 => Ok(vec![false; count]),
            1 => Ok(vec![true; count]),
            2 => {
                let bitmap = self.take(count.div_ceil(8))?;
                Ok((0..count)
                    .map(|index| bitmap[index / 8] & (1 << (index % 8)) != 0)
                    .collect())
            }
            _ => Err(CodecError("unknown column marker")),
        }
    }
}

/// Decodes one chunk back into its points.
pub fn decode(bytes: &[u8]) -> Result<Vec<TrackPoint>, CodecError> {
    let mut reader = Reader { bytes, at: 0 };
    if reader.byte()? != VERSION {
        return Err(CodecError("unknown version"));
    }
    let count = usize::try_from(reader.varint()?).map_err(|_| CodecError("too many points"))?;
    // Each point takes at least 16 bytes (its position): a count beyond
    // that is damage, refused before allocating for it.
    if count > bytes.len() / 16 {
        return Err(CodecError("more points than bytes"));
    }
    let mut points = vec![
        TrackPoint {
            time_ms: None,
            lon: 0.0,
            lat: 0.0,
            elevation_m: None,
            hdop: None,
            pdop: None,
            satellites: None,
        };
        count
    ];
    let timed = reader.presence(count)?;
    let mut previous = 0i64;
    for (point, has) in points.iter_mut().zip(&timed) {
        if *has {
            previous = previous.wrapping_add(unzigzag(reader.varint()?));
            point.time_ms = Some(previous);
        }
    }
    for point in points.iter_mut() {
        point.lon = reader.f64()?;
    }
    for point in points.iter_mut() {
        point.lat = reader.f64()?;
    }
    let columns: [fn(&mut TrackPoint) -> &mut Option<f64>; 3] =
        [|p| &mut p.elevation_m, |p| &mut p.hdop, |p| &mut p.pdop];
    for column in columns {
        let present = reader.presence(count)?;
        for (point, has) in points.iter_mut().zip(&present) {
            if *has {
                *column(point) = Some(reader.f64()?);
            }
        }
    }
    let present = reader.presence(count)?;
    for (point, has) in points.iter_mut().zip(&present) {
        if *has {
            let value = reader.varint()?;
            point.satellites = Some(u32::try_from(value).map_err(|_| CodecError("satellites"))?);
        }
    }
    if reader.at != bytes.len() {
        return Err(CodecError("trailing bytes"));
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn point() -> impl Strategy<Value = TrackPoint> {
        (
            proptest::option::of(any::<i64>()),
            any::<f64>(),
            any::<f64>(),
            proptest::option::of(any::<f64>()),
            proptest::option::of(any::<f64>()),
            proptest::option::of(any::<f64>()),
            proptest::option::of(any::<u32>()),
        )
            .prop_map(|(time_ms, lon, lat, elevation_m, hdop, pdop, satellites)| {
                TrackPoint {
                    time_ms,
                    lon,
                    lat,
                    elevation_m,
                    hdop,
                    pdop,
                    satellites,
                }
            })
    }

    fn bits(points: &[TrackPoint]) -> Vec<[Option<u64>; 7]> {
        points
            .iter()
            .map(|p| {
                [
                    p.time_ms.map(|t| t as u64),
                    Some(p.lon.to_bits()),
                    Some(p.lat.to_bits()),
                    p.elevation_m.map(f64::to_bits),
                    p.hdop.map(f64::to_bits),
                    p.pdop.map(f64::to_bits),
                    p.satellites.map(u64::from),
                ]
            })
            .collect()
    }

    proptest! {
        #[test]
        fn every_point_comes_back_bit_for_bit(points in proptest::collection::vec(point(), 0..300)) {
            let decoded = decode(&encode(&points)).expect("decodes");
            prop_assert_eq!(bits(&decoded), bits(&points));
        }

        #[test]
        fn damaged_bytes_are_refused_never_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = decode(&bytes);
        }

        #[test]
        fn a_cut_chunk_is_refused(points in proptest::collection::vec(point(), 1..50), cut in 1usize..64) {
            let encoded = encode(&points);
            let keep = encoded.len().saturating_sub(cut);
            prop_assert!(decode(&encoded[..keep]).is_err());
        }
    }

    #[test]
    fn a_logged_track_takes_about_twenty_bytes_a_point() {
        let points: Vec<TrackPoint> = (0..10_000)
            .map(|i| TrackPoint {
                time_ms: Some(1_700_000_000_000 + i * 1000),
                lon: -3.45 + i as f64 * 1e-6,
                lat: 48.73,
                elevation_m: Some(12.0),
                hdop: None,
                pdop: None,
                satellites: Some(9),
            })
            .collect();
        let encoded = encode(&points);
        assert!(encoded.len() < points.len() * 28, "{}", encoded.len());
    }
}
