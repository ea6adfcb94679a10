//! `Capture` for `Option`, smart pointers, lists and maps.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::rc::Rc;
use std::sync::Arc;

use crate::record::capture::{Capture, DynCapture, ListValue, MapValue, Out};
use crate::shape::{Shape, ShapeBody, guarded};

impl<T: Capture> Capture for Option<T> {
    const LOOKS_FIRST: bool = T::LOOKS_FIRST;
    fn trusted() -> bool {
        T::trusted()
    }
    fn shape() -> Shape {
        guarded::<Self>(|| T::shape().renamed(std::any::type_name::<Self>()))
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        if let Some(value) = self {
            value.record(out);
        }
    }
}

/// Each pointer with how it records what it points to: a shared reference
/// through `record_through`, so `&str` can hand `tracing` the reference.
macro_rules! transparent_pointer {
    ($($ty:ty => $record:ident),*) => {$(
        impl<T: Capture + ?Sized> Capture for $ty {
            const LOOKS_FIRST: bool = T::LOOKS_FIRST;
            fn trusted() -> bool {
                T::trusted()
            }
            fn shape() -> Shape {
                guarded::<Self>(T::shape)
            }
            #[inline]
            fn record<'v>(&'v self, out: Out<'_, 'v>) {
                T::$record(self, out);
            }
        }
    )*};
}
transparent_pointer!(&T => record_through, &mut T => record, Box<T> => record, Rc<T> => record, Arc<T> => record);
// Slices are captured through `&[T]` (a sized list value); `[T]` itself is
// not `Capture`, which keeps the two impls apart.

fn list_shape<L: ?Sized, T: Capture>() -> Shape {
    guarded::<L>(|| Shape {
        type_name: std::any::type_name::<L>(),
        body: ShapeBody::List(Box::new(T::shape())),
    })
}

macro_rules! list {
    ($( [$($generics:tt)*] $ty:ty ),* $(,)?) => {$(
        impl<$($generics)*> ListValue for $ty {
            fn for_each_item<'v>(&'v self, each: &mut dyn FnMut(&'v dyn DynCapture) -> bool) {
                for item in self.iter() {
                    if !each(item) {
                        break;
                    }
                }
            }
        }

        impl<$($generics)*> Capture for $ty {
            fn trusted() -> bool {
        T::trusted()
    }
            fn shape() -> Shape {
                list_shape::<Self, T>()
            }
            #[inline]
            fn record<'v>(&'v self, out: Out<'_, 'v>) {
                out.list(self);
            }
        }
    )*};
}
list!(
    ['a, T: Capture] &'a [T],
    [T: Capture, const N: usize] [T; N],
    [T: Capture] Vec<T>,
    [T: Capture] VecDeque<T>,
    [T: Capture, S] HashSet<T, S>,
    [T: Capture] BTreeSet<T>,
);

/// Keys a map can be captured with: string-like types.
pub trait MapKey: Borrow<str> + Ord + Hash {}
impl MapKey for String {}
impl MapKey for &str {}
impl MapKey for Box<str> {}
impl MapKey for Arc<str> {}
impl MapKey for Rc<str> {}
impl MapKey for std::borrow::Cow<'_, str> {}

fn map_shape<M: ?Sized, V: Capture>() -> Shape {
    guarded::<M>(|| Shape {
        type_name: std::any::type_name::<M>(),
        body: ShapeBody::Map(Box::new(V::shape())),
    })
}

impl<K: MapKey, V: Capture, S: BuildHasher> MapValue for HashMap<K, V, S> {
    fn for_each_entry<'v>(&'v self, each: &mut dyn FnMut(&'v str, &'v dyn DynCapture) -> bool) {
        for (key, value) in self {
            if !each(key.borrow(), value) {
                break;
            }
        }
    }
    fn get<'v>(&'v self, key: &str) -> Option<&'v dyn DynCapture> {
        HashMap::get(self, key).map(|value| value as &dyn DynCapture)
    }
}

impl<K: MapKey, V: Capture, S: BuildHasher> Capture for HashMap<K, V, S> {
    fn trusted() -> bool {
        V::trusted()
    }
    fn shape() -> Shape {
        map_shape::<Self, V>()
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.map(self);
    }
}

impl<K: MapKey, V: Capture> MapValue for BTreeMap<K, V> {
    fn for_each_entry<'v>(&'v self, each: &mut dyn FnMut(&'v str, &'v dyn DynCapture) -> bool) {
        for (key, value) in self {
            if !each(key.borrow(), value) {
                break;
            }
        }
    }
    fn get<'v>(&'v self, key: &str) -> Option<&'v dyn DynCapture> {
        BTreeMap::get(self, key).map(|value| value as &dyn DynCapture)
    }
}

impl<K: MapKey, V: Capture> Capture for BTreeMap<K, V> {
    fn trusted() -> bool {
        V::trusted()
    }
    fn shape() -> Shape {
        map_shape::<Self, V>()
    }
    #[inline]
    fn record<'v>(&'v self, out: Out<'_, 'v>) {
        out.map(self);
    }
}
