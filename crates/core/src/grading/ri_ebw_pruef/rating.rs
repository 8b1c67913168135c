//! One RI-EBW-PRÜF damage rating (`S2 V0 D3`), how it is read and written,
//! and the numbers of `table.toml` it is scored with: base numbers per
//! criterion and the extent corrections.
//!
//! It must not aggregate: component, group and structure notes belong to
//! the parent module.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::model::Extent;

/// The numbers of `table.toml`.
#[derive(Debug, Deserialize)]
pub(super) struct Table {
    pub(super) base: BaseNumbers,
    pub(super) extent: ExtentCorrections,
    pub(super) count: Correction,
    pub(super) groups: Correction,
}

#[derive(Debug, Deserialize)]
pub(super) struct BaseNumbers {
    pub(super) stability: [f64; 5],
    pub(super) traffic_safety: [f64; 5],
    pub(super) durability: [f64; 5],
}

#[derive(Debug, Deserialize)]
pub(super) struct ExtentCorrections {
    pub(super) small: f64,
    pub(super) medium: f64,
    pub(super) large: f64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Correction {
    pub(super) from: usize,
    pub(super) add: f64,
}

pub(super) fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        toml::from_str(include_str!("table.toml"))
            .expect("table.toml is checked by the tests of this module")
    })
}

/// One damage's three ratings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rating {
    pub stability: u8,
    pub traffic_safety: u8,
    pub durability: u8,
}

impl Rating {
    /// Reads `S2 V0 D3` (any order, spaces optional) or `2/0/3`.
    pub fn parse(text: &str) -> Option<Rating> {
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect::<String>()
            .to_uppercase();
        let level = |c: char| c.to_digit(10).filter(|d| *d <= 4).map(|d| d as u8);
        if compact.contains('/') {
            let parts: Vec<&str> = compact.split('/').collect();
            let [s, v, d] = parts.as_slice() else {
                return None;
            };
            let one = |part: &str| {
                let mut chars = part.chars();
                let first = chars.next()?;
                chars.next().is_none().then_some(())?;
                level(first)
            };
            return Some(Rating {
                stability: one(s)?,
                traffic_safety: one(v)?,
                durability: one(d)?,
            });
        }
        let mut found = [None; 3];
        let mut chars = compact.chars();
        while let Some(letter) = chars.next() {
            let slot = match letter {
                'S' => 0,
                'V' => 1,
                'D' => 2,
                _ => return None,
            };
            if found[slot].is_some() {
                return None;
            }
            found[slot] = Some(level(chars.next()?)?);
        }
        Some(Rating {
            stability: found[0]?,
            traffic_safety: found[1]?,
            durability: found[2]?,
        })
    }

    /// The canonical spelling, `S2V0D3`.
    pub fn code(self) -> String {
        format!(
            "S{}V{}D{}",
            self.stability, self.traffic_safety, self.durability
        )
    }

    pub(super) fn worst(self) -> u8 {
        self.stability.max(self.traffic_safety).max(self.durability)
    }

    /// The base number, and whether traffic safety is counted.
    pub(super) fn base(self, with_traffic_safety: bool) -> f64 {
        let base = &table().base;
        let stability = base.stability[usize::from(self.stability)];
        let durability = base.durability[usize::from(self.durability)];
        let traffic = if with_traffic_safety {
            base.traffic_safety[usize::from(self.traffic_safety)]
        } else {
            1.0
        };
        stability.max(durability).max(traffic)
    }
}

/// The extent class of a recorded extent, with its correction.
pub(super) fn extent_class(extent: Option<Extent>) -> (&'static str, f64) {
    let corrections = &table().extent;
    match extent {
        Some(Extent::Isolated) => ("rib.extent.small", corrections.small),
        Some(Extent::Widespread) => ("rib.extent.large", corrections.large),
        Some(Extent::Some) | None => ("rib.extent.medium", corrections.medium),
    }
}
