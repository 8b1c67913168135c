//! Figures computed over the whole course — the instructor's overview and
//! dashboard page, the agreement, the results rows — kept between
//! requests. Each is computed by one request while the others wait for it
//! or take the kept one (never sixty-four times at once when it expires),
//! and kept until a
//! change made through the server ([`CourseCache::clear`]) or for two
//! seconds (thirty for the agreement and results, which compare every
//! submission), since the command line may change the data folder beside
//! the server. It holds no per-user data except the dashboard page, kept with
//! the session token it was drawn for.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::AppError;

/// How long a figure is kept when nothing said it changed.
const KEEP: Duration = Duration::from_secs(2);

/// One kept figure, computed once at a time. While it is computed again
/// after its two seconds, the others are answered with the kept one of the
/// same generation rather than wait.
pub struct Memo<T> {
    kept: std::sync::Mutex<Option<(u64, Instant, Arc<T>)>>,
    computing: tokio::sync::Mutex<()>,
    keep: Duration,
}

impl<T> Default for Memo<T> {
    fn default() -> Self {
        Memo::keeping(KEEP)
    }
}

impl<T> Memo<T> {
    /// A figure kept `keep` when nothing said it changed.
    pub fn keeping(keep: Duration) -> Self {
        Memo {
            kept: std::sync::Mutex::new(None),
            computing: tokio::sync::Mutex::new(()),
            keep,
        }
    }

    /// The kept figure of this generation: fresh, `(generation, fresh)`.
    fn kept(&self, generation: u64) -> Option<(Arc<T>, bool)> {
        let kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.as_ref()
            .filter(|(kept_generation, _, _)| *kept_generation == generation)
            .map(|(_, at, value)| (value.clone(), at.elapsed() < self.keep))
    }

    /// Whether a figure of any generation has been computed yet: false
    /// only while the server is still working out its first one.
    pub fn has_any(&self) -> bool {
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .is_some()
    }

    /// The kept figure of this generation, or `compute`'s, which is kept.
    pub async fn get_or_compute<F, Fut>(
        &self,
        generation: u64,
        compute: F,
    ) -> Result<Arc<T>, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, AppError>>,
    {
        let stale = match self.kept(generation) {
            Some((value, true)) => return Ok(value),
            Some((value, false)) => Some(value),
            None => None,
        };
        let _computing = match (self.computing.try_lock(), stale) {
            (Ok(guard), _) => guard,
            // Another request is computing it: the kept one will do.
            (Err(_), Some(stale)) => return Ok(stale),
            (Err(_), None) => self.computing.lock().await,
        };
        // Computed by the request this one waited for.
        if let Some((value, true)) = self.kept(generation) {
            return Ok(value);
        }
        let value = Arc::new(compute().await?);
        let mut kept = self
            .kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *kept = Some((generation, Instant::now(), value.clone()));
        Ok(value)
    }
}

/// How long the costly figures (agreement, results: every comparison of
/// the course) are kept when nothing said they changed.
const KEEP_COSTLY: Duration = Duration::from_secs(30);

/// The course-wide figures of one server.
pub struct CourseCache {
    generation: AtomicU64,
    pub overview: Memo<crate::pages::Overview>,
    pub agreement: Memo<Vec<(String, voussoir_core::agreement::Agreement)>>,
    pub results: Memo<Vec<voussoir_export::results::ResultRow>>,
    pub course_report: Memo<Vec<voussoir_core::reliability::StructureReport>>,
    /// The course report drawn once per report: the page's body (the
    /// layout around it names the caller) and the workbook.
    pub course_report_body: Memo<String>,
    pub course_report_xlsx: Memo<axum::body::Bytes>,
    /// Whether a background computation of the course report is under way
    /// (so that every reload of its "being prepared" page does not start
    /// another).
    pub course_report_warming: std::sync::atomic::AtomicBool,
    /// The instructor's dashboard as drawn last: for which overview
    /// generation and session token, and the page.
    page: std::sync::Mutex<Option<(u64, String, Arc<String>)>>,
}

impl Default for CourseCache {
    fn default() -> Self {
        CourseCache {
            generation: AtomicU64::new(0),
            overview: Memo::default(),
            agreement: Memo::keeping(KEEP_COSTLY),
            results: Memo::keeping(KEEP_COSTLY),
            course_report: Memo::keeping(KEEP_COSTLY),
            course_report_body: Memo::keeping(KEEP_COSTLY),
            course_report_xlsx: Memo::keeping(KEEP_COSTLY),
            course_report_warming: std::sync::atomic::AtomicBool::new(false),
            page: std::sync::Mutex::new(None),
        }
    }
}

impl CourseCache {
    /// The current generation: it changes with every change made through
    /// the server.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets every figure after a change (an upload, a review, a
    /// release).
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// The dashboard page drawn for this overview and session, if kept.
    pub fn page(
        &self,
        overview: &Arc<crate::pages::Overview>,
        session: &str,
    ) -> Option<Arc<String>> {
        let page = self
            .page
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        page.as_ref()
            .filter(|(key, token, _)| *key == Arc::as_ptr(overview) as u64 && token == session)
            .map(|(_, _, html)| html.clone())
    }

    /// Keeps the dashboard page drawn for this overview and session.
    pub fn keep_page(
        &self,
        overview: &Arc<crate::pages::Overview>,
        session: &str,
        html: Arc<String>,
    ) {
        let mut page = self
            .page
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *page = Some((Arc::as_ptr(overview) as u64, session.to_string(), html));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[tokio::test]
    async fn many_requests_at_once_compute_a_figure_once_and_a_change_computes_it_again() {
        let cache = Arc::new(CourseCache::default());
        let computed = Arc::new(AtomicUsize::new(0));
        let ask = |cache: Arc<CourseCache>, computed: Arc<AtomicUsize>| async move {
            let generation = cache.generation();
            cache
                .results
                .get_or_compute(generation, || async {
                    computed.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok(Vec::new())
                })
                .await
                .expect("figure")
        };
        let tasks: Vec<_> = (0..64)
            .map(|_| tokio::spawn(ask(cache.clone(), computed.clone())))
            .collect();
        for task in tasks {
            task.await.expect("task");
        }
        assert_eq!(computed.load(Ordering::SeqCst), 1);
        cache.clear();
        ask(cache.clone(), computed.clone()).await;
        assert_eq!(computed.load(Ordering::SeqCst), 2);
    }
}
