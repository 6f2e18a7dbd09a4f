//! `teng reports` and `teng reopen <report id>`: hearing back from the city. Each report made on
//! this device with what was reported and the city office's answer as one sentence (the core's
//! words, `MyReport::status_text`), its history, and, for a report the office marked resolved,
//! how to say it is still not fixed. `teng reopen` queues that answer offline
//! (`Store::reopen_report`); the next `teng sync` sends it.

use std::io::Write;

use teng_core::accessibility::{history_entry_text, label, MyReport};
use uuid::Uuid;

use super::Ctx;
use crate::describe;
use crate::error::CliError;
use crate::words;

pub fn list(ctx: &Ctx, building: Option<Uuid>, out: &mut impl Write) -> Result<(), CliError> {
    let reports = ctx
        .store
        .my_reports_with_status(building)
        .map_err(|e| ctx.core(e))?;
    if reports.is_empty() {
        writeln!(out, "{}", ctx.t(words::NO_MY_REPORTS))?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        ctx.say(
            words::MY_REPORTS,
            &[&words::number(ctx.lang, reports.len() as u64)]
        )
    )?;
    for r in &reports {
        writeln!(out)?;
        report(ctx, r, out)?;
    }
    Ok(())
}

/// One report as a block of "label: value" lines, ending with its id.
fn report(ctx: &Ctx, r: &MyReport, out: &mut impl Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    let building = match &r.building {
        Some(b) => format!("{}, {}", b.name, b.address.street),
        None => format!(
            "{} ({}: {})",
            ctx.t(words::UNKNOWN_BUILDING),
            ctx.t(words::ID),
            r.report.building_id
        ),
    };
    writeln!(out, "{building}: {}", ctx.when(r.report.observed_at))?;
    let facts: Vec<String> = r
        .report
        .facts
        .iter()
        .map(|(f, v)| format!("{}: {}", label(f, lang), describe::value(lang, v)))
        .collect();
    if !facts.is_empty() {
        writeln!(out, "  {}: {}", ctx.t(words::REPORTED), facts.join("; "))?;
    }
    if let Some(note) = r.report.note.as_ref().and_then(|n| n.get(lang)) {
        writeln!(out, "  {}: {note}", ctx.t(words::YOUR_NOTE))?;
    }
    writeln!(
        out,
        "  {}: {}",
        ctx.t(words::CITY_STATUS),
        r.status_text(lang, ctx.now)
    )?;
    if r.history.len() > 1 || (r.reopen_pending && !r.history.is_empty()) {
        writeln!(out, "  {}:", ctx.t(words::HISTORY))?;
        for entry in &r.history {
            writeln!(out, "    {}", history_entry_text(entry, lang, ctx.now))?;
        }
    }
    if r.can_reopen {
        writeln!(
            out,
            "  {}",
            ctx.say(words::STILL_NOT_FIXED_WITH, &[&r.report.id.to_string()])
        )?;
    }
    writeln!(out, "  {}: {}", ctx.t(words::ID), r.report.id)?;
    Ok(())
}

pub fn reopen(
    ctx: &Ctx,
    id: Uuid,
    note: Option<&str>,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let current = ctx
        .store
        .my_report(id)
        .map_err(|e| ctx.core(e))?
        .ok_or_else(|| CliError::failed(ctx.say(words::NO_SUCH_REPORT, &[&id.to_string()])))?;
    // Said in the user's language before the core refuses it in English.
    if current.reopen_pending {
        return Err(CliError::failed(ctx.t(words::REOPEN_ALREADY)));
    }
    if !current.sent {
        return Err(CliError::failed(ctx.t(words::REOPEN_NOT_SENT)));
    }
    if !current.can_reopen {
        return Err(CliError::failed(ctx.say(
            words::REOPEN_NOT_RESOLVED,
            &[&current.status_text(ctx.lang, ctx.now)],
        )));
    }
    let shown = ctx.store.reopen_report(id, note).map_err(|e| ctx.core(e))?;
    let building = shown
        .building
        .as_ref()
        .map(|b| b.name.clone())
        .unwrap_or_else(|| shown.report.building_id.to_string());
    writeln!(out, "{}", ctx.say(words::REOPEN_KEPT, &[&building]))?;
    writeln!(out, "{}", shown.status_text(ctx.lang, ctx.now))?;
    writeln!(out, "{}", ctx.t(words::KEPT_FOR_NEXT_SYNC))?;
    let pending = ctx.store.sync_status().map_err(|e| ctx.core(e))?.pending;
    writeln!(
        out,
        "{}",
        ctx.say(words::PENDING_ACTIONS, &[&pending.to_string()])
    )?;
    Ok(())
}
