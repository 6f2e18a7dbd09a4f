//! `teng show <job id>`: one job in full, one fact per line as "label: value", then how to apply
//! (every channel with its number or address), then the building's accessibility as the core words
//! it (the summary sentence, one sentence per aspect, each requirement, each fact with its state,
//! confidence and age), then anything the user did here that is not sent yet.

use std::io::Write;

use teng_core::accessibility::{AccessRequirement, BuildingSummary, Feature};
use teng_core::model::{Building, JobListing};
use uuid::Uuid;

use super::Ctx;
use crate::describe;
use crate::error::CliError;
use crate::words;
use teng_core::accessibility::Labelled;

pub fn run(ctx: &Ctx, id: Uuid, out: &mut impl Write) -> Result<(), CliError> {
    let store = &ctx.store;
    let listing = store
        .listing(id)
        .map_err(|e| ctx.core(e))?
        .ok_or_else(|| CliError::failed(ctx.say(words::NO_LISTING, &[&id.to_string()])))?;
    let organization = store
        .organization(listing.organization_id)
        .map_err(|e| ctx.core(e))?;

    writeln!(out, "{}", listing.title)?;
    if let Some(org) = &organization {
        let verified = if org.verified {
            words::VERIFIED
        } else {
            words::NOT_VERIFIED
        };
        line(
            ctx,
            out,
            words::ORGANIZATION,
            &format!("{} ({})", org.name, ctx.t(verified)),
        )?;
    }
    job_facts(ctx, &listing, out)?;

    writeln!(out)?;
    writeln!(out, "{}:", ctx.t(words::DESCRIPTION))?;
    for paragraph in listing.description.lines() {
        writeln!(out, "  {}", paragraph.trim_end())?;
    }

    writeln!(out)?;
    writeln!(out, "{}:", ctx.t(words::HOW_TO_APPLY))?;
    for way in &listing.apply_via {
        writeln!(out, "  {}: {}", way.channel.label(ctx.lang), way.value)?;
    }
    if let Some(org) = &organization {
        let contact = [
            (words::PHONE, &org.contact.phone),
            (words::EMAIL, &org.contact.email),
            (words::WEBSITE, &org.contact.website),
        ];
        if contact.iter().any(|(_, v)| v.is_some()) {
            writeln!(out, "{}:", ctx.t(words::CONTACT))?;
            for (what, value) in contact {
                if let Some(value) = value {
                    writeln!(out, "  {}: {value}", ctx.t(what))?;
                }
            }
        }
    }

    writeln!(out)?;
    building(ctx, &listing, out)?;
    pending(ctx, &listing, out)?;
    Ok(())
}

fn line(
    ctx: &Ctx,
    out: &mut impl Write,
    heading: words::Trio,
    value: &str,
) -> Result<(), CliError> {
    writeln!(out, "{}: {value}", ctx.t(heading))?;
    Ok(())
}

fn job_facts(ctx: &Ctx, listing: &JobListing, out: &mut impl Write) -> Result<(), CliError> {
    let lang = ctx.lang;
    line(ctx, out, words::CATEGORY, listing.category.label(lang))?;
    line(
        ctx,
        out,
        words::EMPLOYMENT,
        listing.employment_type.label(lang),
    )?;
    line(ctx, out, words::WORK_MODE, listing.work_mode.label(lang))?;
    line(
        ctx,
        out,
        words::PLACE,
        &format!("{}, {}", listing.city, listing.region.label(lang)),
    )?;
    line(
        ctx,
        out,
        words::SALARY,
        &describe::salary(lang, listing.salary.as_ref()),
    )?;
    let languages: Vec<&str> = listing.languages.iter().map(|l| l.label(lang)).collect();
    line(ctx, out, words::WORK_LANGUAGES, &languages.join(", "))?;
    let accommodations: Vec<&str> = listing
        .accommodations
        .iter()
        .map(|a| a.label(lang))
        .collect();
    let accommodations = if accommodations.is_empty() {
        ctx.t(words::NONE).to_string()
    } else {
        accommodations.join(", ")
    };
    line(ctx, out, words::ACCOMMODATIONS, &accommodations)?;
    line(ctx, out, words::POSTED, &ctx.when(listing.posted_at))?;
    if let Some(until) = listing.valid_through {
        line(
            ctx,
            out,
            words::OPEN_UNTIL,
            &until
                .with_timezone(&chrono::Local)
                .format("%Y-%m-%d")
                .to_string(),
        )?;
    }
    if let Some(why) = describe::not_open(lang, ctx.now, listing) {
        line(ctx, out, words::STATUS, why)?;
    }
    let saved = ctx
        .store
        .saved_jobs()
        .map_err(|e| ctx.core(e))?
        .into_iter()
        .find(|s| s.listing_id == listing.id);
    let saved = match saved {
        Some(job) => match job.note {
            Some(note) => format!("{} ({}: {note})", ctx.t(words::YES), ctx.t(words::NOTE)),
            None => ctx.t(words::YES).to_string(),
        },
        None => ctx.t(words::NO).to_string(),
    };
    line(ctx, out, words::SAVED_STATE, &saved)?;
    line(ctx, out, words::ID, &listing.id.to_string())?;
    Ok(())
}

fn building(ctx: &Ctx, listing: &JobListing, out: &mut impl Write) -> Result<(), CliError> {
    let Some(building_id) = listing.building_id else {
        writeln!(out, "{}", ctx.t(words::REMOTE_NO_BUILDING))?;
        return Ok(());
    };
    match ctx.store.building(building_id).map_err(|e| ctx.core(e))? {
        Some(b) => line(ctx, out, words::BUILDING, &building_line(ctx, &b))?,
        None => line(
            ctx,
            out,
            words::BUILDING,
            &format!(
                "{} ({}: {building_id})",
                ctx.t(words::BUILDING_NOT_ON_DEVICE),
                ctx.t(words::ID)
            ),
        )?,
    }
    writeln!(out, "{}:", ctx.t(words::ACCESSIBILITY))?;
    match ctx
        .store
        .building_summary(building_id)
        .map_err(|e| ctx.core(e))?
    {
        None => writeln!(
            out,
            "  {}",
            ctx.say(words::NO_ACCESS_REPORTS, &[&building_id.to_string()])
        )?,
        Some(summary) => accessibility(ctx, &summary, out)?,
    }
    Ok(())
}

fn building_line(ctx: &Ctx, b: &Building) -> String {
    format!(
        "{}, {}, {} ({}: {})",
        b.name,
        b.address.street,
        b.address.city,
        ctx.t(words::ID),
        b.id
    )
}

fn accessibility(
    ctx: &Ctx,
    summary: &BuildingSummary,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let lang = ctx.lang;
    writeln!(out, "  {}", summary.summary_text(lang, ctx.now))?;
    writeln!(out)?;
    for sentence in summary.description_text(lang, ctx.now) {
        writeln!(out, "  {sentence}")?;
    }
    writeln!(out)?;
    writeln!(out, "  {}:", ctx.t(words::REQUIREMENTS))?;
    for r in AccessRequirement::ALL {
        writeln!(out, "    {}", describe::requirement(lang, summary, *r))?;
    }
    if !summary.features.is_empty() {
        writeln!(out, "  {}:", ctx.t(words::FACTS))?;
        for feature in Feature::ALL {
            if let Some(a) = summary.features.get(feature) {
                writeln!(out, "    {}", describe::fact(lang, ctx.now, *feature, a))?;
            }
        }
    }
    if let Some(t) = summary.last_reported_at {
        writeln!(out, "  {}: {}", ctx.t(words::LAST_REPORTED), ctx.when(t))?;
    }
    writeln!(
        out,
        "  {}: {}",
        ctx.t(words::REPORTS_COUNTED),
        summary.report_count
    )?;
    Ok(())
}

/// The user's queued actions about this job or its building.
fn pending(ctx: &Ctx, listing: &JobListing, out: &mut impl Write) -> Result<(), CliError> {
    let mine: Vec<_> = ctx
        .store
        .pending_mutations()
        .map_err(|e| ctx.core(e))?
        .into_iter()
        .filter(|p| {
            let target = p.mutation.target();
            target == listing.id || Some(target) == listing.building_id
        })
        .collect();
    if mine.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}:", ctx.t(words::YOUR_PENDING))?;
    for p in mine {
        writeln!(
            out,
            "  {}, {}",
            describe::mutation(ctx.lang, &ctx.store, &p.mutation),
            ctx.when(p.created_at)
        )?;
    }
    Ok(())
}
