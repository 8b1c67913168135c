//! Options of the review server and its accounts.

use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Data folder (a field book) [default: --book or the current one]
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Address and port to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Start on a temporary data folder with a demo course, reference and submissions
    #[arg(long)]
    pub demo: bool,
    /// With --demo: add a simulated class of N trainees, their work
    /// handed in and accepted, for the course report
    #[arg(long, value_name = "N", default_value_t = 0, requires = "demo")]
    pub class: usize,
    /// Largest accepted bundle, in MB
    #[arg(long, value_name = "MB", default_value_t = 500)]
    pub max_upload_mb: u64,
    /// Mark the session cookie Secure (when served over TLS by a proxy)
    #[arg(long)]
    pub secure_cookies: bool,
    /// Address of a reverse proxy in front of the server, whose
    /// X-Forwarded-For names the client (repeat for several); forwarded
    /// headers from anyone else are ignored
    #[arg(long = "trusted-proxy", value_name = "IP")]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve HTTPS with this certificate chain (PEM); the phone app needs
    /// HTTPS on any address but localhost. Give --tls-key too
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM)
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account; the password is asked for (or read from VOUSSOIR_PASSWORD)
    Add {
        /// User name
        name: String,
        /// instructor or trainee
        #[arg(long, value_name = "instructor|trainee")]
        role: String,
        /// Course code the account belongs to
        #[arg(long, value_name = "CODE")]
        course: Option<String>,
    },
    /// Create an account for every trainee of the course file that has none,
    /// with a generated password to hand out
    AddTrainees {
        /// Also write the names and passwords to this CSV file
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Change an account's password (ends its sessions)
    Passwd {
        /// User name
        name: String,
    },
    /// List the accounts
    List,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user; it is printed once
    Create {
        /// User name
        name: String,
        /// A label to recognise the token by (laptop, phone...)
        #[arg(long)]
        label: Option<String>,
        /// How many days it stays valid
        #[arg(long, value_name = "DAYS", default_value_t = 90)]
        days: u32,
    },
    /// List the API tokens (never their secret), of one user or all
    List {
        /// Only this user's
        name: Option<String>,
    },
    /// Revoke an API token by its id (from `voussoir token list`)
    Revoke {
        /// The token's id
        id: i64,
    },
}
