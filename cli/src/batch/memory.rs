//! The batch's engine memory: one pool that every worker reserves from before an engine run, so
//! a batch on any number of cores stays inside one process budget (by default one engine run's,
//! [`Limits::engine_memory`](thumbprint_core::Limits::engine_memory)) instead of `jobs` of them.
//!
//! A file reserves what the engine's own model predicts for its set (see [`set_need`]) after
//! its bytes are read (an input is at most
//! [`Limits::max_input_bytes`](thumbprint_core::Limits::max_input_bytes), so `jobs` inputs are
//! small beside the engine's buffers) and before it is decoded; it waits while the others'
//! reservations leave too little. One reservation per worker, taken while holding none, so the
//! workers cannot deadlock; a need over the whole pool is cut to the pool (such a file runs
//! alone).
//!
//! No crate offers a weighted blocking semaphore for threads (tokio's is async, and the batch
//! runs on plain scoped threads): a mutex and a condition variable are enough.

use std::sync::{Condvar, Mutex, PoisonError};

use thumbprint_core::{Options, LIMITS};

/// A pool of bytes shared by a batch's workers.
#[derive(Debug)]
pub struct Pool {
    capacity: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// Bytes held from a [`Pool`] until dropped.
#[derive(Debug)]
pub struct Reservation<'a> {
    pool: &'a Pool,
    bytes: u64,
}

impl Pool {
    /// A pool of `capacity` bytes.
    pub fn new(capacity: u64) -> Self {
        Pool {
            capacity,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// The pool's size in bytes.
    pub fn capacity(&self) -> u64 {
        self.capacity
    }

    /// Waits until `bytes` (at most the whole pool) are free and holds them.
    pub fn reserve(&self, bytes: u64) -> Reservation<'_> {
        let bytes = bytes.min(self.capacity);
        // A poisoned lock only means a worker panicked holding it; the count is one integer.
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while *used + bytes > self.capacity {
            used = self
                .freed
                .wait(used)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *used += bytes;
        Reservation { pool: self, bytes }
    }

    /// Bytes held now.
    pub fn used(&self) -> u64 {
        *self.used.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        let mut used = self
            .pool
            .used
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        *used -= self.bytes;
        self.pool.freed.notify_all();
    }
}

/// What making `members` of `input` may hold at once, from the engine's model (nothing is
/// decoded): the largest member's predicted peak plus the decoded image a set shares between
/// its members, never more than one engine run's budget (a set never holds more: see
/// [`thumbprint_core::thumbnails`]). A member refused from its header needs only what opening
/// it took.
pub fn set_need(input: &[u8], members: &[Options]) -> u64 {
    let (mut peak, mut shared) = (0u64, 0u64);
    for member in members {
        let Ok(inspection) = thumbprint_core::inspect(input, member) else {
            continue;
        };
        let footprint = &inspection.footprint;
        let mut member_peak = if inspection.admitted {
            footprint.peak()
        } else {
            footprint.open
        };
        if let Some(fallback) = &inspection.fallback {
            // The reduced-scale decoder may hand the file to the full one.
            if fallback.peak() <= LIMITS.engine_memory {
                member_peak = member_peak.max(fallback.peak());
            }
        }
        peak = peak.max(member_peak);
        if inspection.admitted {
            shared = shared.max(footprint.decode);
        }
    }
    (peak + shared).min(LIMITS.engine_memory)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::time::Duration;

    #[test]
    fn reservations_never_exceed_the_pool() {
        let pool = Pool::new(100);
        let most = AtomicU64::new(0);
        std::thread::scope(|s| {
            for i in 0..8u64 {
                let (pool, most) = (&pool, &most);
                s.spawn(move || {
                    for _ in 0..20 {
                        let _held = pool.reserve(30 + i * 10);
                        most.fetch_max(pool.used(), Ordering::SeqCst);
                        std::thread::sleep(Duration::from_micros(200));
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 100);
        assert!(most.load(Ordering::SeqCst) >= 60, "two at once fit");
        assert_eq!(pool.used(), 0, "everything given back");
    }

    #[test]
    fn a_need_over_the_pool_runs_alone() {
        let pool = Pool::new(100);
        let held = pool.reserve(1_000);
        assert_eq!(pool.used(), 100);
        drop(held);
        assert_eq!(pool.used(), 0);
    }

    #[test]
    fn a_set_needs_its_largest_member_plus_the_shared_image() {
        let png = thumbprint_tests_png(2000, 1500);
        let one = [Options::default()];
        let four: Vec<Options> = [160, 320, 640, 1280]
            .into_iter()
            .map(Options::new)
            .collect();
        let single = set_need(&png, &one);
        let set = set_need(&png, &four);
        assert!(single >= 2000 * 1500 * 3, "the decoded image at least");
        assert!(set > single, "a set keeps the shared image beside a member");
        assert!(set <= LIMITS.engine_memory);
        assert_eq!(set_need(b"not an image", &four), 0);
    }

    /// An opaque grey PNG encoded by the image crate.
    fn thumbprint_tests_png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([90, 120, 150]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, image::ImageFormat::Png)
            .map(|()| out.into_inner())
            .unwrap_or_default()
    }
}
