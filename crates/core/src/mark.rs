//! A mark out of 20, as French courses give them: from 0 to 20 with one
//! decimal. The one place the rule lives: the suggested mark is built
//! here, and so is every mark an instructor types (decimal point or
//! comma).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A mark from 0 to 20, with at most one decimal.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mark(f64);

/// Why a typed mark was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarkError {
    #[error("`{0}` is not a mark; write a number from 0 to 20, such as 14 or 14,5")]
    NotANumber(String),
    #[error("{0} is outside the scale: a mark goes from 0 to 20")]
    OutOfRange(f64),
}

impl Mark {
    /// The top of the scale.
    pub const MAX: f64 = 20.0;

    /// A mark from a value in range, rounded to one decimal.
    ///
    /// ```
    /// use voussoir_core::mark::Mark;
    /// assert_eq!(Mark::new(14.25).unwrap().value(), 14.3);
    /// assert!(Mark::new(20.5).is_err());
    /// ```
    pub fn new(value: f64) -> Result<Mark, MarkError> {
        if !value.is_finite() {
            return Err(MarkError::NotANumber(value.to_string()));
        }
        if !(0.0..=Self::MAX).contains(&value) {
            return Err(MarkError::OutOfRange(value));
        }
        Ok(Mark((value * 10.0).round() / 10.0))
    }

    /// A mark as an instructor types it: `14`, `14.5` or `14,5`.
    ///
    /// ```
    /// use voussoir_core::mark::Mark;
    /// assert_eq!(Mark::parse(" 14,5 ").unwrap().value(), 14.5);
    /// assert!(Mark::parse("quatorze").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Mark, MarkError> {
        let trimmed = text.trim();
        let value: f64 = trimmed
            .replace(',', ".")
            .parse()
            .map_err(|_| MarkError::NotANumber(trimmed.to_string()))?;
        Mark::new(value)
    }

    /// The suggested mark from rubric points: clamped to the scale and
    /// rounded to the half point, as marks are usually given.
    pub fn from_points(points: f64) -> Mark {
        let points = if points.is_finite() { points } else { 0.0 };
        Mark(((points * 2.0).round() / 2.0).clamp(0.0, Self::MAX))
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

impl fmt::Display for Mark {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<f64, ()>) {
        assert_eq!(
            Mark::parse(text).map(Mark::value).map_err(|_| ()),
            expected,
            "{text}"
        );
    }

    #[test]
    fn typed_marks_accept_a_decimal_point_or_comma_and_the_ends_of_the_scale() {
        check("0", Ok(0.0));
        check("20", Ok(20.0));
        check("12.5", Ok(12.5));
        check("12,5", Ok(12.5));
        check("12,25", Ok(12.3));
        check("-1", Err(()));
        check("20,1", Err(()));
        check("", Err(()));
        check("NaN", Err(()));
        check("inf", Err(()));
    }

    #[test]
    fn points_become_a_mark_rounded_to_the_half_and_kept_on_the_scale() {
        assert_eq!(Mark::from_points(13.26).value(), 13.5);
        assert_eq!(Mark::from_points(13.24).value(), 13.0);
        assert_eq!(Mark::from_points(-3.0).value(), 0.0);
        assert_eq!(Mark::from_points(25.0).value(), 20.0);
        assert_eq!(Mark::from_points(f64::NAN).value(), 0.0);
    }

    #[test]
    fn an_out_of_range_mark_says_the_scale() {
        let error = Mark::parse("21").expect_err("out of range").to_string();
        assert!(error.contains("from 0 to 20"), "{error}");
    }
}
