//! `/city/map`: the inbox's filtered reports on a map, drawn on the server as an inline SVG from
//! the buildings' latitude and longitude (one mark per building, no background tiles, nothing from
//! another host). A mark's shape and colour say the same thing (the key says it in words) and its
//! number is its line in the list under the map, which with the inbox's table is the text
//! equivalent for screen readers; the SVG is `role="img"` with a title and a description.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

use super::city::{intro, office, CityWords, FilterView, InboxFilters, Office};
use super::error::{OrPage, WebError};
use super::page::{render, Chrome};
use super::session::SignedIn;
use crate::state::AppState;
use crate::storage::city::{InboxChoices, InboxPage, IN_HAND, UNANSWERED};
use crate::storage::{IssueStatus, ReportRecord};
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new().route("/city/map", get(map))
}

/// Most reports one map draws (the newest; the page says when there are more).
const MAP_MAX: usize = 2000;
/// The SVG's coordinate box.
pub const WIDTH: f64 = 800.0;
pub const HEIGHT: f64 = 560.0;
const MARGIN: f64 = 44.0;
/// One degree of latitude, in kilometres.
const KM_PER_DEGREE: f64 = 111.32;

// ky: review.
texts! {
    pub struct MapWords {
        title: ["Билдирүүлөрдүн картасы", "Карта сообщений", "Map of reports"],
        table_link: [
            "Ошол эле билдирүүлөр таблица түрүндө (экрандан окуу программасы менен ыңгайлуураак)",
            "Те же сообщения таблицей (удобнее с программой экранного доступа)",
            "The same reports as a table (easier with a screen reader)",
        ],
        svg_title: [
            "{n} имарат жөнүндө {m} билдирүүнүн картасы",
            "Карта сообщений: {m}, зданий на ней: {n}",
            "Map of {m} reports about {n} buildings",
        ],
        svg_desc: [
            "Ар бир белги — бир имарат; анын номуру картанын астындагы тизмедеги номур. Түндүк жогору жакта. Фондо карта жок: чекиттер кеңдик жана узундук боюнча коюлган.",
            "Каждый знак — одно здание; его номер — номер в списке под картой. Север сверху. Подложки нет: точки поставлены по широте и долготе.",
            "Each mark is one building; its number is its line in the list under the map. North is up. There is no background map: the points are placed by latitude and longitude.",
        ],
        north: ["Түндүк", "Север", "North"],
        km: ["{n} км", "{n} км", "{n} km"],
        legend_title: ["Белгилер", "Условные знаки", "Key"],
        legend_reopened: [
            "Ромб: кайра ачылган билдирүү бар (дагы эле оңдоло элек)",
            "Ромб: есть сообщение, открытое снова (всё ещё не исправлено)",
            "Diamond: a report was reopened (still not fixed)",
        ],
        legend_unanswered: [
            "Үч бурчтук: жооп берилбеген билдирүү бар",
            "Треугольник: есть сообщение без ответа",
            "Triangle: a report is not answered yet",
        ],
        legend_in_hand: [
            "Чарчы: билдирүүлөр кароодо же иштелүүдө",
            "Квадрат: сообщения приняты или в работе",
            "Square: reports acknowledged or in progress",
        ],
        legend_closed: [
            "Тегерек: баары чечилди же шаардын милдети эмес",
            "Круг: всё решено или не в ведении городской службы",
            "Circle: all resolved or not the city office's responsibility",
        ],
        legend_size: [
            "Белги канчалык чоң болсо, ошончолук көп билдирүү.",
            "Чем больше знак, тем больше сообщений.",
            "The bigger the mark, the more reports.",
        ],
        list_title: ["Картадагы имараттар", "Здания на карте", "Buildings on the map"],
        reports_n: ["билдирүүлөр: {n}", "сообщений: {n}", "reports: {n}"],
        unanswered_n: ["жооп жок: {n}", "без ответа: {n}", "not answered: {n}"],
        in_hand_n: ["иштелүүдө: {n}", "в работе: {n}", "being handled: {n}"],
        closed_n: ["жабылган: {n}", "закрыто: {n}", "closed: {n}"],
        reopened_n: ["кайра ачылган: {n}", "открыто снова: {n}", "reopened: {n}"],
        capped: [
            "Картада эң жаңы {n} билдирүү гана бар. Баарын көрүү үчүн тандоону тарытыңыз.",
            "На карте только {n} самых новых сообщений. Сузьте отбор, чтобы увидеть все.",
            "The map shows only the {n} newest reports. Narrow the filters to see them all.",
        ],
    }
}

/// How a building's reports stand, worst first: it decides the mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkKind {
    Reopened,
    Unanswered,
    InHand,
    Closed,
}

impl MarkKind {
    pub fn code(self) -> &'static str {
        match self {
            MarkKind::Reopened => "reopened",
            MarkKind::Unanswered => "unanswered",
            MarkKind::InHand => "in-hand",
            MarkKind::Closed => "closed",
        }
    }

    /// Fill colour (at least 3:1 against the map's background); the shape says the same.
    pub fn fill(self) -> &'static str {
        match self {
            MarkKind::Reopened => "#8a0a16",
            MarkKind::Unanswered => "#a33b00",
            MarkKind::InHand => "#005ea5",
            MarkKind::Closed => "#00703c",
        }
    }
}

/// One building's reports on the map.
#[derive(Debug, Clone)]
pub struct Place {
    pub id: Uuid,
    pub name: String,
    pub district: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub reports: u64,
    pub reopened: u64,
    pub unanswered: u64,
    pub in_hand: u64,
    pub closed: u64,
}

impl Place {
    pub fn kind(&self) -> MarkKind {
        if self.reopened > 0 {
            MarkKind::Reopened
        } else if self.unanswered > 0 {
            MarkKind::Unanswered
        } else if self.in_hand > 0 {
            MarkKind::InHand
        } else {
            MarkKind::Closed
        }
    }
}

/// The reports grouped by building, north to south (the list's and the marks' numbering).
pub fn places(rows: &[ReportRecord]) -> Vec<Place> {
    let mut by_id: HashMap<Uuid, Place> = HashMap::new();
    for r in rows {
        let p = by_id.entry(r.report.building_id).or_insert_with(|| Place {
            id: r.report.building_id,
            name: r.building_name.clone(),
            district: r.district.clone().filter(|d| !d.trim().is_empty()),
            lat: r.lat,
            lon: r.lon,
            reports: 0,
            reopened: 0,
            unanswered: 0,
            in_hand: 0,
            closed: 0,
        });
        p.reports += 1;
        if r.status == IssueStatus::Reopened {
            p.reopened += 1;
        }
        if UNANSWERED.contains(&r.status) {
            p.unanswered += 1;
        } else if IN_HAND.contains(&r.status) {
            p.in_hand += 1;
        } else {
            p.closed += 1;
        }
    }
    let mut out: Vec<Place> = by_id.into_values().collect();
    out.sort_by(|a, b| {
        b.lat
            .total_cmp(&a.lat)
            .then(a.lon.total_cmp(&b.lon))
            .then(a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// A mark as the SVG draws it (coordinates already formatted).
pub struct Mark {
    pub n: usize,
    pub kind: &'static str,
    pub fill: &'static str,
    pub circle: bool,
    pub cx: String,
    pub cy: String,
    pub r: String,
    /// The polygon of a diamond, triangle or square.
    pub points: String,
    pub label_x: String,
    pub label_y: String,
    pub tooltip: String,
}

/// The scale bar: its length in the SVG and its label.
pub struct Scale {
    pub x2: String,
    pub km: String,
}

fn f(v: f64) -> String {
    format!("{v:.1}")
}

/// The shape's outline around (x, y) with "radius" r.
pub fn polygon(kind: MarkKind, x: f64, y: f64, r: f64) -> String {
    let pts: Vec<(f64, f64)> = match kind {
        MarkKind::Reopened => vec![
            (x, y - r * 1.3),
            (x + r * 1.3, y),
            (x, y + r * 1.3),
            (x - r * 1.3, y),
        ],
        MarkKind::Unanswered => vec![
            (x, y - r * 1.3),
            (x + r * 1.2, y + r * 0.9),
            (x - r * 1.2, y + r * 0.9),
        ],
        MarkKind::InHand => vec![
            (x - r, y - r),
            (x + r, y - r),
            (x + r, y + r),
            (x - r, y + r),
        ],
        MarkKind::Closed => Vec::new(),
    };
    pts.iter()
        .map(|(a, b)| format!("{},{}", f(*a), f(*b)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Places the points in the SVG box: an equirectangular projection around the points' middle
/// latitude (east-west distances shrink by its cosine), fitted with a margin; north is up.
/// Returns (x, y) per place and the SVG units per kilometre.
pub fn project(places: &[Place]) -> (Vec<(f64, f64)>, f64) {
    if places.is_empty() {
        return (Vec::new(), 1.0);
    }
    let (mut min_lat, mut max_lat) = (f64::MAX, f64::MIN);
    let (mut min_lon, mut max_lon) = (f64::MAX, f64::MIN);
    for p in places {
        min_lat = min_lat.min(p.lat);
        max_lat = max_lat.max(p.lat);
        min_lon = min_lon.min(p.lon);
        max_lon = max_lon.max(p.lon);
    }
    let k = ((min_lat + max_lat) / 2.0).to_radians().cos().max(0.1);
    // At least about a kilometre across, so one building is not a division by zero.
    let span_x = ((max_lon - min_lon) * k).max(0.01);
    let span_y = (max_lat - min_lat).max(0.01);
    let scale = ((WIDTH - 2.0 * MARGIN) / span_x).min((HEIGHT - 2.0 * MARGIN) / span_y);
    let mid_x = (min_lon + max_lon) / 2.0 * k;
    let mid_y = (min_lat + max_lat) / 2.0;
    let points = places
        .iter()
        .map(|p| {
            (
                WIDTH / 2.0 + (p.lon * k - mid_x) * scale,
                HEIGHT / 2.0 - (p.lat - mid_y) * scale,
            )
        })
        .collect();
    (points, scale / KM_PER_DEGREE)
}

/// The longest round length that fits in a quarter of the width.
pub fn scale_bar(units_per_km: f64) -> (f64, f64) {
    let mut best = (0.1, 0.1 * units_per_km);
    for km in [
        0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0,
    ] {
        let len = km * units_per_km;
        if len <= WIDTH / 4.0 {
            best = (km, len);
        }
    }
    best
}

fn marks(places: &[Place], points: &[(f64, f64)]) -> Vec<Mark> {
    places
        .iter()
        .zip(points)
        .enumerate()
        .map(|(i, (p, (x, y)))| {
            let kind = p.kind();
            let r = 6.0 + (p.reports as f64).sqrt().min(6.0) * 1.5;
            Mark {
                n: i + 1,
                kind: kind.code(),
                fill: kind.fill(),
                circle: kind == MarkKind::Closed,
                cx: f(*x),
                cy: f(*y),
                r: f(r),
                points: polygon(kind, *x, *y, r),
                label_x: f(x + r * 1.3 + 3.0),
                label_y: f(y + 4.5),
                tooltip: format!("{}. {}", i + 1, p.name),
            }
        })
        .collect()
}

/// One line of the list under the map.
pub struct PlaceLine {
    pub href: String,
    pub name: String,
    pub district: Option<String>,
    pub kind: &'static str,
    pub summary: String,
}

/// A key entry: the shape drawn small beside its words.
pub struct KeyEntry {
    pub kind: &'static str,
    pub fill: &'static str,
    pub circle: bool,
    pub points: String,
    pub text: &'static str,
}

#[derive(Template)]
#[template(path = "city_map.html")]
struct MapTemplate {
    chrome: Chrome,
    w: &'static CityWords,
    mw: &'static MapWords,
    intro: String,
    filters: FilterView,
    count_text: String,
    capped: String,
    svg_title: String,
    marks: Vec<Mark>,
    scale: Scale,
    width: f64,
    height: f64,
    key: Vec<KeyEntry>,
    lines: Vec<PlaceLine>,
    table_href: String,
}

fn key(mw: &'static MapWords) -> Vec<KeyEntry> {
    [
        (MarkKind::Reopened, mw.legend_reopened),
        (MarkKind::Unanswered, mw.legend_unanswered),
        (MarkKind::InHand, mw.legend_in_hand),
        (MarkKind::Closed, mw.legend_closed),
    ]
    .into_iter()
    .map(|(kind, text)| KeyEntry {
        kind: kind.code(),
        fill: kind.fill(),
        circle: kind == MarkKind::Closed,
        points: polygon(kind, 12.0, 12.0, 7.0),
        text,
    })
    .collect()
}

fn summary_line(mw: &MapWords, p: &Place) -> String {
    let mut parts = vec![mw.reports_n.replace("{n}", &p.reports.to_string())];
    for (n, words) in [
        (p.reopened, mw.reopened_n),
        (p.unanswered, mw.unanswered_n),
        (p.in_hand, mw.in_hand_n),
        (p.closed, mw.closed_n),
    ] {
        if n > 0 {
            parts.push(words.replace("{n}", &n.to_string()));
        }
    }
    parts.join("; ")
}

async fn map(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let office: Office = office(signed)?;
    let lang = office.ctx.lang;
    let w = CityWords::get(lang);
    let mw = MapWords::get(lang);
    let mut filters = InboxFilters::parse(&pairs, &office);
    // The map draws the whole filtered set (its newest `MAP_MAX`), not one page.
    filters.cursor = None;
    let (query, errors) = filters.query(&office, MAP_MAX);
    let scope = office.scope.clone();
    let (page, choices): (InboxPage, InboxChoices) = state
        .db(move |s| {
            let choices = s.inbox_choices(scope.as_deref(), &query)?;
            Ok((s.city_inbox(&query)?, choices))
        })
        .await
        .web(lang)?;
    let places = places(&page.rows);
    let (points, units_per_km) = project(&places);
    let (km, len) = scale_bar(units_per_km);
    let km_text = if km < 1.0 {
        format!("{km:.1}")
    } else {
        format!("{km:.0}")
    };
    let count_text = super::city::count_text(w, page.total);
    let lines = places
        .iter()
        .map(|p| PlaceLine {
            href: format!("/city/buildings/{}", p.id),
            name: p.name.clone(),
            district: p.district.clone(),
            kind: p.kind().code(),
            summary: summary_line(mw, p),
        })
        .collect();
    Ok(render(&MapTemplate {
        chrome: Chrome::new(&office.ctx, "city"),
        w,
        mw,
        intro: intro(&office),
        count_text,
        // More reports match than the map draws (the count stops at 1,001; `older` does not).
        capped: if page.older {
            mw.capped.replace("{n}", &page.rows.len().to_string())
        } else {
            String::new()
        },
        svg_title: mw
            .svg_title
            .replace("{n}", &places.len().to_string())
            .replace("{m}", &page.rows.len().to_string()),
        marks: marks(&places, &points),
        scale: Scale {
            x2: f(20.0 + len),
            km: mw.km.replace("{n}", &km_text),
        },
        width: WIDTH,
        height: HEIGHT,
        key: key(mw),
        lines,
        table_href: filters.href("/city", None),
        filters: FilterView::new(&office, &filters, &choices, "/city/map", errors),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(lat: f64, lon: f64, reports: u64, reopened: u64, unanswered: u64) -> Place {
        Place {
            id: Uuid::now_v7(),
            name: format!("{lat},{lon}"),
            district: None,
            lat,
            lon,
            reports,
            reopened,
            unanswered,
            in_hand: 0,
            closed: reports - unanswered,
        }
    }

    #[test]
    fn points_fit_the_box_with_north_up() {
        let ps = vec![
            place(42.90, 74.55, 1, 0, 0),
            place(42.80, 74.65, 1, 0, 0),
            place(42.85, 74.60, 1, 0, 0),
        ];
        let (pts, per_km) = project(&ps);
        for (x, y) in &pts {
            assert!((MARGIN - 0.01..=WIDTH - MARGIN + 0.01).contains(x), "{x}");
            assert!((MARGIN - 0.01..=HEIGHT - MARGIN + 0.01).contains(y), "{y}");
        }
        // The northern point is higher (smaller y), the eastern one further right.
        assert!(pts[0].1 < pts[1].1);
        assert!(pts[1].0 > pts[0].0);
        // About 11 km north to south fills the height less the margins.
        assert!((per_km * 11.132 - (HEIGHT - 2.0 * MARGIN)).abs() < 1.0);
        let (km, len) = scale_bar(per_km);
        assert!(len <= WIDTH / 4.0 && km >= 1.0, "{km} {len}");
    }

    #[test]
    fn one_building_is_in_the_middle() {
        let (pts, _) = project(&[place(40.5, 72.8, 2, 0, 1)]);
        assert_eq!(pts, vec![(WIDTH / 2.0, HEIGHT / 2.0)]);
    }

    #[test]
    fn the_worst_status_decides_the_mark() {
        assert_eq!(place(0.0, 0.0, 3, 1, 1).kind(), MarkKind::Reopened);
        assert_eq!(place(0.0, 0.0, 3, 0, 1).kind(), MarkKind::Unanswered);
        assert_eq!(place(0.0, 0.0, 3, 0, 0).kind(), MarkKind::Closed);
        assert!(polygon(MarkKind::InHand, 10.0, 10.0, 2.0).starts_with("8.0,8.0 "));
    }
}
