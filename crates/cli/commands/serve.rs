//! `voussoir serve`, `user add|passwd|list`, `token create` and `submit`:
//! the command-line side of the review server.

use anyhow::{bail, Context as _};
use serde::Serialize;
use std::path::PathBuf;

use voussoir_server::auth::{hash_password, random_token, token_hash};
use voussoir_server::{AppState, ServerConfig};
use voussoir_store::{FieldBook, Role};

use crate::args::{ServeArgs, TokenCommand, UserCommand};
use crate::context::Context;
use crate::outcome::{table, Outcome};

/// Reads a password from VOUSSOIR_PASSWORD, else asks for it twice.
fn read_password(name: &str) -> anyhow::Result<String> {
    if let Ok(password) = std::env::var("VOUSSOIR_PASSWORD") {
        if password.len() < 8 {
            bail!("VOUSSOIR_PASSWORD is shorter than 8 characters");
        }
        return Ok(password);
    }
    let first = rpassword::prompt_password(format!("Password for {name}: "))
        .context("reading the password (or set VOUSSOIR_PASSWORD)")?;
    if first.len() < 8 {
        bail!("the password must be at least 8 characters");
    }
    let second = rpassword::prompt_password("Again: ").context("reading the password")?;
    if first != second {
        bail!("the two passwords differ; nothing changed");
    }
    Ok(first)
}

fn data_dir(context: &Context, data: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match data {
        Some(dir) => Ok(dir),
        None => context.book_dir(),
    }
}

pub fn user(context: &Context, command: UserCommand) -> anyhow::Result<Outcome> {
    let mut book = context.open_book()?;
    match command {
        UserCommand::Add { name, role, course } => {
            let role = Role::parse(&role)
                .with_context(|| format!("unknown role `{role}`; use instructor or trainee"))?;
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                || name.is_empty()
            {
                bail!("a user name is letters, digits, '-' or '_'");
            }
            let password = read_password(&name)?;
            let hash = hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
            let user = book.add_user(&name, role, &hash, course.as_deref())?;
            let mut text = format!("Added {} {}\n", role.code(), user.name);
            if role == Role::Trainee {
                let known = book
                    .course()
                    .map(|course| {
                        course
                            .trainees
                            .iter()
                            .any(|trainee| trainee.name.eq_ignore_ascii_case(&name))
                    })
                    .unwrap_or(true);
                if !known {
                    text.push_str("Note: this name is not among the course file's trainees.\n");
                }
            }
            Outcome::new(user, text)
        }
        UserCommand::AddTrainees { output } => {
            let course = book.course()?;
            let mut created = Vec::new();
            for trainee in &course.trainees {
                if book.user_by_name(&trainee.name)?.is_some() {
                    continue;
                }
                let password =
                    random_token().map_err(|error| anyhow::anyhow!("{error}"))?[..12].to_string();
                let hash = hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
                book.add_user(&trainee.name, Role::Trainee, &hash, Some(&course.code))?;
                created.push((
                    trainee.name.clone(),
                    trainee.full_name.clone().unwrap_or_default(),
                    password,
                ));
            }
            if let Some(path) = &output {
                let mut writer = csv::Writer::from_path(path)
                    .with_context(|| format!("creating {}", path.display()))?;
                writer.write_record(["user", "full_name", "password"])?;
                for (name, full_name, password) in &created {
                    writer.write_record([name, full_name, password])?;
                }
                writer
                    .flush()
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            let mut rows = vec![vec![
                "USER".to_string(),
                "NAME".to_string(),
                "PASSWORD".to_string(),
            ]];
            for (name, full_name, password) in &created {
                rows.push(vec![name.clone(), full_name.clone(), password.clone()]);
            }
            let mut text = format!(
                "Created {} trainee account(s) for course {}; hand each their password (shown once):\n",
                created.len(),
                course.code
            );
            if !created.is_empty() {
                text.push_str(&table(&rows));
            }
            #[derive(Serialize)]
            struct Account {
                user: String,
                full_name: String,
                password: String,
            }
            let accounts: Vec<Account> = created
                .into_iter()
                .map(|(user, full_name, password)| Account {
                    user,
                    full_name,
                    password,
                })
                .collect();
            Outcome::new(accounts, text)
        }
        UserCommand::Passwd { name } => {
            let password = read_password(&name)?;
            let hash = hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
            book.set_password(&name, &hash)?;
            #[derive(Serialize)]
            struct Changed {
                user: String,
            }
            Outcome::new(
                Changed { user: name.clone() },
                format!("Changed the password of {name}; their sessions are closed\n"),
            )
        }
        UserCommand::List => {
            let users = book.users()?;
            let mut rows = vec![vec![
                "NAME".to_string(),
                "ROLE".to_string(),
                "COURSE".to_string(),
            ]];
            for user in &users {
                rows.push(vec![
                    user.name.clone(),
                    user.role.code().to_string(),
                    user.course.clone().unwrap_or_default(),
                ]);
            }
            Outcome::new(&users, table(&rows))
        }
    }
}

pub fn token(context: &Context, command: TokenCommand) -> anyhow::Result<Outcome> {
    let TokenCommand::Create { name, label } = command;
    let mut book = context.open_book()?;
    let user = book
        .user_by_name(&name)?
        .with_context(|| format!("no user `{name}`; add one with `voussoir user add`"))?;
    let token = random_token().map_err(|error| anyhow::anyhow!("{error}"))?;
    book.create_api_token(user.id, &token_hash(&token), label.as_deref())?;
    #[derive(Serialize)]
    struct Created {
        user: String,
        token: String,
    }
    let text = format!("API token for {name} (shown once, keep it secret):\n{token}\n");
    Outcome::new(Created { user: name, token }, text)
}

/// `voussoir submit`: builds the bundle and uploads it.
pub fn submit(
    context: &Context,
    server: &str,
    token: &str,
    inspection: Option<i64>,
) -> anyhow::Result<Outcome> {
    let book = context.open_book()?;
    let id = super::chosen_inspection(&book, inspection)?;
    let data = voussoir_server::review::load_inspection_data(&book, id)?;
    let media = book.media_dir();
    let reader = move |relative: &str| -> Option<Vec<u8>> {
        if relative.contains("..") {
            return None;
        }
        std::fs::read(media.join(relative)).ok()
    };
    let mut bytes = std::io::Cursor::new(Vec::new());
    voussoir_export::bundle::write_bundle(&data, &reader, &mut bytes)?;
    let url = format!("{}/api/submissions", server.trim_end_matches('/'));
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let mut response = agent
        .post(&url)
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/zip")
        .send(bytes.into_inner())
        .with_context(|| format!("sending the bundle to {url}"))?;
    let status = response.status();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    if !status.is_success() {
        bail!(
            "the server refused the submission ({status}): {}",
            body.trim()
        );
    }
    let submission: serde_json::Value =
        serde_json::from_str(&body).context("reading the server's answer")?;
    let text = format!(
        "Submitted inspection #{id}: submission #{} version {} of {}, status {}\n",
        submission["id"],
        submission["version"],
        submission["structure"].as_str().unwrap_or("?"),
        submission["status"].as_str().unwrap_or("?")
    );
    Outcome::new(submission, text)
}

/// Demo accounts: (role, name).
const DEMO_ACCOUNTS: &[(Role, &str)] = &[
    (Role::Instructor, "claire"),
    (Role::Trainee, "alice"),
    (Role::Trainee, "bob"),
];

/// Builds the demo data folder: the demo field book, accounts, and the two
/// trainees' inspections as submissions. Returns the logins.
pub fn build_demo(dir: &std::path::Path) -> anyhow::Result<Vec<(Role, String, String)>> {
    let quiet = Context {
        book: Some(dir.to_path_buf()),
        json: true,
        quiet: true,
        verbose: false,
    };
    super::demo::run(&quiet, Some(dir.to_path_buf()))?;
    let mut book = FieldBook::open(dir)?;
    let course = book.course()?.code;
    let mut logins = Vec::new();
    for (role, name) in DEMO_ACCOUNTS {
        let password =
            random_token().map_err(|error| anyhow::anyhow!("{error}"))?[..12].to_string();
        let hash = hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
        book.add_user(name, *role, &hash, Some(&course))?;
        logins.push((*role, name.to_string(), password));
    }
    // Alice's and Bob's inspections (#2 and #3) become their submissions.
    for inspection in book.inspections()? {
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
        let suggested =
            voussoir_server::review::suggested_mark(&book, &inspection.structure, inspection.id)?;
        book.add_submission(trainee.id, &inspection.structure, inspection.id, suggested)?;
    }
    Ok(logins)
}

pub fn serve(context: &Context, args: ServeArgs) -> anyhow::Result<Outcome> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(if context.quiet { "warn" } else { "info" })
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();

    let (dir, temporary) = if args.demo {
        let dir = std::env::temp_dir().join(format!(
            "voussoir-serve-demo-{}",
            &random_token().map_err(|error| anyhow::anyhow!("{error}"))?[..8]
        ));
        (dir, true)
    } else {
        (data_dir(context, args.data.clone())?, false)
    };
    let logins = if temporary {
        build_demo(&dir)?
    } else {
        Vec::new()
    };
    if !temporary && FieldBook::open(&dir).is_err() {
        bail!("{} is not a data folder; create one with `voussoir init DIR` and `voussoir course load`", dir.display());
    }
    let mut config = ServerConfig::new(dir.clone());
    config.max_upload_bytes = args.max_upload_mb.saturating_mul(1_000_000);
    config.secure_cookies = args.secure_cookies;
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
        println!(
            "Voussoir review server on http://{address}/ (data: {})",
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
        voussoir_server::serve(listener, state, shutdown).await?;
        anyhow::Ok(())
    })?;
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let mut outcome = Outcome::new(serde_json::Value::Null, String::new())?;
    outcome.silent = true;
    Ok(outcome)
}
