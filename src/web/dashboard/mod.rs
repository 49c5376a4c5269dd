//! The manufacturer's dashboard, server-rendered: no JavaScript, no third-party requests, every
//! chart an SVG with a text alternative. Handlers take the signed-in [`session::Member`] and call
//! `app`; the statistics pages read only the rollups (through `app::dashboard`).

mod charts;
mod format;
mod lines;
mod overview;
pub mod session;
mod view;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // Single resources rather than a `/dashboard` scope, so the other dashboard pages (sign-in,
    // inbox, members) can register their own beside these.
    cfg.service(web::resource("/dashboard").route(web::get().to(overview::show)))
        .service(web::resource("/dashboard/lines/{id}").route(web::get().to(lines::show)))
        .service(web::resource("/dashboard/lines/{id}/lots").route(web::post().to(lines::set_volume)))
        .service(web::resource("/dashboard/reports/{id}/photos/{position}").route(web::get().to(lines::photo)));
}
