//! Reading dive logs: UDDF (the Universal Dive Data Format most dive
//! computers' software exports) and Subsurface XML (`.ssrf`, `.xml`).
//!
//! Each dive becomes a depth-over-time profile in UTC. Dive logs usually
//! write local time without an offset: it is read in the time zone given
//! (the course's), as camera times are, so both line up.

use quick_xml::events::Event;
use std::io::BufRead;
use std::path::Path;

use voussoir_core::track::{DepthSample, Dive};
use voussoir_core::LonLat;

use crate::xml::{attribute, local_name, push_text};
use crate::{parse_xml_time, read_file, IngestError};

/// A dive log's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiveFormat {
    Uddf,
    Subsurface,
}

/// The dives read from one file.
#[derive(Debug, Clone)]
pub struct DiveLogRead {
    pub format: DiveFormat,
    pub dives: Vec<Dive>,
    pub warnings: Vec<String>,
}

/// Reads a dive log, choosing the format from its root element.
pub fn read_dive_log(path: &Path, zone: &jiff::tz::TimeZone) -> Result<DiveLogRead, IngestError> {
    let bytes = read_file(path)?;
    let read = parse_dive_log(&bytes, zone).map_err(|reason| IngestError::new(path, reason))?;
    if read.dives.is_empty() {
        return Err(IngestError::new(path, "the log holds no dive with a date"));
    }
    Ok(read)
}

/// Parses dive-log bytes, choosing the format from the root element.
pub fn parse_dive_log(bytes: &[u8], zone: &jiff::tz::TimeZone) -> Result<DiveLogRead, String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    if bytes.starts_with(b"\x0e") || bytes.get(8..12) == Some(b".FIT") {
        return Err(
            "a Garmin FIT file: export the dive as UDDF or Subsurface XML first".to_string(),
        );
    }
    if head.contains("<uddf") {
        read_uddf(bytes, zone).map(|(dives, warnings)| DiveLogRead {
            format: DiveFormat::Uddf,
            dives,
            warnings,
        })
    } else if head.contains("<divelog") || head.contains("<dives") {
        read_subsurface(bytes, zone).map(|(dives, warnings)| DiveLogRead {
            format: DiveFormat::Subsurface,
            dives,
            warnings,
        })
    } else {
        Err("not a dive log: expected UDDF (<uddf>) or Subsurface XML (<divelog>)".to_string())
    }
}

fn xml_error(reader_position: u64, error: quick_xml::Error) -> String {
    format!("malformed XML at byte {reader_position}: {error}")
}

/// UDDF: `<dive>` with `<informationbeforedive><datetime>` and
/// `<samples><waypoint><divetime>` (s) / `<depth>` (m).
fn read_uddf<R: BufRead>(
    input: R,
    zone: &jiff::tz::TimeZone,
) -> Result<(Vec<Dive>, Vec<String>), String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buffer = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut dives = Vec::new();
    let mut warnings = Vec::new();
    let mut undated = 0usize;
    let mut start: Option<i64> = None;
    let mut number: Option<u32> = None;
    let mut raw_samples: Vec<(f64, f64)> = Vec::new();
    let mut waypoint_time: Option<f64> = None;
    let mut waypoint_depth: Option<f64> = None;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| xml_error(reader.error_position(), error))?;
        match &event {
            Event::Start(element) => {
                let name = local_name(element);
                match name.as_str() {
                    "dive" => {
                        start = None;
                        number = None;
                        raw_samples.clear();
                    }
                    "waypoint" => {
                        waypoint_time = None;
                        waypoint_depth = None;
                    }
                    _ => {}
                }
                crate::xml::enter(&mut stack, name)?;
                text.clear();
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let in_dive = stack.iter().any(|element| element == "dive");
                let value = text.trim().to_string();
                match name.as_str() {
                    "datetime" if in_dive && start.is_none() => {
                        start = parse_xml_time(&value, zone)
                    }
                    "divenumber" if in_dive => number = value.parse().ok(),
                    "divetime" if stack.last().map(String::as_str) == Some("waypoint") => {
                        waypoint_time = value.parse().ok();
                    }
                    "depth" if stack.last().map(String::as_str) == Some("waypoint") => {
                        waypoint_depth = value.parse().ok();
                    }
                    "waypoint" => {
                        if let (Some(time), Some(depth)) = (waypoint_time, waypoint_depth) {
                            if time.is_finite() && depth.is_finite() && depth >= 0.0 {
                                raw_samples.push((time, depth));
                            }
                        }
                    }
                    "dive" => match start {
                        Some(start_ms) => {
                            dives.push(build_dive(number, start_ms, &raw_samples, None))
                        }
                        None => undated += 1,
                    },
                    _ => {}
                }
                text.clear();
            }
            Event::Eof => break,
            other => push_text(other, &mut text),
        }
        buffer.clear();
    }
    if !stack.is_empty() {
        return Err("the file ends before its last element closes: it is truncated".to_string());
    }
    if undated > 0 {
        warnings.push(format!("{undated} dive(s) without a date skipped"));
    }
    Ok((dives, warnings))
}

fn build_dive(
    number: Option<u32>,
    start_ms: i64,
    raw: &[(f64, f64)],
    site: Option<LonLat>,
) -> Dive {
    let mut samples: Vec<DepthSample> = raw
        .iter()
        .map(|(seconds, depth_m)| DepthSample {
            time_ms: start_ms + (seconds * 1000.0).round() as i64,
            depth_m: *depth_m,
        })
        .collect();
    samples.sort_by_key(|sample| sample.time_ms);
    Dive {
        number,
        start_ms,
        samples,
        site,
    }
}

/// `12:30 min`, `45 s`, `1:02:03` → seconds.
fn parse_duration(text: &str) -> Option<f64> {
    let value = text
        .trim()
        .trim_end_matches("min")
        .trim_end_matches('s')
        .trim();
    let parts: Vec<f64> = value
        .split(':')
        .map(|part| part.trim().parse::<f64>().ok())
        .collect::<Option<Vec<_>>>()?;
    match parts.as_slice() {
        [seconds] if text.contains("min") => Some(seconds * 60.0),
        [seconds] => Some(*seconds),
        [minutes, seconds] => Some(minutes * 60.0 + seconds),
        [hours, minutes, seconds] => Some(hours * 3600.0 + minutes * 60.0 + seconds),
        _ => None,
    }
}

/// `12.3 m` → metres (feet converted).
fn parse_depth(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Some(feet) = text.strip_suffix("ft") {
        return feet.trim().parse::<f64>().ok().map(|feet| feet * 0.3048);
    }
    text.trim_end_matches('m').trim().parse().ok()
}

/// `2015-1-1` and `10:00:00` (local) → UTC milliseconds.
fn parse_subsurface_start(date: &str, time: &str, zone: &jiff::tz::TimeZone) -> Option<i64> {
    let mut date_parts = date.trim().split('-').map(|part| part.parse::<i32>().ok());
    let (year, month, day) = (
        date_parts.next()??,
        date_parts.next()??,
        date_parts.next()??,
    );
    let mut time_parts = time.trim().split(':').map(|part| part.parse::<i32>().ok());
    let hour = time_parts.next().flatten().unwrap_or(0);
    let minute = time_parts.next().flatten().unwrap_or(0);
    let second = time_parts.next().flatten().unwrap_or(0);
    let civil = jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        0,
    )
    .ok()?;
    zone.to_ambiguous_timestamp(civil)
        .compatible()
        .ok()
        .map(|timestamp| timestamp.as_millisecond())
}

/// A dive being read: its number, start (UTC ms) and (seconds, depth) samples.
type OpenDive = (Option<u32>, Option<i64>, Vec<(f64, f64)>);

/// Subsurface XML: `<dive date time>` with `<divecomputer><sample time depth>`;
/// a sample without depth repeats the previous one. Only the first dive
/// computer of a dive is read.
fn read_subsurface<R: BufRead>(
    input: R,
    zone: &jiff::tz::TimeZone,
) -> Result<(Vec<Dive>, Vec<String>), String> {
    let mut reader = quick_xml::Reader::from_reader(input);
    let mut buffer = Vec::new();
    let mut depth_in_tree = 0usize;
    let mut dives = Vec::new();
    let mut warnings = Vec::new();
    let mut undated = 0usize;
    let mut current: Option<OpenDive> = None;
    let mut computers_in_dive = 0usize;
    let mut last_depth = 0.0;
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| xml_error(reader.error_position(), error))?;
        let (element, is_start) = match &event {
            Event::Start(element) => (Some(element), true),
            Event::Empty(element) => (Some(element), false),
            _ => (None, false),
        };
        if let Some(element) = element {
            let name = local_name(element);
            match name.as_str() {
                "dive" => {
                    let start = match (attribute(element, "date"), attribute(element, "time")) {
                        (Some(date), time) => {
                            parse_subsurface_start(&date, time.as_deref().unwrap_or("0:0:0"), zone)
                        }
                        _ => None,
                    };
                    let number = attribute(element, "number").and_then(|value| value.parse().ok());
                    current = Some((number, start, Vec::new()));
                    computers_in_dive = 0;
                    last_depth = 0.0;
                    if !is_start {
                        // <dive/> with no profile.
                        if let Some((number, start, samples)) = current.take() {
                            match start {
                                Some(start_ms) => {
                                    dives.push(build_dive(number, start_ms, &samples, None))
                                }
                                None => undated += 1,
                            }
                        }
                    }
                }
                "divecomputer" => computers_in_dive += 1,
                "sample" if computers_in_dive <= 1 => {
                    if let Some((_, _, samples)) = current.as_mut() {
                        let time =
                            attribute(element, "time").and_then(|value| parse_duration(&value));
                        let depth =
                            attribute(element, "depth").and_then(|value| parse_depth(&value));
                        if let Some(depth) = depth {
                            last_depth = depth;
                        }
                        if let Some(time) = time {
                            samples.push((time, last_depth));
                        }
                    }
                }
                _ => {}
            }
            if is_start {
                depth_in_tree += 1;
            }
        }
        match &event {
            Event::End(end) => {
                depth_in_tree = depth_in_tree.saturating_sub(1);
                if end.local_name().as_ref().eq_ignore_ascii_case(b"dive") {
                    if let Some((number, start, samples)) = current.take() {
                        match start {
                            Some(start_ms) => {
                                dives.push(build_dive(number, start_ms, &samples, None))
                            }
                            None => undated += 1,
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if depth_in_tree != 0 {
        return Err("the file ends before its last element closes: it is truncated".to_string());
    }
    if undated > 0 {
        warnings.push(format!("{undated} dive(s) without a date skipped"));
    }
    Ok((dives, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_depths_read_their_units() {
        assert_eq!(parse_duration("1:30 min"), Some(90.0));
        assert_eq!(parse_duration("45 s"), Some(45.0));
        assert_eq!(parse_duration("30:00 min"), Some(1800.0));
        assert_eq!(parse_depth("2.44 m"), Some(2.44));
        assert!((parse_depth("10 ft").expect("feet") - 3.048).abs() < 1e-9);
    }

    #[test]
    fn a_subsurface_dive_profile_is_read_in_the_zone() {
        let log = r#"<divelog program='subsurface' version='3'><dives>
<dive number='7' date='2026-3-12' time='10:00:00' duration='2:00 min'>
<divecomputer model='x'>
<sample time='0:00 min' depth='0.0 m' />
<sample time='1:00 min' depth='4.0 m' />
<sample time='1:30 min' />
<sample time='2:00 min' depth='0.0 m' />
</divecomputer></dive></dives></divelog>"#;
        let paris = jiff::tz::TimeZone::get("Europe/Paris").expect("zone");
        let (dives, _) = read_subsurface(log.as_bytes(), &paris).expect("valid");
        assert_eq!(dives.len(), 1);
        let dive = &dives[0];
        assert_eq!(dive.number, Some(7));
        // 10:00 in Paris in March (winter time) is 09:00 UTC.
        assert_eq!(
            jiff::Timestamp::from_millisecond(dive.start_ms)
                .expect("time")
                .to_string(),
            "2026-03-12T09:00:00Z"
        );
        assert_eq!(dive.samples.len(), 4);
        assert_eq!(dive.samples[2].depth_m, 4.0);
        assert_eq!(dive.depth_at(dive.start_ms + 30_000), Some(2.0));
    }

    #[test]
    fn a_uddf_dive_profile_is_read() {
        let log = r#"<uddf version="3.2.0"><profiledata><repetitiongroup><dive>
<informationbeforedive><divenumber>3</divenumber><datetime>2026-03-12T10:00:00Z</datetime></informationbeforedive>
<samples><waypoint><depth>0</depth><divetime>0</divetime></waypoint>
<waypoint><depth>6.5</depth><divetime>60</divetime></waypoint></samples>
</dive></repetitiongroup></profiledata></uddf>"#;
        let (dives, _) = read_uddf(log.as_bytes(), &jiff::tz::TimeZone::UTC).expect("valid");
        assert_eq!(dives[0].number, Some(3));
        assert_eq!(dives[0].max_depth_m(), 6.5);
    }
}
