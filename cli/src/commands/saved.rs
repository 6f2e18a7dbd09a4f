//! `teng save`, `teng unsave`, `teng saved`: the user's own list. Saving and removing are written
//! to the device at once and queued for the server in the same transaction (`Store::save_job`),
//! so the list shows which changes are not sent yet.

use std::collections::HashSet;
use std::io::Write;

use teng_core::sync::Mutation;
use uuid::Uuid;

use super::Ctx;
use crate::error::CliError;
use crate::table::Table;
use crate::words;

pub fn save(ctx: &Ctx, id: Uuid, note: Option<&str>, out: &mut impl Write) -> Result<(), CliError> {
    let listing = ctx
        .store
        .listing(id)
        .map_err(|e| ctx.core(e))?
        .ok_or_else(|| CliError::failed(ctx.say(words::NO_LISTING, &[&id.to_string()])))?;
    let was_saved = ctx.store.is_saved(id).map_err(|e| ctx.core(e))?;
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    ctx.store.save_job(id, note).map_err(|e| ctx.core(e))?;
    let done = if was_saved {
        words::NOTE_UPDATED
    } else {
        words::SAVED_JOB
    };
    writeln!(out, "{}", ctx.say(done, &[&listing.title]))?;
    writeln!(out, "{}", ctx.t(words::KEPT_FOR_NEXT_SYNC))?;
    Ok(())
}

pub fn unsave(ctx: &Ctx, id: Uuid, out: &mut impl Write) -> Result<(), CliError> {
    let removed = ctx.store.unsave_job(id).map_err(|e| ctx.core(e))?;
    if !removed {
        writeln!(out, "{}", ctx.t(words::WAS_NOT_SAVED))?;
        return Ok(());
    }
    let title = ctx
        .store
        .listing(id)
        .map_err(|e| ctx.core(e))?
        .map(|l| l.title)
        .unwrap_or_else(|| id.to_string());
    writeln!(out, "{}", ctx.say(words::UNSAVED_JOB, &[&title]))?;
    writeln!(out, "{}", ctx.t(words::KEPT_FOR_NEXT_SYNC))?;
    Ok(())
}

pub fn list(ctx: &Ctx, out: &mut impl Write) -> Result<(), CliError> {
    let saved = ctx.store.saved_jobs().map_err(|e| ctx.core(e))?;
    let pending = ctx.store.pending_mutations().map_err(|e| ctx.core(e))?;
    let pending_saves: HashSet<Uuid> = pending
        .iter()
        .filter_map(|p| match &p.mutation {
            Mutation::SaveJob { listing_id, .. } => Some(*listing_id),
            _ => None,
        })
        .collect();
    let saved_ids: HashSet<Uuid> = saved.iter().map(|s| s.listing_id).collect();
    // The last queued change per listing decides: an unsave followed by a save is a save.
    let mut pending_unsaves: Vec<Uuid> = Vec::new();
    for p in &pending {
        if let Mutation::UnsaveJob { listing_id } = p.mutation {
            if !saved_ids.contains(&listing_id) && !pending_unsaves.contains(&listing_id) {
                pending_unsaves.push(listing_id);
            }
        }
    }

    if saved.is_empty() {
        writeln!(out, "{}", ctx.t(words::NO_SAVED_JOBS))?;
    } else {
        writeln!(
            out,
            "{}",
            ctx.say(words::SAVED_JOBS, &[&saved.len().to_string()])
        )?;
        writeln!(out)?;
        let mut table = Table::new()
            .column(ctx.t(words::COL_TITLE), Some(48))
            .column(ctx.t(words::COL_SAVED_AT), None)
            .column(ctx.t(words::COL_SYNC), None)
            .column(ctx.t(words::NOTE), Some(40))
            .column(ctx.t(words::ID), None);
        for job in &saved {
            let listing = ctx.store.listing(job.listing_id).map_err(|e| ctx.core(e))?;
            let title = match listing {
                Some(l) if l.is_open_at(ctx.now) => l.title,
                Some(l) => format!("{} ({})", l.title, ctx.t(words::CLOSED_OR_GONE)),
                None => ctx.t(words::CLOSED_OR_GONE).to_string(),
            };
            let sync = if pending_saves.contains(&job.listing_id) {
                words::NOT_SENT
            } else {
                words::SENT
            };
            table.row(vec![
                title,
                ctx.when(job.saved_at),
                ctx.t(sync).to_string(),
                job.note.clone().unwrap_or_default(),
                job.listing_id.to_string(),
            ]);
        }
        write!(out, "{}", table.render())?;
    }
    if !pending_unsaves.is_empty() {
        writeln!(out)?;
        for id in pending_unsaves {
            let title = ctx
                .store
                .listing(id)
                .map_err(|e| ctx.core(e))?
                .map(|l| format!("{} ({}: {id})", l.title, ctx.t(words::ID)))
                .unwrap_or_else(|| format!("{}: {id}", ctx.t(words::ID)));
            writeln!(out, "{}", ctx.say(words::REMOVED_NOT_SENT, &[&title]))?;
        }
    }
    Ok(())
}
