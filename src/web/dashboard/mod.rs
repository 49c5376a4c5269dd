//! The manufacturer's workspace, server-rendered: signing in, and the pages behind it. Every page
//! takes a [`session::Member`] (signed in, scoped to one manufacturer) and works without JavaScript.

mod auth;
mod home;
mod inbox;
mod members;
pub mod session;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.configure(auth::routes).configure(home::routes).configure(members::routes).configure(inbox::routes);
}
