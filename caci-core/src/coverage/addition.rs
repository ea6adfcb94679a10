//! One configuration addition a suggestion proposes.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::ConfigSpec;
use crate::shape::Kind;

/// One entry to add to a [`ConfigSpec`].
///
/// In JSON: `{"type": "name", "value": "plan"}`, with `type` one of `name`,
/// `path`, `kind`, `struct`, `dictionary`. Ordered from the narrowest
/// (a path) to the broadest (a kind), then by value.
///
/// ```
/// use caci_core::coverage::Addition;
/// use caci_core::config::ConfigSpec;
///
/// let addition = Addition::Path("business.country".into());
/// assert_eq!(addition.to_string(), "allow path `business.country`");
/// assert_eq!(addition.setting(), "allowed_field_names");
/// let mut spec = ConfigSpec::default();
/// addition.apply(&mut spec);
/// assert_eq!(spec.allowed_field_names, ["business.country"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Addition {
    /// A dotted path (one nested field), added to `allowed_field_names`.
    Path(String),
    /// A plain field name (matched at any depth), added to `allowed_field_names`.
    Name(String),
    /// A map's name or path, added to `allowed_dictionaries`.
    Dictionary(String),
    /// A type's name, added to `allowed_structs`: all its direct fields.
    Struct(String),
    /// A kind, added to `allowed_field_kinds`: every leaf of that kind.
    #[serde(with = "kind_name")]
    Kind(Kind),
}

impl Addition {
    /// The [`ConfigSpec`] setting the addition goes into.
    pub fn setting(&self) -> &'static str {
        match self {
            Addition::Path(_) | Addition::Name(_) => "allowed_field_names",
            Addition::Dictionary(_) => "allowed_dictionaries",
            Addition::Struct(_) => "allowed_structs",
            Addition::Kind(_) => "allowed_field_kinds",
        }
    }

    /// The value added, as the setting spells it.
    pub fn value(&self) -> &str {
        match self {
            Addition::Path(value) | Addition::Name(value) | Addition::Dictionary(value) | Addition::Struct(value) => {
                value
            }
            Addition::Kind(kind) => kind.name(),
        }
    }

    /// Adds the entry to `spec`.
    pub fn apply(&self, spec: &mut ConfigSpec) {
        let list = match self {
            Addition::Path(_) | Addition::Name(_) => &mut spec.allowed_field_names,
            Addition::Dictionary(_) => &mut spec.allowed_dictionaries,
            Addition::Struct(_) => &mut spec.allowed_structs,
            Addition::Kind(_) => &mut spec.allowed_field_kinds,
        };
        list.push(self.value().to_owned());
    }
}

impl fmt::Display for Addition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Addition::Path(_) => "path",
            Addition::Name(_) => "field name",
            Addition::Dictionary(_) => "dictionary",
            Addition::Struct(_) => "struct",
            Addition::Kind(_) => "kind",
        };
        write!(f, "allow {what} `{}`", self.value())
    }
}

/// A [`Kind`] as its configuration name (`uuid`, `signed_integer`, …).
pub(crate) mod kind_name {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::shape::Kind;

    pub(crate) fn serialize<S: Serializer>(kind: &Kind, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(kind.name())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Kind, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(D::Error::custom)
    }
}
