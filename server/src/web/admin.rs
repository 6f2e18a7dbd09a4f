//! The administrators' pages (admin role only): an overview with the database's counts,
//! organizations (add, edit, mark as verified) and users (add, reset a password, sign out
//! everywhere) — what the `admin` CLI and the JSON API already do, in a browser.
//!
//! - Organizations are edited against the version the form was opened at: a stale save shows both
//!   versions (409) and never overwrites silently; saving again replaces the stored one knowingly.
//! - A generated password is shown once, in the answer to the POST that made it (never stored, never
//!   put in a URL or cookie); the page is `no-store` like every page.
//! - Every field is checked on its own, so one submission shows every problem at once; core's
//!   `Validate` and the API's `new_user` run last, so the rules stay theirs.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use teng_core::accessibility::{Labelled, Lang};
use teng_core::model::validation::{self, limits};
use teng_core::model::{Contact, Organization, OrganizationKind, Validate, ValidationError};
use uuid::Uuid;

use super::error::{OrPage, WebError};
use super::form::{optional, FormErrors, WebForm};
use super::i18n::validation_message;
use super::page::{percent_encode, render, render_with, see_other, Chrome};
use super::session::{Ctx, SignedIn};
use crate::api::accounts::{new_user, NewUserBody};
use crate::auth::{self, Role};
use crate::error::ApiError;
use crate::state::AppState;
use crate::storage::{self, Stats, Storage, User, Versioned};
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/organizations", get(organizations))
        .route(
            "/admin/organizations/new",
            get(new_org_form).post(create_org),
        )
        .route(
            "/admin/organizations/{id}/edit",
            get(edit_org_form).post(update_org),
        )
        .route("/admin/users", get(users))
        .route("/admin/users/new", get(new_user_form).post(create_user))
        .route("/admin/users/{username}", get(user_page))
        // A GET of an action (after a login redirect, say) lands on the user's page.
        .route(
            "/admin/users/{username}/reset-password",
            get(to_user_page).post(reset_password),
        )
        .route(
            "/admin/users/{username}/revoke-tokens",
            get(to_user_page).post(revoke_tokens),
        )
}

texts! {
    pub struct AdminWords {
        overview_title: ["Башкаруу", "Администрирование", "Administration"],
        overview_intro: [
            "Уюмдарды жана колдонуучуларды ушул жерден башкарасыз.",
            "Здесь вы управляете организациями и пользователями.",
            "Manage organizations and users here.",
        ],
        counts_title: ["Базада эмне бар", "Что есть в базе", "What the database holds"],
        count_organizations: ["Уюмдар", "Организации", "Organizations"],
        count_users: ["Колдонуучулар", "Пользователи", "Users"],
        count_listings: ["Жарыялар (баары)", "Вакансии (все)", "Listings (all)"],
        count_published: ["Жарыяланган жарыялар", "Опубликованные вакансии", "Published listings"],
        count_buildings: ["Имараттар", "Здания", "Buildings"],
        count_reports: [
            "Жеткиликтүүлүк боюнча билдирүүлөр",
            "Сообщения о доступности",
            "Accessibility reports",
        ],
        count_devices: ["Катталган телефондор", "Зарегистрированные телефоны", "Registered phones"],
        count_saved: ["Сакталган жумуштар", "Сохранённые вакансии", "Saved jobs"],
        tasks_title: ["Эмне кылабыз?", "Что вы хотите сделать?", "What would you like to do?"],
        orgs_title: ["Уюмдар", "Организации", "Organizations"],
        orgs_caption: ["Бардык уюмдар: {n}", "Все организации: {n}", "All organizations: {n}"],
        no_orgs: ["Азырынча бир да уюм жок.", "Организаций пока нет.", "There are no organizations yet."],
        add_org: ["Уюм кошуу", "Добавить организацию", "Add an organization"],
        new_org_title: ["Жаңы уюм", "Новая организация", "New organization"],
        edit_org_title: ["Уюмду түзөтүү", "Изменение организации", "Edit an organization"],
        org_name: ["Уюмдун аталышы", "Название организации", "Name of the organization"],
        org_kind: ["Уюмдун түрү", "Тип организации", "Kind of organization"],
        contact_legend: ["Байланыш маалыматы", "Контакты", "Contact details"],
        contact_hint: [
            "Баары милдеттүү эмес. Жумуш издегендер ушул маалымат аркылуу байланышат.",
            "Всё необязательно. По этим данным с организацией свяжутся соискатели.",
            "All optional. Job seekers use these to get in touch.",
        ],
        phone: ["Телефон", "Телефон", "Phone"],
        phone_hint: ["Мисалы: +996 555 123 456", "Например: +996 555 123 456", "For example: +996 555 123 456"],
        email: ["Электрондук почта", "Электронная почта", "Email"],
        website: ["Веб-сайт", "Сайт", "Website"],
        website_hint: ["https:// менен башталат", "Начинается с https://", "Starts with https://"],
        verified_label: ["Текшерилди деп белгилөө", "Отметить как проверенную", "Mark as verified"],
        verified_hint: [
            "Тең командасы уюмдун чыныгы экенин текшергенден кийин гана белгилеңиз. Жумуш издегендер текшерилген уюмдардын жарыяларын гана көрө алышат.",
            "Отмечайте только после того, как команда Тең убедилась, что организация настоящая. Соискатели могут смотреть вакансии только проверенных организаций.",
            "Tick only once Teng's team has checked that the organization is real. Job seekers can choose to see only verified organizations' listings.",
        ],
        verified_yes: ["Текшерилген", "Проверена", "Verified"],
        verified_no: ["Текшерилген эмес", "Не проверена", "Not verified"],
        col_name: ["Аталышы", "Название", "Name"],
        col_kind: ["Түрү", "Тип", "Kind"],
        col_status: ["Абалы", "Статус", "Status"],
        col_contact: ["Байланыш", "Контакты", "Contact"],
        col_actions: ["Аракеттер", "Действия", "Actions"],
        col_username: ["Колдонуучунун аты", "Имя пользователя", "Username"],
        col_role: ["Ролу", "Роль", "Role"],
        col_org: ["Уюму", "Организация", "Organization"],
        col_city: ["Шаары", "Город", "City"],
        col_created: ["Түзүлгөн күнү", "Создан", "Created"],
        edit: ["Түзөтүү", "Изменить", "Edit"],
        add_user_here: ["Колдонуучу кошуу", "Добавить пользователя", "Add a user"],
        version: ["Версиясы", "Версия", "Version"],
        not_given: ["көрсөтүлгөн эмес", "не указано", "not given"],
        org_created: ["«{name}» уюму кошулду.", "Организация «{name}» добавлена.", "The organization “{name}” was added."],
        org_saved: ["«{name}» уюму сакталды.", "Организация «{name}» сохранена.", "The organization “{name}” was saved."],
        create_org_button: ["Уюмду кошуу", "Добавить организацию", "Add the organization"],
        kind_invalid: [
            "Уюмдун түрүн тизмеден тандаңыз",
            "Выберите тип организации из списка",
            "Choose the kind of organization from the list",
        ],
        msg_name: ["Уюмдун аталышы", "Название организации", "the name of the organization"],
        msg_phone: ["Телефон", "Телефон", "the phone number"],
        msg_email: ["Электрондук почта", "Электронная почта", "the email address"],
        msg_website: ["Веб-сайт", "Сайт", "the website"],
        msg_city: ["Шаары", "Город", "the city"],
        phone_invalid: [
            "Телефон номерин +996 555 123 456 сыяктуу жазыңыз",
            "Введите номер телефона в виде +996 555 123 456",
            "Enter a phone number such as +996 555 123 456",
        ],
        email_invalid: [
            "Электрондук почтаны name@example.kg сыяктуу жазыңыз",
            "Введите адрес почты в виде name@example.kg",
            "Enter an email address such as name@example.kg",
        ],
        website_invalid: [
            "Сайттын дарегин https:// менен баштап жазыңыз",
            "Введите адрес сайта, начиная с https://",
            "Enter a web address starting with https://",
        ],
        conflict_title: [
            "Бул уюмду башка бирөө өзгөрттү",
            "Эту организацию изменил кто-то другой",
            "Someone else changed this organization",
        ],
        conflict_body: [
            "Сиз түзөтүп жатканда уюм башкача сакталды. Азыр сакталган версиясы төмөндө; сиздин өзгөртүүлөрүңүз формада калды. Текшерип, кайра сактасаңыз, сиздин версияңыз аны алмаштырат.",
            "Пока вы редактировали, организацию сохранили в другом виде. Сохранённая сейчас версия показана ниже, ваши изменения остались в форме. Проверьте их и сохраните ещё раз — тогда ваша версия заменит сохранённую.",
            "While you were editing, the organization was saved differently. The version saved now is below; your changes are still in the form. Check them and save again to replace the saved version with yours.",
        ],
        their_version: ["Азыр сакталган версиясы", "Сохранённая сейчас версия", "The version saved now"],
        your_version: ["Сиздин өзгөртүүлөрүңүз", "Ваши изменения", "Your changes"],
        users_title: ["Колдонуучулар", "Пользователи", "Users"],
        users_caption: ["Бардык колдонуучулар: {n}", "Все пользователи: {n}", "All users: {n}"],
        add_user: ["Колдонуучу кошуу", "Добавить пользователя", "Add a user"],
        new_user_title: ["Жаңы колдонуучу", "Новый пользователь", "New user"],
        user_title: ["Колдонуучу", "Пользователь", "User"],
        username: ["Колдонуучунун аты", "Имя пользователя", "Username"],
        username_hint: [
            "3төн 64кө чейин белги: латын тамгалары, сандар жана . _ - @",
            "От 3 до 64 символов: латинские буквы, цифры и . _ - @",
            "3 to 64 characters: Latin letters, digits and . _ - @",
        ],
        username_invalid: [
            "Колдонуучунун аты 3төн 64кө чейин белгиден турушу керек: латын тамгалары, сандар жана . _ - @",
            "Имя пользователя должно содержать от 3 до 64 символов: латинские буквы, цифры и . _ - @",
            "The username must be 3 to 64 characters: Latin letters, digits and . _ - @",
        ],
        username_taken: [
            "Мындай аты бар колдонуучу мурунтан эле бар. Башка ат тандаңыз",
            "Пользователь с таким именем уже есть. Выберите другое имя",
            "There is already a user with this name. Choose another",
        ],
        role: ["Ролу", "Роль", "Role"],
        role_invalid: ["Ролду тизмеден тандаңыз", "Выберите роль из списка", "Choose a role from the list"],
        role_ngo: ["уюмдун кызматкери", "сотрудник организации", "organization staff"],
        role_ngo_hint: [
            "Өз уюмунун жарыяларын жана имараттарын түзөт жана түзөтөт.",
            "Создаёт и изменяет вакансии и здания своей организации.",
            "Creates and edits their organization's listings and buildings.",
        ],
        role_city: ["шаардык кызматтын кызматкери", "сотрудник городской службы", "city office staff"],
        role_city_hint: [
            "Өз шаарындагы имараттар тууралуу билдирүүлөрдү көрөт жана иштетет.",
            "Видит и обрабатывает сообщения о зданиях своего города.",
            "Sees and handles reports about buildings in their city.",
        ],
        role_admin: ["администратор", "администратор", "administrator"],
        role_admin_hint: [
            "Баарын көрөт жана өзгөртөт, уюмдарды жана колдонуучуларды кошот.",
            "Видит и меняет всё, добавляет организации и пользователей.",
            "Sees and changes everything, adds organizations and users.",
        ],
        organization: ["Уюму", "Организация", "Organization"],
        organization_hint: [
            "Уюмдун кызматкери үчүн гана милдеттүү.",
            "Обязательно только для сотрудника организации.",
            "Needed for organization staff only.",
        ],
        choose_org: ["— Уюмду тандаңыз —", "— Выберите организацию —", "— Choose an organization —"],
        org_required: [
            "Уюмдун кызматкери үчүн анын уюмун тандаңыз",
            "Выберите организацию, в которой работает сотрудник",
            "Choose the organization this staff member works for",
        ],
        org_unknown: [
            "Мындай уюм жок. Уюмду тизмеден тандаңыз",
            "Такой организации нет. Выберите организацию из списка",
            "There is no such organization. Choose one from the list",
        ],
        city: ["Шаары", "Город", "City"],
        city_hint: [
            "Шаардык кызматтын кызматкери үчүн гана милдеттүү, мисалы: Bishkek.",
            "Обязательно только для сотрудника городской службы, например: Bishkek.",
            "Needed for city office staff only, for example: Bishkek.",
        ],
        password: ["Баштапкы сырсөз", "Начальный пароль", "First password"],
        password_hint: [
            "Бош калтырсаңыз, туш келди сырсөз түзүлүп, бир жолу гана көрсөтүлөт. Өзүңүз жазсаңыз, кеминде 12 белги болсун.",
            "Оставьте пустым, и будет создан случайный пароль, который покажут один раз. Если вводите сами — не менее 12 символов.",
            "Leave it empty to get a random password, shown once. If you type one, use at least 12 characters.",
        ],
        create_user_button: ["Колдонуучуну түзүү", "Создать пользователя", "Create the user"],
        user_created: [
            "«{name}» колдонуучусу түзүлдү.",
            "Пользователь «{name}» создан.",
            "The user “{name}” was created.",
        ],
        password_page_title: ["Жаңы сырсөз", "Новый пароль", "New password"],
        password_once: [
            "Бул сырсөздү азыр көчүрүп алыңыз: ал экинчи көрсөтүлбөйт. Колдонуучуга коопсуз жол менен бериңиз; кийин ал аны «Сырсөздү өзгөртүү» барагында алмаштыра алат.",
            "Скопируйте этот пароль сейчас: больше его не покажут. Передайте его пользователю безопасным способом; потом он сможет сменить его на странице «Сменить пароль».",
            "Copy this password now: it will not be shown again. Give it to the user in a safe way; they can change it later on the “Change password” page.",
        ],
        password_reset_done: [
            "«{name}» колдонуучусунун сырсөзү алмаштырылды жана анын бардык сеанстары жабылды.",
            "Пароль пользователя «{name}» заменён, все его сеансы завершены.",
            "The password of “{name}” was replaced and all their sessions were ended.",
        ],
        new_password: ["Сырсөз", "Пароль", "Password"],
        reset_password: ["Сырсөздү жаңылоо", "Сбросить пароль", "Reset the password"],
        reset_hint: [
            "Жаңы туш келди сырсөз түзүлөт, эскиси иштебей калат жана колдонуучу бардык түзмөктөрдөн чыгарылат.",
            "Будет создан новый случайный пароль, старый перестанет работать, а пользователь выйдет на всех устройствах.",
            "A new random password is made, the old one stops working and the user is signed out everywhere.",
        ],
        revoke_tokens: ["Бардык түзмөктөрдөн чыгаруу", "Завершить все сеансы", "Sign out everywhere"],
        revoke_hint: [
            "Колдонуучунун веб-сеанстары жана API токендери жабылат; сырсөзү өзгөрбөйт.",
            "Веб-сеансы и API-токены пользователя завершатся; пароль не изменится.",
            "The user's web sessions and API tokens end; the password stays the same.",
        ],
        revoked_done: [
            "«{name}» колдонуучусунун жабылган сеанстары жана токендери: {n}.",
            "Завершено сеансов и токенов пользователя «{name}»: {n}.",
            "Sessions and tokens of “{name}” ended: {n}.",
        ],
        self_note: [
            "Бул сиздин өз аккаунтуңуз. Сырсөзүңүздү «Сырсөздү өзгөртүү» барагында алмаштырыңыз.",
            "Это ваша учётная запись. Свой пароль меняйте на странице «Сменить пароль».",
            "This is your own account. Change your password on the “Change password” page.",
        ],
        you: ["(сиз)", "(вы)", "(you)"],
        back_to_users: ["Колдонуучулардын тизмесине", "К списку пользователей", "Back to the users"],
        back_to_orgs: ["Уюмдардын тизмесине", "К списку организаций", "Back to the organizations"],
        open_user: ["Колдонуучунун барагы", "Страница пользователя", "The user's page"],
    }
}

/// The signed-in admin, or the "not allowed" page for every other role.
fn admin(signed: SignedIn) -> Result<(Ctx, User), WebError> {
    signed.require(&[Role::Admin])?;
    let SignedIn(ctx, user) = signed;
    Ok((ctx, user))
}

/// One radio button of a group; the first one's id is the group's (the error summary links to it).
pub struct Choice {
    pub id: String,
    pub code: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
}

fn choices(group: &str, items: Vec<(&'static str, &'static str, &'static str)>) -> Vec<Choice> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, (code, label, hint))| Choice {
            id: if i == 0 {
                group.to_string()
            } else {
                format!("{group}-{code}")
            },
            code,
            label,
            hint,
        })
        .collect()
}

fn kind_choices(lang: Lang) -> Vec<Choice> {
    choices(
        "kind",
        OrganizationKind::ALL
            .iter()
            .map(|k| (k.code(), k.label(lang), ""))
            .collect(),
    )
}

fn role_label(w: &AdminWords, role: Role) -> &'static str {
    match role {
        Role::Ngo => w.role_ngo,
        Role::City => w.role_city,
        Role::Admin => w.role_admin,
    }
}

fn role_choices(w: &AdminWords) -> Vec<Choice> {
    choices(
        "role",
        [Role::Ngo, Role::City, Role::Admin]
            .into_iter()
            .map(|r| {
                let hint = match r {
                    Role::Ngo => w.role_ngo_hint,
                    Role::City => w.role_city_hint,
                    Role::Admin => w.role_admin_hint,
                };
                (r.code(), role_label(w, r), hint)
            })
            .collect(),
    )
}

/// Every organization, whatever the backend's page size (admins have hundreds, not millions).
fn all_organizations(s: &dyn Storage) -> storage::Result<Vec<Versioned<Organization>>> {
    const PAGE: usize = 500;
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = s.list_organizations(after, PAGE)?;
        let done = page.len() < PAGE;
        after = page.last().map(|o| o.record.id);
        out.extend(page);
        if done || after.is_none() {
            return Ok(out);
        }
    }
}

fn by_name(orgs: &mut [Versioned<Organization>]) {
    orgs.sort_by_cached_key(|o| o.record.name.to_lowercase());
}

/// A path segment for a username (usernames are `[A-Za-z0-9._@-]`; `@` is encoded).
fn user_path(username: &str) -> String {
    format!("/admin/users/{}", percent_encode(username))
}

// ---------------------------------------------------------------------------------------------
// Overview

#[derive(Template)]
#[template(path = "admin_overview.html")]
struct OverviewPage {
    chrome: Chrome,
    w: &'static AdminWords,
    counts: Vec<(&'static str, i64)>,
}

async fn overview(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    let w = AdminWords::get(ctx.lang);
    let s: Stats = state.db(|s| s.stats()).await.web(ctx.lang)?;
    Ok(render(&OverviewPage {
        chrome: Chrome::new(&ctx, "admin"),
        w,
        counts: vec![
            (w.count_organizations, s.organizations),
            (w.count_users, s.users),
            (w.count_listings, s.listings),
            (w.count_published, s.published_listings),
            (w.count_buildings, s.buildings),
            (w.count_reports, s.reports),
            (w.count_devices, s.devices),
            (w.count_saved, s.saved_jobs),
        ],
    }))
}

// ---------------------------------------------------------------------------------------------
// Organizations

/// An organization as the pages show it.
pub struct OrgView {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub verified: bool,
    pub version: i64,
}

impl OrgView {
    fn new(o: &Versioned<Organization>, lang: Lang) -> OrgView {
        let c = &o.record.contact;
        OrgView {
            id: o.record.id.to_string(),
            name: o.record.name.clone(),
            kind: o.record.kind.label(lang),
            phone: c.phone.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            website: c.website.clone().unwrap_or_default(),
            verified: o.record.verified,
            version: o.version,
        }
    }
}

#[derive(Template)]
#[template(path = "admin_orgs.html")]
struct OrgsPage {
    chrome: Chrome,
    w: &'static AdminWords,
    orgs: Vec<OrgView>,
    caption: String,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct OrgsQuery {
    created: Option<String>,
    saved: Option<String>,
}

async fn organizations(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(q): Query<OrgsQuery>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    let w = AdminWords::get(ctx.lang);
    let mut orgs = state.db(all_organizations).await.web(ctx.lang)?;
    by_name(&mut orgs);
    let name_of = |id: &Option<String>| {
        id.as_deref().and_then(|id| {
            orgs.iter()
                .find(|o| o.record.id.to_string() == id)
                .map(|o| o.record.name.clone())
        })
    };
    let notice = match (name_of(&q.created), name_of(&q.saved)) {
        (Some(name), _) => Some(w.org_created.replace("{name}", &name)),
        (None, Some(name)) => Some(w.org_saved.replace("{name}", &name)),
        _ => None,
    };
    Ok(render(&OrgsPage {
        chrome: Chrome::new(&ctx, "admin"),
        w,
        caption: w.orgs_caption.replace("{n}", &orgs.len().to_string()),
        orgs: orgs.iter().map(|o| OrgView::new(o, ctx.lang)).collect(),
        notice,
    }))
}

/// The organization form's fields, as typed.
#[derive(Deserialize, Default)]
struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    verified: String,
    #[serde(default)]
    version: String,
}

impl OrgForm {
    fn of(o: &Versioned<Organization>) -> OrgForm {
        let c = &o.record.contact;
        OrgForm {
            csrf: String::new(),
            name: o.record.name.clone(),
            kind: o.record.kind.code().to_string(),
            phone: c.phone.clone().unwrap_or_default(),
            email: c.email.clone().unwrap_or_default(),
            website: c.website.clone().unwrap_or_default(),
            verified: if o.record.verified {
                "1".into()
            } else {
                "".into()
            },
            version: o.version.to_string(),
        }
    }

    fn verified(&self) -> bool {
        !self.verified.trim().is_empty()
    }
}

#[derive(Template)]
#[template(path = "admin_org_form.html")]
struct OrgFormPage {
    chrome: Chrome,
    w: &'static AdminWords,
    errors: FormErrors,
    form: OrgForm,
    kinds: Vec<Choice>,
    heading: &'static str,
    action: String,
    button: &'static str,
    editing: bool,
    /// The stored version when the save was stale.
    conflict: Option<OrgView>,
}

impl OrgFormPage {
    fn new(ctx: &Ctx, form: OrgForm, editing: Option<Uuid>) -> OrgFormPage {
        let w = AdminWords::get(ctx.lang);
        OrgFormPage {
            chrome: Chrome::new(ctx, "admin"),
            w,
            errors: FormErrors::new(),
            form,
            kinds: kind_choices(ctx.lang),
            heading: if editing.is_some() {
                w.edit_org_title
            } else {
                w.new_org_title
            },
            action: match editing {
                Some(id) => format!("/admin/organizations/{id}/edit"),
                None => "/admin/organizations/new".into(),
            },
            button: if editing.is_some() {
                ctx.t.save
            } else {
                w.create_org_button
            },
            editing: editing.is_some(),
            conflict: None,
        }
    }
}

/// Where a core rule about an organization is shown, and in which words.
fn add_org_error(errors: &mut FormErrors, lang: Lang, e: &ValidationError) {
    let w = AdminWords::get(lang);
    let (id, label, invalid) = match e.field() {
        "contact.phone" => ("phone", w.msg_phone, Some(w.phone_invalid)),
        "contact.email" => ("email", w.msg_email, Some(w.email_invalid)),
        "contact.website" => ("website", w.msg_website, Some(w.website_invalid)),
        _ => ("name", w.msg_name, None),
    };
    match (e, invalid) {
        (ValidationError::Invalid { .. }, Some(message)) => errors.add(id, message),
        _ => errors.add(id, validation_message(lang, e, label)),
    }
}

/// The organization a form describes, or every problem with it.
fn parse_org(lang: Lang, form: &OrgForm, id: Uuid) -> Result<Organization, FormErrors> {
    let w = AdminWords::get(lang);
    let mut errors = FormErrors::new();
    let name = form.name.trim().to_string();
    if let Err(e) = validation::required_text("name", &name, limits::NAME) {
        add_org_error(&mut errors, lang, &e);
    }
    let kind = OrganizationKind::from_code(form.kind.trim());
    if kind.is_err() {
        errors.add("kind", w.kind_invalid);
    }
    let contact = Contact {
        phone: optional(&form.phone),
        email: optional(&form.email),
        website: optional(&form.website),
    };
    let checks = [
        contact
            .phone
            .as_deref()
            .map(|p| validation::phone("contact.phone", p)),
        contact
            .email
            .as_deref()
            .map(|e| validation::email("contact.email", e)),
        contact
            .website
            .as_deref()
            .map(|s| validation::website("contact.website", s)),
    ];
    for e in checks.into_iter().flatten().filter_map(Result::err) {
        add_org_error(&mut errors, lang, &e);
    }
    let org = Organization {
        id,
        name,
        kind: kind.unwrap_or(OrganizationKind::Ngo),
        contact,
        verified: form.verified(),
    };
    // The record's own rules last, should they ever say more than the fields' do.
    if errors.is_empty() {
        if let Err(e) = org.validate() {
            add_org_error(&mut errors, lang, &e);
        }
    }
    errors.into_result().map(|()| org)
}

async fn new_org_form(signed: SignedIn) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    Ok(render(&OrgFormPage::new(&ctx, OrgForm::default(), None)))
}

async fn create_org(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    WebForm(form): WebForm<OrgForm>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let org = match parse_org(ctx.lang, &form, Uuid::now_v7()) {
        Ok(org) => org,
        Err(errors) => {
            let mut page = OrgFormPage::new(&ctx, form, None);
            page.errors = errors;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let now = state.now();
    let stored = state
        .db(move |s| s.create_organization(&org, now))
        .await
        .web(ctx.lang)?;
    Ok(see_other(&format!(
        "/admin/organizations?created={}",
        stored.record.id
    )))
}

fn parse_id(ctx: &Ctx, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound(ctx.lang))
}

async fn load_org(
    state: &Arc<AppState>,
    ctx: &Ctx,
    id: Uuid,
) -> Result<Versioned<Organization>, WebError> {
    state
        .db(move |s| s.get_organization(id))
        .await
        .web(ctx.lang)?
        .ok_or(WebError::NotFound(ctx.lang))
}

async fn edit_org_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    let id = parse_id(&ctx, &id)?;
    let org = load_org(&state, &ctx, id).await?;
    Ok(render(&OrgFormPage::new(&ctx, OrgForm::of(&org), Some(id))))
}

async fn update_org(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(id): Path<String>,
    WebForm(mut form): WebForm<OrgForm>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let id = parse_id(&ctx, &id)?;
    let Ok(version) = form.version.trim().parse::<i64>() else {
        return Err(WebError::BadRequest(ctx.lang, "version".into()));
    };
    let org = match parse_org(ctx.lang, &form, id) {
        Ok(org) => org,
        Err(errors) => {
            let mut page = OrgFormPage::new(&ctx, form, Some(id));
            page.errors = errors;
            return Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    let now = state.now();
    match state
        .db(move |s| s.update_organization(&org, version, now))
        .await
    {
        Ok(_) => Ok(see_other(&format!("/admin/organizations?saved={id}"))),
        Err(ApiError {
            code: "conflict", ..
        }) => {
            // Show what is stored now beside what was typed; the form now carries the stored
            // version, so saving again replaces it, knowingly.
            let current = load_org(&state, &ctx, id).await?;
            form.version = current.version.to_string();
            let mut page = OrgFormPage::new(&ctx, form, Some(id));
            page.conflict = Some(OrgView::new(&current, ctx.lang));
            Ok(render_with(StatusCode::CONFLICT, &page))
        }
        Err(e) => Err(WebError::from_api(ctx.lang, e)),
    }
}

// ---------------------------------------------------------------------------------------------
// Users

pub struct UserRow {
    pub username: String,
    pub href: String,
    pub role: &'static str,
    pub organization: String,
    pub organization_href: String,
    pub city: String,
    pub created: String,
    pub is_self: bool,
}

fn user_row(w: &AdminWords, u: &User, org_names: &HashMap<Uuid, String>, me: &User) -> UserRow {
    UserRow {
        username: u.username.clone(),
        href: user_path(&u.username),
        role: role_label(w, u.role),
        organization: u
            .organization_id
            .map(|id| {
                org_names
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| id.to_string())
            })
            .unwrap_or_default(),
        organization_href: u
            .organization_id
            .map(|id| format!("/admin/organizations/{id}/edit"))
            .unwrap_or_default(),
        city: u.city.clone().unwrap_or_default(),
        created: u.created_at.format("%Y-%m-%d").to_string(),
        is_self: u.id == me.id,
    }
}

fn org_names(orgs: &[Versioned<Organization>]) -> HashMap<Uuid, String> {
    orgs.iter()
        .map(|o| (o.record.id, o.record.name.clone()))
        .collect()
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    w: &'static AdminWords,
    users: Vec<UserRow>,
    caption: String,
}

async fn users(State(state): State<Arc<AppState>>, signed: SignedIn) -> Result<Response, WebError> {
    let (ctx, me) = admin(signed)?;
    let w = AdminWords::get(ctx.lang);
    let (users, orgs) = state
        .db(|s| Ok((s.list_users()?, all_organizations(s)?)))
        .await
        .web(ctx.lang)?;
    let names = org_names(&orgs);
    Ok(render(&UsersPage {
        chrome: Chrome::new(&ctx, "admin"),
        w,
        caption: w.users_caption.replace("{n}", &users.len().to_string()),
        users: users.iter().map(|u| user_row(w, u, &names, &me)).collect(),
    }))
}

/// The new-user form's fields, as typed.
#[derive(Deserialize, Default)]
struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    organization: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    password: String,
}

pub struct OrgOption {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "admin_user_form.html")]
struct UserFormPage {
    chrome: Chrome,
    w: &'static AdminWords,
    errors: FormErrors,
    form: UserForm,
    roles: Vec<Choice>,
    orgs: Vec<OrgOption>,
}

async fn user_form_page(
    state: &Arc<AppState>,
    ctx: &Ctx,
    form: UserForm,
    errors: FormErrors,
) -> Result<UserFormPage, WebError> {
    let mut orgs = state.db(all_organizations).await.web(ctx.lang)?;
    by_name(&mut orgs);
    let w = AdminWords::get(ctx.lang);
    Ok(UserFormPage {
        chrome: Chrome::new(ctx, "admin"),
        w,
        errors,
        form,
        roles: role_choices(w),
        orgs: orgs
            .iter()
            .map(|o| OrgOption {
                id: o.record.id.to_string(),
                name: o.record.name.clone(),
            })
            .collect(),
    })
}

#[derive(Deserialize)]
struct NewUserQuery {
    organization: Option<String>,
}

async fn new_user_form(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Query(q): Query<NewUserQuery>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    // "Add a user" from an organization's row comes with it chosen (and the ngo role).
    let form = match q.organization.filter(|o| Uuid::parse_str(o).is_ok()) {
        Some(org) => UserForm {
            organization: org,
            role: Role::Ngo.code().into(),
            ..UserForm::default()
        },
        None => UserForm::default(),
    };
    let page = user_form_page(&state, &ctx, form, FormErrors::new()).await?;
    Ok(render(&page))
}

/// The account a form describes (password still in clear), or every problem with it.
fn parse_user(
    lang: Lang,
    form: &UserForm,
    orgs: &[Versioned<Organization>],
    password: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<User, FormErrors> {
    let w = AdminWords::get(lang);
    let mut errors = FormErrors::new();
    let username = form.username.trim();
    if !crate::auth::valid_username(username) {
        errors.add("username", w.username_invalid);
    }
    let role = Role::from_code(form.role.trim()).ok();
    if role.is_none() {
        errors.add("role", w.role_invalid);
    }
    let organization_id = match (role, form.organization.trim()) {
        (Some(Role::Ngo), "") => {
            errors.add("organization", w.org_required);
            None
        }
        (Some(Role::Ngo), id) => match Uuid::parse_str(id) {
            Ok(id) if orgs.iter().any(|o| o.record.id == id) => Some(id),
            _ => {
                errors.add("organization", w.org_unknown);
                None
            }
        },
        _ => None,
    };
    let city = (role == Some(Role::City)).then(|| form.city.trim().to_string());
    if let Some(city) = &city {
        if let Err(e) = validation::required_text("city", city, limits::CITY) {
            errors.add("city", validation_message(lang, &e, w.msg_city));
        }
    }
    if let Some(problem) = auth::password_problem(password, username) {
        errors.add("password", super::account::password_message(lang, problem));
    }
    let (Some(role), true) = (role, errors.is_empty()) else {
        return Err(errors);
    };
    // The API's and the CLI's rules for a new account, last.
    let body = NewUserBody {
        username: username.to_string(),
        password: password.to_string(),
        role,
        organization_id,
        city,
    };
    new_user(&body, now).map_err(|e| {
        let (id, message) = match e.field.as_deref() {
            Some("password") => (
                "password",
                super::account::password_message(lang, auth::PasswordProblem::Length),
            ),
            Some("organization_id") => ("organization", w.org_required),
            Some("city") => ("city", w.msg_city),
            _ => ("username", w.username_invalid),
        };
        let mut errors = FormErrors::new();
        errors.add(id, message);
        errors
    })
}

#[derive(Template)]
#[template(path = "admin_password.html")]
struct PasswordPage {
    chrome: Chrome,
    w: &'static AdminWords,
    done: String,
    username: String,
    password: String,
    user_href: String,
}

async fn hash(state: &Arc<AppState>, lang: Lang, password: String) -> Result<String, WebError> {
    let cost = state.config.password_cost;
    tokio::task::spawn_blocking(move || auth::hash_password(&password, cost))
        .await
        .map_err(|_| WebError::Internal(lang))?
        .web(lang)
}

/// The new-user form again, with its messages (422). A typed password is not sent back into the
/// page (it would sit in the HTML and the browser's history of form answers); it is typed again.
async fn invalid_user(
    state: &Arc<AppState>,
    ctx: &Ctx,
    mut form: UserForm,
    errors: FormErrors,
) -> Result<Response, WebError> {
    form.password.clear();
    let page = user_form_page(state, ctx, form, errors).await?;
    Ok(render_with(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

async fn create_user(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    WebForm(mut form): WebForm<UserForm>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let w = AdminWords::get(ctx.lang);
    let orgs = state.db(all_organizations).await.web(ctx.lang)?;
    let generated = form.password.is_empty();
    let password = if generated {
        auth::random_password().web(ctx.lang)?
    } else {
        form.password.clone()
    };
    let user = match parse_user(ctx.lang, &form, &orgs, &password, state.now()) {
        Ok(user) => user,
        Err(errors) => return invalid_user(&state, &ctx, form, errors).await,
    };
    let password_hash = hash(&state, ctx.lang, password.clone()).await?;
    let stored = user.clone();
    match state
        .db(move |s| s.create_user(&stored, &password_hash))
        .await
    {
        Ok(()) => {}
        Err(e) => {
            let mut errors = FormErrors::new();
            match (e.code, e.field.as_deref()) {
                ("duplicate", _) => errors.add("username", w.username_taken),
                (_, Some("organization_id")) => errors.add("organization", w.org_unknown),
                _ => return Err(WebError::from_api(ctx.lang, e)),
            }
            form.username = user.username.clone();
            return invalid_user(&state, &ctx, form, errors).await;
        }
    }
    let done = w.user_created.replace("{name}", &user.username);
    if generated {
        // Shown in this answer only: never stored, never in a URL.
        return Ok(render(&PasswordPage {
            chrome: Chrome::new(&ctx, "admin"),
            w,
            done,
            user_href: user_path(&user.username),
            username: user.username,
            password,
        }));
    }
    Ok(see_other(&format!(
        "{}?created=1",
        user_path(&user.username)
    )))
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    w: &'static AdminWords,
    user: UserRow,
    notice: Option<String>,
}

#[derive(Deserialize)]
struct UserQuery {
    created: Option<String>,
    revoked: Option<u64>,
}

async fn load_user(state: &Arc<AppState>, ctx: &Ctx, username: String) -> Result<User, WebError> {
    state
        .db(move |s| s.user_by_name(&username))
        .await
        .web(ctx.lang)?
        .map(|u| u.user)
        .ok_or(WebError::NotFound(ctx.lang))
}

async fn user_page(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(username): Path<String>,
    Query(q): Query<UserQuery>,
) -> Result<Response, WebError> {
    let (ctx, me) = admin(signed)?;
    let w = AdminWords::get(ctx.lang);
    let user = load_user(&state, &ctx, username).await?;
    let names = match user.organization_id {
        Some(id) => {
            let org = state
                .db(move |s| s.get_organization(id))
                .await
                .web(ctx.lang)?;
            org_names(org.as_slice())
        }
        None => HashMap::new(),
    };
    let notice = match (q.created, q.revoked) {
        (Some(_), _) => Some(w.user_created.replace("{name}", &user.username)),
        (None, Some(n)) => Some(
            w.revoked_done
                .replace("{name}", &user.username)
                .replace("{n}", &n.to_string()),
        ),
        _ => None,
    };
    Ok(render(&UserPage {
        chrome: Chrome::new(&ctx, "admin"),
        w,
        user: user_row(w, &user, &names, &me),
        notice,
    }))
}

async fn to_user_page(
    signed: SignedIn,
    Path(username): Path<String>,
) -> Result<Response, WebError> {
    admin(signed)?;
    Ok(see_other(&user_path(&username)))
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn reset_password(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(username): Path<String>,
    WebForm(form): WebForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let w = AdminWords::get(ctx.lang);
    let user = load_user(&state, &ctx, username).await?;
    let password = auth::random_password().web(ctx.lang)?;
    let password_hash = hash(&state, ctx.lang, password.clone()).await?;
    let (id, now) = (user.id, state.now());
    // The old password and every session and token end together.
    state
        .db(move |s| {
            s.set_password(id, &password_hash)?;
            s.revoke_user_tokens(id, now)
        })
        .await
        .web(ctx.lang)?;
    Ok(render(&PasswordPage {
        chrome: Chrome::new(&ctx, "admin"),
        w,
        done: w.password_reset_done.replace("{name}", &user.username),
        user_href: user_path(&user.username),
        username: user.username,
        password,
    }))
}

async fn revoke_tokens(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    Path(username): Path<String>,
    WebForm(form): WebForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let (ctx, _) = admin(signed)?;
    ctx.verify_csrf(&form.csrf)?;
    let user = load_user(&state, &ctx, username).await?;
    let (id, now) = (user.id, state.now());
    let n = state
        .db(move |s| s.revoke_user_tokens(id, now))
        .await
        .web(ctx.lang)?;
    Ok(see_other(&format!(
        "{}?revoked={n}",
        user_path(&user.username)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, kind: &str, phone: &str, email: &str, website: &str) -> OrgForm {
        OrgForm {
            name: name.into(),
            kind: kind.into(),
            phone: phone.into(),
            email: email.into(),
            website: website.into(),
            ..OrgForm::default()
        }
    }

    #[test]
    fn every_problem_of_an_organization_shows_at_once() {
        let f = form("  ", "xyz", "12", "nobody", "ftp://x");
        let errors = parse_org(Lang::English, &f, Uuid::nil()).unwrap_err();
        let ids: Vec<&str> = errors.all().iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["name", "kind", "phone", "email", "website"]);
        assert_eq!(
            errors.get("phone"),
            Some("Enter a phone number such as +996 555 123 456")
        );
    }

    #[test]
    fn a_good_organization_is_trimmed_and_blank_contacts_are_none() {
        let mut f = form(" Ak-Jol ", "public_body", "+996 555 123 456", "", "");
        f.verified = "1".into();
        let org = parse_org(Lang::Russian, &f, Uuid::nil()).unwrap();
        assert_eq!(org.name, "Ak-Jol");
        assert_eq!(org.kind, OrganizationKind::PublicBody);
        assert_eq!(org.contact.email, None);
        assert!(org.verified);
    }

    #[test]
    fn usernames_follow_the_api_rule() {
        assert!(crate::auth::valid_username("aigul.k@ak-jol"));
        assert!(!crate::auth::valid_username("ai"));
        assert!(!crate::auth::valid_username("Айгүл"));
        assert!(!crate::auth::valid_username("a b c"));
    }

    #[test]
    fn the_first_radio_carries_the_groups_id() {
        let roles = role_choices(AdminWords::get(Lang::Kyrgyz));
        assert_eq!(roles[0].id, "role");
        assert_eq!(roles[0].code, "ngo");
        assert_eq!(roles[2].id, "role-admin");
    }
}
