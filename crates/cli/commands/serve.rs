//! `voussoir serve`: runs the review server on a data folder, or on a
//! temporary demo (`--demo`) with accounts for an instructor and two
//! trainees.

use anyhow::{bail, Context as _};
use std::io::IsTerminal;
use std::path::PathBuf;

use voussoir_server::auth::{hash_password, random_token};
use voussoir_server::{AppState, ServerConfig};
use voussoir_store::{FieldBook, Role};

use crate::args::ServeArgs;
use crate::context::Context;
use crate::outcome::Outcome;

fn data_dir(context: &Context, data: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match data {
        Some(dir) => Ok(dir),
        None => context.book_dir(),
    }
}

/// Demo accounts: (role, name).
const DEMO_ACCOUNTS: &[(Role, &str)] = &[
    (Role::Instructor, "claire"),
    (Role::Trainee, "alice"),
    (Role::Trainee, "bob"),
];

/// Builds the demo data folder: the demo field book, accounts, and the two
/// trainees' inspections as their submissions. Returns the logins.
pub fn build_demo(
    dir: &std::path::Path,
    class: usize,
) -> anyhow::Result<Vec<(Role, String, String)>> {
    let built = voussoir_app::demo::build(dir)?;
    let simulated = if class > 0 {
        voussoir_app::demo::add_class(dir, class)?.trainees
    } else {
        Vec::new()
    };
    let mut book = FieldBook::open(dir)?;
    let course = book.course()?.code;
    let mut logins = Vec::new();
    for (role, name) in DEMO_ACCOUNTS {
        let password = random_token()?[..12].to_string();
        let hash = hash_password(&password)?;
        book.add_user(name, *role, &hash, Some(&course))?;
        logins.push((*role, name.to_string(), password));
    }
    // Alice's and Bob's inspections become their submissions.
    for id in built.inspections {
        let inspection = book.inspection(id)?;
        if inspection.is_reference {
            continue;
        }
        let Some(trainee) = inspection
            .inspector
            .as_deref()
            .and_then(|name| book.user_by_name(name).ok().flatten())
        else {
            continue;
        };
        voussoir_app::submission::submit_stored(&mut book, &trainee, id)?;
    }
    // Claire has reviewed Alice's work and released the bridge's results:
    // Alice sees her comparison, mark and comments; Bob's borrowed photo
    // waits on Claire's dashboard.
    let claire = book
        .user_by_name("claire")?
        .ok_or_else(|| anyhow::anyhow!("the demo instructor is missing"))?;
    let alice_submission = book
        .submissions(None)?
        .into_iter()
        .find(|submission| submission.trainee == "alice")
        .ok_or_else(|| anyhow::anyhow!("the demo has no submission from alice"))?;
    book.review_submission(
        alice_submission.id,
        claire.id,
        voussoir_store::SubmissionStatus::Accepted,
        Some(15.5),
        "Bon relevé. La fissure de P1 est bien vue ; revoir le classement de l'affouillement de FND-P2.",
        &[],
    )?;
    book.release_results(&alice_submission.structure, claire.id)?;
    // The simulated class handed in and was accepted: the course report
    // speaks of a whole class. Their accounts have passwords nobody knows.
    for planted in simulated {
        let hash = hash_password(&random_token()?)?;
        book.add_user(&planted.name, Role::Trainee, &hash, Some(&course))?;
        let trainee = book
            .user_by_name(&planted.name)?
            .ok_or_else(|| anyhow::anyhow!("the simulated trainee {} is missing", planted.name))?;
        voussoir_app::submission::submit_stored(&mut book, &trainee, planted.inspection)?;
        let submission = book
            .submissions(None)?
            .into_iter()
            .find(|submission| submission.trainee == planted.name)
            .ok_or_else(|| anyhow::anyhow!("{} handed nothing in", planted.name))?;
        book.review_submission(
            submission.id,
            claire.id,
            voussoir_store::SubmissionStatus::Accepted,
            None,
            "",
            &[],
        )?;
    }
    Ok(logins)
}

pub fn serve(context: &Context, args: ServeArgs) -> anyhow::Result<Outcome> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if context.quiet { "warn" } else { "info" })
    });
    // Colour only for a person at a terminal, and never with NO_COLOR set
    // (https://no-color.org): log files and journals get plain text.
    let colour = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(colour)
        .try_init();

    let (dir, temporary) = if args.demo {
        let dir =
            std::env::temp_dir().join(format!("voussoir-serve-demo-{}", &random_token()?[..8]));
        (dir, true)
    } else {
        (data_dir(context, args.data.clone())?, false)
    };
    let logins = if temporary {
        build_demo(&dir, args.class)?
    } else {
        Vec::new()
    };
    if !temporary && FieldBook::open(&dir).is_err() {
        bail!("{} is not a data folder; create one with `voussoir init DIR` and `voussoir course load`", dir.display());
    }
    let mut config = ServerConfig::new(dir.clone());
    config.max_upload_bytes = args.max_upload_mb.saturating_mul(1_000_000);
    config.trusted_proxies = args.trusted_proxies.clone();
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(certificate), Some(key)) => Some(voussoir_server::TlsFiles {
            certificate: certificate.clone(),
            key: key.clone(),
        }),
        _ => None,
    };
    // Behind HTTPS the session cookie is marked Secure.
    config.secure_cookies = args.secure_cookies || tls.is_some();
    let state = AppState::open(config)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let shown = dir.clone();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.bind)
            .await
            .with_context(|| format!("listening on {}", args.bind))?;
        let address = listener.local_addr()?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        println!(
            "Voussoir review server on {scheme}://{address}/ (data: {}); the field app is at {scheme}://{address}/app/",
            shown.display()
        );
        for (role, name, password) in &logins {
            println!("demo login: {} {name} {password}", role.code());
        }
        use std::io::Write as _;
        std::io::stdout().flush()?;
        let shutdown = async {
            // Ctrl-C or a polite kill (SIGTERM) stop the server gracefully.
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let terminated = async {
                match terminate.as_mut() {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminated => {}
            }
            tracing::info!("shutting down");
        };
        match &tls {
            Some(tls) => {
                let listener = listener.into_std()?;
                voussoir_server::serve_tls(listener, tls, state, shutdown).await?;
            }
            None => voussoir_server::serve(listener, state, shutdown).await?,
        }
        anyhow::Ok(())
    })?;
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let mut outcome = Outcome::new(serde_json::Value::Null, String::new())?;
    outcome.silent = true;
    Ok(outcome)
}
