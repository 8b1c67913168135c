//! What is computed once per submitted inspection and reference — its
//! data, its comparison with the reference, its map — kept in a bounded
//! cache: a submitted inspection never changes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// Cached computations, by (inspection, reference).
#[derive(Default)]
pub struct DetailCache {
    entries: Mutex<HashMap<CacheKey, Arc<Computed>>>,
}

/// (inspection, reference inspection).
type CacheKey = (i64, Option<i64>);

const CACHE_ENTRIES: usize = 4096;

impl DetailCache {
    fn get(&self, key: (i64, Option<i64>)) -> Option<Arc<Computed>> {
        let entries = match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        entries.get(&key).cloned()
    }

    fn put(&self, key: (i64, Option<i64>), value: Arc<Computed>) {
        let mut entries = match self.entries.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        entries.insert(key, value);
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
                    let computed = Arc::new(Computed {
                        data,
                        comparison,
                        map_svg,
                    });
                    cache.put(key, computed.clone());
                    computed
                }
            };
            let show_comparison =
                crate::access::sees_comparison(book, &caller, &submission.structure)?;
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
            })
        })
        .await
}
