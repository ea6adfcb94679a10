//! The shapes `#[derive(Telemetry)]` produces, read through the real
//! `Capture` trait.

// Only shapes are read here: no value of these types is ever built.
#![allow(dead_code)]

use caci_core::{Capture, FieldShape, Kind, Shape, ShapeBody, Telemetry, VariantShape};

#[derive(Telemetry)]
struct BusinessId(uuid::Uuid);

#[derive(Telemetry)]
#[telemetry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Plan {
    Starter,
    #[telemetry(rename = "legacy")]
    Legacy,
    ProMax,
}

#[derive(Telemetry)]
struct Address {
    country: String,
}

/// Does not implement `Capture`.
struct Cache;

#[derive(Telemetry)]
struct Business {
    id: BusinessId,
    plan: Option<Plan>,
    #[telemetry(rename = "group")]
    feature_group: String,
    #[telemetry(skip)]
    cache: Cache,
    #[telemetry(sensitive)]
    tax_number: Cache,
    #[telemetry(flatten)]
    address: Address,
}

#[derive(Telemetry)]
#[telemetry(rename_all = "camelCase")]
struct Renamed {
    feature_group: bool,
    #[telemetry(rename = "kept_as_is")]
    renamed_field: bool,
    r#type: u8,
}

#[derive(Telemetry)]
struct Pair(u32, #[telemetry(skip)] Cache, #[telemetry(sensitive)] String);

#[derive(Telemetry)]
struct Marker;

#[derive(Telemetry)]
enum Payment {
    Card {
        last4: String,
        #[telemetry(sensitive)]
        number: String,
        #[telemetry(skip)]
        cvv: Cache,
    },
    Transfer(String, #[telemetry(rename = "reference")] String),
    Wallet(#[telemetry(flatten)] Address),
    Cash,
}

#[derive(Telemetry)]
struct Page<'a, T, S> {
    items: Vec<T>,
    cursor: &'a str,
    #[telemetry(skip)]
    state: S,
}

fn fields(shape: &Shape) -> &[FieldShape] {
    match &shape.body {
        ShapeBody::Struct(fields) => fields,
        other => panic!("`{}` is not a struct: {other:?}", shape.type_name),
    }
}

fn variants(shape: &Shape) -> &[VariantShape] {
    match &shape.body {
        ShapeBody::Enum(variants) => variants,
        other => panic!("`{}` is not an enum: {other:?}", shape.type_name),
    }
}

fn names(fields: &[FieldShape]) -> Vec<&str> {
    fields.iter().map(|field| field.name).collect()
}

fn kind_of(field: &FieldShape) -> Kind {
    (field.shape.expect("a capturable field"))().kind()
}

#[test]
fn struct_fields_are_listed_in_order_without_skipped_ones() {
    let shape = Business::shape();
    assert_eq!(shape.type_name, std::any::type_name::<Business>());
    assert_eq!(shape.kind(), Kind::Struct);
    let fields = fields(&shape);
    assert_eq!(names(fields), ["id", "plan", "group", "tax_number", "address"]);
    let rust_types: Vec<_> = fields.iter().map(|field| field.rust_type).collect();
    assert_eq!(rust_types, ["BusinessId", "Option<Plan>", "String", "Cache", "Address"]);
    assert_eq!(kind_of(&fields[0]), Kind::Uuid);
    assert_eq!(kind_of(&fields[1]), Kind::Enum);
    assert_eq!(kind_of(&fields[2]), Kind::String);
}

#[test]
fn sensitive_fields_are_marked_and_carry_no_shape() {
    let shape = Business::shape();
    let flags: Vec<_> = fields(&shape)
        .iter()
        .map(|field| (field.name, field.sensitive, field.shape.is_some()))
        .collect();
    assert_eq!(
        flags,
        [
            ("id", false, true),
            ("plan", false, true),
            ("group", false, true),
            ("tax_number", true, false),
            ("address", false, true),
        ]
    );
}

#[test]
fn flattened_fields_are_marked() {
    let shape = Business::shape();
    let flattened: Vec<_> = fields(&shape)
        .iter()
        .filter(|field| field.flatten)
        .map(|field| field.name)
        .collect();
    assert_eq!(flattened, ["address"]);
}

#[test]
fn a_newtype_keeps_its_inner_kind_under_its_own_type_name() {
    let shape = BusinessId::shape();
    assert_eq!(shape.kind(), Kind::Uuid);
    assert_eq!(shape.type_name, std::any::type_name::<BusinessId>());
    assert_eq!(shape.short_type_name(), "BusinessId");
}

#[test]
fn rename_all_renames_fields_and_rename_wins() {
    assert_eq!(names(fields(&Renamed::shape())), ["featureGroup", "kept_as_is", "type"]);
}

#[test]
fn rename_all_renames_variants_and_rename_wins() {
    let shape = Plan::shape();
    let names: Vec<_> = variants(&shape).iter().map(|variant| variant.name).collect();
    assert_eq!(names, ["STARTER", "legacy", "PRO_MAX"]);
    assert!(variants(&shape).iter().all(|variant| variant.fields.is_empty()));
}

#[test]
fn tuple_struct_fields_are_named_by_position() {
    let shape = Pair::shape();
    let fields = fields(&shape);
    assert_eq!(names(fields), ["0", "2"]);
    assert!(fields[1].sensitive);
}

#[test]
fn a_unit_struct_is_a_struct_with_no_fields() {
    let shape = Marker::shape();
    assert!(fields(&shape).is_empty());
}

#[test]
fn data_enum_variants_list_their_fields() {
    let shape = Payment::shape();
    let variants = variants(&shape);
    let layout: Vec<_> = variants
        .iter()
        .map(|variant| (variant.name, names(&variant.fields)))
        .collect();
    assert_eq!(
        layout,
        [
            ("Card", vec!["last4", "number"]),
            ("Transfer", vec!["0", "reference"]),
            ("Wallet", vec!["0"]),
            ("Cash", vec![]),
        ]
    );
    assert!(variants[0].fields[1].sensitive);
    assert!(variants[2].fields[0].flatten);
    assert_eq!(kind_of(&variants[2].fields[0]), Kind::Struct);
}

#[test]
fn generic_structs_need_capture_only_for_captured_type_parameters() {
    // `Cache` is not `Capture`: it only appears in a skipped field.
    let shape = <Page<'static, u32, Cache> as Capture>::shape();
    let fields = fields(&shape);
    assert_eq!(names(fields), ["items", "cursor"]);
    assert_eq!(fields[0].rust_type, "Vec<T>");
    assert_eq!(fields[1].rust_type, "&'a str");
    assert_eq!(kind_of(&fields[0]), Kind::List);
}
