//! The event calendar: a 4-ary min-heap ordered by (time, insertion sequence).
//!
//! The clock never runs backwards: an event at a time before now, or at a time that is
//! not a number, is refused with a [`ScheduleError`] rather than moved or dropped.

/// Children per node of the heap.
const ARITY: usize = 4;

/// One scheduled event: its time's bits (monotone for the non-negative times a calendar
/// holds) and its insertion sequence, so integer comparisons order by time and then FIFO.
#[derive(Clone, Copy)]
struct Entry<E> {
    time: u64,
    seq: u64,
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn time(&self) -> f64 {
        f64::from_bits(self.time)
    }

    /// Whether `self` runs before `other` (keys are unique: the sequence never repeats).
    /// Written without short-circuits, so choosing among children compiles to no branch.
    #[inline(always)]
    fn before(&self, other: &Self) -> bool {
        (self.time < other.time) | ((self.time == other.time) & (self.seq < other.seq))
    }
}

/// An event the calendar refused: its time is before the clock, or not a number.
#[derive(Clone, Copy, Debug, PartialEq, thiserror::Error)]
#[error("an event at day {time} cannot be scheduled: the clock is at day {now}")]
pub struct ScheduleError {
    /// The time asked for.
    pub time: f64,
    /// The clock when it was asked.
    pub now: f64,
}

/// A future event list with a clock. Times are days since the start of the run.
///
/// The list is a 4-ary min-heap kept by hand rather than [`std::collections::BinaryHeap`]:
/// half as many levels as a binary heap, with a node's children side by side in memory
/// (a large calendar — thousands of stays in progress — costs fewer cache misses); the
/// element moving through the heap stays in registers (the standard heap writes it and
/// reads it back, a stall on every push); pops take the hole at the root down to the
/// bottom first, choosing the earliest child without a branch. Keys are unique, so the
/// order of events is that of their (time, sequence) keys whatever the heap's layout.
pub struct Calendar<E> {
    heap: Vec<Entry<E>>,
    seq: u64,
    now: f64,
    processed: u64,
}

impl<E: Copy> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Copy> Calendar<E> {
    /// An empty calendar with the clock at 0.
    pub fn new() -> Self {
        Calendar {
            heap: Vec::with_capacity(1024),
            seq: 0,
            now: 0.0,
            processed: 0,
        }
    }

    /// The current time (the time of the event last popped).
    #[inline]
    pub fn now(&self) -> f64 {
        self.now
    }

    /// Number of events popped so far.
    pub fn processed(&self) -> u64 {
        self.processed
    }

    /// Number of events waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// Schedule `event` at absolute time `time`, which must be now or later. A time
    /// before now, or NaN, is refused (and nothing is scheduled).
    #[inline]
    pub fn schedule(&mut self, time: f64, event: E) -> Result<(), ScheduleError> {
        // refuses NaN too: it compares as neither before nor after now
        if time.partial_cmp(&self.now).is_none_or(|o| o.is_lt()) {
            return Err(ScheduleError {
                time,
                now: self.now,
            });
        }
        self.seq += 1;
        let entry = Entry {
            // + 0.0 turns -0.0 into 0.0, so the key's bits order like the times
            time: (time + 0.0).to_bits(),
            seq: self.seq,
            event,
        };
        // sift up: parents later than the new entry move down into the hole
        let hole = self.heap.len();
        self.heap.push(entry);
        self.sift_up(hole, entry);
        Ok(())
    }

    /// The time of the next event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.first().map(|e| e.time())
    }

    /// Pop the next event if it happens strictly before `until`, advancing the clock.
    #[inline]
    pub fn pop_before(&mut self, until: f64) -> Option<(f64, E)> {
        let top = match self.heap.first() {
            Some(top) if top.time() < until => *top,
            _ => return None,
        };
        let last = self.heap.pop()?;
        let n = self.heap.len();
        if n > 0 {
            // the hole at the root goes down to the bottom along the earliest children,
            // then the last entry rises from there to its place
            let mut hole = 0;
            loop {
                let first = ARITY * hole + 1;
                if first >= n {
                    break;
                }
                let child = if first + ARITY <= n {
                    let h = &self.heap[first..first + ARITY];
                    let a = usize::from(h[1].before(&h[0]));
                    let b = 2 + usize::from(h[3].before(&h[2]));
                    if h[b].before(&h[a]) {
                        first + b
                    } else {
                        first + a
                    }
                } else {
                    let mut best = first;
                    for c in first + 1..n {
                        if self.heap[c].before(&self.heap[best]) {
                            best = c;
                        }
                    }
                    best
                };
                self.heap[hole] = self.heap[child];
                hole = child;
            }
            self.sift_up(hole, last);
        }
        let t = top.time();
        self.now = t;
        self.processed += 1;
        Some((t, top.event))
    }

    /// Puts `entry` in the heap at `hole` or above: later parents move down into the hole.
    #[inline(always)]
    fn sift_up(&mut self, mut hole: usize, entry: Entry<E>) {
        while hole > 0 {
            let parent = (hole - 1) / ARITY;
            let p = self.heap[parent];
            if !entry.before(&p) {
                break;
            }
            self.heap[hole] = p;
            hole = parent;
        }
        self.heap[hole] = entry;
    }

    /// Move the clock to `time` (used at the end of a run).
    pub fn advance_to(&mut self, time: f64) {
        if time > self.now {
            self.now = time;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_order_with_fifo_ties() {
        let mut c = Calendar::new();
        for (t, e) in [
            (5.0, "late"),
            (1.0, "first"),
            (3.0, "tie-a"),
            (3.0, "tie-b"),
            (3.0, "tie-c"),
        ] {
            c.schedule(t, e).unwrap();
        }
        let order: Vec<_> = std::iter::from_fn(|| c.pop_before(f64::INFINITY))
            .map(|(_, e)| e)
            .collect();
        assert_eq!(order, ["first", "tie-a", "tie-b", "tie-c", "late"]);
        assert_eq!(c.processed(), 5);
        assert_eq!(c.now(), 5.0);
    }

    #[test]
    fn stops_at_horizon_and_never_goes_back() {
        let mut c = Calendar::new();
        c.schedule(2.0, 1).unwrap();
        c.schedule(10.0, 2).unwrap();
        assert_eq!(c.pop_before(5.0), Some((2.0, 1)));
        assert_eq!(c.pop_before(5.0), None);
        // scheduling in the past, or at no time at all, is refused and changes nothing
        assert_eq!(
            c.schedule(0.5, 3),
            Err(ScheduleError {
                time: 0.5,
                now: 2.0
            })
        );
        assert!(c.schedule(f64::NAN, 4).is_err());
        assert_eq!(c.len(), 1);
        // now itself is fine, and runs before later events
        c.schedule(2.0, 5).unwrap();
        assert_eq!(c.pop_before(5.0), Some((2.0, 5)));
        assert_eq!(c.now(), 2.0);
    }

    #[test]
    fn interleaved_pushes_and_pops_follow_time_then_insertion() {
        // a reference list sorted by (time, sequence) against the heap, over many ties
        let mut c = Calendar::new();
        let mut reference: Vec<(f64, u64)> = Vec::new();
        let mut x: u64 = 12345;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x >> 33
        };
        let mut seq = 0;
        for round in 0..5000 {
            for _ in 0..(next() % 3) {
                let t = c.now() + (next() % 8) as f64 * 0.5;
                seq += 1;
                c.schedule(t, seq).unwrap();
                reference.push((t, seq));
            }
            if round % 2 == 0 || next() % 2 == 0 {
                reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                let want = (!reference.is_empty()).then(|| reference.remove(0));
                assert_eq!(c.pop_before(f64::INFINITY), want);
            }
        }
        assert_eq!(c.len(), reference.len());
    }

    #[test]
    fn minus_zero_is_day_zero() {
        let mut c = Calendar::new();
        c.schedule(0.0, "zero").unwrap();
        c.schedule(-0.0, "minus zero").unwrap();
        c.schedule(1e-300, "tiny").unwrap();
        let order: Vec<_> = std::iter::from_fn(|| c.pop_before(1.0))
            .map(|(_, e)| e)
            .collect();
        assert_eq!(order, ["zero", "minus zero", "tiny"]);
    }
}
