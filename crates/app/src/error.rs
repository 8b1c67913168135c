//! What can go wrong in a unit of work, split by whose fault it is: the
//! user's input (`Invalid`, `Refused`), which a front end shows as it is,
//! or the machine's (`Store`, `Io`), which a server logs and hides.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request cannot be done as asked; the message says what to do.
    #[error("{0}")]
    Invalid(String),
    /// A file offered for import was refused whole; nothing was stored.
    #[error("{file} refused, nothing imported: {reason}")]
    Refused { file: String, reason: String },
    #[error(transparent)]
    Store(#[from] voussoir_store::StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
        let path = path.into();
        move |source| Error::Io { path, source }
    }

    /// Whether the user (not the machine) is at fault.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Invalid(_) | Error::Refused { .. } => true,
            Error::Store(store) => matches!(
                store,
                voussoir_store::StoreError::NotFound(_)
                    | voussoir_store::StoreError::Conflict(_)
                    | voussoir_store::StoreError::NoCourse
                    | voussoir_store::StoreError::NotAFieldBook(_)
                    | voussoir_store::StoreError::AlreadyExists(_)
                    | voussoir_store::StoreError::TooNew { .. }
            ),
            Error::Io { .. } => false,
        }
    }
}

impl From<voussoir_core::model::UnknownCode> for Error {
    fn from(error: voussoir_core::model::UnknownCode) -> Self {
        Error::Invalid(error.to_string())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
