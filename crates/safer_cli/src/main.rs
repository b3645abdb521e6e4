//! `safer`: the command line. Serves the web application, loads the demo, migrates, manages
//! users, and backs up and restores the embedded database.
//!
//! Every subcommand that touches data takes `--database URL` or `SAFER_DATABASE_URL`:
//! `sqlite://PATH` (the default, `sqlite://safer.db`) or `postgres://…`.

mod export;
mod import;
mod report;
mod spc;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use safer_core::access::Role;
use safer_core::organisations::OrganisationKind;
use safer_store::{Author, Backend, Db, backup, demo, organisations, passwords, users};
use safer_web::{AppState, WebConfig};
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "safer",
    version,
    about = "The community safety system of record: plans, funding, performance and scrutiny."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct DatabaseArg {
    /// The database: sqlite://PATH or postgres://USER@HOST/NAME.
    #[arg(
        long = "database",
        env = "SAFER_DATABASE_URL",
        default_value = "sqlite://safer.db",
        global = true
    )]
    url: String,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "SAFER_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// The organisation named in the page header; by default the first policing body in the database.
    #[arg(long, env = "SAFER_ORGANISATION_NAME")]
    organisation_name: Option<String>,
    /// Send cookies without the Secure flag. Only for plain HTTP on a host other than localhost.
    #[arg(long, env = "SAFER_INSECURE_COOKIES")]
    insecure_cookies: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Create a fresh database filled with demo data from the seed papers, then serve it.
    Demo {
        /// The address to listen on.
        #[arg(long, env = "SAFER_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// The database to create: by default a new SQLite file in the working directory, replaced
        /// on every run. Deliberately not read from SAFER_DATABASE_URL, so that a demo can never
        /// replace a real database.
        #[arg(long = "database", default_value = "sqlite://safer-demo.db")]
        url: String,
        /// Send cookies without the Secure flag.
        #[arg(long)]
        insecure_cookies: bool,
        /// The demo's open data (ONS lookups and police.uk files): the repository's demo-data
        /// folder.
        #[arg(long = "data", default_value = "demo-data")]
        data: PathBuf,
    },
    /// Serve the web application (migrating the database first).
    Serve {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(flatten)]
        serve: ServeArgs,
    },
    /// Bring the database schema up to date.
    Migrate {
        #[command(flatten)]
        database: DatabaseArg,
    },
    /// Manage user accounts.
    User {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Write a consistent copy of the live SQLite database to FILE (for PostgreSQL, use pg_dump).
    Backup {
        #[command(flatten)]
        database: DatabaseArg,
        /// Where to write the backup; must not exist.
        file: PathBuf,
    },
    /// Add organisations: the policing body, its partnerships and partner organisations.
    Org {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Add plans: a Police and Crime Plan or a Partnership Plan.
    Plan {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: PlanCommand,
    },
    /// Import police.uk data, ONS geography lookups and populations.
    Import {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: import::ImportCommand,
    },
    /// Reports written to files, e.g. the performance report for a board agenda.
    Report {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Open data written to files, e.g. the grants in the 360Giving Data Standard.
    Export {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: export::ExportCommand,
    },
    /// Statistical process control for series in a CSV file.
    Spc {
        #[command(subcommand)]
        command: SpcCommand,
    },
    /// Personal values whose retention has ended: list them (--dry-run) or erase them (--apply),
    /// one record at a time, each erasure audited.
    #[command(group(clap::ArgGroup::new("mode").required(true).args(["dry_run", "apply"])))]
    Retention {
        #[command(flatten)]
        database: DatabaseArg,
        /// List what is due, and change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Erase what is due.
        #[arg(long)]
        apply: bool,
    },
    /// Check the audit log: that no event has been changed, removed or inserted.
    Audit {
        #[command(flatten)]
        database: DatabaseArg,
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Replace the SQLite database with a backup, after checking it. Stop safer first.
    Restore {
        #[command(flatten)]
        database: DatabaseArg,
        /// The backup to restore.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum KindArg {
    /// The Office of the Police and Crime Commissioner for a police force area.
    PolicingBody,
    /// A Community Safety Partnership.
    Partnership,
    /// A council, health body, charity or other partner agency.
    Partner,
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Add an organisation.
    Add {
        /// Its name, as it should appear on pages.
        #[arg(long)]
        name: String,
        /// What kind of body it is.
        #[arg(long, value_enum)]
        kind: KindArg,
        /// For a partnership or partner: the policing body whose area it is in, by name.
        #[arg(long)]
        policing_body: Option<String>,
        /// For a policing body: its police force area as ONS-CODE,NAME (e.g. E23000014,West Midlands).
        #[arg(long)]
        force_area: Option<String>,
        /// For a partnership: a local authority area it covers as ONS-CODE,NAME; repeat for each.
        #[arg(long)]
        area: Vec<String>,
    },
}

#[derive(Subcommand)]
enum PlanCommand {
    /// Add a plan for an organisation: a Police and Crime Plan for a policing body, a Partnership
    /// Plan for a partnership. Priorities, deliverables and milestones are then added on its page.
    Add {
        /// The organisation, by its exact name.
        #[arg(long)]
        organisation: String,
        /// The plan's title, e.g. "Police and Crime Plan 2026/27".
        #[arg(long)]
        title: String,
        /// The first day it covers (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// The last day it covers (YYYY-MM-DD).
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the audit log's hash chain from the first event and name the first event that does
    /// not match, or say how many were verified. Prints the chain's head, to record elsewhere.
    Verify,
}

#[derive(Subcommand)]
enum SpcCommand {
    /// Analyse every series in a CSV file (period,value[,denominator][,series]): control limits,
    /// special causes, phases and narrative, as JSON, CSV or text.
    Analyse(spc::AnalyseArgs),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a user. The password is read from standard input, or asked for at a terminal.
    Add {
        /// Their e-mail address; they sign in with it.
        #[arg(long)]
        email: String,
        /// Their name.
        #[arg(long)]
        name: String,
        /// A role to give them: administrator, opcc_officer, decision_maker, partnership_manager, partnership_member or board_member.
        #[arg(long, requires = "organisation")]
        role: Option<String>,
        /// The organisation the role is held in, by its exact name.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Give an existing user a role in an organisation.
    Grant {
        /// Their e-mail address.
        #[arg(long)]
        email: String,
        /// The role (see `user add --help`).
        #[arg(long)]
        role: String,
        /// The organisation, by its exact name.
        #[arg(long)]
        organisation: String,
    },
    /// Set a user's password (read from standard input, or asked for at a terminal). Ends their sessions.
    SetPassword {
        /// Their e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Stop a user signing in, and end their sessions.
    Disable {
        /// Their e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Let a disabled user sign in again.
    Enable {
        /// Their e-mail address.
        #[arg(long)]
        email: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SAFER_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The message and its causes on one line; never a backtrace meant for developers.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Demo {
            bind,
            url,
            insecure_cookies,
            data,
        } => run_demo(&bind, &url, insecure_cookies, &data).await,
        Command::Serve { database, serve } => {
            let db = create(&database.url).await?;
            run_server(db, &serve, None).await
        }
        Command::Migrate { database } => {
            create(&database.url).await?;
            println!("The database is up to date.");
            Ok(())
        }
        Command::User { database, command } => run_user(&open(&database.url).await?, command).await,
        Command::Backup { database, file } => {
            let db = open(&database.url).await?;
            backup::backup(&db, &file).await?;
            backup::check(&file).await?;
            println!("Backed up to {} and checked its integrity.", file.display());
            Ok(())
        }
        Command::Org { database, command } => run_org(&open(&database.url).await?, command).await,
        Command::Plan { database, command } => run_plan(&open(&database.url).await?, command).await,
        Command::Import { database, command } => {
            import::run(&open(&database.url).await?, command).await
        }
        Command::Export { database, command } => {
            export::run(&open(&database.url).await?, command).await
        }
        Command::Report { database, command } => {
            report::run(&open(&database.url).await?, command).await
        }
        Command::Spc {
            command: SpcCommand::Analyse(args),
        } => {
            if spc::analyse_command(&args)? {
                Ok(())
            } else {
                bail!("some series could not be analysed")
            }
        }
        Command::Retention {
            database, apply, ..
        } => retention(&open(&database.url).await?, apply).await,
        Command::Audit {
            database,
            command: AuditCommand::Verify,
        } => audit_verify(&open(&database.url).await?).await,
        Command::Restore { database, file } => {
            let backend = if database.url.starts_with("postgres") {
                Backend::Postgres
            } else {
                Backend::Sqlite
            };
            backup::restore(&file, &database.url, backend).await?;
            println!("Restored {} from {}.", database.url, file.display());
            Ok(())
        }
    }
}

async fn retention(db: &Db, apply: bool) -> Result<()> {
    use safer_store::retention::{self, RULES};
    if RULES.is_empty() {
        println!("No record type safer holds has a retention rule yet, so nothing is due.");
        return Ok(());
    }
    let today = safer_store::clock::today();
    let records = if apply {
        retention::erase(
            db,
            RULES,
            today,
            &Author::system("command line: safer retention"),
        )
        .await?
    } else {
        retention::due(db, RULES, today).await?
    };
    for r in &records {
        println!("{} {}: kept from {}", r.record_type, r.id, r.counted_from);
    }
    let count = safer_core::numbers::thousands(records.len() as u64);
    if apply {
        println!("{count} records past their retention had their personal values erased.");
    } else {
        println!("{count} records are past their retention; --apply erases their personal values.");
    }
    Ok(())
}

async fn audit_verify(db: &Db) -> Result<()> {
    let report = safer_store::audit::verify(db).await?;
    let count = safer_core::numbers::thousands(report.verified);
    if let Some((event, why)) = report.broken {
        bail!("audit event {event} does not match: {why}. The {count} events before it verified.");
    }
    println!(
        "Verified {count} audit events: none has been changed, removed or inserted{}.",
        match report.erased_payloads {
            0 => String::new(),
            n => format!(
                " ({} had personal values erased at the end of their retention; their hashes still chain)",
                safer_core::numbers::thousands(n)
            ),
        }
    );
    println!("The chain's head is {}.", report.head);
    Ok(())
}

/// Connects to a database that must exist, and migrates it: every command but `migrate`,
/// `serve` and `demo`, so that a mistyped path is refused rather than made a new database.
async fn open(url: &str) -> Result<Db> {
    migrated(Db::connect_existing(url).await, url).await
}

/// Connects, creating an SQLite database that does not exist yet, and migrates.
async fn create(url: &str) -> Result<Db> {
    migrated(Db::connect(url).await, url).await
}

async fn migrated(db: Result<Db, safer_store::StoreError>, url: &str) -> Result<Db> {
    let db = db.with_context(|| format!("could not open the database {url}"))?;
    db.migrate()
        .await
        .context("could not bring the database schema up to date")?;
    Ok(db)
}

async fn run_demo(bind: &str, url: &str, insecure_cookies: bool, data: &Path) -> Result<()> {
    if !url.starts_with("postgres") {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        for file in [
            path.to_owned(),
            format!("{path}-wal"),
            format!("{path}-shm"),
        ] {
            match std::fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("could not remove the old demo database {file}"));
                }
            }
        }
    }
    let db = create(url).await?;
    if !organisations::list(&db).await?.is_empty() {
        bail!("the demo needs an empty database, and {url} already holds data");
    }
    eprintln!("Loading the demo data…");
    demo::load(&db)
        .await
        .context("could not load the demo data")?;
    if data.is_dir() {
        eprintln!(
            "Importing the demo's police.uk data and ONS lookups from {}…",
            data.display()
        );
        let author = safer_store::Author::system("demo data");
        let report = safer_import::demo::load(&db, data, &author, &mut import::show_progress)
            .await
            .with_context(|| format!("could not import the demo data in {}", data.display()))?;
        eprintln!(
            "Imported {} police.uk rows from {} files.",
            safer_core::numbers::thousands(report.rows()),
            report.files.len()
        );
    } else {
        eprintln!(
            "No demo data folder at {}: the performance pages will have no police.uk data. \
             Run the demo with scripts/demo, or pass --data PATH/TO/demo-data.",
            data.display()
        );
    }
    let serve = ServeArgs {
        bind: bind.to_owned(),
        organisation_name: Some(demo::HOST_ORGANISATION.to_owned()),
        insecure_cookies,
    };
    let accounts = demo::ACCOUNTS
        .iter()
        .map(|a| format!("  {:<40} {} ({})", a.email, a.role.label(), a.organisation))
        .collect::<Vec<_>>()
        .join("\n");
    let notice = format!(
        "Demo accounts (password for all: {}):\n{accounts}",
        demo::DEMO_PASSWORD
    );
    run_server(db, &serve, Some(notice)).await
}

async fn run_server(db: Db, args: &ServeArgs, notice: Option<String>) -> Result<()> {
    let organisation_name = match &args.organisation_name {
        Some(name) => name.clone(),
        None => organisations::list(&db)
            .await?
            .into_iter()
            .find(|o| o.kind == safer_core::organisations::OrganisationKind::PolicingBody)
            .map(|o| o.name)
            .unwrap_or_else(|| "safer".to_owned()),
    };
    let config = WebConfig {
        organisation_name,
        secure_cookies: !args.insecure_cookies,
        ..WebConfig::default()
    };
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("could not listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    println!("safer is running. Open http://{address}/ in a browser.");
    if let Some(notice) = notice {
        println!("{notice}");
    }
    println!("Press Ctrl+C to stop.");
    safer_web::serve(
        listener,
        AppState::new(db.clone(), config),
        shutdown_signal(),
    )
    .await?;
    db.close().await;
    println!("safer has stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The organisation with this exact name, or an error that names it.
async fn find_organisation(db: &Db, name: &str) -> Result<organisations::Organisation> {
    organisations::find_by_name(db, name)
        .await?
        .with_context(|| format!("there is no organisation called {name:?}"))
}

/// Splits `CODE,NAME` as given on the command line.
fn code_and_name(flag: &str, text: &str) -> Result<(String, String)> {
    match text.split_once(',') {
        Some((code, name)) if !code.trim().is_empty() && !name.trim().is_empty() => {
            Ok((code.trim().to_owned(), name.trim().to_owned()))
        }
        _ => bail!(
            "{flag} {text:?}: give the ONS code and the name separated by a comma, e.g. E08000029,Solihull"
        ),
    }
}

async fn run_org(db: &Db, command: OrgCommand) -> Result<()> {
    let author = Author::system("command line");
    let OrgCommand::Add {
        name,
        kind,
        policing_body,
        force_area,
        area,
    } = command;
    let kind = match kind {
        KindArg::PolicingBody => OrganisationKind::PolicingBody,
        KindArg::Partnership => OrganisationKind::Partnership,
        KindArg::Partner => OrganisationKind::Partner,
    };
    let parent = match (&policing_body, kind) {
        (Some(_), OrganisationKind::PolicingBody) => bail!(
            "a policing body is not in another policing body's area; leave out --policing-body"
        ),
        (None, OrganisationKind::PolicingBody) => None,
        (None, _) => bail!("say which policing body's area it is in with --policing-body NAME"),
        (Some(body), _) => {
            let org = find_organisation(db, body).await?;
            if org.kind != OrganisationKind::PolicingBody {
                bail!("{body:?} is not a policing body");
            }
            Some(org.id)
        }
    };
    if force_area.is_some() && kind != OrganisationKind::PolicingBody {
        bail!("only a policing body has a police force area");
    }
    if !area.is_empty() && kind != OrganisationKind::Partnership {
        bail!("only a partnership covers local authority areas");
    }
    let force_area = force_area
        .as_deref()
        .map(|f| code_and_name("--force-area", f))
        .transpose()?;
    let areas = area
        .iter()
        .map(|a| code_and_name("--area", a))
        .collect::<Result<Vec<_>>>()?;
    let new = organisations::NewOrganisation {
        kind,
        name: name.trim(),
        policing_body_id: parent,
        force_area: force_area.as_ref().map(|(c, n)| (c.as_str(), n.as_str())),
    };
    let id = organisations::create(db, &author, &new).await?;
    for (code, area_name) in &areas {
        organisations::add_area(db, &author, id, code, area_name).await?;
    }
    println!("Added {} ({}).", name.trim(), kind.label());
    Ok(())
}

async fn run_plan(db: &Db, command: PlanCommand) -> Result<()> {
    let PlanCommand::Add {
        organisation,
        title,
        from,
        to,
    } = command;
    let org = find_organisation(db, &organisation).await?;
    let kind = match org.kind {
        OrganisationKind::PolicingBody => safer_core::plans::PlanKind::PoliceAndCrime,
        OrganisationKind::Partnership => safer_core::plans::PlanKind::Partnership,
        OrganisationKind::Partner => bail!(
            "{organisation:?} is a partner organisation; plans belong to a policing body or a partnership"
        ),
    };
    let date = |flag: &str, text: &str| -> Result<jiff::civil::Date> {
        text.trim()
            .parse()
            .with_context(|| format!("{flag} {text:?}: give a date as YYYY-MM-DD"))
    };
    let (from, to) = (date("--from", &from)?, date("--to", &to)?);
    if title.trim().is_empty() {
        bail!("give the plan a --title");
    }
    let id = safer_store::plans::create_plan(
        db,
        &Author::system("command line"),
        org.id,
        kind,
        title.trim(),
        from,
        to,
    )
    .await?;
    println!(
        "Added the plan {:?} for {}: /plans/{id}",
        title.trim(),
        org.name
    );
    Ok(())
}

/// Reads a new password: prompted without echo at a terminal, else the first line of standard input.
fn read_new_password() -> Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("New password: ")?;
        let second = rpassword::prompt_password("Confirm new password: ")?;
        if first != second {
            bail!("the passwords do not match");
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    passwords::check_new(&password).map_err(anyhow::Error::msg)?;
    Ok(password)
}

fn parse_role(role: &str) -> Result<Role> {
    Role::parse(role).with_context(|| {
        let names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("{role:?} is not a role; use one of {}", names.join(", "))
    })
}

async fn find_user(db: &Db, email: &str) -> Result<users::UserRecord> {
    users::find_by_email(db, email)
        .await?
        .with_context(|| format!("there is no user with the e-mail address {email}"))
}

async fn grant(
    db: &Db,
    author: &Author,
    user_id: i64,
    role: &str,
    organisation: &str,
) -> Result<()> {
    let role = parse_role(role)?;
    let org = find_organisation(db, organisation).await?;
    users::add_membership(db, author, user_id, org.id, role).await?;
    Ok(())
}

async fn run_user(db: &Db, command: UserCommand) -> Result<()> {
    let author = Author::system("command line");
    match command {
        UserCommand::Add {
            email,
            name,
            role,
            organisation,
        } => {
            if let Some(role) = &role {
                parse_role(role)?;
            }
            let password = read_new_password()?;
            let hash = passwords::hash_blocking(password)
                .await
                .map_err(anyhow::Error::msg)?;
            let id = users::create(db, &author, &email, &name, &hash).await?;
            if let (Some(role), Some(organisation)) = (role, organisation) {
                grant(db, &author, id, &role, &organisation).await?;
            }
            println!("Added {name} <{}>.", users::normalise_email(&email));
        }
        UserCommand::Grant {
            email,
            role,
            organisation,
        } => {
            let user = find_user(db, &email).await?;
            grant(db, &author, user.id, &role, &organisation).await?;
            println!("{} is now {role} in {organisation}.", user.email);
        }
        UserCommand::SetPassword { email } => {
            let user = find_user(db, &email).await?;
            let hash = passwords::hash_blocking(read_new_password()?)
                .await
                .map_err(anyhow::Error::msg)?;
            users::set_password_hash(db, &author, user.id, &hash, None).await?;
            println!(
                "Set the password for {} and ended their sessions.",
                user.email
            );
        }
        UserCommand::Disable { email } => {
            let user = find_user(db, &email).await?;
            users::set_disabled(db, &author, user.id, true).await?;
            println!("Disabled {} and ended their sessions.", user.email);
        }
        UserCommand::Enable { email } => {
            let user = find_user(db, &email).await?;
            users::set_disabled(db, &author, user.id, false).await?;
            println!("Enabled {}.", user.email);
        }
    }
    Ok(())
}
