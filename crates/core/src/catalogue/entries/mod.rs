//! The catalogue's entries: every defect type with its family, names in
//! English and French, the component kinds and materials it applies to,
//! and the measurements that describe it. Data only, one file per
//! material or part; this file joins them in the order `voussoir
//! catalogue` prints them.

mod bearings;
mod concrete;
mod general;
mod masonry;
mod steel;
mod timber;
mod underwater;

use super::{DefectType, Family};
use crate::model::{ComponentKind, Material, Measure};

use ComponentKind as K;
use Material as M;
use Measure::*;

const CONCRETE: &[Material] = &[M::Concrete, M::Prestressed];
const STRUCTURAL_CONCRETE_PARTS: &[ComponentKind] = &[];
const UNDERWATER_PARTS: &[ComponentKind] = &[
    K::Pier,
    K::Foundation,
    K::Abutment,
    K::Cutwater,
    K::ScourProtection,
    K::WingWall,
];
/// Parts that scour can reach: those in the water, and the barrel of a
/// culvert or an arch whose invert the stream runs on.
const SCOURED_PARTS: &[ComponentKind] = &[
    K::Pier,
    K::Foundation,
    K::Abutment,
    K::Cutwater,
    K::ScourProtection,
    K::WingWall,
    K::CulvertBarrel,
    K::Arch,
];
/// Cables, stays and hangers.
const CABLES: &[ComponentKind] = &[K::Cable, K::Stay, K::Hanger];

const PARTS: &[&[DefectType]] = &[
    concrete::TYPES,
    steel::TYPES,
    masonry::TYPES,
    bearings::TYPES,
    general::TYPES,
    timber::TYPES,
    underwater::TYPES,
];

const fn count(parts: &[&[DefectType]]) -> usize {
    let mut total = 0;
    let mut index = 0;
    while index < parts.len() {
        total += parts[index].len();
        index += 1;
    }
    total
}

const fn join<const N: usize>(parts: &[&[DefectType]]) -> [DefectType; N] {
    let mut all = [parts[0][0]; N];
    let (mut part, mut at) = (0, 0);
    while part < parts.len() {
        let mut index = 0;
        while index < parts[part].len() {
            all[at] = parts[part][index];
            at += 1;
            index += 1;
        }
        part += 1;
    }
    all
}

const ALL: [DefectType; count(PARTS)] = join(PARTS);

/// The whole catalogue, in the order `voussoir catalogue` prints it.
pub const CATALOGUE: &[DefectType] = &ALL;
