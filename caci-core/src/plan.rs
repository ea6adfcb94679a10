//! Planning a call site: walk the inputs' shapes once under a configuration,
//! decide every leaf, and give each captured leaf a slot (a span field).
//!
//! The resulting tree of [`Node`]s is what [`Out`](crate::Out) follows per
//! call: a captured leaf is a slot index, anything else is `Skip`.

use std::any::TypeId;
use std::collections::HashSet;
use std::sync::Arc;

use crate::rules::decision::{self, Leaf, Reason, Verdict};
use crate::rules::{RenderRules, Rules};
use crate::shape::{FieldShape, Kind, Shape, ShapeBody};

/// What to do with one value at a call site.
#[derive(Debug, PartialEq)]
pub(crate) enum Node {
    /// Nothing of it is captured.
    Skip,
    /// Recorded into this slot.
    Leaf { slot: u16 },
    /// A struct: one node per field of its shape.
    Struct(Box<[Node]>),
    /// An enum with data: the variant name's slot, and per variant one node
    /// per field.
    Enum {
        name_slot: Option<u16>,
        variants: Box<[Box<[Node]>]>,
        /// Whether a variant name is longer than the string limit.
        cut_names: bool,
    },
    /// A map: the whole rendering's slot, and entries captured one by one.
    Map {
        whole: Option<u16>,
        entries: Box<[(Box<str>, Node)]>,
    },
    /// A list of structs: one span field per captured leaf of an item.
    Columns(Box<Columns>),
}

/// A list of structs, captured as columns: `items.sku = [A1, B2]`, one span
/// field per leaf of the item that the configuration allows, each rendered
/// over every item within the limits.
#[derive(Debug)]
pub(crate) struct Columns {
    /// How an item is walked: its captured leaves' slots are the columns'.
    pub(crate) item: Node,
    /// The columns' slots, in the item's leaf order.
    pub(crate) slots: Box<[u16]>,
    /// The limits and deny list the renderings obey, kept with the node:
    /// a column renders long after the call that recorded it planned.
    pub(crate) rules: Arc<RenderRules>,
}

impl PartialEq for Columns {
    fn eq(&self, other: &Columns) -> bool {
        self.item == other.item && self.slots == other.slots
    }
}

impl Node {
    /// The node list and map items are rendered through.
    pub(crate) const RENDERED_ITEM: Node = Node::Leaf { slot: 0 };

    fn is_skip(&self) -> bool {
        matches!(self, Node::Skip)
    }
}

/// One input of a call site: its name and its type's shape.
///
/// ```
/// use caci_core::{Capture, Input};
/// let input = Input::new("plan", String::shape());
/// assert_eq!(input.name, "plan");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Input {
    /// The name the input is captured under.
    pub name: &'static str,
    /// Its shape ([`Shape::opaque`] when its type does not implement `Capture`).
    pub shape: Shape,
    /// The identifiers a pattern parameter binds (`Token(secret): Token`
    /// binds `secret`), which the deny floor checks as well as `name`.
    pub bindings: &'static [&'static str],
    /// The value's type as the call passes it, when it is capturable: a
    /// plan records values only of the types it was made for.
    pub type_id: Option<InputType>,
}

impl Input {
    /// An input named `name` with a value of `shape`.
    pub fn new(name: &'static str, shape: Shape) -> Self {
        Input {
            name,
            shape,
            bindings: &[],
            type_id: None,
        }
    }

    /// The same input, bound through a pattern to these identifiers.
    pub fn bound_to(self, bindings: &'static [&'static str]) -> Self {
        Input { bindings, ..self }
    }

    /// The same input, whose values have the type `type_id` describes.
    pub fn typed(self, type_id: Option<InputType>) -> Self {
        Input { type_id, ..self }
    }
}

/// The decision taken for one leaf of a call site.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LeafDecision {
    /// The dotted path: the span field's name when captured.
    pub path: String,
    /// The leaf's type, as written in the source where known.
    pub rust_type: String,
    /// The leaf's kind.
    pub kind: Kind,
    /// For lists and maps, their items' kind.
    pub item_kind: Option<Kind>,
    /// The full type name of the struct or enum directly holding the leaf.
    pub enclosing_type: Option<&'static str>,
    /// Whether it is captured, and why (not).
    pub verdict: Verdict,
    /// The scope that allowed it, when the global lists did not: where it
    /// applies, as `PaymentGateway` or `PaymentGateway.authorize`.
    pub scope: Option<String>,
}

/// A planned call site.
#[derive(Debug)]
pub(crate) struct Plan {
    pub(crate) inputs: Box<[PlannedInput]>,
    /// Whether a recorded input's `Capture` impl is not trusted not to
    /// panic: its recording is guarded by a `catch_unwind`.
    pub(crate) guarded: bool,
    /// The slots each input's leaves fill: cleared when its `Capture` impl
    /// panics part-way.
    pub(crate) input_slots: Box<[std::ops::Range<usize>]>,
    /// The return value's node, for methods that capture their output.
    pub(crate) output: Option<Node>,
    /// A failed call's error value's node (its fields under `error.`), for
    /// methods whose error type is known.
    pub(crate) error: Option<Node>,
    /// Span field names, by slot.
    pub(crate) fields: Vec<String>,
    pub(crate) decisions: Vec<LeafDecision>,
}

/// An input's type as a plan records it: its identity, and whether its
/// `Capture` impl is trusted not to panic (see `Capture::trusted`).
#[doc(hidden)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputType {
    /// The type's identity.
    pub id: TypeId,
    /// Whether its `Capture` impl is trusted not to panic.
    pub trusted: bool,
}

/// How one input is recorded.
#[derive(Debug, PartialEq)]
pub(crate) struct PlannedInput {
    pub(crate) node: Node,
    /// The type the input's value must have to be recorded (`None`: the
    /// input is not recorded at all).
    pub(crate) type_id: Option<TypeId>,
}

use crate::rules::decision::{ERROR_NAME, OUTPUT_NAME};

/// Plans a call site under `rules`; `site` is the wrapped method it is, as
/// (component, method), where the rules' scopes for it apply.
impl Plan {
    /// Whether `other` records exactly as this plan does (decisions aside):
    /// then call sites share one of them between configurations.
    pub(crate) fn records_as(&self, other: &Plan) -> bool {
        self.inputs == other.inputs
            && self.guarded == other.guarded
            && self.input_slots == other.input_slots
            && self.output == other.output
            && self.fields == other.fields
    }
}

pub(crate) fn plan(rules: &Arc<Rules>, site: Option<(&str, &str)>, inputs: &[Input], output: Option<&Shape>) -> Plan {
    plan_with_error(rules, site, inputs, output, None)
}

/// [`plan`], with the shape of the method's error type: its fields are
/// decided under `error.` (`error.code`), by the same rules.
pub(crate) fn plan_with_error(
    rules: &Arc<Rules>,
    site: Option<(&str, &str)>,
    inputs: &[Input],
    output: Option<&Shape>,
    error: Option<&Shape>,
) -> Plan {
    let mut planner = Planner {
        rules,
        site,
        path: Vec::new(),
        aliases: Vec::new(),
        types: Vec::new(),
        output: false,
        error: false,
        fields: Vec::new(),
        taken: HashSet::new(),
        decisions: Vec::new(),
    };
    let mut input_slots = Vec::with_capacity(inputs.len());
    let nodes: Vec<Node> = inputs
        .iter()
        .map(|input| {
            let first = planner.fields.len();
            let node = planner.root(input.name, input.bindings, &input.shape);
            input_slots.push(first..planner.fields.len());
            node
        })
        .collect();
    // An input that captures nothing is never visited: its `Capture` impl
    // cannot fail a call that records none of it.
    let planned = inputs
        .iter()
        .zip(nodes)
        .map(|(input, node)| PlannedInput {
            type_id: input
                .type_id
                .filter(|_| !node.is_skip())
                .map(|input_type| input_type.id),
            node,
        })
        .collect::<Box<[PlannedInput]>>();
    let guarded = inputs.iter().zip(planned.iter()).any(|(input, planned)| {
        planned.type_id.is_some() && input.type_id.is_some_and(|input_type| !input_type.trusted)
    });
    planner.output = true;
    let output = output.map(|shape| planner.root(OUTPUT_NAME, &[], shape));
    planner.output = false;
    planner.error = true;
    let error = error
        .map(|shape| planner.root(ERROR_NAME, &[], shape))
        .filter(|node| !node.is_skip());
    Plan {
        inputs: planned,
        guarded,
        input_slots: input_slots.into_boxed_slice(),
        output,
        error,
        fields: planner.fields,
        decisions: planner.decisions,
    }
}

struct Planner<'r> {
    rules: &'r Arc<Rules>,
    site: Option<(&'r str, &'r str)>,
    /// The path's segments, as captured.
    path: Vec<&'r str>,
    /// Identifiers behind the path that the floor checks too.
    aliases: Vec<&'r str>,
    /// The type names of the values on the path.
    types: Vec<&'static str>,
    /// Whether the output is being planned.
    output: bool,
    /// Whether the error value is being planned.
    error: bool,
    fields: Vec<String>,
    taken: HashSet<String>,
    decisions: Vec<LeafDecision>,
}

impl<'r> Planner<'r> {
    fn root(&mut self, name: &'r str, bindings: &'r [&'r str], shape: &Shape) -> Node {
        let aliases = self.aliases.len();
        self.path.push(name);
        self.aliases.extend(bindings);
        let node = self.typed_value(shape, &shape.short_type_name(), None);
        self.aliases.truncate(aliases);
        self.path.pop();
        node
    }

    /// A value whose type joins the path's types for as long as it is planned.
    fn typed_value(&mut self, shape: &Shape, rust_type: &str, enclosing: Option<&'static str>) -> Node {
        self.types.push(shape.type_name);
        let node = self.value(shape, rust_type, enclosing);
        self.types.pop();
        node
    }

    fn value(&mut self, shape: &Shape, rust_type: &str, enclosing: Option<&'static str>) -> Node {
        match &shape.body {
            ShapeBody::Scalar(_) | ShapeBody::Opaque => self.leaf(shape, rust_type, enclosing),
            ShapeBody::Generic => {
                let node = self.leaf(shape, rust_type, enclosing);
                // Rows 1-4 still speak (a `password: T` is denied whatever
                // `T` is); a generic type is not "not capturable".
                if let Some(decision) = self.decisions.last_mut()
                    && decision.verdict == Verdict::NotCaptured(Reason::TypeNotCapturable)
                {
                    decision.verdict = Verdict::NotCaptured(Reason::DependsOnType);
                }
                node
            }
            ShapeBody::Sensitive => self.decide_leaf(Kind::Opaque, None, enclosing, true, rust_type),
            ShapeBody::List(item) if matches!(item.body, ShapeBody::Struct(_)) => self.columns(item, enclosing),
            ShapeBody::List(item) => self.decide_leaf(shape.kind(), Some(item.kind()), enclosing, false, rust_type),
            ShapeBody::Enum(variants) if variants.iter().all(|v| v.fields.is_empty()) => {
                match self.leaf(shape, rust_type, enclosing) {
                    // Variant names are cut only when one is longer than the
                    // limit: decided here, not per call.
                    Node::Leaf { slot } if self.cuts_names(variants) => Node::Enum {
                        name_slot: Some(slot),
                        variants: Box::new([]),
                        cut_names: true,
                    },
                    node => node,
                }
            }
            ShapeBody::Enum(variants) => {
                let name_node = self.leaf(shape, rust_type, enclosing);
                let name_slot = match name_node {
                    Node::Leaf { slot } => Some(slot),
                    _ => None,
                };
                let variant_nodes: Box<[Box<[Node]>]> = variants
                    .iter()
                    .map(|variant| {
                        let aliases = self.aliases.len();
                        self.aliases.extend([variant.name, variant.declared]);
                        let nodes = self.fields_of(&variant.fields, shape, true);
                        self.aliases.truncate(aliases);
                        nodes
                    })
                    .collect();
                if name_slot.is_none() && variant_nodes.iter().all(|nodes| nodes.is_empty()) {
                    return Node::Skip;
                }
                Node::Enum {
                    name_slot,
                    variants: variant_nodes,
                    cut_names: self.cuts_names(variants),
                }
            }
            ShapeBody::Struct(fields) => {
                let nodes = self.fields_of(fields, shape, false);
                if nodes.is_empty() {
                    Node::Skip
                } else {
                    Node::Struct(nodes)
                }
            }
            ShapeBody::Map(value) => self.map(shape, value, rust_type, enclosing),
        }
    }

    fn cuts_names(&self, variants: &[crate::shape::VariantShape]) -> bool {
        variants
            .iter()
            .any(|variant| variant.name.chars().count() > self.rules.limits.max_string_len)
    }

    /// One node per field, or an empty list when none is captured.
    /// `variant`: the fields are an enum variant's, whose path already has
    /// a leaf (the variant's name), so a cut there is not a leaf of its own.
    fn fields_of(&mut self, fields: &[FieldShape], owner: &Shape, variant: bool) -> Box<[Node]> {
        if self.path.len() >= self.rules.limits.max_depth && fields.iter().any(|field| !field.flatten) {
            if variant {
                return Box::new([]);
            }
            self.decisions.push(LeafDecision {
                path: self.path.join("."),
                rust_type: owner.short_type_name(),
                kind: Kind::Struct,
                item_kind: None,
                enclosing_type: None,
                verdict: Verdict::NotCaptured(Reason::BeyondDepth),
                scope: None,
            });
            return Box::new([]);
        }
        // The struct a field belongs to is the struct itself through
        // `Option`, `Box`, `Rc`, `Arc` and references.
        let owner_name = crate::shape::transparent_inner(owner.type_name);
        let nodes: Box<[Node]> = fields.iter().map(|field| self.field(field, owner_name)).collect();
        if nodes.iter().all(Node::is_skip) {
            Box::new([])
        } else {
            nodes
        }
    }

    fn field(&mut self, field: &FieldShape, owner: &'static str) -> Node {
        let aliases = self.aliases.len();
        if field.flatten {
            // A flattened field's name leaves the path, not the floor's view.
            self.aliases.push(field.name);
        } else {
            self.path.push(field.name);
        }
        if field.declared != field.name {
            self.aliases.push(field.declared);
        }
        let node = match field.shape {
            Some(shape_of) if !field.sensitive => {
                let shape = shape_of();
                let enclosing = if field.flatten { None } else { Some(owner) };
                self.typed_value(&shape, field.rust_type, enclosing)
            }
            _ => self.decide_leaf(Kind::Opaque, None, Some(owner), field.sensitive, field.rust_type),
        };
        if !field.flatten {
            self.path.pop();
        }
        self.aliases.truncate(aliases);
        node
    }

    /// A list of structs: its items' leaves are decided under the list's
    /// path (`items.sku`), each captured one a column.
    fn columns(&mut self, item: &Shape, enclosing: Option<&'static str>) -> Node {
        let first = self.fields.len();
        let node = self.typed_value(item, &item.short_type_name(), enclosing);
        let slots: Box<[u16]> = (first..self.fields.len())
            .map(|slot| u16::try_from(slot).expect("at most 128 fields per span"))
            .collect();
        if slots.is_empty() {
            return Node::Skip;
        }
        Node::Columns(Box::new(Columns {
            item: node,
            slots,
            rules: Arc::clone(&self.rules.render),
        }))
    }

    fn map(&mut self, shape: &Shape, value: &Shape, rust_type: &str, enclosing: Option<&'static str>) -> Node {
        let whole = match self.decide_leaf(shape.kind(), Some(value.kind()), enclosing, false, rust_type) {
            Node::Leaf { slot } => Some(slot),
            _ => None,
        };
        let prefix = format!("{}.", self.path.join("."));
        let rules = self.rules;
        let scoped = self.site.into_iter().flat_map(|(component, method)| {
            rules
                .scopes
                .iter()
                .filter(move |scope| scope.applies_at(component, method))
                .flat_map(|scope| &scope.allowed.paths)
        });
        let mut keys: Vec<&'r str> = rules
            .allowed
            .paths
            .iter()
            .chain(scoped)
            .filter_map(|path| path.strip_prefix(&prefix))
            .filter(|key| !key.contains('.'))
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let mut entries = Vec::new();
        for key in keys {
            self.path.push(key);
            let node = self.typed_value(value, &value.short_type_name(), None);
            self.path.pop();
            if !node.is_skip() {
                entries.push((Box::from(key), node));
            }
        }
        if whole.is_none() && entries.is_empty() {
            return Node::Skip;
        }
        Node::Map {
            whole,
            entries: entries.into_boxed_slice(),
        }
    }

    fn leaf(&mut self, shape: &Shape, rust_type: &str, enclosing: Option<&'static str>) -> Node {
        self.decide_leaf(shape.kind(), None, enclosing, false, rust_type)
    }

    fn decide_leaf(
        &mut self,
        kind: Kind,
        item_kind: Option<Kind>,
        enclosing_type: Option<&'static str>,
        sensitive: bool,
        rust_type: &str,
    ) -> Node {
        let mut leaf = Leaf::new(&self.path, kind).behind(&self.aliases).of_types(&self.types);
        leaf.item_kind = item_kind;
        leaf.enclosing_type = enclosing_type;
        leaf.sensitive = sensitive;
        leaf.output = self.output;
        leaf.error = self.error;
        leaf.site = self.site;
        let (mut verdict, scope) = decision::decide_in_scope(self.rules, &leaf);
        let mut scope = scope.map(|index| self.rules.spec.scopes[index].place());
        let path = self.path.join(".");
        let mut node = Node::Skip;
        if verdict.is_captured() {
            if self.taken.contains(&path) {
                verdict = Verdict::NotCaptured(Reason::DuplicatePath);
                scope = None;
            } else if self.fields.len() < self.rules.limits.max_fields_per_span {
                node = Node::Leaf {
                    slot: u16::try_from(self.fields.len()).expect("at most 128 fields per span"),
                };
                self.taken.insert(path.clone());
                self.fields.push(path.clone());
            } else {
                verdict = Verdict::NotCaptured(Reason::FieldLimit);
                scope = None;
            }
        }
        self.decisions.push(LeafDecision {
            path,
            rust_type: rust_type.to_owned(),
            kind,
            item_kind,
            enclosing_type,
            verdict,
            scope,
        });
        node
    }
}
