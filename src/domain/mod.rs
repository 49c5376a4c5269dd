//! Pure types and rules: no I/O here, so everything can be tested without a database or a network.

pub mod code;
pub mod feedback;
pub mod gtin;
pub mod locale;
pub mod lot;
pub mod product;
pub mod period;
pub mod print_share;

pub use code::{Code, CodeError};
pub use feedback::{FeedbackInput, Kind, NewFeedback, Rating};
pub use gtin::Gtin;
pub use locale::Locale;
pub use lot::Lot;
pub use product::{LineStatus, ProductName};
