//! actix-web: public scan pages, the JSON API, health. Handlers stay short: they parse, call
//! `domain` and `store`, and shape the response.

pub mod api;
pub mod assets;
pub mod client_addr;
pub mod dashboard;
pub mod error;
pub mod gs1;
pub mod health;
pub mod i18n;
pub mod mail_links;
pub mod metrics;
pub mod pages;
pub mod print;
pub mod public;
pub mod reply;
pub mod startup;
pub mod state;
pub mod submission;
pub mod subscription_form;
