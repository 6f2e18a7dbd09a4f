//! Open311 GeoReport v2 at `/open311/v2/` (issue 13, docs/open311.md) against a real server:
//! discovery, services and requests in XML (parsed with roxmltree) and JSON, with the element
//! structure of the spec's own examples (fixtures in `tests/open311/`); the GET filters; a POST
//! with an API key becoming a report the city inbox shows (API and web page); missing, unknown
//! and revoked keys; the spec's error format with a 4xx for every bad input, naming the field;
//! the jurisdiction; no reporter identity in any answer; and GET requests over 200,000 reports.

mod common;

use std::collections::BTreeMap;
use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use common::web::Browser;
use common::{phone_report, TestServer};
use reqwest::StatusCode;
use serde_json::Value;
use teng_core::accessibility::{
    AccessibilityReport, Facts, Feature, FeatureValue, Method, RampKind, ReporterKind,
};
use teng_core::model::{Address, Building, GeoPoint, Region};
use teng_server::auth::Role;
use teng_server::open311::keys;
use teng_server::storage::{IssueStatus, StatusAnswer, Storage};
use uuid::Uuid;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/open311");
const BASE: &str = "/open311/v2";
const LAT: f64 = 42.8746;
const LON: f64 = 74.5698;

/// Form fields of a POST.
type Form<'a> = Vec<(&'a str, &'a str)>;

fn store(t: &TestServer) -> &dyn Storage {
    t.server.state.storage.as_ref()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

async fn start() -> TestServer {
    TestServer::start_with(|c| c.open311.posts_per_hour = 10_000).await
}

fn building_at(t: &TestServer, city: &str, street: &str, lat: f64, lon: f64) -> Uuid {
    let b = Building {
        id: Uuid::now_v7(),
        name: format!("Office on {street}"),
        address: Address {
            street: street.into(),
            city: city.into(),
            district: Some("Leninsky".into()),
            region: if city == "Osh" {
                Region::OshCity
            } else {
                Region::Bishkek
            },
        },
        location: GeoPoint::new(lat, lon),
        osm_id: None,
    };
    store(t)
        .create_building(&b, None, Utc::now() - Duration::days(365))
        .unwrap();
    b.id
}

fn device(t: &TestServer) -> Uuid {
    let d = Uuid::new_v4();
    store(t)
        .create_device(d, Utc::now() - Duration::days(365))
        .unwrap();
    d
}

fn steps(n: u32) -> Facts {
    Facts::new()
        .with(Feature::EntranceStepCount, FeatureValue::Count(n))
        .with(Feature::Ramp, FeatureValue::Ramp(RampKind::NoRamp))
}

fn city_answer(t: &TestServer, report: Uuid, status: IssueStatus, note: &str) {
    let by = store(t).user_by_name("root").unwrap().unwrap().user.id;
    store(t)
        .set_report_status(
            report,
            &StatusAnswer {
                status,
                note: Some(note.into()),
                lang: Some("en".into()),
                by,
                city_scope: None,
            },
            Utc::now(),
        )
        .unwrap();
}

/// GET: status, Content-Type, body.
async fn get(t: &TestServer, path: &str) -> (StatusCode, String, String) {
    let r = t.client.get(t.url(path)).send().await.unwrap();
    let status = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (status, ct, r.text().await.unwrap())
}

async fn get_json(t: &TestServer, path: &str) -> (StatusCode, Value) {
    let (s, ct, body) = get(t, path).await;
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    (s, serde_json::from_str(&body).unwrap())
}

async fn post(t: &TestServer, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
    let r = t.client.post(t.url(path)).form(form).send().await.unwrap();
    let status = r.status();
    (status, r.text().await.unwrap())
}

/// The element structure of an XML tree: for each element, its children by name, the children
/// of same-named elements merged (so a list of three `<service>` is one `service` shape and an
/// empty `<values/>` agrees with a full one). Text, order and counts are left out.
#[derive(Debug, Default, PartialEq)]
struct Shape(BTreeMap<String, Shape>);

fn shape(node: roxmltree::Node) -> Shape {
    let mut s = Shape::default();
    for child in node.children().filter(|c| c.is_element()) {
        merge(
            s.0.entry(child.tag_name().name().to_string()).or_default(),
            shape(child),
        );
    }
    s
}

fn merge(into: &mut Shape, from: Shape) {
    for (name, child) in from.0 {
        merge(into.0.entry(name).or_default(), child);
    }
}

fn parse(xml: &str) -> roxmltree::Document<'_> {
    assert!(
        xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "the XML declaration with its encoding comes first: {xml}"
    );
    roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("{e}: {xml}"))
}

/// Our document has the root and the element structure of the spec's example.
fn same_structure(ours: &str, example: &str) {
    let (a, b) = (parse(ours), roxmltree::Document::parse(example).unwrap());
    assert_eq!(
        a.root_element().tag_name().name(),
        b.root_element().tag_name().name()
    );
    assert_eq!(shape(a.root_element()), shape(b.root_element()), "{ours}");
}

fn text_of<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    node.children()
        .find(|c| c.tag_name().name() == name)
        .and_then(|c| c.text())
        .unwrap_or_default()
}

/// The spec's error document in XML: the HTTP status, `<errors><error><code>` equal to it, and
/// the description (returned).
fn xml_error(status: StatusCode, body: &str, expected: StatusCode) -> String {
    assert_eq!(status, expected, "{body}");
    same_structure(body, &fixture("errors.xml"));
    let doc = parse(body);
    let error = doc.root_element().first_element_child().unwrap();
    assert_eq!(text_of(error, "code"), expected.as_u16().to_string());
    text_of(error, "description").to_string()
}

/// The same in JSON: `[{"code", "description"}]`.
fn json_error(status: StatusCode, v: &Value, expected: StatusCode) -> String {
    assert_eq!(status, expected, "{v}");
    assert_eq!(v[0]["code"], expected.as_u16(), "{v}");
    v[0]["description"].as_str().unwrap().to_string()
}

fn request_ids(xml: &str) -> Vec<String> {
    let doc = parse(xml);
    doc.root_element()
        .children()
        .filter(|c| c.tag_name().name() == "request")
        .map(|r| text_of(r, "service_request_id").to_string())
        .collect()
}

fn json_ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn discovery_and_services_have_the_specs_structure_in_both_formats() {
    let t = start().await;
    let (s, ct, xml) = get(&t, &format!("{BASE}/discovery.xml")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "text/xml; charset=utf-8");
    same_structure(&xml, &fixture("discovery.xml"));
    let doc = parse(&xml);
    let endpoint = doc
        .descendants()
        .find(|n| n.has_tag_name("endpoint"))
        .unwrap();
    assert_eq!(
        text_of(endpoint, "specification"),
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert!(text_of(endpoint, "url").ends_with("/open311/v2"));
    let (s, v) = get_json(&t, &format!("{BASE}/discovery.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        v["endpoints"][0]["formats"],
        serde_json::json!(["text/xml", "application/json"])
    );

    let (s, ct, xml) = get(&t, &format!("{BASE}/services.xml")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(ct, "text/xml; charset=utf-8");
    same_structure(&xml, &fixture("services.xml"));
    let doc = parse(&xml);
    let codes: Vec<&str> = doc
        .root_element()
        .children()
        .filter(|c| c.is_element())
        .map(|c| text_of(c, "service_code"))
        .collect();
    for code in [
        "entrance_steps",
        "no_ramp",
        "steep_ramp",
        "narrow_door",
        "no_elevator",
        "elevator_out_of_order",
        "no_accessible_toilet",
        "no_accessible_parking",
        "other",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    for service in doc.root_element().children().filter(|c| c.is_element()) {
        assert_eq!(text_of(service, "type"), "realtime");
        assert!(["true", "false"].contains(&text_of(service, "metadata")));
        assert!(!text_of(service, "service_name").is_empty());
    }

    // JSON: the same services, each an object with the XML's child names (Spark convention).
    let (s, v) = get_json(&t, &format!("{BASE}/services.json")).await;
    assert_eq!(s, StatusCode::OK);
    let example = fixture("services.xml");
    let example = roxmltree::Document::parse(&example).unwrap();
    let names: Vec<String> = shape(example.root_element()).0["service"]
        .0
        .keys()
        .cloned()
        .collect();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), codes.len());
    for service in list {
        let mut keys: Vec<String> = service.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, names);
        assert!(service["metadata"].is_boolean());
    }

    // A definition with a list attribute and a number attribute.
    let (s, _, xml) = get(&t, &format!("{BASE}/services/no_ramp.xml")).await;
    assert_eq!(s, StatusCode::OK);
    same_structure(&xml, &fixture("service_definition.xml"));
    let doc = parse(&xml);
    let attrs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("attribute"))
        .collect();
    assert_eq!(text_of(attrs[0], "code"), "ramp");
    assert_eq!(text_of(attrs[0], "datatype"), "singlevaluelist");
    assert_eq!(text_of(attrs[0], "order"), "1");
    assert_eq!(text_of(attrs[1], "code"), "entrance_step_count");
    assert_eq!(text_of(attrs[1], "datatype"), "number");
    let (s, v) = get_json(&t, &format!("{BASE}/services/steep_ramp.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["service_code"], "steep_ramp");
    assert_eq!(v["attributes"][0]["code"], "ramp_slope_percent");
    assert_eq!(v["attributes"][0]["required"], true);

    // Unknown services and resources: 404 in the spec's format, in the asked format.
    let (s, _, xml) = get(&t, &format!("{BASE}/services/potholes.xml")).await;
    assert!(xml_error(s, &xml, StatusCode::NOT_FOUND).contains("service_code"));
    let (s, v) = get_json(&t, &format!("{BASE}/services/potholes.json")).await;
    assert!(json_error(s, &v, StatusCode::NOT_FOUND).contains("service_code"));
    let (s, _, xml) = get(&t, &format!("{BASE}/services.html")).await;
    xml_error(s, &xml, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn jurisdiction_may_be_left_out_or_ours_and_any_other_is_a_404() {
    let t = start().await;
    for path in [
        "services.xml",
        "services.xml?jurisdiction_id=teng.kg",
        "services.xml?jurisdiction_id=TENG.KG",
        "services.xml?jurisdiction_id=",
        "requests.xml?jurisdiction_id=teng.kg",
    ] {
        let (s, _, body) = get(&t, &format!("{BASE}/{path}")).await;
        assert_eq!(s, StatusCode::OK, "{path}: {body}");
    }
    for path in [
        "services.xml?jurisdiction_id=sfgov.org",
        "services/no_ramp.xml?jurisdiction_id=sfgov.org",
        "requests.xml?jurisdiction_id=sfgov.org",
        "tokens/0190f3a2-7c1e-7d44-9a51-2b3c4d5e6f70.xml?jurisdiction_id=sfgov.org",
    ] {
        let (s, _, body) = get(&t, &format!("{BASE}/{path}")).await;
        assert!(
            xml_error(s, &body, StatusCode::NOT_FOUND).contains("jurisdiction_id"),
            "{path}"
        );
    }
    let (s, v) = get_json(&t, &format!("{BASE}/requests.json?jurisdiction_id=x.org")).await;
    json_error(s, &v, StatusCode::NOT_FOUND);
    let (key, _) = keys::issue(store(&t), "app", None, Utc::now()).unwrap();
    let (s, body) = post(
        &t,
        &format!("{BASE}/requests.xml"),
        &[
            ("api_key", &key),
            ("jurisdiction_id", "sfgov.org"),
            ("service_code", "no_ramp"),
            ("address_id", &Uuid::now_v7().to_string()),
        ],
    )
    .await;
    assert!(xml_error(s, &body, StatusCode::NOT_FOUND).contains("jurisdiction_id"));

    // Another configured jurisdiction.
    let other = TestServer::start_with(|c| c.open311.jurisdiction = "bishkek.kg".into()).await;
    let (s, _, _) = get(
        &other,
        &format!("{BASE}/services.xml?jurisdiction_id=bishkek.kg"),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, body) = get(
        &other,
        &format!("{BASE}/services.xml?jurisdiction_id=teng.kg"),
    )
    .await;
    xml_error(s, &body, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_post_with_a_key_becomes_a_report_the_city_inbox_shows() {
    let t = start().await;
    let b = building_at(&t, "Bishkek", "120 Chuy Avenue", LAT, LON);
    let (key, record) = keys::issue(store(&t), "fixmystreet-bishkek", None, Utc::now()).unwrap();

    // About 30 m from the building: attached to it.
    let lat = (LAT + 0.00027).to_string();
    let (s, body) = post(
        &t,
        &format!("{BASE}/requests.xml"),
        &[
            ("api_key", &key),
            ("jurisdiction_id", "teng.kg"),
            ("service_code", "entrance_steps"),
            ("lat", &lat),
            ("long", &LON.to_string()),
            ("attribute[entrance_step_count]", "4"),
            ("attribute[entrance_step_height_cm]", "18"),
            ("description", "Four high steps, no ramp & no bell <b>"),
            ("media_url", "https://example.org/photo.jpg"),
            ("email", "someone@example.org"),
            ("first_name", "Aida"),
            ("phone", "+996555000111"),
            ("device_id", "phone-device-42"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    same_structure(&body, &fixture("post_response.xml"));
    let id = request_ids(&body).remove(0);
    assert!(id.ends_with("-entrance_steps"), "{id}");
    let report_id: Uuid = id[..36].parse().unwrap();

    // Read back in both formats, with the fields of the spec's example.
    let (s, _, xml) = get(&t, &format!("{BASE}/requests/{id}.xml")).await;
    assert_eq!(s, StatusCode::OK, "{xml}");
    same_structure(&xml, &fixture("requests.xml"));
    let doc = parse(&xml);
    let r = doc.root_element().first_element_child().unwrap();
    assert_eq!(text_of(r, "service_request_id"), id);
    assert_eq!(text_of(r, "status"), "open");
    assert_eq!(text_of(r, "service_code"), "entrance_steps");
    assert_eq!(text_of(r, "service_name"), "Steps at the entrance");
    assert_eq!(text_of(r, "address_id"), b.to_string());
    assert_eq!(text_of(r, "address"), "120 Chuy Avenue, Leninsky, Bishkek");
    assert_eq!(text_of(r, "agency_responsible"), "Bishkek City Hall");
    assert_eq!(text_of(r, "lat"), LAT.to_string());
    assert_eq!(text_of(r, "long"), LON.to_string());
    let description = text_of(r, "description");
    assert!(description.contains("4"), "{description}");
    assert!(
        description.contains("Four high steps, no ramp & no bell <b>"),
        "{description}"
    );
    let requested = text_of(r, "requested_datetime");
    assert!(DateTime::parse_from_rfc3339(requested).is_ok() && requested.ends_with('Z'));
    let (s, v) = get_json(&t, &format!("{BASE}/requests/{id}.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v[0]["service_request_id"], id.as_str());
    assert_eq!(v[0]["lat"], LAT);
    assert_eq!(v[0]["long"], LON);
    assert_eq!(v[0]["expected_datetime"], Value::Null);

    // A token is the report's id; it maps to the report's requests.
    let (s, _, xml) = get(&t, &format!("{BASE}/tokens/{report_id}.xml")).await;
    assert_eq!(s, StatusCode::OK, "{xml}");
    same_structure(&xml, &fixture("token.xml"));
    assert_eq!(request_ids(&xml), std::slice::from_ref(&id));
    let (s, _, xml) = get(&t, &format!("{BASE}/tokens/{}.xml", Uuid::now_v7())).await;
    xml_error(s, &xml, StatusCode::NOT_FOUND);

    // The report: an external system's, weighing as an anonymous estimate, in the summary.
    let stored = store(&t)
        .report_in_city(report_id, Some("Bishkek"))
        .unwrap()
        .unwrap();
    assert_eq!(stored.report.reporter_kind, ReporterKind::ExternalSystem);
    assert_eq!(stored.report.method, Method::Estimated);
    assert_eq!(stored.source, "external_system");
    assert_eq!(stored.report.building_id, b);
    assert_eq!(
        stored.report.facts.get(Feature::EntranceStepCount),
        Some(&FeatureValue::Count(4))
    );
    let note = stored.report.note.clone().unwrap().en.unwrap();
    assert!(note.contains("https://example.org/photo.jpg"), "{note}");
    assert!(!format!("{stored:?}").contains("someone@example.org"));
    assert!(!format!("{stored:?}").contains("phone-device-42"));
    let summary = store(&t).building_summary(b, Utc::now()).unwrap();
    assert_eq!(summary.report_count, 1);

    // The city inbox shows it: the API, and the web page.
    t.add_user("bishkek_city", Role::City, None, Some("Bishkek"));
    let city = t.login("bishkek_city").await;
    let (s, v) = t.get("/v1/city/reports", Some(&city)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let item = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == report_id.to_string())
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(item["reporter_kind"], "external_system");
    assert!(item.get("reporter").is_none());
    let browser = Browser::new(&t, "en");
    browser.login("bishkek_city").await;
    let (s, html) = browser.get("/city").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(&format!("/city/reports/{report_id}")),
        "{html}"
    );
    assert!(html.contains("External system"), "{html}");

    // The city answers; the request closes with the city's note.
    city_answer(&t, report_id, IssueStatus::Resolved, "A ramp was built.");
    let (_, v) = get_json(&t, &format!("{BASE}/requests/{id}.json")).await;
    assert_eq!(v[0]["status"], "closed");
    assert_eq!(v[0]["status_notes"], "A ramp was built.");
    let at = |f: &str| DateTime::parse_from_rfc3339(v[0][f].as_str().unwrap()).unwrap();
    assert!(at("updated_datetime") >= at("requested_datetime"));

    // The key is revocable; a revoked key is refused.
    assert_eq!(
        keys::revoke(store(&t), "fixmystreet-bishkek", Utc::now()).unwrap(),
        1
    );
    let (s, body) = post(
        &t,
        &format!("{BASE}/requests.json"),
        &[
            ("api_key", &key),
            ("service_code", "no_ramp"),
            ("address_id", &b.to_string()),
        ],
    )
    .await;
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(json_error(s, &v, StatusCode::FORBIDDEN).contains("revoked"));
    assert!(!body.contains(&record.id.to_string()));
}

#[tokio::test]
async fn missing_and_unknown_keys_are_refused_and_posts_are_rate_limited() {
    let t = TestServer::start_with(|c| c.open311.posts_per_hour = 2).await;
    let building = building_at(&t, "Bishkek", "1 Main Street", LAT, LON).to_string();
    let b = building.as_str();
    let form = |key: &'static str| vec![("api_key", key), ("service_code", "no_accessible_toilet")];
    let mut missing = form("");
    missing.push(("address_id", b));
    let (s, body) = post(&t, &format!("{BASE}/requests.xml"), &missing).await;
    assert!(xml_error(s, &body, StatusCode::FORBIDDEN).contains("api_key"));
    let mut unknown = form("0123456789abcdef");
    unknown.push(("address_id", b));
    let (s, body) = post(&t, &format!("{BASE}/requests.xml"), &unknown).await;
    assert!(xml_error(s, &body, StatusCode::FORBIDDEN).contains("api_key"));

    let (key, _) = keys::issue(store(&t), "toilets", None, Utc::now()).unwrap();
    // One live key per name.
    assert!(keys::issue(store(&t), "TOILETS", None, Utc::now()).is_err());
    let ok = [
        ("api_key", key.as_str()),
        ("service_code", "no_accessible_toilet"),
        ("attribute[toilet]", "limited"),
        ("address_id", b),
    ];
    for _ in 0..2 {
        let (s, body) = post(&t, &format!("{BASE}/requests.xml"), &ok).await;
        assert_eq!(s, StatusCode::OK, "{body}");
    }
    let (s, body) = post(&t, &format!("{BASE}/requests.xml"), &ok).await;
    xml_error(s, &body, StatusCode::TOO_MANY_REQUESTS);

    // A key bound to a city reports about that city's buildings only.
    let osh = building_at(&t, "Osh", "Lenin Street 1", 40.5283, 72.7985).to_string();
    let osh = osh.as_str();
    let (osh_key, _) = keys::issue(store(&t), "osh-app", Some("Osh"), Utc::now()).unwrap();
    let (s, body) = post(
        &t,
        &format!("{BASE}/requests.xml"),
        &[
            ("api_key", &osh_key),
            ("service_code", "no_elevator"),
            ("address_id", b),
        ],
    )
    .await;
    assert!(xml_error(s, &body, StatusCode::FORBIDDEN).contains("Osh"));
    let (s, body) = post(
        &t,
        &format!("{BASE}/requests.xml"),
        &[
            ("api_key", &osh_key),
            ("service_code", "no_elevator"),
            ("address_id", osh),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn bad_posts_get_the_specs_errors_naming_the_field() {
    let t = start().await;
    let building = building_at(&t, "Bishkek", "7 Erkindik Boulevard", LAT, LON).to_string();
    let b = building.as_str();
    let long = "x".repeat(2_001);
    building_at(&t, "Bishkek", "9 Twin Street", LAT + 0.01, LON);
    building_at(&t, "Osh", "9 Twin Street", 40.5283, 72.7985);
    let (key, _) = keys::issue(store(&t), "app", None, Utc::now()).unwrap();
    let k = key.as_str();
    let cases: Vec<(Form, StatusCode, &str)> = vec![
        (
            vec![("address_id", b)],
            StatusCode::BAD_REQUEST,
            "service_code",
        ),
        (
            vec![("service_code", "potholes"), ("address_id", b)],
            StatusCode::NOT_FOUND,
            "service_code",
        ),
        (
            vec![("service_code", "no_ramp")],
            StatusCode::BAD_REQUEST,
            "lat",
        ),
        (
            vec![("service_code", "no_ramp"), ("lat", "91"), ("long", "74.5")],
            StatusCode::BAD_REQUEST,
            "lat",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("lat", "north"),
                ("long", "74.5"),
            ],
            StatusCode::BAD_REQUEST,
            "lat",
        ),
        (
            vec![("service_code", "no_ramp"), ("lat", "42.87")],
            StatusCode::BAD_REQUEST,
            "long",
        ),
        // Far from any building Teng knows.
        (
            vec![
                ("service_code", "no_ramp"),
                ("lat", "42.80"),
                ("long", "74.50"),
            ],
            StatusCode::BAD_REQUEST,
            "lat",
        ),
        (
            vec![("service_code", "no_ramp"), ("address_id", "12")],
            StatusCode::BAD_REQUEST,
            "address_id",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("address_id", "0190f3a2-7c1e-7d44-9a51-2b3c4d5e6f70"),
            ],
            StatusCode::BAD_REQUEST,
            "address_id",
        ),
        (
            vec![("service_code", "no_ramp"), ("address_string", "Nowhere 1")],
            StatusCode::BAD_REQUEST,
            "address_string",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("address_string", "9 Twin Street"),
            ],
            StatusCode::BAD_REQUEST,
            "address_string",
        ),
        (
            vec![("service_code", "steep_ramp"), ("address_id", b)],
            StatusCode::BAD_REQUEST,
            "attribute[ramp_slope_percent]",
        ),
        (
            vec![
                ("service_code", "steep_ramp"),
                ("address_id", b),
                ("attribute[ramp_slope_percent]", "5"),
            ],
            StatusCode::BAD_REQUEST,
            "attribute[ramp_slope_percent]",
        ),
        (
            vec![
                ("service_code", "narrow_door"),
                ("address_id", b),
                ("attribute[door_width_cm]", "wide"),
            ],
            StatusCode::BAD_REQUEST,
            "attribute[door_width_cm]",
        ),
        (
            vec![
                ("service_code", "narrow_door"),
                ("address_id", b),
                ("attribute[door_width_cm]", "10"),
            ],
            StatusCode::BAD_REQUEST,
            "attribute[door_width_cm]",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("address_id", b),
                ("attribute[colour]", "red"),
            ],
            StatusCode::BAD_REQUEST,
            "attribute[colour]",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("address_id", b),
                ("attribute[ramp]", "fixed"),
            ],
            StatusCode::BAD_REQUEST,
            "attribute[ramp]",
        ),
        (
            vec![("service_code", "other"), ("address_id", b)],
            StatusCode::BAD_REQUEST,
            "description",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("address_id", b),
                ("description", long.as_str()),
            ],
            StatusCode::BAD_REQUEST,
            "description",
        ),
        (
            vec![
                ("service_code", "no_ramp"),
                ("address_id", b),
                ("media_url", "javascript:alert(1)"),
            ],
            StatusCode::BAD_REQUEST,
            "media_url",
        ),
    ];
    for (fields, status, field) in cases {
        let mut form = vec![("api_key", k)];
        form.extend(fields.iter().cloned());
        let (s, body) = post(&t, &format!("{BASE}/requests.xml"), &form).await;
        let description = xml_error(s, &body, status);
        assert!(
            description.starts_with(field) || description.contains(&format!("{field}:")),
            "{fields:?}: {description}"
        );
    }
    // The same in JSON.
    let r = t
        .client
        .post(t.url(&format!("{BASE}/requests.json")))
        .form(&[
            ("api_key", k),
            ("service_code", "no_ramp"),
            ("lat", "x"),
            ("long", "1"),
        ])
        .send()
        .await
        .unwrap();
    let s = r.status();
    let v: Value = r.json().await.unwrap();
    assert!(json_error(s, &v, StatusCode::BAD_REQUEST).starts_with("lat"));
    // Not a form.
    let r = t
        .client
        .post(t.url(&format!("{BASE}/requests.xml")))
        .json(&serde_json::json!({ "api_key": k }))
        .send()
        .await
        .unwrap();
    let s = r.status();
    xml_error(s, &r.text().await.unwrap(), StatusCode::BAD_REQUEST);

    // Good addresses: an address_string naming one building (with its city), and "other".
    for form in [
        vec![
            ("service_code", "no_ramp"),
            ("address_string", "7 erkindik boulevard"),
        ],
        vec![
            ("service_code", "no_ramp"),
            ("address_string", "9 Twin Street, Osh"),
        ],
        vec![
            ("service_code", "other"),
            ("address_id", b),
            ("description", "Кире бериште эшик өтө оор"),
        ],
    ] {
        let mut all = vec![("api_key", k)];
        all.extend(form.iter().cloned());
        let (s, body) = post(&t, &format!("{BASE}/requests.xml"), &all).await;
        assert_eq!(s, StatusCode::OK, "{form:?}: {body}");
    }
}

#[tokio::test]
async fn get_requests_filters_by_ids_service_dates_and_status() {
    let t = start().await;
    let b = building_at(&t, "Bishkek", "1 Main Street", LAT, LON);
    let d = device(&t);
    let now = Utc::now();
    let old = phone_report(&t, d, b, steps(2), None, now - Duration::days(120));
    let steps_report = phone_report(&t, d, b, steps(3), None, now - Duration::days(10));
    let toilet = phone_report(
        &t,
        d,
        b,
        Facts::new().with(
            Feature::Toilet,
            FeatureValue::Access(teng_core::accessibility::AccessLevel::No),
        ),
        None,
        now - Duration::days(5),
    );
    let good_news = phone_report(
        &t,
        device(&t),
        b,
        Facts::new().with(Feature::ElevatorWorking, FeatureValue::Bool(true)),
        None,
        now - Duration::days(4),
    );
    let note_only = phone_report(
        &t,
        device(&t),
        b,
        Facts::new(),
        Some("The guard would not let my wheelchair in"),
        now - Duration::days(3),
    );
    city_answer(
        &t,
        toilet,
        IssueStatus::NotResponsible,
        "A private building.",
    );

    let (s, v) = get_json(&t, &format!("{BASE}/requests.json")).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Newest first, one request per problem, the last 90 days only; good news is no request.
    assert_eq!(
        json_ids(&v),
        [
            format!("{note_only}-other"),
            format!("{toilet}-no_accessible_toilet"),
            format!("{steps_report}-no_ramp"),
            format!("{steps_report}-entrance_steps"),
        ]
    );
    assert!(!v.to_string().contains(&good_news.to_string()));
    let (_, _, xml) = get(&t, &format!("{BASE}/requests.xml")).await;
    same_structure(&xml, &fixture("requests.xml"));
    assert_eq!(request_ids(&xml), json_ids(&v));

    let (_, v) = get_json(&t, &format!("{BASE}/requests.json?status=closed")).await;
    assert_eq!(json_ids(&v), [format!("{toilet}-no_accessible_toilet")]);
    assert_eq!(v[0]["status"], "closed");
    assert_eq!(v[0]["status_notes"], "A private building.");
    let (_, v) = get_json(&t, &format!("{BASE}/requests.json?status=open")).await;
    assert_eq!(json_ids(&v).len(), 3);
    let (_, v) = get_json(&t, &format!("{BASE}/requests.json?status=open,closed")).await;
    assert_eq!(json_ids(&v).len(), 4);

    let (_, v) = get_json(
        &t,
        &format!("{BASE}/requests.json?service_code=entrance_steps,no_accessible_toilet"),
    )
    .await;
    assert_eq!(
        json_ids(&v),
        [
            format!("{toilet}-no_accessible_toilet"),
            format!("{steps_report}-entrance_steps"),
        ]
    );

    let start = (now - Duration::days(130)).format("%Y-%m-%dT%H:%M:%SZ");
    let end = (now - Duration::days(100)).format("%Y-%m-%dT%H:%M:%SZ");
    let (_, v) = get_json(
        &t,
        &format!("{BASE}/requests.json?start_date={start}&end_date={end}"),
    )
    .await;
    assert_eq!(
        json_ids(&v),
        [format!("{old}-no_ramp"), format!("{old}-entrance_steps")]
    );
    let end = (now - Duration::days(6)).format("%Y-%m-%dT%H:%M:%S+06:00");
    let (_, v) = get_json(
        &t,
        &format!(
            "{BASE}/requests.json?end_date={}",
            end.to_string().replace('+', "%2B")
        ),
    )
    .await;
    // The 90 days before end_date: the report of 10 days ago, not the one of 120 days ago.
    assert_eq!(
        json_ids(&v),
        [
            format!("{steps_report}-no_ramp"),
            format!("{steps_report}-entrance_steps"),
        ]
    );

    // Ids override every other filter; unknown ids are simply absent.
    let (_, v) = get_json(
        &t,
        &format!(
            "{BASE}/requests.json?status=closed&service_request_id={old}-no_ramp,{toilet}-no_accessible_toilet,{}-no_ramp",
            Uuid::now_v7()
        ),
    )
    .await;
    assert_eq!(
        json_ids(&v),
        [
            format!("{toilet}-no_accessible_toilet"),
            format!("{old}-no_ramp"),
        ]
    );
    let (s, _, xml) = get(&t, &format!("{BASE}/requests/{good_news}-no_ramp.xml")).await;
    xml_error(s, &xml, StatusCode::NOT_FOUND);

    // A hidden report is no longer a public request.
    let (s, v) = t
        .post(
            &format!("/v1/admin/reports/{note_only}/hide"),
            Some(&t.admin.clone()),
            serde_json::json!({ "reason": "abusive" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (_, v) = get_json(&t, &format!("{BASE}/requests.json")).await;
    assert!(!v.to_string().contains(&note_only.to_string()));

    // Bad filters: 400 naming the parameter, in both formats.
    for (query, field) in [
        ("start_date=yesterday", "start_date"),
        ("end_date=2024-13-45", "end_date"),
        (
            "start_date=2024-01-01T00:00:00Z&end_date=2024-06-01T00:00:00Z",
            "end_date",
        ),
        (
            "start_date=2024-06-01T00:00:00Z&end_date=2024-01-01T00:00:00Z",
            "end_date",
        ),
        ("status=pending", "status"),
        ("service_code=potholes", "service_code"),
        ("service_request_id=42", "service_request_id"),
    ] {
        let (s, _, xml) = get(&t, &format!("{BASE}/requests.xml?{query}")).await;
        assert!(
            xml_error(s, &xml, StatusCode::BAD_REQUEST).starts_with(field),
            "{query}"
        );
        let (s, v) = get_json(&t, &format!("{BASE}/requests.json?{query}")).await;
        assert!(
            json_error(s, &v, StatusCode::BAD_REQUEST).starts_with(field),
            "{query}"
        );
    }
    let (s, _, xml) = get(&t, &format!("{BASE}/requests/42.xml")).await;
    xml_error(s, &xml, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn no_answer_shows_who_reported() {
    let t = start().await;
    let b = building_at(&t, "Bishkek", "1 Main Street", LAT, LON);
    let (device_id, device_token) = t.device().await;
    let (s, v) = t
        .post(
            &format!("/v1/buildings/{b}/reports"),
            Some(&device_token),
            serde_json::json!({ "facts": { "elevator_working": { "bool": false } } }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (key, record) = keys::issue(store(&t), "secret-system-name", None, Utc::now()).unwrap();
    let (s, body) = post(
        &t,
        &format!("{BASE}/requests.xml"),
        &[
            ("api_key", &key),
            ("service_code", "no_hearing_loop"),
            ("address_id", &b.to_string()),
            ("account_id", "account-777"),
            ("email", "aida@example.org"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let mut answers = vec![body];
    for path in [
        "requests.xml",
        "requests.json",
        "services.xml",
        "discovery.json",
    ] {
        answers.push(get(&t, &format!("{BASE}/{path}")).await.2);
    }
    let (_, v) = get_json(&t, &format!("{BASE}/requests.json")).await;
    for id in json_ids(&v) {
        answers.push(get(&t, &format!("{BASE}/requests/{id}.xml")).await.2);
        answers.push(
            get(&t, &format!("{BASE}/tokens/{}.json", &id[..36]))
                .await
                .2,
        );
    }
    assert_eq!(json_ids(&v).len(), 2, "{v}");
    for answer in &answers {
        for secret in [
            device_id.to_string(),
            device_token.clone(),
            key.clone(),
            record.id.to_string(),
            "secret-system-name".into(),
            "open311:".into(),
            "account-777".into(),
            "aida@example.org".into(),
        ] {
            assert!(!answer.contains(&secret), "{secret} in {answer}");
        }
    }
}

/// A report stored by any path is in the Open311 index as it is stored (in its own transaction),
/// so GET requests shows it at once and never has to write.
#[tokio::test]
async fn a_phones_report_is_indexed_as_it_is_stored() {
    let t = start().await;
    let b = building_at(&t, "Bishkek", "1 Erkindik Boulevard", LAT, LON);
    let d = device(&t);
    let id = phone_report(&t, d, b, steps(2), None, Utc::now());
    // Indexed with the report: the catch-up has nothing left to do.
    assert_eq!(t.server.state.storage.open311_catch_up().unwrap(), 0);
    let (s, v) = get_json(&t, &format!("{BASE}/requests.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        json_ids(&v).iter().any(|r| r.starts_with(&id.to_string())),
        "{v}"
    );
}

/// Reports stored before the Open311 index existed (rows an older server left: not indexed) are
/// indexed by the catch-up the server runs in the background when it starts, once each, and the
/// index then agrees with the reports; an Open311 read never writes. (Its speed over 200k reports:
/// `cargo bench -p teng-tests --bench city`.)
#[tokio::test]
async fn reports_from_before_the_index_are_indexed_when_the_server_starts() {
    let n: usize = 2_500;
    let mut t = start().await;
    if t.on_postgres() {
        // Rows of an SQLite database from before schema 6; a PostgreSQL one never has them.
        eprintln!("SQLite only: reports stored before the Open311 index");
        return;
    }
    let buildings: Vec<Uuid> = (0..50)
        .map(|i| {
            building_at(
                &t,
                "Bishkek",
                &format!("{i} Main Street"),
                LAT,
                LON + i as f64 * 0.01,
            )
        })
        .collect();
    let now = Utc::now();
    let mut resolved = std::collections::BTreeSet::new();
    {
        let mut c = rusqlite::Connection::open(t.db_path()).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(30)).unwrap();
        let tx = c.transaction().unwrap();
        {
            let mut insert = tx
                .prepare(
                    "INSERT INTO reports(id, building_id, body, created_at, status)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .unwrap();
            for i in 0..n {
                let building = buildings[i % buildings.len()];
                let facts = match i % 4 {
                    0 => steps(1 + (i % 5) as u32),
                    1 => Facts::new().with(Feature::DoorWidth, FeatureValue::Centimetres(75)),
                    2 => Facts::new().with(Feature::ElevatorWorking, FeatureValue::Bool(false)),
                    _ => Facts::new().with(Feature::Elevator, FeatureValue::Bool(true)),
                };
                let received = now - Duration::milliseconds((i as i64) * 40_000);
                let report = AccessibilityReport {
                    id: Uuid::now_v7(),
                    building_id: building,
                    reporter: format!("bulk-{i}").as_str().into(),
                    reporter_kind: ReporterKind::Anonymous,
                    observed_at: received,
                    method: Method::Estimated,
                    facts,
                    note: None,
                };
                let status = if i % 10 == 0 { "resolved" } else { "open" };
                if status == "resolved" {
                    resolved.insert(report.id.to_string());
                }
                insert
                    .execute(rusqlite::params![
                        report.id.to_string(),
                        building.to_string(),
                        serde_json::to_string(&report).unwrap(),
                        received.timestamp_millis(),
                        status
                    ])
                    .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let pending = |t: &TestServer| -> i64 {
        rusqlite::Connection::open(t.db_path())
            .unwrap()
            .query_row(
                "SELECT count(*) FROM reports WHERE open311_indexed IS NULL",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    // This server's catch-up ran when it started, before these rows: reads leave them alone.
    let (s, v) = get_json(&t, &format!("{BASE}/requests.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json_ids(&v).len(), 0, "a read indexed reports");
    assert_eq!(pending(&t), n as i64);

    // An upgraded server starting on this database indexes them in the background.
    let mut config = common::test_config(&t.dir);
    config.open311.posts_per_hour = 10_000;
    let old = std::mem::replace(&mut t.server, teng_server::start(config).await.unwrap());
    old.shutdown().await.unwrap();
    let waited = Instant::now();
    while pending(&t) > 0 {
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(120),
            "the startup catch-up did not finish: {} reports left",
            pending(&t)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        store(&t).open311_catch_up().unwrap(),
        0,
        "left for a second pass"
    );
    let (s, v) = get_json(&t, &format!("{BASE}/requests.json")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(json_ids(&v).len(), 1_000);

    // Narrow doors (every 4th report from the 2nd) are never among the resolved (every 10th).
    let queries = [
        ("requests.json", true),
        ("requests.json?status=closed", true),
        ("requests.json?service_code=narrow_door", true),
        (
            "requests.json?service_code=narrow_door&status=closed",
            false,
        ),
        (
            "requests.xml?service_code=elevator_out_of_order,no_ramp",
            true,
        ),
    ];
    for (q, any) in queries {
        let (s, _, body) = get(&t, &format!("{BASE}/{q}")).await;
        assert_eq!(s, StatusCode::OK, "{q}: {body}");
        assert_eq!(body.contains("service_request_id"), any, "{q}: {body:.300}");
    }
    // The index agrees with the data: the closed requests are exactly the resolved reports'.
    let (_, v) = get_json(&t, &format!("{BASE}/requests.json?status=closed")).await;
    let closed: std::collections::BTreeSet<String> =
        json_ids(&v).iter().map(|id| id[..36].to_string()).collect();
    assert_eq!(closed, resolved);
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["status"] == "closed"));
}
