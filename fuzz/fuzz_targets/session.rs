//! What a browser or API client sends to be let in: the session and form cookies, the CSRF field,
//! Sec-Fetch-Site and Origin, and the bearer token. Parsing never panics, and a request whose form
//! cookie and token differ is never let through.
#![no_main]
use actix_web::test::TestRequest;
use libfuzzer_sys::fuzz_target;
use scanback::domain::Locale;
use scanback::store::hash_token;
use scanback::web::api::auth::bearer_token;
use scanback::web::dashboard::session::{FORM_COOKIE, SESSION_COOKIE, check_sign_in_form, same_origin};

fuzz_target!(|input: &str| {
    // Fields separated by NUL: cookie header, CSRF field, Sec-Fetch-Site, Origin, Authorization.
    let mut parts = input.split('\0');
    let cookie = parts.next().unwrap_or("");
    let token = parts.next().unwrap_or("");
    let site = parts.next();
    let origin = parts.next();
    let authorization = parts.next();
    let mut req = TestRequest::post().uri("/sign-in");
    for (name, value) in
        [("cookie", Some(cookie)), ("sec-fetch-site", site), ("origin", origin), ("authorization", authorization)]
    {
        if let Some(v) = value
            && let Ok(v) = actix_web::http::header::HeaderValue::from_str(v)
        {
            req = req.insert_header((name, v));
        }
    }
    let req = req.to_http_request();
    let _ = same_origin(&req);
    let form_cookie = req.cookie(FORM_COOKIE).map(|c| c.value().to_owned());
    let _ = req.cookie(SESSION_COOKIE).map(|c| hash_token(c.value()));
    if check_sign_in_form(&req, token, Locale::DEFAULT).is_ok() {
        assert_eq!(form_cookie.as_deref(), Some(token), "a form is let through only with its own cookie");
        assert!(!token.is_empty());
    }
    if let Some(t) = bearer_token(req.headers()) {
        assert_eq!(hash_token(&t).len(), 64);
    }
});
