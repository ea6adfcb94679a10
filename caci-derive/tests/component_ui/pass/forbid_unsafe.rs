//! A crate that forbids `unsafe` and denies every warning still wraps its
//! methods: the gate's asm is inside caci-core's macro, not in the user's
//! tokens.
#![forbid(unsafe_code)]
#![deny(warnings)]

/// A component.
pub struct Service {
    seats: u32,
}

#[caci_core::component]
impl Service {
    /// Read through the asm gate (a site `const` of a non-generic impl).
    pub fn seats(&self, added: u32) -> u32 {
        self.seats + added
    }

    /// Inlined: the gate's `sym` is named wherever it is.
    #[inline]
    pub fn inlined(&self) -> u32 {
        self.seats
    }

    #[cfg(any())]
    fn configured_out(&self) -> u32 {
        self.seats
    }
}

/// A generic component: its sites stay in its methods.
pub struct Pool<T>(T);

#[caci_core::component]
impl<T: Copy> Pool<T> {
    /// Wrapped in a generic impl.
    pub fn get(&self, index: u32) -> T {
        let _ = index;
        self.0
    }
}

/// Wrapped free function.
#[caci_core::instrument_fn(component = "Free")]
pub fn free(plan: u8) -> u8 {
    plan
}

fn main() {
    let service = Service { seats: 1 };
    let _ = service.seats(1);
    let _ = service.inlined();
    let _ = Pool(3u8).get(0);
    let _ = free(1);
}
