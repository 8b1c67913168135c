//! A few open connections to the data folder, so that page requests do not
//! queue behind each other (WAL lets readers run beside one writer). Store
//! calls run on tokio's blocking threads: SQLite blocks. A request waits
//! for a free connection in a fair queue (first come, first served,
//! waiting without a thread), never behind one particular busy connection.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::sync::Semaphore;
use voussoir_store::FieldBook;

use crate::AppError;

#[derive(Clone)]
pub struct BookPool {
    /// The connections not in use.
    free: Arc<Mutex<Vec<FieldBook>>>,
    /// One permit per connection: holding one guarantees a free connection.
    permits: Arc<Semaphore>,
}

/// A connection taken from the pool, given back when dropped.
struct Taken {
    book: Option<FieldBook>,
    free: Arc<Mutex<Vec<FieldBook>>>,
}

impl Drop for Taken {
    fn drop(&mut self) {
        if let Some(book) = self.book.take() {
            let mut free = self
                .free
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            free.push(book);
        }
    }
}

impl BookPool {
    pub fn open(dir: &Path, size: usize) -> Result<BookPool, voussoir_store::StoreError> {
        let books = (0..size.max(1))
            .map(|_| FieldBook::open(dir))
            .collect::<Result<Vec<_>, _>>()?;
        let count = books.len();
        Ok(BookPool {
            free: Arc::new(Mutex::new(books)),
            permits: Arc::new(Semaphore::new(count)),
        })
    }

    /// Runs `work` with one connection on a blocking thread.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut FieldBook) -> Result<T, AppError> + Send + 'static,
    {
        // The permit is given back after the connection (fields drop in
        // order), so a woken waiter always finds one free.
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal("the connection pool is closed".to_string()))?;
        let book = {
            let mut free = self
                .free
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            free.pop()
        }
        .ok_or_else(|| AppError::Internal("no free connection under a permit".to_string()))?;
        let mut taken = Taken {
            book: Some(book),
            free: self.free.clone(),
        };
        tokio::task::spawn_blocking(move || {
            let result = match taken.book.as_mut() {
                Some(book) => work(book),
                None => Err(AppError::Internal("a connection went missing".to_string())),
            };
            drop(taken);
            drop(permit);
            result
        })
        .await
        .map_err(|error| AppError::Internal(format!("a store task failed: {error}")))?
    }
}
