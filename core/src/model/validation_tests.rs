//! Validation rules, one behaviour per test.

use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;

use super::validation::Validation;
use super::*;

pub(crate) fn sample_listing() -> JobListing {
    let posted = Utc.with_ymd_and_hms(2026, 10, 1, 9, 0, 0).unwrap();
    JobListing {
        id: Uuid::new_v4(),
        organization_id: Uuid::new_v4(),
        title: "Бухгалтер".into(),
        description: "Эсеп-кысап иштери".into(),
        category: JobCategory::Accounting,
        employment_type: EmploymentType::FullTime,
        work_mode: WorkMode::OnSite,
        building_id: Some(Uuid::new_v4()),
        city: "Бишкек".into(),
        region: Region::Bishkek,
        salary: Some(Salary {
            min: Some(25_000),
            max: Some(40_000),
            period: SalaryPeriod::Month,
        }),
        accommodations: vec![Accommodation::FlexibleHours],
        languages: vec![WorkLanguage::Kyrgyz, WorkLanguage::Russian],
        apply_via: vec![ApplyMethod {
            channel: ApplyChannel::Phone,
            value: "+996 555 123 456".into(),
        }],
        posted_at: posted,
        valid_through: Some(posted + Duration::days(30)),
        status: ListingStatus::Published,
        version: 1,
    }
}

fn sample_building() -> Building {
    Building {
        id: Uuid::new_v4(),
        name: "Бизнес-борбор Ордо".into(),
        address: Address {
            street: "Чүй проспекти 120".into(),
            city: "Бишкек".into(),
            district: None,
            region: Region::Bishkek,
        },
        location: GeoPoint::new(42.8746, 74.5698),
        osm_id: Some("way/123456".into()),
    }
}

fn field_of(result: Validation) -> &'static str {
    result.expect_err("expected a validation error").field()
}

#[test]
fn a_complete_listing_is_valid() {
    assert_eq!(sample_listing().validate(), Ok(()));
}

#[test]
fn blank_title_is_rejected_naming_title() {
    let mut l = sample_listing();
    l.title = "   ".into();
    assert_eq!(field_of(l.validate()), "title");
}

#[test]
fn overlong_title_counts_characters_not_bytes() {
    let mut l = sample_listing();
    l.title = "ө".repeat(validation::limits::TITLE);
    assert_eq!(
        l.validate(),
        Ok(()),
        "200 Cyrillic letters are 400 bytes but allowed"
    );
    l.title.push('ө');
    assert!(matches!(
        l.validate(),
        Err(ValidationError::TooLong {
            field: "title",
            len: 201,
            ..
        })
    ));
}

#[test]
fn salary_min_above_max_is_rejected() {
    let mut l = sample_listing();
    l.salary = Some(Salary {
        min: Some(50_000),
        max: Some(40_000),
        period: SalaryPeriod::Month,
    });
    assert_eq!(
        l.validate(),
        Err(ValidationError::SalaryMinAboveMax {
            min: 50_000,
            max: 40_000
        })
    );
    assert_eq!(field_of(l.validate()), "salary");
}

#[test]
fn salary_without_bounds_is_rejected() {
    let mut l = sample_listing();
    l.salary = Some(Salary {
        min: None,
        max: None,
        period: SalaryPeriod::Month,
    });
    assert_eq!(l.validate(), Err(ValidationError::SalaryMissing));
}

#[test]
fn valid_through_before_posted_at_is_rejected() {
    let mut l = sample_listing();
    l.valid_through = Some(l.posted_at - Duration::days(1));
    assert_eq!(field_of(l.validate()), "valid_through");
}

#[test]
fn on_site_job_needs_a_building_but_remote_does_not() {
    let mut l = sample_listing();
    l.building_id = None;
    assert_eq!(l.validate(), Err(ValidationError::BuildingRequired));
    l.work_mode = WorkMode::Remote;
    assert_eq!(l.validate(), Ok(()));
}

#[test]
fn apply_methods_are_checked_by_channel() {
    let mut l = sample_listing();
    l.apply_via = vec![ApplyMethod {
        channel: ApplyChannel::Email,
        value: "not-an-email".into(),
    }];
    assert_eq!(field_of(l.validate()), "apply_via.value");
    l.apply_via = vec![ApplyMethod {
        channel: ApplyChannel::Sms,
        value: "call me".into(),
    }];
    assert_eq!(field_of(l.validate()), "apply_via.value");
    l.apply_via.clear();
    assert_eq!(field_of(l.validate()), "apply_via");
}

#[test]
fn a_listing_needs_a_language() {
    let mut l = sample_listing();
    l.languages.clear();
    assert_eq!(field_of(l.validate()), "languages");
}

#[test]
fn building_outside_kyrgyzstan_needs_the_abroad_region() {
    let mut b = sample_building();
    assert_eq!(b.validate(), Ok(()));
    // A bounding box is coarse (Almaty and Tashkent fall inside it); it catches swapped or far-off coordinates.
    b.location = GeoPoint::new(55.7558, 37.6173); // Moscow
    assert!(matches!(
        b.validate(),
        Err(ValidationError::OutsideKyrgyzstan {
            field: "location",
            ..
        })
    ));
    b.address.region = Region::Abroad;
    assert_eq!(b.validate(), Ok(()));
}

#[test]
fn non_finite_coordinates_are_rejected_even_abroad() {
    let mut b = sample_building();
    b.address.region = Region::Abroad;
    b.location = GeoPoint::new(f64::NAN, 74.0);
    assert!(matches!(
        b.validate(),
        Err(ValidationError::BadCoordinates { .. })
    ));
    b.location = GeoPoint::new(91.0, 74.0);
    assert!(matches!(
        b.validate(),
        Err(ValidationError::BadCoordinates { .. })
    ));
}

#[test]
fn osm_id_shape_is_checked() {
    let mut b = sample_building();
    b.osm_id = Some("way/12a".into());
    assert_eq!(field_of(b.validate()), "osm_id");
    b.osm_id = Some("node/42".into());
    assert_eq!(b.validate(), Ok(()));
}

#[test]
fn organization_contact_fields_are_named() {
    let mut o = Organization {
        id: Uuid::new_v4(),
        name: "Ак-Жол".into(),
        kind: OrganizationKind::Ngo,
        contact: Contact {
            phone: Some("+996 312 123456".into()),
            email: Some("info@akjol.kg".into()),
            website: Some("https://akjol.kg".into()),
        },
        verified: true,
    };
    assert_eq!(o.validate(), Ok(()));
    o.contact.website = Some("akjol.kg".into());
    assert_eq!(field_of(o.validate()), "contact.website");
    o.contact.website = None;
    o.contact.email = Some("info@akjol".into());
    assert_eq!(field_of(o.validate()), "contact.email");
    o.contact.email = None;
    o.name = String::new();
    assert_eq!(field_of(o.validate()), "name");
}

#[test]
fn control_characters_in_text_are_rejected() {
    let mut l = sample_listing();
    l.title = "Job\u{0}".into();
    assert_eq!(field_of(l.validate()), "title");
    l.title = "Job".into();
    l.description = "Line one\nLine two\ttabbed".into();
    assert_eq!(l.validate(), Ok(()));
}

#[test]
fn saved_job_note_is_limited() {
    let s = SavedJob {
        listing_id: Uuid::new_v4(),
        note: Some("x".repeat(validation::limits::NOTE + 1)),
        saved_at: Utc::now(),
    };
    assert_eq!(field_of(s.validate()), "note");
}

#[test]
fn names_with_invisible_or_direction_characters_are_refused() {
    // A zero-width space makes another "city" that reads the same.
    let mut building = sample_building();
    building.address.city = "Биш\u{200B}кек".into();
    match building.validate() {
        Err(ValidationError::Invalid { field, reason }) => {
            assert_eq!(field, "address.city");
            assert!(reason.contains("U+200B"), "{reason}");
        }
        other => panic!("expected address.city refused, got {other:?}"),
    }
    for name in ["Ош\u{202E}kg", "\u{FEFF}Ош", "О\u{00AD}ш", "Ош\u{2066}"] {
        let mut b = sample_building();
        b.name = name.into();
        assert!(
            matches!(
                b.validate(),
                Err(ValidationError::Invalid { field: "name", .. })
            ),
            "{name:?}"
        );
    }
    let mut listing = sample_listing();
    listing.title = "Бух\u{200D}галтер".into();
    assert!(matches!(
        listing.validate(),
        Err(ValidationError::Invalid { field: "title", .. })
    ));
    // Kyrgyz letters, apostrophes, dashes and № stay fine; a description may hold anything printable.
    let mut ok = sample_building();
    ok.name = "Үй-бүлөлүк медицина борбору №14 «Ала-Тоо»".into();
    assert_eq!(ok.validate(), Ok(()));
}
