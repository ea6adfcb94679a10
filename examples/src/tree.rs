//! A `tracing` layer that prints whole span trees with their fields, for a
//! budget of root spans: a few captured requests rather than hundreds.
//!
//! A tree is printed when its root closes, so fields recorded after a span
//! opened (such as an outcome) are on its line too.

use std::fmt::{self, Write as _};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Metadata, Subscriber};
use tracing_core::subscriber::Interest;
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

/// Prints the next `n` span trees to a writer. Cloning gives another handle
/// on the same printer.
///
/// ```
/// use tracing_subscriber::layer::SubscriberExt;
/// let printer = caci_examples::tree::TreePrinter::buffered();
/// printer.print_next(1);
/// let subscriber = tracing_subscriber::registry().with(printer.clone());
/// tracing::subscriber::with_default(subscriber, || {
///     let _outer = tracing::info_span!("SubscriptionApi.initialize_business", plan = "STARTER").entered();
///     let _inner = tracing::info_span!("PlanCatalog.feature_group_for", seats = 3, trial = false).entered();
/// });
/// assert_eq!(
///     printer.take_output(),
///     "SubscriptionApi.initialize_business plan=\"STARTER\"\n  PlanCatalog.feature_group_for seats=3 trial=false\n"
/// );
/// ```
#[derive(Clone)]
pub struct TreePrinter {
    inner: Arc<Inner>,
}

struct Inner {
    budget: AtomicUsize,
    out: Mutex<Output>,
}

enum Output {
    Writer(Box<dyn Write + Send>),
    Buffer(Vec<u8>),
}

/// The lines of one tree, kept on its root span until it closes.
struct Tree(Vec<String>);

/// Where a span's line is: its root, and the line's index.
struct LineRef {
    root: Id,
    index: usize,
}

impl TreePrinter {
    /// A printer writing to `out`, with no budget yet.
    pub fn new<W: Write + Send + 'static>(out: W) -> Self {
        TreePrinter::with_output(Output::Writer(Box::new(out)))
    }

    /// A printer keeping its text for [`take_output`](Self::take_output).
    pub fn buffered() -> Self {
        TreePrinter::with_output(Output::Buffer(Vec::new()))
    }

    fn with_output(output: Output) -> Self {
        TreePrinter {
            inner: Arc::new(Inner {
                budget: AtomicUsize::new(0),
                out: Mutex::new(output),
            }),
        }
    }

    /// Prints the next `roots` trees that start, and no more.
    pub fn print_next(&self, roots: usize) {
        self.inner.budget.store(roots, Ordering::SeqCst);
    }

    /// What was printed so far by a [`buffered`](Self::buffered) printer.
    pub fn take_output(&self) -> String {
        match &mut *self.inner.out.lock().unwrap_or_else(PoisonError::into_inner) {
            Output::Buffer(buffer) => String::from_utf8_lossy(&std::mem::take(buffer)).into_owned(),
            Output::Writer(_) => String::new(),
        }
    }

    fn claim(&self) -> bool {
        self.inner
            .budget
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(1))
            .is_ok()
    }

    fn write(&self, tree: &[String]) {
        let mut text = String::new();
        for line in tree {
            text.push_str(line);
            text.push('\n');
        }
        // Printing is best effort: a closed stdout must not fail the service.
        let _ = match &mut *self.inner.out.lock().unwrap_or_else(PoisonError::into_inner) {
            Output::Writer(out) => out.write_all(text.as_bytes()).and_then(|()| out.flush()),
            Output::Buffer(buffer) => buffer.write_all(text.as_bytes()),
        };
    }
}

impl<S> Layer<S> for TreePrinter
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn register_callsite(&self, _metadata: &'static Metadata<'static>) -> Interest {
        Interest::sometimes()
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let mut line = String::new();
        let depth = span.scope().skip(1).count();
        for _ in 0..depth {
            line.push_str("  ");
        }
        line.push_str(attrs.metadata().name());
        attrs.record(&mut FieldWriter(&mut line));

        let Some(root) = span.scope().from_root().next() else {
            return;
        };
        if root.id() == *id {
            if self.claim() {
                span.extensions_mut().insert(Tree(vec![line]));
                span.extensions_mut().insert(LineRef {
                    root: id.clone(),
                    index: 0,
                });
            }
            return;
        }
        let index = match root.extensions_mut().get_mut::<Tree>() {
            Some(tree) => {
                tree.0.push(line);
                tree.0.len() - 1
            }
            None => return,
        };
        span.extensions_mut().insert(LineRef { root: root.id(), index });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(id) else { return };
        let Some((root, index)) = span.extensions().get::<LineRef>().map(|at| (at.root.clone(), at.index)) else {
            return;
        };
        let Some(root) = ctx.span(&root) else { return };
        if let Some(line) = root
            .extensions_mut()
            .get_mut::<Tree>()
            .and_then(|tree| tree.0.get_mut(index))
        {
            values.record(&mut FieldWriter(line));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let tree = span.extensions_mut().remove::<Tree>();
        if let Some(tree) = tree {
            self.write(&tree.0);
        }
    }
}

/// Appends ` name=value` for each field: strings quoted, numbers and bools
/// bare, rendered values (UUIDs, lists) as rendered.
struct FieldWriter<'a>(&'a mut String);

impl Visit for FieldWriter<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}
