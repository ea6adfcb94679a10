//! Compile-time choice between "capturable" and "not capturable" for
//! generated code, without a `Capture` bound on the user's types.
//!
//! Method resolution tries `Probe<T>` (needs `T: Capture`) before
//! `&Probe<T>` (any `T`), so `(&Probe(&value)).caci_erase()` gives the value
//! when its type implements `Capture` and `None` otherwise. A generic `T`
//! without a `Capture` bound takes the second path.

use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;

use crate::method::MethodCall;
use crate::plan::{Input, InputType};
use crate::record::capture::{Capture, DynCapture, Erased, input_type_of};
use crate::record::error_type::ErrorType;
use crate::shape::Shape;

/// Wraps a reference for the probe traits.
pub struct Probe<'a, T: ?Sized>(pub &'a T);

/// The path taken when `T: Capture`.
pub trait ViaCapture<'a> {
    /// The value, erased.
    fn caci_erase(&self) -> Option<&'a dyn DynCapture>;
    /// The type's shape.
    fn caci_shape(&self) -> Shape;
    /// The value, erased with its type's identity, for an input.
    fn caci_erase_typed(&self) -> Option<Erased<'a>>;
    /// The type as a plan records it: the identity [`Erased`] carries, and
    /// whether its impl is trusted.
    fn caci_type_id(&self) -> Option<InputType>;
}

impl<'a, T: Capture> ViaCapture<'a> for Probe<'a, T> {
    #[inline]
    fn caci_erase(&self) -> Option<&'a dyn DynCapture> {
        Some(self.0)
    }
    // Not `always`: in a debug build each input would get the erasure's
    // code inline (about 170 bytes); optimised, it is inlined anyway.
    #[inline]
    fn caci_erase_typed(&self) -> Option<Erased<'a>> {
        Some(Erased::new(self.0))
    }
    fn caci_shape(&self) -> Shape {
        T::shape()
    }
    fn caci_type_id(&self) -> Option<InputType> {
        Some(input_type_of::<T>())
    }
}

/// The path taken for any other type.
pub trait ViaOpaque<'a> {
    /// Nothing: the type is not capturable.
    fn caci_erase(&self) -> Option<&'a dyn DynCapture>;
    /// An opaque shape carrying the type's name.
    fn caci_shape(&self) -> Shape;
    /// Nothing: the type is not capturable.
    fn caci_erase_typed(&self) -> Option<Erased<'a>>;
    /// None: nothing of the value is recorded.
    fn caci_type_id(&self) -> Option<InputType>;
}

impl<'a, T: ?Sized> ViaOpaque<'a> for &Probe<'a, T> {
    #[inline]
    fn caci_erase(&self) -> Option<&'a dyn DynCapture> {
        None
    }
    // Not `always`: in a debug build each input would get the erasure's
    // code inline (about 170 bytes); optimised, it is inlined anyway.
    #[inline]
    fn caci_erase_typed(&self) -> Option<Erased<'a>> {
        None
    }
    fn caci_shape(&self) -> Shape {
        Shape::opaque(std::any::type_name::<T>())
    }
    fn caci_type_id(&self) -> Option<InputType> {
        None
    }
}

/// An error's message, when its type implements `Display`.
pub trait ViaDisplay<'a> {
    /// The value as `Display`.
    fn caci_display(&self) -> Option<&'a dyn fmt::Display>;
}

impl<'a, T: fmt::Display> ViaDisplay<'a> for Probe<'a, T> {
    #[inline]
    fn caci_display(&self) -> Option<&'a dyn fmt::Display> {
        Some(self.0)
    }
}

/// No message for an error type without `Display`.
pub trait ViaNoDisplay<'a> {
    /// Nothing.
    fn caci_display(&self) -> Option<&'a dyn fmt::Display>;
}

impl<'a, T: ?Sized> ViaNoDisplay<'a> for &Probe<'a, T> {
    #[inline]
    fn caci_display(&self) -> Option<&'a dyn fmt::Display> {
        None
    }
}

/// An error's `error.type`, when its type implements [`ErrorType`]: the
/// name it gives (an enum's variant, an `io::Error`'s kind).
pub trait ViaErrorType<'a> {
    /// The error's name.
    fn caci_error_type(&self) -> &'static str;
}

impl<'a, T: ErrorType + ?Sized> ViaErrorType<'a> for Probe<'a, T> {
    #[inline]
    fn caci_error_type(&self) -> &'static str {
        self.0.error_type()
    }
}

/// Any other error type: its type's name.
pub trait ViaTypeName<'a> {
    /// The type's name.
    fn caci_error_type(&self) -> &'static str;
}

impl<'a, T: ?Sized> ViaTypeName<'a> for &Probe<'a, T> {
    #[inline]
    fn caci_error_type(&self) -> &'static str {
        std::any::type_name::<T>()
    }
}

/// A type without a value, for the probes that plan before any value exists
/// (a method's output shape, its descriptor's input shapes):
/// `(&TypeProbe::<T>::new()).caci_type_shape()` is `T::shape()` when
/// `T: Capture` and an opaque shape otherwise.
pub struct TypeProbe<T: ?Sized>(PhantomData<fn() -> *const T>);

impl<T: ?Sized> TypeProbe<T> {
    /// The probe for `T`.
    #[inline]
    pub const fn new() -> Self {
        TypeProbe(PhantomData)
    }
}

impl<T: ?Sized> Default for TypeProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The path taken when `T: Capture`.
pub trait TypeViaCapture {
    /// The type's shape.
    fn caci_type_shape(&self) -> Shape;
    /// How an input of this type is described: its shape and its type's
    /// identity (what [`ViaCapture::caci_type_id`] gives for a value).
    fn caci_input_of(&self) -> InputOf;
    /// The type's shape, as a function (the one [`caci_type_shape`](Self::caci_type_shape) calls).
    fn caci_shape_of(&self) -> fn() -> Shape;
}

impl<T: Capture + ?Sized> TypeViaCapture for TypeProbe<T> {
    fn caci_type_shape(&self) -> Shape {
        T::shape()
    }
    fn caci_input_of(&self) -> InputOf {
        |name, bound| {
            Input::new(name, T::shape())
                .typed(Some(input_type_of::<T>()))
                .bound_to(bound)
        }
    }
    fn caci_shape_of(&self) -> fn() -> Shape {
        T::shape
    }
}

/// The path taken for any other type.
pub trait TypeViaOpaque {
    /// An opaque shape carrying the type's name.
    fn caci_type_shape(&self) -> Shape;
    /// An input of this type: opaque, no value recorded.
    fn caci_input_of(&self) -> InputOf;
    /// The opaque shape, as a function.
    fn caci_shape_of(&self) -> fn() -> Shape;
}

impl<T: ?Sized> TypeViaOpaque for &TypeProbe<T> {
    fn caci_type_shape(&self) -> Shape {
        opaque_shape::<T>()
    }
    fn caci_input_of(&self) -> InputOf {
        |name, bound| Input::new(name, opaque_shape::<T>()).bound_to(bound)
    }
    fn caci_shape_of(&self) -> fn() -> Shape {
        opaque_shape::<T>
    }
}

fn opaque_shape<T: ?Sized>() -> Shape {
    Shape::opaque(std::any::type_name::<T>())
}

/// Describes one input of a method from its name and the identifiers its
/// pattern binds: what a descriptor's shapes are made of, one function per
/// input type (shared by every method with an input of that type).
pub type InputOf = fn(&'static str, &'static [&'static str]) -> Input;

/// An input's name, and the identifiers a pattern parameter binds (empty
/// for a plain name).
pub struct InputName {
    /// The name it is captured under.
    pub name: &'static str,
    /// What its pattern binds.
    pub bound: &'static [&'static str],
}

/// A method's inputs and output shape, as its descriptor gives them:
/// `inputs[i]` describes `names[i]`. Only called when a site is planned or
/// listed, so the per-method code is an array of function pointers.
pub fn describe(names: &[InputName], inputs: &[InputOf], output: Option<fn() -> Shape>) -> (Vec<Input>, Option<Shape>) {
    let inputs = names
        .iter()
        .zip(inputs)
        .map(|(input, of)| of(input.name, input.bound))
        .collect();
    (inputs, output.map(|shape| shape()))
}

/// A method's return type, for the type its output is captured as: a
/// `Result`'s `Ok` type, any other type itself.
/// `(&OutputProbe::<R>::new()).caci_ok_type()` is a [`TypeProbe`] of it.
pub struct OutputProbe<T: ?Sized>(PhantomData<fn() -> *const T>);

impl<T: ?Sized> OutputProbe<T> {
    /// The probe for `T`.
    #[inline]
    pub const fn new() -> Self {
        OutputProbe(PhantomData)
    }
}

impl<T: ?Sized> Default for OutputProbe<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The path taken for a `Result`.
pub trait OutputViaResult {
    /// The `Ok` type.
    type Ok;
    /// The `Err` type.
    type Err;
    /// The probe of the `Ok` type.
    fn caci_ok_type(&self) -> TypeProbe<Self::Ok>;
    /// The probe of the `Err` type: its fields are captured under `error.`.
    fn caci_err_type(&self) -> TypeProbe<Self::Err>;
}

impl<T, E> OutputViaResult for OutputProbe<Result<T, E>> {
    type Ok = T;
    type Err = E;
    fn caci_ok_type(&self) -> TypeProbe<T> {
        TypeProbe::new()
    }
    fn caci_err_type(&self) -> TypeProbe<E> {
        TypeProbe::new()
    }
}

/// The path taken for any other type.
pub trait OutputViaValue {
    /// The type itself.
    type Ok: ?Sized;
    /// The probe of the type itself.
    fn caci_ok_type(&self) -> TypeProbe<Self::Ok>;
    /// No error: an uninhabited type, captured as nothing.
    fn caci_err_type(&self) -> TypeProbe<Infallible>;
}

impl<T: ?Sized> OutputViaValue for &OutputProbe<T> {
    type Ok = T;
    fn caci_ok_type(&self) -> TypeProbe<T> {
        TypeProbe::new()
    }
    fn caci_err_type(&self) -> TypeProbe<Infallible> {
        TypeProbe::new()
    }
}

/// A returned value seen as an outcome: a `Result` is `Ok` or `Err`, any
/// other value is `Ok` (with an uninhabited error).
pub trait ViaResult<'a> {
    /// The `Ok` type.
    type Ok;
    /// The `Err` type.
    type Err;
    /// The value's outcome.
    fn caci_outcome(&self) -> Result<&'a Self::Ok, &'a Self::Err>;
}

impl<'a, T, E> ViaResult<'a> for Probe<'a, Result<T, E>> {
    type Ok = T;
    type Err = E;
    #[inline]
    fn caci_outcome(&self) -> Result<&'a T, &'a E> {
        self.0.as_ref()
    }
}

/// The path taken for any value that is not a `Result`.
pub trait ViaValue<'a> {
    /// The value's type.
    type Ok: ?Sized;
    /// Always `Ok`.
    fn caci_outcome(&self) -> Result<&'a Self::Ok, &'a Infallible>;
}

impl<'a, T: ?Sized> ViaValue<'a> for &Probe<'a, T> {
    type Ok = T;
    #[inline]
    fn caci_outcome(&self) -> Result<&'a T, &'a Infallible> {
        Ok(self.0)
    }
}

/// A failed call's error value, for the one probe that picks how it is
/// recorded: `(&&&&&&&&ErrorProbe(error)).caci_finish_error()` (eight `&`,
/// the traits [`FinishVia0`] to [`FinishVia7`] in scope) is the
/// [`finish_error`] for what its type
/// implements of [`ErrorType`], `Display` and [`Capture`]: one function per
/// error type, shared by every method that returns it, where three probes
/// per method used to be.
pub struct ErrorProbe<'a, E: ?Sized>(pub &'a E);

/// How a failed call with an error of type `E` is finished.
pub type FinishError<E> = fn(MethodCall, &E);

/// How an error is named in `error.type`: by its [`ErrorType`] or by its
/// type's name.
pub trait NameOf<E: ?Sized> {
    /// The error's name.
    fn name(error: &E) -> &'static str;
}

/// How an error's message is read: its `Display`, or none.
pub trait MessageOf<E: ?Sized> {
    /// The error as `Display`, when it is.
    fn message(error: &E) -> Option<&dyn fmt::Display>;
}

/// How an error's value is captured: as a [`Capture`], or not at all.
pub trait ValueOf<E: ?Sized> {
    /// The error, erased, when capturable.
    fn value(error: &E) -> Option<&dyn DynCapture>;
}

/// The markers [`finish_error`] is
/// instantiated with: what the error type implements.
pub mod via {
    /// Named by its `ErrorType`.
    pub struct ErrorTypeName;
    /// Named by its type.
    pub struct TypeName;
    /// Its message is its `Display`.
    pub struct Display;
    /// No message.
    pub struct NoMessage;
    /// Captured.
    pub struct Captured;
    /// Not captured.
    pub struct Opaque;
}

impl<E: ErrorType + ?Sized> NameOf<E> for via::ErrorTypeName {
    #[inline]
    fn name(error: &E) -> &'static str {
        error.error_type()
    }
}

impl<E: ?Sized> NameOf<E> for via::TypeName {
    #[inline]
    fn name(_: &E) -> &'static str {
        std::any::type_name::<E>()
    }
}

impl<E: fmt::Display> MessageOf<E> for via::Display {
    #[inline]
    fn message(error: &E) -> Option<&dyn fmt::Display> {
        Some(error)
    }
}

impl<E: ?Sized> MessageOf<E> for via::NoMessage {
    #[inline]
    fn message(_: &E) -> Option<&dyn fmt::Display> {
        None
    }
}

impl<E: Capture> ValueOf<E> for via::Captured {
    #[inline]
    fn value(error: &E) -> Option<&dyn DynCapture> {
        Some(error)
    }
}

impl<E: ?Sized> ValueOf<E> for via::Opaque {
    #[inline]
    fn value(_: &E) -> Option<&dyn DynCapture> {
        None
    }
}

/// Finishes `call`, failed with `error`: its `error.type` by `N`, its
/// message by `M`, its value by `V` (see
/// [`ErrorProbe`], which picks them). One
/// instantiation per error type, however many methods return it.
pub fn finish_error<E: ?Sized, N: NameOf<E>, M: MessageOf<E>, V: ValueOf<E>>(call: MethodCall, error: &E) {
    call.finish_err_with(N::name(error), M::message(error), V::value(error));
}

/// An error's name, message and value, as [`finish_error`] records them.
#[cfg(test)]
type ErrorParts<E> = (
    fn(&E) -> &'static str,
    for<'e> fn(&'e E) -> Option<&'e dyn fmt::Display>,
    for<'e> fn(&'e E) -> Option<&'e dyn DynCapture>,
);

/// Declares one level of the error probe: the trait, and its impl on
/// `ErrorProbe` under `$refs` references, for error types with `$bounds`.
/// A deeper level is tried first, so an error type gets the level of
/// exactly what it implements.
macro_rules! finish_via {
    ($trait:ident, ($($refs:tt)*), [$($bounds:tt)*], $name:ident, $message:ident, $value:ident) => {
        /// One level of [`ErrorProbe`]'s dispatch.
        pub trait $trait<E: ?Sized> {
            /// The function that finishes a call failed with this error.
            fn caci_finish_error(&self) -> FinishError<E>;
            /// What that function records, for the tests.
            #[cfg(test)]
            fn caci_error_parts(&self) -> ErrorParts<E>;
        }

        impl<'a, E: $($bounds)*> $trait<E> for $($refs)* ErrorProbe<'a, E> {
            #[inline]
            fn caci_finish_error(&self) -> FinishError<E> {
                finish_error::<E, via::$name, via::$message, via::$value>
            }
            #[cfg(test)]
            fn caci_error_parts(&self) -> ErrorParts<E> {
                (
                    <via::$name as NameOf<E>>::name,
                    <via::$message as MessageOf<E>>::message,
                    <via::$value as ValueOf<E>>::value,
                )
            }
        }
    };
}

finish_via!(FinishVia7, (&&&&&&&), [ErrorType + fmt::Display + Capture], ErrorTypeName, Display, Captured);
finish_via!(FinishVia6, (&&&&&&), [ErrorType + fmt::Display], ErrorTypeName, Display, Opaque);
finish_via!(FinishVia5, (&&&&&), [ErrorType + Capture], ErrorTypeName, NoMessage, Captured);
finish_via!(FinishVia4, (&&&&), [fmt::Display + Capture], TypeName, Display, Captured);
finish_via!(FinishVia3, (&&&), [ErrorType + ?Sized], ErrorTypeName, NoMessage, Opaque);
finish_via!(FinishVia2, (&&), [fmt::Display], TypeName, Display, Opaque);
finish_via!(FinishVia1, (&), [Capture], TypeName, NoMessage, Captured);
finish_via!(FinishVia0, (), [?Sized], TypeName, NoMessage, Opaque);

#[cfg(test)]
#[allow(clippy::needless_borrow)] // the borrow is what selects the path
mod tests {
    use super::*;

    struct NotCapturable;

    #[test]
    fn capturable_values_are_erased_and_others_are_not() {
        let flag = true;
        let other = NotCapturable;
        assert!((&Probe(&flag)).caci_erase().is_some());
        assert!((&Probe(&other)).caci_erase().is_none());
        assert_eq!((&Probe(&flag)).caci_shape().kind(), crate::Kind::Bool);
        assert_eq!((&Probe(&other)).caci_shape().kind(), crate::Kind::Opaque);
    }

    fn generic_without_bound<T>(value: &T) -> bool {
        (&Probe(value)).caci_erase().is_some()
    }

    #[test]
    fn unbounded_generics_take_the_opaque_path() {
        assert!(!generic_without_bound(&true));
    }

    #[test]
    fn types_are_probed_without_a_value() {
        assert_eq!((&TypeProbe::<bool>::new()).caci_type_shape().kind(), crate::Kind::Bool);
        assert_eq!(
            (&TypeProbe::<NotCapturable>::new()).caci_type_shape().kind(),
            crate::Kind::Opaque
        );
    }

    #[test]
    fn outputs_are_captured_as_their_ok_type() {
        let of_result = (&OutputProbe::<Result<bool, NotCapturable>>::new()).caci_ok_type();
        assert_eq!((&of_result).caci_type_shape().kind(), crate::Kind::Bool);
        let of_value = (&OutputProbe::<Option<bool>>::new()).caci_ok_type();
        assert_eq!(
            (&of_value).caci_type_shape().type_name,
            std::any::type_name::<Option<bool>>()
        );
        let opaque = (&OutputProbe::<Result<NotCapturable, bool>>::new()).caci_ok_type();
        assert_eq!((&opaque).caci_type_shape().kind(), crate::Kind::Opaque);
    }

    #[test]
    fn results_are_outcomes_and_other_values_are_ok() {
        let failed: Result<u8, &str> = Err("declined");
        assert_eq!((&Probe(&failed)).caci_outcome(), Err(&"declined"));
        let fine: Result<u8, &str> = Ok(3);
        assert_eq!((&Probe(&fine)).caci_outcome(), Ok(&3));
        assert_eq!((&Probe(&7u8)).caci_outcome(), Ok(&7));
    }

    #[test]
    fn errors_are_named_by_their_error_type_or_their_type() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert_eq!((&Probe(&io)).caci_error_type(), "std::io::ErrorKind::NotFound");
        assert_eq!(
            (&Probe(&NotCapturable)).caci_error_type(),
            std::any::type_name::<NotCapturable>()
        );
    }

    /// An error type implementing `ErrorType` (`E`), `Display` (`D`) and
    /// `Capture` (`C`) as its name says.
    macro_rules! error_kind {
        ($name:ident: $($implements:ident)*) => {
            #[derive(Debug)]
            struct $name;
            $(error_kind!(@ $implements $name);)*
        };
        (@ E $name:ident) => {
            impl ErrorType for $name {
                fn error_type(&self) -> &'static str {
                    "Named::Variant"
                }
            }
        };
        (@ D $name:ident) => {
            impl fmt::Display for $name {
                fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("the message")
                }
            }
        };
        (@ C $name:ident) => {
            impl Capture for $name {
                fn shape() -> Shape {
                    bool::shape()
                }
                fn record<'v>(&'v self, out: crate::Out<'_, 'v>) {
                    true.record(out);
                }
            }
        };
    }

    /// Asserts what the error probe picks for `$error`: its name (`true`:
    /// its `ErrorType`), whether it has a message and a captured value.
    macro_rules! assert_parts {
        ($error:expr, $by_error_type:expr, $message:expr, $value:expr) => {{
            #[allow(unused_imports)]
            use crate::__private::{
                FinishVia0 as _, FinishVia1 as _, FinishVia2 as _, FinishVia3 as _, FinishVia4 as _, FinishVia5 as _,
                FinishVia6 as _, FinishVia7 as _,
            };
            let error = $error;
            let (name, message, value) = (&&&&&&&&ErrorProbe(&error)).caci_error_parts();
            let expected = if $by_error_type {
                "Named::Variant"
            } else {
                std::any::type_name_of_val(&error)
            };
            assert_eq!(name(&error), expected, "{}", stringify!($error));
            assert_eq!(
                message(&error).map(|m| m.to_string()).as_deref(),
                $message.then_some("the message")
            );
            assert_eq!(value(&error).is_some(), $value, "{}", stringify!($error));
        }};
    }

    #[test]
    fn failed_calls_are_finished_by_what_their_error_type_implements() {
        error_kind!(All: E D C);
        error_kind!(NamedShown: E D);
        error_kind!(NamedCaptured: E C);
        error_kind!(ShownCaptured: D C);
        error_kind!(Named: E);
        error_kind!(Shown: D);
        error_kind!(Captured: C);
        error_kind!(Nothing:);
        assert_parts!(All, true, true, true);
        assert_parts!(NamedShown, true, true, false);
        assert_parts!(NamedCaptured, true, false, true);
        assert_parts!(ShownCaptured, false, true, true);
        assert_parts!(Named, true, false, false);
        assert_parts!(Shown, false, true, false);
        assert_parts!(Captured, false, false, true);
        assert_parts!(Nothing, false, false, false);
    }

    fn generic_error_parts<E: fmt::Debug>(error: &E) -> bool {
        #[allow(unused_imports)]
        use crate::__private::{
            FinishVia0 as _, FinishVia1 as _, FinishVia2 as _, FinishVia3 as _, FinishVia4 as _, FinishVia5 as _,
            FinishVia6 as _, FinishVia7 as _,
        };
        let (_, message, value) = (&&&&&&&&ErrorProbe(error)).caci_error_parts();
        message(error).is_some() || value(error).is_some()
    }

    #[test]
    fn unbounded_generic_errors_are_named_by_their_type_only() {
        assert!(!generic_error_parts(&std::io::Error::other("disk full")));
    }

    #[test]
    fn errors_have_a_message_only_with_display() {
        let io = std::io::Error::other("disk full");
        assert_eq!(
            (&Probe(&io)).caci_display().map(|m| m.to_string()),
            Some("disk full".to_owned())
        );
        assert!((&Probe(&NotCapturable)).caci_display().is_none());
    }
}
