//! One method as the report analyses it: its shapes and its decisions under
//! the configuration, kept while suggestions re-plan it.

use super::instantiation::InstantiationReport;
use crate::method::MethodInfo;
use crate::plan::{Input, LeafDecision};
use crate::shape::Shape;
use crate::site::SiteInfo;

pub(crate) struct Subject {
    pub(crate) info: &'static MethodInfo,
    pub(crate) site: &'static SiteInfo,
    pub(crate) inputs: Vec<Input>,
    /// The output's shape, when the method captures its output.
    pub(crate) output: Option<Shape>,
    pub(crate) decisions: Vec<LeafDecision>,
    /// A generic method's instantiations planned so far: shown, not counted.
    pub(crate) instantiations: Vec<InstantiationReport>,
    /// A constructor (see `constructor.rs`): listed apart, not counted, never
    /// a source of suggestions.
    pub(crate) constructor: bool,
}
