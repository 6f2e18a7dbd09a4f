//! `teng problems` and `teng problems dismiss <id>`: actions the server rejected or found in
//! conflict. A rejected action says why (the server's message, code and field); a conflicting
//! listing edit shows the user's version beside the server's, field by field, so nothing the user
//! typed is lost before they dismiss it.

use std::io::Write;

use teng_core::model::JobListing;
use teng_core::sync::{Mutation, ProblemKind, SyncProblem};
use uuid::Uuid;

use super::Ctx;
use crate::describe;
use crate::error::CliError;
use crate::words;
use teng_core::accessibility::Labelled;

pub fn list(ctx: &Ctx, out: &mut impl Write) -> Result<(), CliError> {
    let problems = ctx.store.sync_problems().map_err(|e| ctx.core(e))?;
    if problems.is_empty() {
        writeln!(out, "{}", ctx.t(words::NO_PROBLEMS))?;
        return Ok(());
    }
    writeln!(out, "{}: {}", ctx.t(words::PROBLEMS), problems.len())?;
    for p in &problems {
        writeln!(out)?;
        problem(ctx, p, out)?;
    }
    Ok(())
}

fn problem(ctx: &Ctx, p: &SyncProblem, out: &mut impl Write) -> Result<(), CliError> {
    let kind = match p.kind {
        ProblemKind::Rejected => words::REJECTED,
        ProblemKind::Conflict => words::CONFLICT,
    };
    writeln!(out, "{}", ctx.t(kind))?;
    writeln!(
        out,
        "  {}: {}",
        ctx.t(words::WHAT),
        describe::mutation(ctx.lang, &ctx.store, &p.local)
    )?;
    let mut why = p.message.clone();
    if let Some(code) = &p.code {
        why.push_str(&format!(" ({code})"));
    }
    writeln!(out, "  {}: {why}", ctx.t(words::WHY))?;
    if let Some(field) = &p.field {
        writeln!(out, "  {}: {field}", ctx.t(words::FIELD))?;
    }
    writeln!(out, "  {}: {}", ctx.t(words::WHEN), ctx.when(p.at))?;
    writeln!(out, "  {}: {}", ctx.t(words::ID), p.mutation_id)?;
    if let (ProblemKind::Conflict, Mutation::UpdateListing { listing, .. }) = (p.kind, &p.local) {
        match p.server_listing() {
            Some(server) => differences(ctx, listing, &server, out)?,
            None => writeln!(out, "  {}", ctx.t(words::SERVER_RECORD_MISSING))?,
        }
    }
    writeln!(
        out,
        "  {}",
        ctx.say(words::DISMISS_WITH, &[&p.mutation_id.to_string()])
    )?;
    Ok(())
}

/// The fields of a listing as the user reads them, to compare two versions.
fn fields(ctx: &Ctx, l: &JobListing) -> Vec<(&'static str, String)> {
    let lang = ctx.lang;
    let list = |items: Vec<&str>| items.join(", ");
    vec![
        ("title", l.title.clone()),
        ("description", l.description.clone()),
        ("category", l.category.label(lang).to_string()),
        ("employment_type", l.employment_type.label(lang).to_string()),
        ("work_mode", l.work_mode.label(lang).to_string()),
        ("city", l.city.clone()),
        ("region", l.region.label(lang).to_string()),
        ("salary", describe::salary(lang, l.salary.as_ref())),
        (
            "accommodations",
            list(l.accommodations.iter().map(|a| a.label(lang)).collect()),
        ),
        (
            "apply_via",
            l.apply_via
                .iter()
                .map(|a| format!("{}: {}", a.channel.label(lang), a.value))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        (
            "building_id",
            l.building_id.map(|b| b.to_string()).unwrap_or_default(),
        ),
        (
            "valid_through",
            l.valid_through
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        ),
        ("status", l.status.code().to_string()),
    ]
}

fn differences(
    ctx: &Ctx,
    mine: &JobListing,
    server: &JobListing,
    out: &mut impl Write,
) -> Result<(), CliError> {
    writeln!(
        out,
        "  {} ({}: {} {}; {}: {} {}):",
        ctx.t(words::DIFFERENCES),
        ctx.t(words::YOUR_VERSION),
        ctx.t(words::VERSION),
        mine.version,
        ctx.t(words::SERVER_VERSION),
        ctx.t(words::VERSION),
        server.version,
    )?;
    let theirs = fields(ctx, server);
    let mut any = false;
    for ((name, a), (_, b)) in fields(ctx, mine).into_iter().zip(theirs) {
        if a != b {
            any = true;
            writeln!(out, "    {name}:")?;
            writeln!(out, "      {}: {a}", ctx.t(words::YOUR_VERSION))?;
            writeln!(out, "      {}: {b}", ctx.t(words::SERVER_VERSION))?;
        }
    }
    if !any {
        writeln!(out, "    {}", ctx.t(words::NO_DIFFERENCES))?;
    }
    Ok(())
}

pub fn dismiss(ctx: &Ctx, id: Uuid, out: &mut impl Write) -> Result<(), CliError> {
    if ctx
        .store
        .dismiss_sync_problem(id)
        .map_err(|e| ctx.core(e))?
    {
        writeln!(out, "{}", ctx.t(words::DISMISSED))?;
        Ok(())
    } else {
        Err(CliError::failed(
            ctx.say(words::NO_SUCH_PROBLEM, &[&id.to_string()]),
        ))
    }
}
