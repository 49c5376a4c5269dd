//! The manufacturer's workspace, server-rendered: signing in, the overview, lines, the inbox and
//! members. Every page takes a [`session::Member`] (signed in, scoped to one manufacturer), calls
//! `app`, and works without JavaScript; statistics pages read only the rollups.

mod auth;
mod broadcast;
mod charts;
mod format;
mod inbox;
mod keywords;
mod lines;
mod members;
mod overview;
pub mod session;
mod subscription;
mod view;
mod zones;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(auth::routes)
        .configure(members::routes)
        .configure(inbox::routes)
        .configure(broadcast::routes)
        .configure(subscription::routes)
        .configure(zones::routes)
        .configure(keywords::routes);
    cfg.service(web::resource("/dashboard").route(web::get().to(overview::show)))
        .service(web::resource("/dashboard/lines/{id}").route(web::get().to(lines::show)))
        .service(web::resource("/dashboard/lines/{id}/lots").route(web::post().to(lines::set_volume)));
}
