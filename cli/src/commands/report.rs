//! `teng report <building id>`: one visitor's observation of a building, recorded offline with
//! `Store::record_report` and queued for the next sync. The reporter is this device, anonymous
//! (the server sets the reporter from the device's token; locally one id for the device means
//! its newer reports supersede its older ones, as the aggregation rules expect). The answer says
//! what the city office will see of it (the core's privacy notice) and where its answer shows.

use std::io::Write;

use teng_core::accessibility::Lang;
use teng_core::accessibility::{
    label, report_privacy_notice, AccessibilityReport, Facts, Feature, FeatureValue, LocalizedNote,
    ReporterId, ReporterKind,
};
use uuid::Uuid;

use super::Ctx;
use crate::describe;
use crate::error::CliError;
use crate::words;
use crate::ReportArgs;

/// The local reporter id of this install's reports.
const THIS_DEVICE: &str = "this-device";

/// The facts the flags give, refusing contradictions and a feature given twice.
fn facts(ctx: &Ctx, args: &ReportArgs) -> Result<Facts, CliError> {
    if let (Some(step_free), Some(steps)) = (args.step_free, args.steps) {
        if step_free != (steps == 0) {
            return Err(CliError::usage(ctx.t(words::STEPS_CONTRADICT)));
        }
    }
    let named: Vec<(&str, Feature, Option<FeatureValue>)> = vec![
        (
            "--step-free",
            Feature::StepFreeEntrance,
            args.step_free.map(FeatureValue::Bool),
        ),
        (
            "--steps",
            Feature::EntranceStepCount,
            args.steps.map(FeatureValue::Count),
        ),
        (
            "--step-height",
            Feature::EntranceStepHeight,
            args.step_height.map(FeatureValue::Centimetres),
        ),
        ("--ramp", Feature::Ramp, args.ramp.map(FeatureValue::Ramp)),
        (
            "--door-width",
            Feature::DoorWidth,
            args.door_width.map(FeatureValue::Centimetres),
        ),
        (
            "--elevator",
            Feature::Elevator,
            args.elevator.map(FeatureValue::Bool),
        ),
        (
            "--elevator-working",
            Feature::ElevatorWorking,
            args.elevator_working.map(FeatureValue::Bool),
        ),
        (
            "--toilet",
            Feature::Toilet,
            args.toilet.map(FeatureValue::Access),
        ),
        (
            "--parking",
            Feature::ParkingSpaces,
            args.parking.map(FeatureValue::Count),
        ),
        (
            "--tactile-paving",
            Feature::TactilePaving,
            args.tactile_paving.map(FeatureValue::Bool),
        ),
        (
            "--hearing-loop",
            Feature::HearingLoop,
            args.hearing_loop.map(FeatureValue::Bool),
        ),
        (
            "--sign-language",
            Feature::SignLanguageStaff,
            args.sign_language
                .clone()
                .map(|l| FeatureValue::SignLanguages(l.0)),
        ),
    ];
    let mut facts = Facts::new();
    let mut add = |name: String, feature: Feature, value: FeatureValue| -> Result<(), CliError> {
        if facts.contains(feature) {
            return Err(CliError::usage(ctx.say(words::FACT_TWICE, &[&name])));
        }
        facts
            .insert(feature, value)
            .map_err(|e| CliError::usage(format!("{name}: {e}")))?;
        Ok(())
    };
    for (flag, feature, value) in named {
        if let Some(value) = value {
            add(flag.to_string(), feature, value)?;
        }
    }
    for (feature, value) in &args.facts {
        add(
            format!("--fact {}", feature.code()),
            *feature,
            value.clone(),
        )?;
    }
    Ok(facts)
}

fn note(lang: Lang, text: &str) -> LocalizedNote {
    let text = Some(text.trim().to_string());
    match lang {
        Lang::Kyrgyz => LocalizedNote {
            ky: text,
            ..Default::default()
        },
        Lang::Russian => LocalizedNote {
            ru: text,
            ..Default::default()
        },
        Lang::English => LocalizedNote {
            en: text,
            ..Default::default()
        },
    }
}

pub fn run(ctx: &Ctx, args: &ReportArgs, out: &mut impl Write) -> Result<(), CliError> {
    let facts = facts(ctx, args)?;
    let note = args
        .note
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .map(|n| note(ctx.lang, n));
    if facts.is_empty() && note.is_none() {
        return Err(CliError::usage(ctx.t(words::NOTHING_TO_REPORT)));
    }
    let building = ctx
        .store
        .building(args.building_id)
        .map_err(|e| ctx.core(e))?
        .ok_or_else(|| {
            CliError::failed(ctx.say(words::NO_BUILDING, &[&args.building_id.to_string()]))
        })?;
    let report = AccessibilityReport {
        id: Uuid::new_v4(),
        building_id: building.id,
        reporter: ReporterId::from(THIS_DEVICE),
        reporter_kind: ReporterKind::Anonymous,
        observed_at: ctx.now,
        method: args.method,
        facts,
        note,
    };
    ctx.store.record_report(&report).map_err(|e| ctx.core(e))?;

    let lang = ctx.lang;
    writeln!(
        out,
        "{}",
        ctx.say(
            words::REPORT_RECORDED,
            &[&format!("{}, {}", building.name, building.address.street)]
        )
    )?;
    for (feature, value) in report.facts.iter() {
        writeln!(
            out,
            "  {}: {}",
            label(feature, lang),
            describe::value(lang, value)
        )?;
    }
    if let Some(text) = report.note.as_ref().and_then(|n| n.get(lang)) {
        writeln!(out, "  {}: {text}", ctx.t(words::NOTE))?;
    }
    writeln!(
        out,
        "  {}: {}",
        ctx.t(words::REPORT_METHOD),
        label(report.method, lang)
    )?;
    writeln!(out, "{}", ctx.t(words::KEPT_FOR_NEXT_SYNC))?;
    writeln!(out, "{}", report_privacy_notice(lang))?;
    writeln!(out, "{}", ctx.t(words::SEE_REPORTS))?;
    let pending = ctx.store.sync_status().map_err(|e| ctx.core(e))?.pending;
    writeln!(
        out,
        "{}",
        ctx.say(words::PENDING_ACTIONS, &[&pending.to_string()])
    )?;
    Ok(())
}
