//! `teng sync`: `SyncClient::sync` with progress on stderr, Ctrl-C wired to its `CancelToken`, and
//! a summary on stdout.
//!
//! The failure users meet most is no network. Then the message says so plainly, says that nothing
//! is lost (the outbox stays queued, the core guarantees it) and that the jobs already on the
//! device still work, and the exit code (3) lets scripts tell it apart from real errors.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use teng_core::sync::{CancelToken, SyncClient, SyncConfig, SyncReport};

use super::Ctx;
use crate::describe;
use crate::error::{CliError, Exit};
use crate::progress::Progress;
use crate::words;
use crate::SyncArgs;

pub fn run(ctx: &Ctx, args: &SyncArgs, out: &mut impl Write) -> Result<(), CliError> {
    let mut config = SyncConfig::new(args.server.trim());
    config.user_token = user_token(ctx, args)?;
    config.page_size = args.page_size;
    config.connect_timeout = Duration::from_secs(args.connect_timeout);
    config.retry.max_attempts = args.tries;
    let client = SyncClient::new(Arc::clone(&ctx.store), config).map_err(|e| match e {
        teng_core::Error::InvalidInput { reason, .. } => {
            CliError::usage(format!("--server: {reason}"))
        }
        other => ctx.core(other),
    })?;

    let progress = Arc::new(Progress::on_stderr(ctx.lang));
    let cancel = CancelToken::new();
    watch_ctrl_c(ctx, &cancel, &progress);
    progress.note(&ctx.say(words::SYNCING_WITH, &[args.server.trim()]));

    let result = client.sync(progress.as_ref(), &cancel);
    progress.finish();
    match result {
        Ok(report) => summary(ctx, &report, out),
        Err(teng_core::Error::Offline { detail, attempts }) => {
            Err(offline(ctx, args.server.trim(), &detail, attempts))
        }
        Err(e) => Err(ctx.core(e)),
    }
}

/// The user's token: `--token-file`, else `--token`, else `TENG_TOKEN`; none means an anonymous
/// device. A blank value counts as none.
fn user_token(ctx: &Ctx, args: &SyncArgs) -> Result<Option<String>, CliError> {
    if let Some(path) = &args.token_file {
        return crate::private::read_token_file(path, ctx.lang).map(Some);
    }
    let given = match &args.token {
        Some(token) => token.clone(),
        None => match std::env::var("TENG_TOKEN") {
            Ok(token) => token,
            Err(std::env::VarError::NotPresent) => return Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(CliError::usage(ctx.t(words::TOKEN_ENV_NOT_TEXT)))
            }
        },
    };
    let token = given.trim();
    Ok((!token.is_empty()).then(|| token.to_string()))
}

/// First Ctrl-C: cancel between requests (what was received is kept). Second: quit at once.
/// Without a handler (it can be installed once per process), Ctrl-C simply ends the process,
/// which loses nothing either: every page is committed with its cursor.
fn watch_ctrl_c(ctx: &Ctx, cancel: &CancelToken, progress: &Arc<Progress>) {
    let presses = AtomicUsize::new(0);
    let cancel = cancel.clone();
    let shown = Arc::clone(progress);
    let cancelling = ctx.t(words::CANCELLING);
    let installed = ctrlc::set_handler(move || {
        if presses.fetch_add(1, Ordering::SeqCst) == 0 {
            shown.note(cancelling);
            cancel.cancel();
        } else {
            shown.finish();
            std::process::exit(Exit::Cancelled as i32);
        }
    });
    if let Err(e) = installed {
        progress.note(&ctx.say(words::NO_CTRL_C, &[&e.to_string()]));
    }
}

fn offline(ctx: &Ctx, server: &str, detail: &str, attempts: u32) -> CliError {
    let pending = ctx.store.sync_status().map(|s| s.pending).unwrap_or(0);
    let mut lines = vec![
        ctx.say(words::OFFLINE, &[server, detail]),
        format!(
            "({})",
            ctx.say(words::TRIED_TIMES, &[&attempts.to_string()])
        ),
        ctx.t(words::NOTHING_LOST).to_string(),
    ];
    if pending > 0 {
        lines.push(ctx.say(words::PENDING_ACTIONS, &[&pending.to_string()]));
    }
    lines.push(ctx.t(words::OFFLINE_STILL_WORKS).to_string());
    CliError::plain(Exit::Offline, lines.join("\n"))
}

fn summary(ctx: &Ctx, r: &SyncReport, out: &mut impl Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let n = |v: u64| words::number(lang, v);
    writeln!(out, "{}", ctx.t(words::SYNC_DONE))?;
    writeln!(out, "{}: {}", ctx.t(words::PUSHED), n(r.pushed))?;
    if r.still_pending > 0 {
        writeln!(
            out,
            "{}: {}",
            ctx.t(words::STILL_PENDING),
            n(r.still_pending)
        )?;
    }
    let p = &r.pulled;
    let received = p.applied + p.kept_local + p.skipped + p.deferred;
    writeln!(
        out,
        "{}: {} ({})",
        ctx.t(words::PULLED),
        n(received),
        ctx.say(
            words::PULLED_DETAIL,
            &[&n(r.pages), &n(p.applied), &n(p.kept_local), &n(p.skipped)]
        )
    )?;
    if r.resynced {
        writeln!(out, "{}", ctx.t(words::RESYNCED))?;
    }
    if !r.problems.is_empty() {
        writeln!(
            out,
            "{}",
            ctx.say(words::NEW_PROBLEMS, &[&r.problems.len().to_string()])
        )?;
        for problem in &r.problems {
            writeln!(
                out,
                "  {}: {}",
                describe::mutation(lang, &ctx.store, &problem.local),
                problem.message
            )?;
        }
    }
    writeln!(
        out,
        "{}: {}",
        ctx.t(words::BYTES_RECEIVED),
        words::bytes(lang, r.bytes_received)
    )?;
    writeln!(
        out,
        "{}: {}",
        ctx.t(words::BYTES_SENT),
        words::bytes(lang, r.bytes_sent)
    )?;
    Ok(())
}
