//! Receiving a bundle: the body is streamed to a temporary file of the
//! data folder with async file IO, counted against the upload cap as it
//! comes, then handed to the app crate as the trainee's next submission.
//! Nothing of an upload stays behind, accepted or not.

use tokio::io::AsyncWriteExt;
use voussoir_core::words::errors::english as said;

use voussoir_store::{Role, Submission};

use crate::auth::{self, Caller};
use crate::{AppError, AppState};

/// A bundle being received, written to a temporary file of the data
/// folder and counted as it streams in.
pub struct Upload {
    path: std::path::PathBuf,
    file: tokio::fs::File,
    written: u64,
}

impl Upload {
    pub async fn create(state: &AppState) -> Result<Upload, AppError> {
        let folder = state.config.data_dir.join("uploads");
        tokio::fs::create_dir_all(&folder).await?;
        let path = folder.join(format!("{}.zip.part", auth::random_token()?));
        let file = tokio::fs::File::create(&path).await?;
        Ok(Upload {
            path,
            file,
            written: 0,
        })
    }

    /// Appends a chunk, refusing the upload past the cap.
    pub async fn write(&mut self, chunk: &[u8], cap: u64) -> Result<(), AppError> {
        self.written += chunk.len() as u64;
        if self.written > cap {
            return Err(AppError::TooLarge(said(
                "server.bundle_too_big",
                &[("most", (cap / 1_000_000).to_string())],
            )));
        }
        Ok(self.file.write_all(chunk).await?)
    }

    /// Flushes what was written before the bundle is read.
    async fn finish(&mut self) -> Result<(), AppError> {
        Ok(self.file.flush().await?)
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        // Nothing of an upload stays behind, accepted or not.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Stores a received bundle as a new version of the caller's submission.
/// The longest an upload may go without sending a byte.
pub const BODY_IDLE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Awaits the next piece of a request body, refusing a client that sends
/// nothing for [`BODY_IDLE_TIMEOUT`] (a stalled upload must not hold its
/// file and connection for ever).
pub async fn next_in_time<T>(next: impl std::future::Future<Output = T>) -> Result<T, AppError> {
    tokio::time::timeout(BODY_IDLE_TIMEOUT, next)
        .await
        .map_err(|_| {
            AppError::BadRequest(said(
                "server.upload_stalled",
                &[("seconds", BODY_IDLE_TIMEOUT.as_secs().to_string())],
            ))
        })
}

pub async fn receive(
    state: &AppState,
    caller: &Caller,
    mut upload: Upload,
) -> Result<Submission, AppError> {
    upload.finish().await?;
    let dashboard = state.dashboard.clone();
    if caller.user.role != Role::Trainee {
        return Err(AppError::Forbidden(said("server.trainees_submit", &[])));
    }
    let trainee = caller.user.clone();
    let seen_by = caller.clone();
    let cap = state.config.max_upload_bytes;
    state
        .books
        .run(move |book| {
            let submission =
                voussoir_app::submission::submit_bundle(book, &trainee, &upload.path, cap)?;
            tracing::info!(
                "{} submitted {} version {} (#{})",
                trainee.name,
                submission.structure,
                submission.version,
                submission.id
            );
            drop(upload);
            dashboard.clear();
            crate::access::as_seen_by(book, &seen_by, submission)
        })
        .await
}
