//! The `teng-server` command: serve, demo, and admin commands on the database file.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use teng_core::model::{Contact, Organization, OrganizationKind, Validate};
use uuid::Uuid;

use teng_server::api::accounts::{issue_user_token, new_user, NewUserBody};
use teng_server::auth::{self, Role};
use teng_server::{demo, AppState, Config};

#[derive(Parser)]
#[command(
    name = "teng-server",
    version,
    about = "Teng's HTTP API on one SQLite file"
)]
struct Cli {
    /// Log filter (tracing EnvFilter syntax), e.g. "info" or "teng_server=debug,tower_http=debug".
    #[arg(
        long,
        env = "TENG_LOG",
        default_value = "info,tower_http=info",
        global = true
    )]
    log: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct ServeArgs {
    /// The SQLite database file (created if missing), or a PostgreSQL database's address
    /// (postgres://user@host:port/database; its schema is created if missing).
    #[arg(long, env = "TENG_DB", default_value = "teng.db")]
    db: PathBuf,
    /// The public job search's index file (default: beside the SQLite file; with PostgreSQL, a
    /// file of this process's own in the temp directory, rebuilt at start).
    #[arg(long, env = "TENG_SEARCH_INDEX")]
    search_index: Option<PathBuf>,
    #[arg(long, env = "TENG_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Largest request body in bytes.
    #[arg(long, env = "TENG_MAX_BODY", default_value_t = 1024 * 1024)]
    max_body: usize,
    /// Device registrations allowed per client IP per minute.
    #[arg(
        long,
        env = "TENG_DEVICE_REGISTRATIONS_PER_MINUTE",
        default_value_t = 20
    )]
    device_registrations_per_minute: u32,
    /// Reports allowed per device or user per hour.
    #[arg(long, env = "TENG_REPORTS_PER_HOUR", default_value_t = 60)]
    reports_per_hour: u32,
    /// Serve Prometheus metrics at /metrics on this address (e.g. 127.0.0.1:9090); off by default.
    #[arg(long, env = "TENG_METRICS_LISTEN")]
    metrics_listen: Option<SocketAddr>,
    /// Login attempts allowed per account name per 15 minutes, from any address.
    #[arg(long, env = "TENG_LOGIN_ATTEMPTS_PER_ACCOUNT", default_value_t = 10)]
    login_attempts_per_account: u32,
    /// A reverse proxy in front of the server (repeat for several): requests from it are rate
    /// limited by the client address it appends to X-Forwarded-For.
    #[arg(
        long = "trusted-proxy",
        env = "TENG_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Open connections at most; a new connection above it is closed at once.
    #[arg(long, env = "TENG_MAX_CONNECTIONS", default_value_t = 1024)]
    max_connections: usize,
    /// Seconds a client may take to send its request headers (slow clients are dropped).
    #[arg(long, env = "TENG_HEADER_READ_TIMEOUT", default_value_t = 10)]
    header_read_timeout_secs: u64,
    /// Seconds a whole request may take, body included (408 after).
    #[arg(long, env = "TENG_REQUEST_TIMEOUT", default_value_t = 30)]
    request_timeout_secs: u64,
    /// The Open311 jurisdiction_id this server answers to (docs/open311.md).
    #[arg(long, env = "TENG_OPEN311_JURISDICTION", default_value = teng_server::open311::DEFAULT_JURISDICTION)]
    open311_jurisdiction: String,
    /// Open311 agency_responsible of every request (default: "<the building's city> City Hall").
    #[arg(long, env = "TENG_OPEN311_AGENCY")]
    open311_agency: Option<String>,
    /// Open311 POSTs allowed per API key per hour.
    #[arg(long, env = "TENG_OPEN311_POSTS_PER_HOUR", default_value_t = 600)]
    open311_posts_per_hour: u32,
    /// Fill a fresh database with demo data and print demo accounts.
    #[arg(long)]
    demo: bool,
    /// Number of demo listings.
    #[arg(long, default_value_t = 1_000)]
    demo_listings: usize,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API.
    Serve(ServeArgs),
    /// Serve a fresh demo database (in the temp directory unless --db is given) with demo accounts.
    Demo {
        #[arg(long)]
        db: Option<PathBuf>,
        #[arg(long, env = "TENG_LISTEN", default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        #[arg(long, default_value_t = 1_000)]
        listings: usize,
    },
    /// Administration on the database file (works while the server runs).
    Admin {
        #[arg(long, env = "TENG_DB", default_value = "teng.db")]
        db: PathBuf,
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an organization; prints its id.
    CreateOrg {
        #[arg(long)]
        name: String,
        /// ngo, employer or public_body.
        #[arg(long, default_value = "ngo")]
        kind: String,
        #[arg(long)]
        verified: bool,
    },
    /// Create a user; prints the password if none was given.
    CreateUser {
        #[arg(long)]
        username: String,
        /// admin, ngo or city.
        #[arg(long)]
        role: String,
        /// The organization of an ngo user.
        #[arg(long)]
        org: Option<Uuid>,
        /// The city of a city-office user.
        #[arg(long)]
        city: Option<String>,
        #[arg(long, env = "TENG_PASSWORD")]
        password: Option<String>,
    },
    /// Set a new password (random if none given) and revoke the user's tokens.
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long, env = "TENG_PASSWORD")]
        password: Option<String>,
    },
    /// Issue a bearer token for a user (for scripts); prints it.
    IssueToken {
        #[arg(long)]
        username: String,
    },
    /// Revoke every token of a user.
    RevokeTokens {
        #[arg(long)]
        username: String,
    },
    /// Copy the database with SQLite's online backup (safe while serving).
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Print record counts and the sync cursor.
    Stats,
    /// Issue an API key for an external Open311 system; prints it once (only its hash is kept).
    IssueApiKey {
        /// The system's name (one live key per name).
        #[arg(long)]
        name: String,
        /// Limit the key to reports about buildings in this city.
        #[arg(long)]
        city: Option<String>,
    },
    /// Revoke an external system's Open311 API key.
    RevokeApiKey {
        #[arg(long)]
        name: String,
    },
    /// Drop superseded change-log rows and tombstones older than --days (clients behind must resync).
    PruneChanges {
        #[arg(long, default_value_t = 90)]
        days: i64,
    },
    /// Copy this SQLite database into an empty PostgreSQL one, sync cursors preserved (phones
    /// go on syncing without a resync). Reads one snapshot of the file: stop the SQLite server
    /// first when switching over, or writes after the snapshot stay behind.
    Migrate {
        /// The SQLite file.
        #[arg(long)]
        from: PathBuf,
        /// postgres://user@host:port/database (created empty beforehand).
        #[arg(long)]
        to: String,
    },
    /// Record a first-sync snapshot now (the server does at startup and daily), unless the newest
    /// one is up to date.
    Snapshot,
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(&cli.log);
    let result = match cli.command {
        Command::Serve(args) => run_server(args, None),
        Command::Demo {
            db,
            listen,
            listings,
        } => {
            let temporary = db.is_none();
            let db = db.unwrap_or_else(|| {
                std::env::temp_dir().join(format!("teng-demo-{}.db", std::process::id()))
            });
            let result = run_server(
                ServeArgs {
                    db: db.clone(),
                    search_index: None,
                    listen,
                    max_body: 1024 * 1024,
                    device_registrations_per_minute: 20,
                    reports_per_hour: 60,
                    metrics_listen: None,
                    login_attempts_per_account: 10,
                    trusted_proxies: Vec::new(),
                    max_connections: 1024,
                    header_read_timeout_secs: 10,
                    request_timeout_secs: 30,
                    demo: true,
                    demo_listings: listings,
                    open311_jurisdiction: teng_server::open311::DEFAULT_JURISDICTION.to_string(),
                    open311_agency: None,
                    open311_posts_per_hour: 600,
                },
                None,
            );
            if temporary {
                for file in teng_server::storage::sqlite::database_files(&db) {
                    let _ = std::fs::remove_file(file);
                }
                // Its search index goes with it.
                teng_server::web::jobs::search_index::remove_index_files(
                    &teng_server::web::jobs::search_index::index_path(&db),
                );
            }
            result
        }
        Command::Admin { db, command } => admin(db, command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("teng-server: {e}");
            ExitCode::FAILURE
        }
    }
}

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn runtime() -> AnyResult<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn run_server(args: ServeArgs, _: Option<()>) -> AnyResult<()> {
    if args.demo && args.db.exists() {
        return Err(format!(
            "{} exists; the demo needs a fresh database (omit --db or name a new file)",
            args.db.display()
        )
        .into());
    }
    let mut config = Config::new(args.db.clone(), args.listen);
    config.search_index = args.search_index.clone();
    config.max_body_bytes = args.max_body;
    config.device_registrations_per_minute = args.device_registrations_per_minute;
    config.reports_per_hour = args.reports_per_hour;
    config.login_attempts_per_account = args.login_attempts_per_account;
    config.metrics_listen = args.metrics_listen;
    config.trusted_proxies = args.trusted_proxies.clone();
    config.connections.max_connections = args.max_connections.max(1);
    config.connections.header_read_timeout =
        std::time::Duration::from_secs(args.header_read_timeout_secs.max(1));
    config.open311 = teng_server::open311::Open311Config {
        jurisdiction: args.open311_jurisdiction.clone(),
        agency: args.open311_agency.clone(),
        posts_per_hour: args.open311_posts_per_hour,
    };
    config.connections.request_timeout =
        std::time::Duration::from_secs(args.request_timeout_secs.max(1));
    let storage = teng_server::open_storage(&config)?;
    let mut accounts = Vec::new();
    if args.demo {
        let started = std::time::Instant::now();
        accounts = demo::seed(
            storage.as_ref(),
            args.demo_listings,
            config.password_cost,
            chrono::Utc::now(),
        )?;
        tracing::info!(
            listings = args.demo_listings,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "demo data loaded"
        );
    }
    let state = Arc::new(AppState::new(storage, config));
    runtime()?.block_on(async move {
        let server = teng_server::start_with(state).await?;
        println!("Teng server: {}", server.url());
        println!(
            "  web pages: open {}/ in a browser (log in at {}/login)",
            server.url(),
            server.url()
        );
        println!("  database: {}", args.db.display());
        println!("  API description: {}/v1/openapi.json", server.url());
        if !accounts.is_empty() {
            println!("  demo accounts (for the web pages, or POST /v1/auth/login):");
            for a in &accounts {
                println!(
                    "    {:<6} username: {:<6} password: {}",
                    a.role.code(),
                    a.username,
                    a.password
                );
            }
        }
        println!("Press Ctrl-C to stop.");
        teng_server::shutdown_signal().await;
        tracing::info!("shutting down; finishing in-flight requests");
        server.shutdown().await?;
        Ok(())
    })
}

fn admin(db: PathBuf, command: AdminCommand) -> AnyResult<()> {
    if let AdminCommand::Migrate { from, to } = &command {
        for (table, rows) in teng_server::storage::copy::sqlite_to_postgres(from, to)? {
            println!("{table}: {rows} row(s)");
        }
        println!("copied {} into {to}", from.display());
        return Ok(());
    }
    let postgres = Config::new(db.clone(), "127.0.0.1:0".parse()?)
        .postgres_url()
        .is_some();
    if !postgres
        && !db.exists()
        && !matches!(
            command,
            AdminCommand::CreateOrg { .. } | AdminCommand::CreateUser { .. }
        )
    {
        return Err(format!("{}: no such database", db.display()).into());
    }
    let config = Config::new(db, "127.0.0.1:0".parse()?);
    let storage = teng_server::open_storage(&config)?;
    let now = chrono::Utc::now();
    match command {
        AdminCommand::CreateOrg {
            name,
            kind,
            verified,
        } => {
            let org = Organization {
                id: Uuid::now_v7(),
                name,
                kind: OrganizationKind::from_code(&kind)?,
                contact: Contact::default(),
                verified,
            };
            org.validate()?;
            storage.create_organization(&org, now)?;
            println!("{}", org.id);
        }
        AdminCommand::CreateUser {
            username,
            role,
            org,
            city,
            password,
        } => {
            let role = Role::from_code(&role).map_err(|e| e.to_string())?;
            let generated = password.is_none();
            let password = match password {
                Some(p) => p,
                None => auth::random_password().map_err(|e| e.message)?,
            };
            let body = NewUserBody {
                username,
                password,
                role,
                organization_id: org,
                city,
            };
            let user = new_user(&body, now).map_err(|e| e.message)?;
            let hash =
                auth::hash_password(&body.password, config.password_cost).map_err(|e| e.message)?;
            storage.create_user(&user, &hash)?;
            println!(
                "created {} user {} ({})",
                role.code(),
                user.username,
                user.id
            );
            if generated {
                println!("password: {}", body.password);
            }
        }
        AdminCommand::ResetPassword { username, password } => {
            let user = storage
                .user_by_name(&username)?
                .ok_or_else(|| format!("no user {username:?}"))?;
            let generated = password.is_none();
            let password = match password {
                Some(p) => p,
                None => auth::random_password().map_err(|e| e.message)?,
            };
            auth::validate_password(&password, &username).map_err(|e| e.message)?;
            let hash =
                auth::hash_password(&password, config.password_cost).map_err(|e| e.message)?;
            storage.set_password(user.user.id, &hash)?;
            let revoked = storage.revoke_user_tokens(user.user.id, now)?;
            println!("password changed; {revoked} token(s) revoked");
            if generated {
                println!("password: {password}");
            }
        }
        AdminCommand::IssueToken { username } => {
            let user = storage
                .user_by_name(&username)?
                .ok_or_else(|| format!("no user {username:?}"))?;
            let state = AppState::new(storage, config);
            let (token, expires) =
                issue_user_token(&state, user.user.id, now).map_err(|e| e.message)?;
            println!("{token}");
            eprintln!("expires {expires}");
        }
        AdminCommand::RevokeTokens { username } => {
            let user = storage
                .user_by_name(&username)?
                .ok_or_else(|| format!("no user {username:?}"))?;
            let n = storage.revoke_user_tokens(user.user.id, now)?;
            println!("{n} token(s) revoked");
        }
        AdminCommand::Backup { out } => {
            storage.backup(&out)?;
            println!("backed up to {}", out.display());
        }
        AdminCommand::Stats => {
            println!("{}", serde_json::to_string_pretty(&storage.stats()?)?);
        }
        AdminCommand::IssueApiKey { name, city } => {
            let (key, record) =
                teng_server::open311::keys::issue(storage.as_ref(), &name, city.as_deref(), now)
                    .map_err(|e| e.message)?;
            println!("{key}");
            eprintln!(
                "API key for {} ({}{}); shown once, only its hash is stored",
                record.name,
                record.id,
                record
                    .city
                    .as_deref()
                    .map(|c| format!(", buildings in {c} only"))
                    .unwrap_or_default()
            );
        }
        AdminCommand::RevokeApiKey { name } => {
            let n = teng_server::open311::keys::revoke(storage.as_ref(), &name, now)
                .map_err(|e| e.message)?;
            if n == 0 {
                return Err(format!("no live API key named {name:?}").into());
            }
            println!("{n} API key(s) revoked");
        }
        AdminCommand::PruneChanges { days } => {
            let n = storage.prune_changes(now - chrono::Duration::days(days.max(0)))?;
            println!("{n} change row(s) pruned");
        }
        // Copied above, before a database is opened.
        AdminCommand::Migrate { .. } => {}
        AdminCommand::Snapshot => match teng_server::snapshot::build(storage.as_ref(), now)? {
            Some(generation) => println!("snapshot generation {generation} stored"),
            None => println!("the newest snapshot is up to date (or there is nothing to sync)"),
        },
    }
    Ok(())
}
