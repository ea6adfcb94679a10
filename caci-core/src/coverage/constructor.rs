//! Constructors: associated functions without a receiver that return the
//! component (`new(repo: Arc<dyn Repo>) -> Self`). Their inputs are wiring
//! (repositories, clients, settings), not the requests a span is about, so
//! the report lists them apart and does not count them.

use crate::method::MethodInfo;

/// Wrappers a constructor's output may come in: `Result<Self, E>`,
/// `Option<Self>`, `Arc<Self>`, `Box<Self>`, `Rc<Self>`.
const WRAPPERS: &[&str] = &["Result", "Option", "Arc", "Box", "Rc"];

/// Whether `info` is a constructor: its signature has no `self` receiver and
/// it returns `Self` or the component's own type, bare or in one of
/// [`WRAPPERS`] (first type argument). Read from the registered signature;
/// nothing else is needed.
pub(crate) fn is_constructor(info: &MethodInfo) -> bool {
    !has_receiver(info.signature) && returns_itself(info.output_type, info.component)
}

fn has_receiver(signature: &str) -> bool {
    let Some(open) = signature.find('(') else { return false };
    let first = signature[open + 1..].split([',', ')']).next().unwrap_or("").trim();
    let first = first.trim_start_matches('&').trim_start();
    let first = match first.strip_prefix('\'') {
        Some(lifetime) => lifetime.split_once(' ').map_or("", |(_, rest)| rest),
        None => first,
    };
    let first = first.strip_prefix("mut ").unwrap_or(first).trim_start();
    first == "self" || first.starts_with("self:") || first.starts_with("self ")
}

fn returns_itself(output: &str, component: &str) -> bool {
    let compact: String = output.chars().filter(|ch| !ch.is_whitespace()).collect();
    let itself = |name: &str| name == "Self" || name == component || name.rsplit("::").next() == Some(component);
    if itself(&compact) {
        return true;
    }
    let Some((head, rest)) = compact.split_once('<') else {
        return false;
    };
    let head = head.rsplit("::").next().unwrap_or(head);
    let first = rest.trim_end_matches('>').split(',').next().unwrap_or("");
    WRAPPERS.contains(&head) && itself(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(signature: &'static str, output_type: &'static str) -> MethodInfo {
        MethodInfo {
            component: "SignupService",
            method: "new",
            signature,
            input_types: &[],
            output_type,
            captures_output: false,
        }
    }

    #[test]
    fn no_receiver_and_returning_itself() {
        assert!(is_constructor(&info("new(repo: Arc<dyn Repo>) -> Self", "Self")));
        assert!(is_constructor(&info("new() -> SignupService", "SignupService")));
        assert!(is_constructor(&info(
            "open(path: &Path) -> Result<Self, Error>",
            "Result<Self, Error>"
        )));
        assert!(is_constructor(&info("shared(repo: Repo) -> Arc<Self>", "Arc < Self >")));
        assert!(is_constructor(&info("new(selfish: bool) -> Self", "Self")));
    }

    #[test]
    fn methods_and_other_associated_functions_are_not() {
        assert!(!is_constructor(&info("with(&self, plan: Plan) -> Self", "Self")));
        assert!(!is_constructor(&info("into_inner(self) -> Self", "Self")));
        assert!(!is_constructor(&info("rebuild(mut self) -> Self", "Self")));
        assert!(!is_constructor(&info("fork(&'a mut self) -> Self", "Self")));
        assert!(!is_constructor(&info(
            "boxed(self: Box<Self>) -> Box<Self>",
            "Box<Self>"
        )));
        assert!(!is_constructor(&info("parse(text: &str) -> Plan", "Plan")));
        assert!(!is_constructor(&info("count() -> usize", "usize")));
        assert!(!is_constructor(&info("all() -> Vec<Self>", "Vec<Self>")));
    }
}
