//! The domain core of safer: what organisations, people, roles and plans are, how input is
//! parsed into them, and who may see or change what.
//!
//! **Invariant:** this crate does no I/O. It knows nothing of HTTP, SQL or files, so every rule
//! here can be tested as a plain function.

/// An enum stored by name: its values, `as_str`, `parse` and `label`, from one table.
macro_rules! stored_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $stored:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::serde::Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order forms offer them.
            pub const ALL: &[$name] = &[$($name::$variant),+];

            /// The stored (and API) name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $stored,)+ }
            }

            /// Parses the stored name.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($stored => Some($name::$variant),)+ _ => None }
            }

            /// How pages name it.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}

pub mod access;
pub mod bids;
pub mod boards;
pub mod forms;
pub mod funds;
pub mod giving;
pub mod grants;
pub mod limits;
pub mod measures;
pub mod numbers;
pub mod organisations;
pub mod papers;
pub mod plans;
pub mod police;
pub mod time;
