//! A few open connections to the data folder, so that page requests do not
//! queue behind each other (WAL lets readers run beside one writer). Store
//! calls run on tokio's blocking threads: SQLite blocks.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use voussoir_store::FieldBook;

use crate::AppError;

#[derive(Clone)]
pub struct BookPool {
    books: Arc<Vec<Mutex<FieldBook>>>,
    next: Arc<AtomicUsize>,
}

impl BookPool {
    pub fn open(dir: &Path, size: usize) -> Result<BookPool, voussoir_store::StoreError> {
        let books = (0..size.max(1))
            .map(|_| FieldBook::open(dir).map(Mutex::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(BookPool {
            books: Arc::new(books),
            next: Arc::new(AtomicUsize::new(0)),
        })
    }

    /// Runs `work` with one connection on a blocking thread.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut FieldBook) -> Result<T, AppError> + Send + 'static,
    {
        let pool = self.clone();
        tokio::task::spawn_blocking(move || {
            let count = pool.books.len();
            let start = pool.next.fetch_add(1, Ordering::Relaxed);
            // Take the first free connection, else wait for ours.
            for offset in 0..count {
                if let Ok(mut book) = pool.books[(start + offset) % count].try_lock() {
                    return work(&mut book);
                }
            }
            let mut book = match pool.books[start % count].lock() {
                Ok(book) => book,
                Err(poisoned) => poisoned.into_inner(),
            };
            work(&mut book)
        })
        .await
        .map_err(|error| AppError::Internal(format!("a store task failed: {error}")))?
    }
}
