//! What is computed once per submitted inspection and reference — its
//! data, its comparison with the reference, its map — kept in a bounded
//! cache: a submitted inspection never changes.

use std::sync::Arc;

use voussoir_app::review;
use voussoir_core::compare::{CompareOptions, Comparison};
use voussoir_export::InspectionData;
use voussoir_store::Submission;

use crate::access::visible_submission;
use crate::auth::Caller;
use crate::{AppError, AppState};

/// What is computed once per submitted inspection and reference: the
/// inspection's data, its comparison with the reference, its map. A
/// submitted inspection never changes, so this is cached.
pub struct Computed {
    pub data: InspectionData,
    pub comparison: Option<Comparison>,
    pub map_svg: String,
    /// The reference's defects, drawn beside the trainee's on the map
    /// when the caller may see the comparison.
    pub reference_defects: Vec<voussoir_core::Defect>,
    /// Its estimated size in bytes, for the cache's bound.
    weight: u64,
}

/// A submission with its inspection, and for instructors the comparison.
pub struct Detail {
    pub submission: Submission,
    /// Every version of this trainee's submission for the structure.
    pub versions: Vec<Submission>,
    pub computed: Arc<Computed>,
    pub reference: Option<i64>,
    /// Only for instructors: it reveals the reference.
    pub show_comparison: bool,
    /// The trainee's full name from the course file, else her login.
    pub trainee_name: String,
    /// What changed since the version before this one: (its version
    /// number, the changes).
    pub changes: Option<(i64, voussoir_core::compare::changes::Changes)>,
}

impl Detail {
    pub fn data(&self) -> &InspectionData {
        &self.computed.data
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        if self.show_comparison {
            self.computed.comparison.as_ref()
        } else {
            None
        }
    }
}

/// Cached computations, by (inspection, reference), bounded by the memory
/// they take (an estimate per entry): a flood of large uploads evicts the
/// least used, it cannot grow the server.
pub struct DetailCache {
    entries: quick_cache::sync::Cache<CacheKey, Arc<Computed>, ComputedWeighter>,
}

/// (inspection, reference inspection).
type CacheKey = (i64, Option<i64>);

/// The memory the cache may hold, in bytes.
pub const CACHE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Clone)]
struct ComputedWeighter;

impl quick_cache::Weighter<CacheKey, Arc<Computed>> for ComputedWeighter {
    fn weight(&self, _key: &CacheKey, value: &Arc<Computed>) -> u64 {
        value.weight
    }
}

impl Computed {
    /// A generous estimate of the bytes an entry holds: its map, and a
    /// kilobyte per defect, photo, track point and comparison line.
    fn estimate(data: &InspectionData, comparison: Option<&Comparison>, map_svg: &str) -> u64 {
        let points: usize = data
            .tracks
            .iter()
            .flat_map(|track| track.track.segments.iter().chain(&track.track.routes))
            .map(|segment| segment.points.len())
            .sum();
        let lines = comparison.map_or(0, |comparison| comparison.mark.defects.len());
        let items = data.defects.len() + data.photos.len() + lines;
        (map_svg.len() + items * 1024 + points * 64 + 4096) as u64
    }
}

impl Default for DetailCache {
    fn default() -> Self {
        DetailCache {
            entries: quick_cache::sync::Cache::with_weighter(1024, CACHE_BYTES, ComputedWeighter),
        }
    }
}

impl DetailCache {
    fn get(&self, key: CacheKey) -> Option<Arc<Computed>> {
        self.entries.get(&key)
    }

    fn put(&self, key: CacheKey, value: Arc<Computed>) {
        self.entries.insert(key, value);
    }

    /// The bytes the cache holds, by its estimate.
    pub fn weight(&self) -> u64 {
        self.entries.weight()
    }
}

pub async fn detail(state: &AppState, caller: &Caller, id: i64) -> Result<Detail, AppError> {
    let caller = caller.clone();
    let cache = state.cache.clone();
    state
        .books
        .run(move |book| {
            let submission = visible_submission(book, &caller, id)?;
            let versions: Vec<Submission> = book
                .submissions(Some(submission.trainee_id))?
                .into_iter()
                .filter(|other| other.structure.eq_ignore_ascii_case(&submission.structure))
                .collect();
            let reference = review::reference_of(book, &submission.structure)?;
            let key = (submission.inspection, reference);
            let computed = match cache.get(key) {
                Some(computed) => computed,
                None => {
                    let data = review::load_inspection(book, submission.inspection)?;
                    let comparison = match reference {
                        Some(reference) => Some(review::comparison(
                            book,
                            reference,
                            submission.inspection,
                            CompareOptions::default(),
                        )?),
                        None => None,
                    };
                    let map_svg = voussoir_export::map::render_map(
                        &data,
                        voussoir_export::map::MapOptions::default(),
                    );
                    let reference_defects = match reference {
                        Some(reference) => book.defects(reference)?,
                        None => Vec::new(),
                    };
                    let weight = Computed::estimate(&data, comparison.as_ref(), &map_svg)
                        + reference_defects.len() as u64 * 1024;
                    let computed = Arc::new(Computed {
                        data,
                        comparison,
                        map_svg,
                        reference_defects,
                        weight,
                    });
                    cache.put(key, computed.clone());
                    computed
                }
            };
            let show_comparison =
                crate::access::sees_comparison(book, &caller, &submission.structure)?;
            let trainee_name = book
                .trainee_full_name(&submission.trainee)?
                .unwrap_or_else(|| submission.trainee.clone());
            let changes = match versions
                .iter()
                .find(|version| version.version == submission.version - 1)
            {
                Some(previous) => Some((
                    previous.version,
                    voussoir_core::compare::changes::changes(
                        &book.defects(previous.inspection)?,
                        &computed.data.defects,
                    ),
                )),
                None => None,
            };
            let submission = crate::access::as_seen_by(book, &caller, submission)?;
            let versions = versions
                .into_iter()
                .map(|version| crate::access::as_seen_by(book, &caller, version))
                .collect::<Result<Vec<_>, AppError>>()?;
            Ok(Detail {
                submission,
                versions,
                computed,
                reference: if caller.is_instructor() {
                    reference
                } else {
                    None
                },
                show_comparison,
                trainee_name,
                changes,
            })
        })
        .await
}
