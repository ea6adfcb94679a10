//! The `tracing` callsites CACI registers at run time, one per distinct set
//! of captured fields of a call site.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{OnceLock, RwLock};

use tracing::Metadata;
use tracing_core::callsite::{Callsite, Identifier};
use tracing_core::field::FieldSet;
use tracing_core::subscriber::Interest;

use super::SiteInfo;
use super::gate::SiteGate;

const INTEREST_NEVER: u8 = 0;
const INTEREST_SOMETIMES: u8 = 1;
const INTEREST_ALWAYS: u8 = 2;

/// A `tracing` callsite whose field names are known only at run time.
pub(crate) struct DynamicCallsite {
    metadata: OnceLock<Metadata<'static>>,
    pub(super) field_names: &'static [&'static str],
    /// How many of the last field names are late fields (filled by `record!`).
    late: usize,
    interest: AtomicU8,
    /// The gate of the site this callsite records for.
    gate: &'static SiteGate,
}

/// The callsites that declare late fields, by their metadata's address:
/// how `record!` tells a CACI span that accepts its names from any other.
static WITH_LATE_FIELDS: RwLock<Vec<(usize, &'static DynamicCallsite)>> = RwLock::new(Vec::new());

impl DynamicCallsite {
    pub(super) fn register(
        info: &'static SiteInfo,
        gate: &'static SiteGate,
        fields: &[String],
        late: usize,
        kind: super::SiteKind,
    ) -> &'static Self {
        let field_names: Vec<&'static str> = fields
            .iter()
            .map(|name| &*Box::leak(name.clone().into_boxed_str()))
            .collect();
        let callsite: &'static DynamicCallsite = Box::leak(Box::new(DynamicCallsite {
            metadata: OnceLock::new(),
            field_names: Box::leak(field_names.into_boxed_slice()),
            late,
            interest: AtomicU8::new(INTEREST_SOMETIMES),
            gate,
        }));
        // Counted open until `tracing` says otherwise (at registration).
        gate.callsite_opened();
        let metadata = Metadata::new(
            info.name,
            info.target,
            info.level,
            Some(info.file),
            Some(info.line),
            Some(info.module_path),
            FieldSet::new(callsite.field_names, Identifier(callsite)),
            match kind {
                super::SiteKind::Span => tracing_core::metadata::Kind::SPAN,
                super::SiteKind::Event => tracing_core::metadata::Kind::EVENT,
            },
        );
        let _ = callsite.metadata.set(metadata);
        if late > 0 {
            let address = std::ptr::from_ref(callsite.metadata()).addr();
            WITH_LATE_FIELDS
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push((address, callsite));
        }
        tracing_core::callsite::register(callsite);
        callsite
    }

    pub(super) fn has_fields(&self, fields: &[String], late: usize) -> bool {
        self.late == late
            && self.field_names.len() == fields.len()
            && self.field_names.iter().zip(fields).all(|(a, b)| *a == b)
    }

    /// The callsite of a CACI span's `metadata`, when it declares late fields.
    pub(super) fn with_late_fields(metadata: &'static Metadata<'static>) -> Option<&'static Self> {
        let address = std::ptr::from_ref(metadata).addr();
        let registered = WITH_LATE_FIELDS.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        registered
            .iter()
            .find(|(known, _)| *known == address)
            .map(|(_, callsite)| *callsite)
    }

    /// The late fields' names.
    pub(super) fn late_fields(&self) -> &'static [&'static str] {
        &self.field_names[self.field_names.len() - self.late..]
    }

    /// The span's or event's name, for CACI's own reports.
    pub(crate) fn name(&self) -> &'static str {
        self.metadata.get().map_or("", |metadata| metadata.name())
    }

    #[inline]
    pub(super) fn is_enabled(&self) -> bool {
        match self.interest.load(Ordering::Relaxed) {
            INTEREST_NEVER => false,
            INTEREST_ALWAYS => true,
            _ => tracing::dispatcher::get_default(|dispatch| dispatch.enabled(self.metadata())),
        }
    }
}

impl Callsite for DynamicCallsite {
    fn set_interest(&self, interest: Interest) {
        let value = if interest.is_never() {
            INTEREST_NEVER
        } else if interest.is_always() {
            INTEREST_ALWAYS
        } else {
            INTEREST_SOMETIMES
        };
        let was_never = self.interest.swap(value, Ordering::AcqRel) == INTEREST_NEVER;
        match (was_never, value == INTEREST_NEVER) {
            (true, false) => self.gate.callsite_opened(),
            (false, true) => self.gate.callsite_closed(),
            _ => {}
        }
    }

    fn metadata(&self) -> &Metadata<'_> {
        self.metadata
            .get()
            .expect("metadata is set before the callsite is registered")
    }
}
