//! `teng search`: the flags become one `SearchQuery` for `Store::search`, and the page becomes a
//! table whose building-access column says, in words, how each workplace meets the requirements
//! the user asked about (the step-free entrance when they asked about none).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::io::Write;

use teng_core::accessibility::{AccessRequirement, BuildingSummary};
use teng_core::search::{AccessCertainty, Near, SearchFilters, SearchHit, SearchQuery, SortOrder};
use uuid::Uuid;

use super::Ctx;
use crate::describe;
use crate::error::CliError;
use crate::table::Table;
use crate::words;
use crate::SearchArgs;

/// Radius around `--near` when `--radius` is not given, in kilometres.
const DEFAULT_RADIUS_KM: f64 = 10.0;

pub fn query(args: &SearchArgs) -> SearchQuery {
    let mut access = Vec::new();
    for (asked, requirement) in [
        (args.step_free, AccessRequirement::StepFreeEntrance),
        (args.toilet, AccessRequirement::AccessibleToilet),
        (args.elevator, AccessRequirement::Elevator),
        (args.hearing_loop, AccessRequirement::HearingLoop),
    ] {
        if asked {
            access.push(requirement);
        }
    }
    for r in &args.access {
        if !access.contains(r) {
            access.push(*r);
        }
    }
    let access_certainty = if args.confirmed_only {
        AccessCertainty::Confirmed
    } else if args.include_unknown {
        AccessCertainty::UnknownAllowed
    } else {
        AccessCertainty::Likely
    };
    SearchQuery {
        text: args.words.join(" "),
        filters: SearchFilters {
            accommodations: args.accommodations.clone(),
            employment_types: args.types.clone(),
            work_modes: args.modes.clone(),
            categories: args.categories.clone(),
            regions: args.regions.clone(),
            city: args.city.clone().filter(|c| !c.trim().is_empty()),
            min_monthly_salary: args.min_salary,
            posted_within_days: args.days,
            verified_only: args.verified,
            near: args.near.map(|point| Near {
                point,
                radius_km: args.radius.unwrap_or(DEFAULT_RADIUS_KM),
            }),
            access,
            access_certainty,
            include_closed: args.closed,
        },
        sort: args.sort,
        page_size: args.limit,
        page_token: args.page.clone(),
    }
}

pub fn run(ctx: &Ctx, args: &SearchArgs, out: &mut impl Write) -> Result<(), CliError> {
    if args.sort == SortOrder::Distance && args.near.is_none() {
        return Err(CliError::usage(ctx.t(words::SORT_DISTANCE_NEEDS_NEAR)));
    }
    let query = query(args);
    let page = ctx.store.search(&query).map_err(|e| ctx.core(e))?;
    if page.total == 0 {
        let stats = ctx.store.stats().map_err(|e| ctx.core(e))?;
        let message = if stats.listings == 0 {
            words::NO_JOBS_ON_DEVICE
        } else {
            words::NO_MATCH
        };
        writeln!(out, "{}", ctx.t(message))?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        ctx.say(words::JOBS_FOUND, &[&words::number(ctx.lang, page.total)])
    )?;
    writeln!(out)?;
    let shown = if query.filters.access.is_empty() {
        vec![AccessRequirement::StepFreeEntrance]
    } else {
        query.filters.access.clone()
    };
    let near = query.filters.near.is_some();
    let mut table = Table::new()
        .column(ctx.t(words::COL_TITLE), Some(48))
        .column(ctx.t(words::COL_ORGANIZATION), Some(28))
        .column(ctx.t(words::COL_CITY), Some(18));
    if near {
        table = table.column(ctx.t(words::COL_DISTANCE), None);
    }
    table = table
        .column(ctx.t(words::COL_SALARY), None)
        .column(ctx.t(words::COL_ACCESS), None)
        .column(ctx.t(words::ID), None);
    let mut summaries: HashMap<Uuid, Option<BuildingSummary>> = HashMap::new();
    for hit in &page.hits {
        let mut row = vec![
            hit.listing.title.clone(),
            hit.organization_name.clone(),
            hit.listing.city.clone(),
        ];
        if near {
            row.push(
                hit.distance_km
                    .map(|km| words::kilometres(ctx.lang, km))
                    .unwrap_or_default(),
            );
        }
        row.push(describe::salary(ctx.lang, hit.listing.salary.as_ref()));
        row.push(access_cell(ctx, hit, &shown, &mut summaries)?);
        row.push(hit.listing.id.to_string());
        table.row(row);
    }
    write!(out, "{}", table.render())?;
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        ctx.say(
            words::ON_THIS_PAGE,
            &[&words::number(ctx.lang, page.hits.len() as u64)]
        )
    )?;
    match &page.next_page_token {
        Some(token) => writeln!(out, "{}", ctx.say(words::NEXT_PAGE, &[token]))?,
        None => writeln!(out, "{}", ctx.t(words::LAST_PAGE))?,
    }
    Ok(())
}

/// "step-free entrance: yes (confirmed)"; several requirements joined by "; ".
fn access_cell(
    ctx: &Ctx,
    hit: &SearchHit,
    shown: &[AccessRequirement],
    cache: &mut HashMap<Uuid, Option<BuildingSummary>>,
) -> Result<String, CliError> {
    let Some(building) = hit.listing.building_id else {
        return Ok(ctx.t(words::NO_BUILDING_REMOTE).to_string());
    };
    let summary = match cache.entry(building) {
        Entry::Occupied(known) => known.into_mut(),
        Entry::Vacant(slot) => slot.insert(
            ctx.store
                .building_summary(building)
                .map_err(|e| ctx.core(e))?,
        ),
    };
    Ok(match summary {
        None => ctx.t(words::NO_REPORTS_YET).to_string(),
        Some(summary) => shown
            .iter()
            .map(|r| describe::requirement(ctx.lang, summary, *r))
            .collect::<Vec<_>>()
            .join("; "),
    })
}
