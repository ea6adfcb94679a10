//! A field's type as the user wrote it, for `FieldShape::rust_type`:
//! `Option<BusinessId>`, not `quote`'s `Option < BusinessId >`.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;

/// The type's tokens with rustfmt-like spacing.
pub(crate) fn type_string(ty: &syn::Type) -> String {
    let mut atoms = Vec::new();
    flatten(ty.to_token_stream(), &mut atoms);
    let mut out = String::new();
    let mut previous: Option<&Atom> = None;
    for atom in &atoms {
        if previous.is_some_and(|previous| space_between(previous, atom)) {
            out.push(' ');
        }
        out.push_str(atom.text());
        previous = Some(atom);
    }
    out
}

/// One printed unit: a word, an operator (joint punctuation merged), or a
/// delimiter.
enum Atom {
    Word(String),
    Op(String),
    Open(char),
    Close(char),
}

impl Atom {
    fn text(&self) -> &str {
        match self {
            Atom::Word(text) | Atom::Op(text) => text,
            Atom::Open(ch) | Atom::Close(ch) => match ch {
                '(' => "(",
                '[' => "[",
                '{' => "{",
                ')' => ")",
                ']' => "]",
                _ => "}",
            },
        }
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self, Atom::Op(text) if text == op)
    }

    fn is_keyword(&self) -> bool {
        matches!(
            self,
            Atom::Word(word) if matches!(
                word.as_str(),
                "as" | "const" | "dyn" | "extern" | "fn" | "for" | "impl" | "mut" | "unsafe"
            )
        )
    }
}

fn flatten(tokens: TokenStream, atoms: &mut Vec<Atom>) {
    let mut pending_op = String::new();
    for token in tokens {
        match token {
            // A lifetime's `'` is joint with its name: `push_word` joins them.
            TokenTree::Punct(punct) if punct.as_char() == '\'' => {
                flush(&mut pending_op, atoms);
                atoms.push(Atom::Op("'".to_owned()));
            }
            TokenTree::Punct(punct) => {
                pending_op.push(punct.as_char());
                if punct.spacing() == Spacing::Alone {
                    flush(&mut pending_op, atoms);
                }
                continue;
            }
            TokenTree::Ident(ident) => push_word(atoms, ident.to_string()),
            TokenTree::Literal(literal) => push_word(atoms, literal.to_string()),
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => (Some('('), Some(')')),
                    Delimiter::Bracket => (Some('['), Some(']')),
                    Delimiter::Brace => (Some('{'), Some('}')),
                    Delimiter::None => (None, None),
                };
                atoms.extend(open.map(Atom::Open));
                flatten(group.stream(), atoms);
                atoms.extend(close.map(Atom::Close));
            }
        }
        flush(&mut pending_op, atoms);
    }
    flush(&mut pending_op, atoms);
}

fn flush(pending_op: &mut String, atoms: &mut Vec<Atom>) {
    if !pending_op.is_empty() {
        atoms.push(Atom::Op(std::mem::take(pending_op)));
    }
}

/// Words after a lifetime's `'` join it: `'a` is one word.
fn push_word(atoms: &mut Vec<Atom>, word: String) {
    if let Some(Atom::Op(tick)) = atoms.last()
        && tick == "'"
    {
        atoms.pop();
        atoms.push(Atom::Word(format!("'{word}")));
        return;
    }
    atoms.push(Atom::Word(word));
}

fn space_between(previous: &Atom, next: &Atom) -> bool {
    if matches!(next, Atom::Close(_)) {
        return false;
    }
    if previous.is_op(",") || previous.is_op(";") || previous.is_op(":") {
        return true;
    }
    if ["+", "=", "->"].iter().any(|op| previous.is_op(op) || next.is_op(op)) {
        return true;
    }
    if previous.is_keyword() {
        return !next.is_op("<") && !matches!(next, Atom::Open('('));
    }
    match (previous, next) {
        (Atom::Word(_), Atom::Word(_)) => true,
        (Atom::Close(_), Atom::Word(_)) => true,
        (Atom::Op(op), Atom::Word(_)) => op == ">",
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::type_string;

    fn normalised(source: &str) -> String {
        type_string(&syn::parse_str(source).expect("a type"))
    }

    #[test]
    fn types_print_as_rustfmt_would_write_them() {
        let cases = [
            "Option<BusinessId>",
            "HashMap<String, Vec<Vec<u8>>>",
            "&'a str",
            "&'static mut [u8]",
            "[u8; 4]",
            "(u32,)",
            "(u32, &str)",
            "Box<dyn Fn(u32) -> u32 + Send + 'static>",
            "<T as Iterator>::Item",
            "fn(&str) -> bool",
            "::std::collections::BTreeMap<K, V>",
            "*const u8",
            "impl Iterator<Item = u32>",
            "dyn for<'a> Fn(&'a u8)",
            "Cow<'a, str>",
            "!",
        ];
        for source in cases {
            assert_eq!(normalised(source), source);
        }
    }

    #[test]
    fn spacing_in_the_source_does_not_matter() {
        assert_eq!(normalised("Option <  Vec< u8 > >"), "Option<Vec<u8>>");
        assert_eq!(normalised("& 'a   mut T"), "&'a mut T");
    }
}
