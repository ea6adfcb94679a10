//! Property tests over generated crates: `init` only ever inserts text
//! (nothing of the file is removed or moved: no reformatting), what it
//! writes parses, a second run changes nothing, and no type derives
//! `Telemetry` twice.

use cargo_caci::init::instrument;
use cargo_caci::patterns::Patterns;
use cargo_caci::source::Sources;
use proptest::prelude::*;
use quote::ToTokens;

const NAMES: &[&str] = &[
    "plan",
    "email",
    "api_key",
    "order_id",
    "note",
    "retries",
    "display_name",
    "card",
    "status",
    "amount_cents",
];
const TYPES: &[&str] = &[
    "u64",
    "String",
    "bool",
    "Option<u32>",
    "Vec<String>",
    "std::sync::Mutex<u8>",
    "rust_decimal::Decimal",
    "std::collections::HashMap<u8, u8>",
    "&'static str",
];
const INDENTS: &[&str] = &["    ", "  ", "\t"];

#[derive(Clone, Debug)]
struct Field {
    name: usize,
    /// An index into TYPES, or past it: the next generated type.
    ty: usize,
    doc: bool,
    serde: bool,
    comment: bool,
}

#[derive(Clone, Debug)]
struct Type {
    /// 0 none, 1 one line, 2 several lines with a trailing comma, 3 without, 4 cfg_attr only.
    derive: u8,
    doc: bool,
    tuple: bool,
    fields: Vec<Field>,
}

fn field() -> impl Strategy<Value = Field> {
    (
        0..NAMES.len(),
        0..TYPES.len() + 2,
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, ty, doc, serde, comment)| Field {
            name,
            ty,
            doc,
            serde,
            comment,
        })
}

fn ty() -> impl Strategy<Value = Type> {
    (
        0u8..5,
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(field(), 1..5),
    )
        .prop_map(|(derive, doc, tuple, fields)| Type {
            derive,
            doc,
            tuple,
            fields,
        })
}

fn render(types: &[Type], indent: &str, blank_lines: bool) -> String {
    let mut out = String::from("//! Generated.\n\npub struct OrderService;\n\nimpl OrderService {\n");
    out.push_str(&format!("{indent}pub fn handle(&self, input: T0) {{}}\n}}\n"));
    for (at, ty) in types.iter().enumerate() {
        out.push('\n');
        if blank_lines {
            out.push('\n');
        }
        if ty.doc {
            out.push_str("/// A type.\n");
        }
        match ty.derive {
            1 => out.push_str("#[derive(Debug, Clone)]\n"),
            2 => out.push_str(&format!("#[derive(\n{indent}Debug,\n{indent}Clone,\n)]\n")),
            3 => out.push_str(&format!("#[derive(\n{indent}Debug,\n{indent}Clone\n)]\n")),
            4 => out.push_str("#[cfg_attr(feature = \"x\", derive(Debug))]\n"),
            _ => {}
        }
        let field_type = |field: &Field| match TYPES.get(field.ty) {
            Some(text) => (*text).to_owned(),
            None if at + 1 < types.len() => format!("T{}", at + 1),
            None => "u8".to_owned(),
        };
        if ty.tuple {
            let fields: Vec<String> = ty
                .fields
                .iter()
                .map(|field| format!("pub {}", field_type(field)))
                .collect();
            out.push_str(&format!("pub struct T{at}({});\n", fields.join(", ")));
            continue;
        }
        out.push_str(&format!("pub struct T{at} {{\n"));
        for (position, field) in ty.fields.iter().enumerate() {
            if field.doc {
                out.push_str(&format!("{indent}/// A field.\n"));
            }
            if field.serde {
                out.push_str(&format!("{indent}#[serde(default)]\n"));
            }
            let comment = if field.comment { " // kept" } else { "" };
            out.push_str(&format!(
                "{indent}pub {}_{position}: {},{comment}\n",
                NAMES[field.name],
                field_type(field)
            ));
        }
        out.push_str("}\n");
    }
    out
}

fn run(text: &str) -> Option<String> {
    let sources = Sources::from_texts([("src/lib.rs".into(), Vec::new(), text.to_owned())]);
    assert!(sources.skipped.is_empty(), "the generated crate parses:\n{text}");
    let (_, _, _, texts) = instrument(&sources, &Patterns::default());
    texts.into_iter().next().flatten()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn init_only_inserts_parses_and_is_idempotent(
        types in prop::collection::vec(ty(), 1..5),
        indent in 0..INDENTS.len(),
        blank_lines in any::<bool>(),
    ) {
        let text = render(&types, INDENTS[indent], blank_lines);
        let Some(edited) = run(&text) else {
            // Only a crate with nothing to do is left unchanged; T0 always is an input.
            panic!("init changed nothing in:\n{text}");
        };
        let diff = similar::TextDiff::from_chars(&text, &edited);
        for change in diff.iter_all_changes() {
            prop_assert_ne!(change.tag(), similar::ChangeTag::Delete, "removed {:?}:\n{}", change.value(), edited);
        }
        let file = syn::parse_file(&edited).unwrap_or_else(|error| panic!("{error}:\n{edited}"));
        for item in &file.items {
            if let syn::Item::Struct(item) = item {
                let derives = item
                    .attrs
                    .iter()
                    .filter(|attr| attr.path().is_ident("derive"))
                    .map(|attr| attr.meta.to_token_stream().to_string())
                    .collect::<String>();
                prop_assert!(derives.matches("Telemetry").count() <= 1, "{}", edited);
            }
        }
        prop_assert_eq!(run(&edited), None, "a second run changed:\n{}", edited);
    }
}
