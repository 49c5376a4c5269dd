//! scanback: product feedback by durable QR codes.

pub mod artwork;
pub mod commands;
pub mod config;
pub mod digest;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod photos;
pub mod store;
pub mod telemetry;
pub mod web;
