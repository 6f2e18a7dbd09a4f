//! `teng status`: what a status line on the phone says ("last synced 5 minutes ago, 2 actions not
//! sent yet"), plus what is stored, one "label: value" per line.

use std::io::Write;

use super::Ctx;
use crate::error::CliError;
use crate::words;

pub fn run(ctx: &Ctx, out: &mut impl Write) -> Result<(), CliError> {
    let store = &ctx.store;
    let status = store.sync_status().map_err(|e| ctx.core(e))?;
    let stats = store.stats().map_err(|e| ctx.core(e))?;
    let device = store.device_token().map_err(|e| ctx.core(e))?.is_some();
    let never = ctx.t(words::NEVER).to_string();
    let n = |v: u64| words::number(ctx.lang, v);

    let mut lines: Vec<(words::Trio, String)> = vec![
        (words::DATABASE, store.path().display().to_string()),
        (
            words::LAST_SYNC,
            status
                .last_success_at
                .map(|t| ctx.when(t))
                .unwrap_or(never.clone()),
        ),
        (
            words::LAST_ATTEMPT,
            status.last_attempt_at.map(|t| ctx.when(t)).unwrap_or(never),
        ),
    ];
    if let Some(error) = &status.last_error {
        lines.push((words::LAST_ERROR, error.clone()));
    }
    lines.push((words::PENDING, n(status.pending)));
    let problems = if status.problems > 0 {
        format!("{} {}", n(status.problems), ctx.t(words::SEE_PROBLEMS))
    } else {
        n(0)
    };
    lines.extend([
        (words::PROBLEMS, problems),
        (words::CURSOR, status.cursor.to_string()),
        (words::LISTINGS, n(stats.listings)),
        (words::BUILDINGS, n(stats.buildings)),
        (words::ORGANIZATIONS, n(stats.organizations)),
        (words::SAVED_COUNT, n(stats.saved_jobs)),
        (
            words::DEVICE,
            ctx.t(if device { words::YES } else { words::NO })
                .to_string(),
        ),
    ]);
    for (heading, value) in lines {
        writeln!(out, "{}: {value}", ctx.t(heading))?;
    }
    Ok(())
}
