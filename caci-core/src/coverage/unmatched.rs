//! Scopes that match nothing: a configuration's scope for a component with
//! no wrapped method here, or for a method that is not a wrapped method of
//! its component (a typo, a renamed method, or another service's scope).

use crate::config::ConfigSpec;

/// The places (`PaymentGateway`, `PaymentGateway.authorize`) of `spec`'s
/// scopes that apply at none of `methods` (wrapped methods, as
/// `(component, method)`), in the configuration's order, each once.
pub(crate) fn unmatched_scopes<'a>(
    spec: &ConfigSpec,
    methods: impl Iterator<Item = (&'a str, &'a str)> + Clone,
) -> Vec<String> {
    let mut unmatched: Vec<String> = Vec::new();
    for scope in &spec.scopes {
        let matches = methods.clone().any(|(component, method)| {
            component == scope.component && scope.method.as_deref().is_none_or(|wanted| wanted == method)
        });
        let place = scope.place();
        if !matches && !unmatched.contains(&place) {
            unmatched.push(place);
        }
    }
    unmatched
}

/// The warning line for one unmatched scope, as every rendering words it.
pub(crate) fn unmatched_warning(place: &str) -> String {
    if place.contains('.') {
        format!("scope `{place}` matches nothing: not a wrapped method here")
    } else {
        format!("scope `{place}` matches nothing: no wrapped method of `{place}` here")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScopeSpec;

    #[test]
    fn a_scope_matches_a_wrapped_method_of_its_component() {
        let spec = ConfigSpec {
            scopes: vec![
                ScopeSpec::new("Gateway", Some("authorize")),
                ScopeSpec::new("Gateway", Some("capture")),
                ScopeSpec::new("Gateway", None),
                ScopeSpec::new("Ledger", None),
                ScopeSpec::new("Ledger", None),
            ],
            ..ConfigSpec::default()
        };
        let methods = [("Gateway", "authorize"), ("Billing", "capture")];
        assert_eq!(
            unmatched_scopes(&spec, methods.iter().copied()),
            ["Gateway.capture", "Ledger"]
        );
        assert_eq!(
            unmatched_warning("Ledger"),
            "scope `Ledger` matches nothing: no wrapped method of `Ledger` here"
        );
    }
}
