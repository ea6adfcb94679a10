//! [`ScopeBuilder`]: allowances for one component or method, built in code.

use std::time::Duration;

use crate::rules::ScopeSpec;
use crate::shape::Kind;

/// What one scope allows; see [`ConfigBuilder::scope`](crate::ConfigBuilder::scope).
///
/// ```
/// use std::time::Duration;
/// use caci_core::{Kind, TelemetryCaptureConfiguration};
///
/// let config = TelemetryCaptureConfiguration::builder()
///     .allow_field("plan")
///     .scope("PaymentGateway", None, |scope| {
///         scope.allow_fields(["amount_cents", "currency"]).allow_kind(Kind::Uuid)
///     })
///     .scope("PlanCatalog", Some("feature_group_for"), |scope| {
///         scope.allow_field("feature_group").ttl(Duration::from_secs(900))
///     })
///     .build()
///     .unwrap();
/// assert_eq!(config.spec().scopes[1].place(), "PlanCatalog.feature_group_for");
/// assert_eq!(config.spec().scopes[1].ttl.as_deref(), Some("15m"));
/// ```
#[derive(Clone, Debug)]
pub struct ScopeBuilder {
    pub(crate) spec: ScopeSpec,
}

impl ScopeBuilder {
    /// Allows a plain name or a dotted path at this scope.
    pub fn allow_field(mut self, name: impl Into<String>) -> Self {
        self.spec.allowed_field_names.push(name.into());
        self
    }

    /// Allows several names or paths at this scope.
    pub fn allow_fields<I: IntoIterator<Item = S>, S: Into<String>>(mut self, names: I) -> Self {
        self.spec.allowed_field_names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Allows every leaf of `kind` at this scope.
    pub fn allow_kind(mut self, kind: Kind) -> Self {
        self.spec.allowed_field_kinds.push(kind.to_string());
        self
    }

    /// Allows the direct fields of `T` at this scope.
    pub fn allow_struct<T: ?Sized>(self) -> Self {
        self.allow_struct_named(super::type_path_of::<T>())
    }

    /// Allows the direct fields of the type named `type_path` at this scope.
    pub fn allow_struct_named(mut self, type_path: impl Into<String>) -> Self {
        self.spec.allowed_structs.push(type_path.into());
        self
    }

    /// Allows a map as one `{key: value}` field at this scope.
    pub fn allow_dictionary(mut self, name: impl Into<String>) -> Self {
        self.spec.allowed_dictionaries.push(name.into());
        self
    }

    /// Ends the scope by itself `ttl` after the configuration holding it is
    /// first installed (see [`install`](crate::install)).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.spec.ttl = Some(humantime::format_duration(ttl).to_string());
        self
    }
}
