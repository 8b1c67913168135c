//! `voussoir user add|add-trainees|passwd|list` and `token create`: the
//! review server's accounts, managed from the command line.

use anyhow::{bail, Context as _};
use serde::Serialize;

use voussoir_server::auth::{hash_password, random_token, token_hash};
use voussoir_store::Role;

use crate::args::{TokenCommand, UserCommand};
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
            let hash = hash_password(&password)?;
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
                let password = random_token()?[..12].to_string();
                let hash = hash_password(&password)?;
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
                writer.write_record(voussoir_export::csv_safe::safe_record([
                    "user",
                    "full_name",
                    "password",
                ]))?;
                for (name, full_name, password) in &created {
                    writer.write_record(voussoir_export::csv_safe::safe_record([
                        name, full_name, password,
                    ]))?;
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
            let hash = hash_password(&password)?;
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
    let mut book = context.open_book()?;
    match command {
        TokenCommand::Create { name, label, days } => {
            if !(1..=3650).contains(&days) {
                bail!("--days {days}: give 1 to 3650 days");
            }
            let user = book
                .user_by_name(&name)?
                .with_context(|| format!("no user `{name}`; add one with `voussoir user add`"))?;
            let token = random_token()?;
            let expires_at = jiff::Timestamp::now()
                .checked_add(jiff::SignedDuration::from_hours(24 * i64::from(days)))?
                .to_string();
            let id =
                book.create_api_token(user.id, &token_hash(&token), label.as_deref(), &expires_at)?;
            #[derive(Serialize)]
            struct Created {
                id: i64,
                user: String,
                token: String,
                expires_at: String,
            }
            let scope = if user.role == Role::Trainee {
                "it submits and reads this trainee's own work"
            } else {
                "it reads the JSON API"
            };
            let text = format!(
                "API token #{id} for {name}, valid until {expires_at}; {scope} (shown once, keep it secret):\n{token}\n"
            );
            Outcome::new(
                Created {
                    id,
                    user: name,
                    token,
                    expires_at,
                },
                text,
            )
        }
        TokenCommand::List { name } => {
            let tokens = book.api_tokens(name.as_deref())?;
            let rows: Vec<Vec<String>> = tokens
                .iter()
                .map(|token| {
                    vec![
                        format!("#{}", token.id),
                        token.user.clone(),
                        token.label.clone().unwrap_or_default(),
                        token.created_at.chars().take(16).collect(),
                        token.expires_at.chars().take(16).collect(),
                    ]
                })
                .collect();
            let text = if tokens.is_empty() {
                "No API token.\n".to_string()
            } else {
                let mut all = vec![vec![
                    "id".to_string(),
                    "user".to_string(),
                    "label".to_string(),
                    "created".to_string(),
                    "expires".to_string(),
                ]];
                all.extend(rows);
                table(&all)
            };
            Outcome::new(tokens, text)
        }
        TokenCommand::Revoke { id } => {
            book.revoke_api_token(id)?;
            Outcome::new(
                serde_json::json!({"revoked": id}),
                format!("Revoked API token #{id}.\n"),
            )
        }
    }
}
