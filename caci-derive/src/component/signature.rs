//! A signature as text, for `MethodInfo::signature`:
//! `initialize_business(&self, business: &Business) -> Subscription`.

use quote::ToTokens;

use crate::type_string::type_string;

/// Tokens printed with the spacing `type_string` gives types.
pub(crate) fn tokens_string(tokens: impl ToTokens) -> String {
    let text = type_string(&syn::Type::Verbatim(tokens.to_token_stream()));
    // Braces only appear in struct patterns: `Point { x, y }`.
    text.replace('{', " { ").replace('}', " }").replace("  ", " ")
}

/// `[async ][unsafe ]name<generics>(inputs) -> output`, without the where
/// clause and the parameters' attributes.
pub(crate) fn render(sig: &syn::Signature) -> String {
    let mut out = String::new();
    if sig.asyncness.is_some() {
        out.push_str("async ");
    }
    if matches!(sig.safety, syn::Safety::Unsafe(_)) {
        out.push_str("unsafe ");
    }
    out.push_str(&sig.ident.to_string());
    if !sig.generics.params.is_empty() {
        let params = &sig.generics.params;
        out.push_str(&tokens_string(quote::quote!(<#params>)));
    }
    let inputs: Vec<String> = sig.inputs.iter().map(input).collect();
    out.push('(');
    out.push_str(&inputs.join(", "));
    out.push(')');
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        out.push_str(" -> ");
        out.push_str(&type_string(ty));
    }
    out
}

fn input(arg: &syn::FnArg) -> String {
    match arg {
        syn::FnArg::Receiver(receiver) => {
            let mut receiver = receiver.clone();
            receiver.attrs.clear();
            tokens_string(receiver)
        }
        syn::FnArg::Typed(typed) => {
            let mut pat = (*typed.pat).clone();
            if let syn::Pat::Ident(ident) = &mut pat {
                ident.attrs.clear();
            }
            format!("{}: {}", tokens_string(pat), type_string(&typed.ty))
        }
    }
}

/// The return type as written, `()` when there is none.
pub(crate) fn output(sig: &syn::Signature) -> String {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => type_string(ty),
        syn::ReturnType::Default => "()".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::render;

    fn rendered(source: &str) -> String {
        let item: syn::ImplItemFn = syn::parse_str(source).expect("a method");
        render(&item.sig)
    }

    #[test]
    fn signatures_read_as_written() {
        let cases = [
            (
                "fn initialize_business(&self, business: &Business) -> Subscription {}",
                "initialize_business(&self, business: &Business) -> Subscription",
            ),
            ("fn new() -> Self {}", "new() -> Self"),
            (
                "async fn fetch<'a, T: Into<u32>>(&'a mut self, mut id: T) {}",
                "async fetch<'a, T: Into<u32>>(&'a mut self, mut id: T)",
            ),
            (
                "unsafe fn raw(self: Pin<&mut Self>, (a, b): (u32, u32), Point { x, .. }: Point) {}",
                "unsafe raw(self: Pin<&mut Self>, (a, b): (u32, u32), Point { x, .. }: Point)",
            ),
            (
                "fn each(&self, items: impl Iterator<Item = u8>) -> impl Iterator<Item = u8> {}",
                "each(&self, items: impl Iterator<Item = u8>) -> impl Iterator<Item = u8>",
            ),
        ];
        for (source, expected) in cases {
            assert_eq!(rendered(source), expected);
        }
    }
}
