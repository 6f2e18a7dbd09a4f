//! Signing in and out, changing one's password, the home page and the language switch.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_extra::extract::cookie::CookieJar;
use chrono::Duration;
use serde::Deserialize;
use teng_core::accessibility::Lang;

use super::error::{OrPage, WebError};
use super::form::{FormErrors, WebForm};
use super::i18n::LANG_COOKIE;
use super::page::{local_path, render, render_with, see_other, Chrome};
use super::session::{Ctx, SignedIn, PRESESSION_COOKIE, SESSION_COOKIE, SESSION_HOURS};
use crate::auth::{self, Role};
use crate::client_ip::ClientIp;
use crate::login::{self, LoginError};
use crate::state::AppState;
use crate::storage::User;
use crate::texts;

pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
        .route("/lang/{code}", get(switch_language))
}

/// Why a new password is refused, in `lang` (the account's own form and the admin's user form).
pub fn password_message(lang: Lang, problem: auth::PasswordProblem) -> &'static str {
    let w = AccountWords::get(lang);
    match problem {
        auth::PasswordProblem::Length => w.password_length,
        auth::PasswordProblem::Guessable => w.password_guessable,
    }
}

texts! {
    pub struct AccountWords {
        home_title: ["Тең: инклюзивдүү жумуштар", "Тең: инклюзивные вакансии", "Teng: inclusive jobs"],
        home_intro: [
            "Мүмкүнчүлүгү чектелген адамдар үчүн жумуштар жана иш орундарынын имараттары канчалык жеткиликтүү экени.",
            "Вакансии для людей с инвалидностью и доступность зданий, где находятся рабочие места.",
            "Jobs for people with disabilities, and how accessible the buildings where the work is are.",
        ],
        home_find_jobs: ["Жумуш издөө", "Найти работу", "Find a job"],
        home_staff: [
            "Уюмдардын жана шаардын кызматкерлери үчүн: кириңиз.",
            "Для сотрудников организаций и города: войдите.",
            "For staff of organizations and city offices: log in.",
        ],
        home_signed_in: ["Эмне кылабыз?", "Что вы хотите сделать?", "What would you like to do?"],
        home_listings: ["Уюмдун жарыяларын көрүү жана түзөтүү", "Посмотреть и изменить вакансии организации", "See and edit your organization's listings"],
        home_new_listing: ["Жаңы жарыя түзүү", "Создать вакансию", "Create a listing"],
        home_buildings: ["Имараттар жана алардын жеткиликтүүлүгү", "Здания и их доступность", "Buildings and their accessibility"],
        home_admin: ["Уюмдар жана колдонуучулар", "Организации и пользователи", "Organizations and users"],
        login_title: ["Кирүү", "Вход", "Log in"],
        username: ["Колдонуучунун аты", "Имя пользователя", "Username"],
        password: ["Сырсөз", "Пароль", "Password"],
        login_button: ["Кирүү", "Войти", "Log in"],
        login_failed: [
            "Колдонуучунун аты же сырсөз туура эмес",
            "Неверное имя пользователя или пароль",
            "The username or password is wrong",
        ],
        login_throttled: [
            "Өтө көп аракет болду. Бир мүнөттөн кийин кайра кириңиз",
            "Слишком много попыток. Попробуйте снова через минуту",
            "Too many attempts. Try again in a minute",
        ],
        session_expired: [
            "Сеанстын мөөнөтү бүттү. Кайра кириңиз.",
            "Сеанс истёк. Войдите снова.",
            "Your session has ended. Log in again.",
        ],
        password_title: ["Сырсөздү өзгөртүү", "Смена пароля", "Change your password"],
        current_password: ["Азыркы сырсөз", "Текущий пароль", "Current password"],
        new_password: ["Жаңы сырсөз", "Новый пароль", "New password"],
        new_password_hint: [
            "Кеминде 12 белги. Бир нече сөздөн турган узун сырсөз жакшы.",
            "Не менее 12 символов. Лучше длинная фраза из нескольких слов.",
            "At least 12 characters. A long phrase of several words is best.",
        ],
        confirm_password: ["Жаңы сырсөздү кайталаңыз", "Повторите новый пароль", "Repeat the new password"],
        wrong_current: ["Азыркы сырсөз туура эмес", "Текущий пароль неверен", "The current password is wrong"],
        password_length: [
            "Сырсөз 12ден 256га чейин белгиден турушу керек",
            "Пароль должен содержать от 12 до 256 символов",
            "The password must be 12 to 256 characters",
        ],
        password_guessable: [
            "Бул сырсөздү табуу оңой (колдонуучунун атын камтыйт, бир нече белгини кайталайт же белгилүү сырсөз). Бир нече сөздөн турган фраза жакшы.",
            "Этот пароль легко угадать (содержит имя пользователя, повторяет несколько символов или широко известен). Лучше фраза из нескольких слов.",
            "This password is easy to guess (it contains the username, repeats a few characters, or is a well-known password). A phrase of several words is best.",
        ],
        passwords_differ: ["Сырсөздөр дал келбейт", "Пароли не совпадают", "The passwords do not match"],
        password_changed: [
            "Сырсөз өзгөртүлдү. Башка түзмөктөрдөгү сеанстар жабылды.",
            "Пароль изменён. Сеансы на других устройствах завершены.",
            "Your password is changed. Sessions on other devices were ended.",
        ],
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    w: &'static AccountWords,
    role: Option<Role>,
}

async fn home(ctx: Ctx) -> Response {
    render(&HomePage {
        chrome: Chrome::new(&ctx, ""),
        w: AccountWords::get(ctx.lang),
        role: ctx.role(),
    })
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    w: &'static AccountWords,
    errors: FormErrors,
    username: String,
    next: String,
    expired: bool,
    csrf: String,
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    expired: Option<String>,
}

/// The login form. A browser without a session gets a pre-session cookie here, so the form's
/// CSRF token has a secret to come from (login CSRF: nobody can sign you into their account).
async fn login_form(ctx: Ctx, jar: CookieJar, Query(q): Query<LoginQuery>) -> Response {
    let (jar, csrf) = if ctx.has_secret() {
        (jar, ctx.csrf.clone())
    } else {
        match auth::new_token() {
            Ok((value, _)) => {
                let csrf = super::session::csrf_token(&value);
                (jar.add(ctx.cookie(PRESESSION_COOKIE, value, 3600)), csrf)
            }
            Err(_) => (jar, String::new()),
        }
    };
    let page = LoginPage {
        chrome: Chrome::new(&ctx, "login"),
        w: AccountWords::get(ctx.lang),
        errors: FormErrors::new(),
        username: String::new(),
        next: local_path(q.next.as_deref()),
        expired: q.expired.is_some() || ctx.session_expired,
        csrf,
    };
    (jar, render(&page)).into_response()
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

async fn login(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    jar: CookieJar,
    ClientIp(ip): ClientIp,
    WebForm(form): WebForm<LoginForm>,
) -> Result<Response, WebError> {
    ctx.verify_csrf(&form.csrf)?;
    let w = AccountWords::get(ctx.lang);
    let failed = |message: &str, status: StatusCode| {
        let mut errors = FormErrors::new();
        errors.add("username", message);
        render_with(
            status,
            &LoginPage {
                chrome: Chrome::new(&ctx, "login"),
                w,
                errors,
                username: form.username.clone(),
                next: local_path(Some(&form.next)),
                expired: false,
                csrf: ctx.csrf.clone(),
            },
        )
    };
    let user = match login::verify(&state, &ip, &form.username, form.password.clone()).await {
        Ok(user) => user,
        Err(LoginError::Throttled) => {
            return Ok(failed(w.login_throttled, StatusCode::TOO_MANY_REQUESTS))
        }
        Err(LoginError::Busy) => {
            return Ok(failed(w.login_throttled, StatusCode::SERVICE_UNAVAILABLE))
        }
        Err(LoginError::Failed(e)) => return Err(e).web(ctx.lang),
    };
    let Some(user) = user else {
        return Ok(failed(w.login_failed, StatusCode::UNAUTHORIZED));
    };
    let jar = start_session(&state, &ctx, jar, &user).await?;
    let next = match local_path(Some(&form.next)).as_str() {
        "/" | "/login" => home_of(user.role).to_string(),
        other => other.to_string(),
    };
    Ok((jar, see_other(&next)).into_response())
}

/// Where a role lands after login.
fn home_of(role: Role) -> &'static str {
    match role {
        Role::Ngo | Role::Admin => "/manage/listings",
        Role::City => "/city",
    }
}

/// A new session for `user`: stored hashed, sent as the session cookie; the pre-session ends.
async fn start_session(
    state: &Arc<AppState>,
    ctx: &Ctx,
    jar: CookieJar,
    user: &User,
) -> Result<CookieJar, WebError> {
    let (value, hash) = auth::new_token().web(ctx.lang)?;
    let now = state.now();
    let expires = now + Duration::hours(SESSION_HOURS);
    let id = user.id;
    state
        .db(move |s| s.create_session(&hash, id, now, expires))
        .await
        .web(ctx.lang)?;
    Ok(jar
        .remove(ctx.cookie(PRESESSION_COOKIE, String::new(), 0))
        .add(ctx.cookie(SESSION_COOKIE, value, SESSION_HOURS * 3600)))
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<Arc<AppState>>,
    ctx: Ctx,
    jar: CookieJar,
    WebForm(form): WebForm<CsrfOnly>,
) -> Result<Response, WebError> {
    if ctx.user.is_none() {
        return Ok(see_other("/login"));
    }
    ctx.verify_csrf(&form.csrf)?;
    if let Some(value) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        let hash = auth::token_hash(&value);
        let now = state.now();
        state
            .db(move |s| s.end_session(&hash, now))
            .await
            .web(ctx.lang)?;
    }
    let jar = jar.remove(ctx.cookie(SESSION_COOKIE, String::new(), 0));
    Ok((jar, see_other("/login")).into_response())
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    chrome: Chrome,
    w: &'static AccountWords,
    errors: FormErrors,
    done: bool,
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

async fn password_form(signed: SignedIn, Query(q): Query<DoneQuery>) -> Response {
    let SignedIn(ctx, _) = signed;
    render(&PasswordPage {
        chrome: Chrome::new(&ctx, "password"),
        w: AccountWords::get(ctx.lang),
        errors: FormErrors::new(),
        done: q.done.is_some(),
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

async fn change_password(
    State(state): State<Arc<AppState>>,
    signed: SignedIn,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    WebForm(form): WebForm<PasswordForm>,
) -> Result<Response, WebError> {
    let SignedIn(ctx, user) = signed;
    ctx.verify_csrf(&form.csrf)?;
    let w = AccountWords::get(ctx.lang);
    let mut errors = FormErrors::new();
    match login::verify(&state, &ip, &user.username, form.current.clone()).await {
        Ok(Some(_)) => {}
        Ok(None) => errors.add("current", w.wrong_current),
        Err(LoginError::Throttled | LoginError::Busy) => errors.add("current", w.login_throttled),
        Err(LoginError::Failed(e)) => return Err(e).web(ctx.lang),
    }
    if let Some(problem) = auth::password_problem(&form.new, &user.username) {
        errors.add("new", password_message(ctx.lang, problem));
    } else if form.new != form.confirm {
        errors.add("confirm", w.passwords_differ);
    }
    if !errors.is_empty() {
        return Ok(render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &PasswordPage {
                chrome: Chrome::new(&ctx, "password"),
                w,
                errors,
                done: false,
            },
        ));
    }
    let cost = state.config.password_cost;
    let new = form.new;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new, cost))
        .await
        .map_err(|_| WebError::Internal(ctx.lang))?
        .web(ctx.lang)?;
    let (id, now) = (user.id, state.now());
    // Every session and token of the user ends (a stolen one with it); this browser gets a new one.
    state
        .db(move |s| {
            s.set_password(id, &hash)?;
            s.revoke_user_tokens(id, now)
        })
        .await
        .web(ctx.lang)?;
    let jar = start_session(&state, &ctx, jar, &user).await?;
    Ok((jar, see_other("/account/password?done=1")).into_response())
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The language switch: a plain link (works without JavaScript), remembered for a year.
async fn switch_language(
    ctx: Ctx,
    jar: CookieJar,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    let lang = Lang::from_code(&code).map_err(|_| WebError::NotFound(ctx.lang))?;
    let jar = jar.add(ctx.cookie(LANG_COOKIE, lang.code().to_string(), 365 * 24 * 3600));
    Ok((jar, see_other(&local_path(q.next.as_deref()))).into_response())
}
