//! NMEA 0183 logs: RMC, GGA, GSA and ZDA sentences with their checksums
//! verified, assembled into one fix per second.

use std::io::BufRead;

use voussoir_core::track::Segment;

use super::{blank_point, empty_read, TrackFormat, TrackRead};

/// A fix being assembled from the sentences of one second.
#[derive(Default, Clone, Copy)]
struct NmeaFix {
    time_of_day_ms: Option<i64>,
    lon: Option<f64>,
    lat: Option<f64>,
    elevation_m: Option<f64>,
    hdop: Option<f64>,
    satellites: Option<u32>,
}

fn nmea_checksum_ok(sentence: &str) -> Option<bool> {
    let body = sentence.strip_prefix(['$', '!'])?;
    let (data, checksum) = body.split_once('*')?;
    // A `*` without two hex digits after it is a damaged checksum.
    let Some(expected) = checksum
        .trim()
        .get(..2)
        .and_then(|digits| u8::from_str_radix(digits, 16).ok())
    else {
        return Some(false);
    };
    let actual = data.bytes().fold(0u8, |sum, byte| sum ^ byte);
    Some(actual == expected)
}

fn nmea_coordinate(value: &str, hemisphere: &str) -> Option<f64> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let number: f64 = value.parse().ok()?;
    let degrees = (number / 100.0).trunc();
    let minutes = number - degrees * 100.0;
    if !(0.0..60.0).contains(&minutes) {
        return None;
    }
    let decimal = degrees + minutes / 60.0;
    match hemisphere.trim() {
        "N" | "E" => Some(decimal),
        "S" | "W" => Some(-decimal),
        _ => None,
    }
}

fn nmea_time_of_day(value: &str) -> Option<i64> {
    let value = value.trim();
    if value.len() < 6 {
        return None;
    }
    let hours: i64 = value.get(0..2)?.parse().ok()?;
    let minutes: i64 = value.get(2..4)?.parse().ok()?;
    let seconds: f64 = value.get(4..)?.parse().ok()?;
    if hours > 23 || minutes > 59 || !(0.0..61.0).contains(&seconds) {
        return None;
    }
    Some(hours * 3_600_000 + minutes * 60_000 + (seconds * 1000.0).round() as i64)
}

fn nmea_date(value: &str) -> Option<jiff::civil::Date> {
    let value = value.trim();
    if value.len() != 6 {
        return None;
    }
    let day: i8 = value.get(0..2)?.parse().ok()?;
    let month: i8 = value.get(2..4)?.parse().ok()?;
    let year: i16 = value.get(4..6)?.parse().ok()?;
    // Two-digit years: 80–99 are 1980s–1990s, the rest this century.
    let year = if year >= 80 { 1900 + year } else { 2000 + year };
    jiff::civil::Date::new(year, month, day).ok()
}

/// Builds fixes from NMEA sentences: the sentences of one second make one
/// fix, stamped with the date last given (RMC or ZDA) and rolled over at
/// midnight.
#[derive(Default)]
struct NmeaAssembler {
    pending: NmeaFix,
    date: Option<jiff::civil::Date>,
    last_time_of_day: Option<i64>,
    pdop: Option<f64>,
    segment: Segment,
    undated: usize,
}

impl NmeaAssembler {
    /// Starts the fix of a new second, finishing the previous one.
    fn at(&mut self, time_of_day: Option<i64>) {
        if self.pending.time_of_day_ms.is_some() && self.pending.time_of_day_ms != time_of_day {
            self.flush();
        }
        self.pending.time_of_day_ms = time_of_day;
    }

    /// A new date from RMC or ZDA.
    fn set_date(&mut self, new_date: jiff::civil::Date) {
        if self.date != Some(new_date) {
            self.date = Some(new_date);
            self.last_time_of_day = None;
        }
    }

    /// Turns the pending sentences into a point.
    fn flush(&mut self) {
        let fix = std::mem::take(&mut self.pending);
        let (Some(lon), Some(lat)) = (fix.lon, fix.lat) else {
            return;
        };
        let mut point = blank_point(lon, lat);
        point.elevation_m = fix.elevation_m;
        point.hdop = fix.hdop;
        point.pdop = self.pdop;
        point.satellites = fix.satellites;
        match (fix.time_of_day_ms, self.date.as_mut()) {
            (Some(time_of_day), Some(day)) => {
                // Time going back without a new date: midnight passed.
                if let Some(last) = self.last_time_of_day {
                    if time_of_day + 3_600_000 < last {
                        if let Ok(next) = day.tomorrow() {
                            *day = next;
                        }
                    }
                }
                self.last_time_of_day = Some(time_of_day);
                if let Ok(midnight) = jiff::tz::Offset::UTC
                    .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
                {
                    point.time_ms = Some(midnight.as_millisecond() + time_of_day);
                }
            }
            (Some(_), None) => self.undated += 1,
            (None, _) => {}
        }
        self.segment.points.push(point);
    }
}

pub(super) fn read_nmea<R: BufRead>(input: R) -> Result<TrackRead, String> {
    let mut read = empty_read(TrackFormat::Nmea);
    let mut fixes = NmeaAssembler::default();
    let mut without_fix = 0usize;
    for line in input.split(b'\n') {
        let line = line.map_err(|error| error.to_string())?;
        let line = String::from_utf8_lossy(&line);
        let Some(start) = line.find(['$', '!']) else {
            continue;
        };
        let sentence = line[start..].trim();
        read.sentences += 1;
        match nmea_checksum_ok(sentence) {
            Some(true) => {}
            Some(false) => {
                read.bad_checksums += 1;
                continue;
            }
            // No checksum at all: accepted, as many loggers omit it.
            None => {}
        }
        let data = sentence[1..].split('*').next().unwrap_or_default();
        let fields: Vec<&str> = data.split(',').collect();
        let kind = fields[0]
            .get(fields[0].len().saturating_sub(3)..)
            .unwrap_or_default();
        match kind {
            "RMC" if fields.len() >= 10 => {
                let time_of_day = nmea_time_of_day(fields[1]);
                // The previous second's fix keeps the date it was given.
                fixes.at(time_of_day);
                if let Some(new_date) = nmea_date(fields[9]) {
                    fixes.set_date(new_date);
                }
                if fields[2].trim() != "A" {
                    without_fix += 1;
                    continue;
                }
                fixes.pending.lat = nmea_coordinate(fields[3], fields[4]).or(fixes.pending.lat);
                fixes.pending.lon = nmea_coordinate(fields[5], fields[6]).or(fixes.pending.lon);
            }
            "GGA" if fields.len() >= 10 => {
                if fields[6].trim() == "0" || fields[6].trim().is_empty() {
                    without_fix += 1;
                    continue;
                }
                fixes.at(nmea_time_of_day(fields[1]));
                let pending = &mut fixes.pending;
                pending.lat = nmea_coordinate(fields[2], fields[3]).or(pending.lat);
                pending.lon = nmea_coordinate(fields[4], fields[5]).or(pending.lon);
                pending.satellites = fields[7].trim().parse().ok();
                pending.hdop = fields[8].trim().parse().ok();
                pending.elevation_m = fields[9].trim().parse().ok();
            }
            "GSA" if fields.len() >= 16 => {
                fixes.pdop = fields[15].trim().parse().ok();
            }
            "ZDA" if fields.len() >= 5 => {
                let day: Option<i8> = fields[2].trim().parse().ok();
                let month: Option<i8> = fields[3].trim().parse().ok();
                let year: Option<i16> = fields[4].trim().parse().ok();
                if let (Some(day), Some(month), Some(year)) = (day, month, year) {
                    if let Ok(new_date) = jiff::civil::Date::new(year, month, day) {
                        fixes.set_date(new_date);
                    }
                }
            }
            _ => {}
        }
    }
    fixes.flush();
    let undated = fixes.undated;
    read.track.segments.push(fixes.segment);
    if read.sentences == 0 {
        return Err("no NMEA sentence found".to_string());
    }
    if read.bad_checksums > 0 {
        read.warnings.push(format!(
            "{} sentence(s) with a bad checksum skipped",
            read.bad_checksums
        ));
    }
    if without_fix > 0 {
        read.warnings.push(format!(
            "{without_fix} sentence(s) without a GPS fix skipped"
        ));
    }
    if undated > 0 {
        read.warnings.push(format!(
            "{undated} point(s) before any date (RMC or ZDA) kept without time: they will not geotag"
        ));
    }
    Ok(read)
}
