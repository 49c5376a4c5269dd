//! Pure types and rules: no I/O here, so everything can be tested without a database or a network.

pub mod code;
pub mod cursor;
pub mod digital_link;
pub mod digital_link_compression;
pub mod feedback;
pub mod form;
pub mod gtin;
pub mod ids;
pub mod inbound;
pub mod intervals;
pub mod line_weeks;
pub mod locale;
pub mod lot;
pub mod metrics;
pub mod print_share;
pub mod product;
pub mod role;
pub mod rollup;
pub mod schedule;
pub mod spc;
pub mod spike;
pub mod stats_period;
pub mod trend;
pub mod visitor;
pub mod webhook;

pub use code::{Code, CodeError};
pub use cursor::{Cursor, CursorError};
pub use digital_link::{DigitalLink, DigitalLinkError, LinkType, RequestedLinkType};
pub use feedback::{FeedbackInput, Kind, NewFeedback, Rating, ReportStatus};
pub use form::FormConfig;
pub use gtin::Gtin;
pub use ids::{LineId, ManufacturerId, ReportId, ShareId};
pub use locale::Locale;
pub use lot::{Lot, LotError};
pub use product::{LineStatus, ProductName};
pub use role::Role;
