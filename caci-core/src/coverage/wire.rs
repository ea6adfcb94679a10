//! A leaf as JSON: the verdict flattened into `captured`, `by` (and `scope`),
//! `reason` and `identifier`, so `jq '.. | select(.captured == false)'` just works.

use serde::{Deserialize, Serialize};

use super::leaf::LeafReport;
use crate::rules::decision::{AllowedBy, Reason, Verdict};
use crate::shape::Kind;

#[derive(Serialize, Deserialize)]
pub(crate) struct LeafJson {
    path: String,
    #[serde(rename = "type")]
    rust_type: String,
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    item_kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    enclosing_type: Option<String>,
    captured: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<By>,
    /// The scope that allowed a captured leaf; absent otherwise (and in
    /// reports written before scopes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<Why>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    /// For `denied`, the word that matched; for `denied_type`, what denies
    /// the type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    detail: Option<String>,
    /// The verdict in words; written, ignored when read.
    #[serde(default)]
    verdict: String,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum By {
    Path,
    Name,
    Struct,
    Dictionary,
    Kind,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Why {
    NotAllowed,
    Denied,
    Sensitive,
    TypeNotCapturable,
    DependsOnType,
    BeyondDepth,
    FieldLimit,
    DeniedType,
    Reserved,
    DuplicatePath,
}

impl From<LeafReport> for LeafJson {
    fn from(leaf: LeafReport) -> Self {
        let verdict = leaf.verdict_text();
        let (by, reason, identifier, detail) = match leaf.verdict {
            Verdict::Captured(rule) => (Some(By::from(rule)), None, None, None),
            Verdict::NotCaptured(Reason::Denied { identifier, word }) => {
                (None, Some(Why::Denied), Some(identifier), Some(word))
            }
            Verdict::NotCaptured(Reason::DeniedType { type_name, rule }) => {
                (None, Some(Why::DeniedType), Some(type_name), Some(rule))
            }
            Verdict::NotCaptured(reason) => (None, Some(Why::from(&reason)), None, None),
        };
        LeafJson {
            path: leaf.path,
            rust_type: leaf.rust_type,
            kind: leaf.kind.name().to_owned(),
            item_kind: leaf.item_kind.map(|kind| kind.name().to_owned()),
            enclosing_type: leaf.enclosing_type,
            captured: by.is_some(),
            by,
            scope: leaf.scope,
            reason,
            identifier,
            detail,
            verdict,
        }
    }
}

impl TryFrom<LeafJson> for LeafReport {
    type Error = String;

    fn try_from(json: LeafJson) -> Result<Self, String> {
        let at = |message: &str| format!("leaf `{}`: {message}", json.path);
        let verdict = match (json.captured, json.by, json.reason, &json.identifier) {
            (true, Some(by), None, None) => Verdict::Captured(by.into()),
            (false, None, Some(Why::Denied), Some(identifier)) => Verdict::NotCaptured(Reason::Denied {
                identifier: identifier.clone(),
                word: json
                    .detail
                    .clone()
                    .unwrap_or_else(|| crate::rules::deny::normalize(identifier)),
            }),
            (false, None, Some(Why::DeniedType), Some(type_name)) => Verdict::NotCaptured(Reason::DeniedType {
                type_name: type_name.clone(),
                rule: json.detail.clone().unwrap_or_default(),
            }),
            (false, None, Some(why), None) => match why.plain() {
                Some(reason) => Verdict::NotCaptured(reason),
                None => return Err(at("reason `denied` needs the denied `identifier`")),
            },
            (true, _, _, _) => return Err(at("a captured leaf has `by`, and no `reason` or `identifier`")),
            (false, _, _, _) => {
                return Err(at(
                    "a leaf not captured has a `reason` (and an `identifier` only when denied), and no `by`",
                ));
            }
        };
        let kind = |name: &str| name.parse::<Kind>().map_err(|err| at(&err));
        Ok(LeafReport {
            kind: kind(&json.kind)?,
            item_kind: json.item_kind.as_deref().map(kind).transpose()?,
            path: json.path,
            rust_type: json.rust_type,
            enclosing_type: json.enclosing_type,
            scope: json.scope.filter(|_| verdict.is_captured()),
            verdict,
        })
    }
}

impl From<AllowedBy> for By {
    fn from(rule: AllowedBy) -> Self {
        match rule {
            AllowedBy::Path => By::Path,
            AllowedBy::Name => By::Name,
            AllowedBy::Struct => By::Struct,
            AllowedBy::Dictionary => By::Dictionary,
            AllowedBy::Kind => By::Kind,
        }
    }
}

impl From<By> for AllowedBy {
    fn from(by: By) -> Self {
        match by {
            By::Path => AllowedBy::Path,
            By::Name => AllowedBy::Name,
            By::Struct => AllowedBy::Struct,
            By::Dictionary => AllowedBy::Dictionary,
            By::Kind => AllowedBy::Kind,
        }
    }
}

impl From<&Reason> for Why {
    fn from(reason: &Reason) -> Self {
        match reason {
            Reason::NotAllowed => Why::NotAllowed,
            Reason::Denied { .. } => Why::Denied,
            Reason::Sensitive => Why::Sensitive,
            Reason::TypeNotCapturable => Why::TypeNotCapturable,
            Reason::DependsOnType => Why::DependsOnType,
            Reason::BeyondDepth => Why::BeyondDepth,
            Reason::FieldLimit => Why::FieldLimit,
            Reason::DeniedType { .. } => Why::DeniedType,
            Reason::Reserved => Why::Reserved,
            Reason::DuplicatePath => Why::DuplicatePath,
        }
    }
}

impl Why {
    /// The reason, for every code but `denied` and `denied_type` (which need
    /// their identifier).
    fn plain(self) -> Option<Reason> {
        match self {
            Why::NotAllowed => Some(Reason::NotAllowed),
            Why::Denied => None,
            Why::Sensitive => Some(Reason::Sensitive),
            Why::TypeNotCapturable => Some(Reason::TypeNotCapturable),
            Why::DependsOnType => Some(Reason::DependsOnType),
            Why::BeyondDepth => Some(Reason::BeyondDepth),
            Why::FieldLimit => Some(Reason::FieldLimit),
            Why::DeniedType => None,
            Why::Reserved => Some(Reason::Reserved),
            Why::DuplicatePath => Some(Reason::DuplicatePath),
        }
    }
}

// The report's leaves are written and read through their JSON form.
impl Serialize for LeafReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        LeafJson::from(self.clone()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for LeafReport {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let json = LeafJson::deserialize(deserializer)?;
        LeafReport::try_from(json).map_err(serde::de::Error::custom)
    }
}
