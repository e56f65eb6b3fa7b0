//! The event calendar: a binary heap ordered by (time, insertion sequence).
//!
//! The clock never runs backwards: an event at a time before now, or at a time that is
//! not a number, is refused with a [`ScheduleError`] rather than moved or dropped.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One scheduled event. The key is the time's bits (monotone for the non-negative times
/// a calendar holds) and the insertion sequence, so integer comparisons order by time
/// and then FIFO. The [`BinaryHeap`] is a max-heap, so the order is reversed.
struct Entry<E> {
    key: (u64, u64),
    event: E,
}

impl<E> Entry<E> {
    #[inline]
    fn time(&self) -> f64 {
        f64::from_bits(self.key.0)
    }
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
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
pub struct Calendar<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: f64,
    processed: u64,
}

impl<E> Default for Calendar<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Calendar<E> {
    /// An empty calendar with the clock at 0.
    pub fn new() -> Self {
        Calendar {
            heap: BinaryHeap::with_capacity(1024),
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
        self.heap.push(Entry {
            // + 0.0 turns -0.0 into 0.0, so the key's bits order like the times
            key: ((time + 0.0).to_bits(), self.seq),
            event,
        });
        Ok(())
    }

    /// The time of the next event, if any.
    #[inline]
    pub fn peek_time(&self) -> Option<f64> {
        self.heap.peek().map(|e| e.time())
    }

    /// Pop the next event if it happens strictly before `until`, advancing the clock.
    #[inline]
    pub fn pop_before(&mut self, until: f64) -> Option<(f64, E)> {
        match self.heap.peek() {
            Some(top) if top.time() < until => {}
            _ => return None,
        }
        let entry = self.heap.pop()?;
        let t = entry.time();
        self.now = t;
        self.processed += 1;
        Some((t, entry.event))
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
