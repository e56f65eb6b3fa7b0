//! The events of a replication and their 8-byte packing for the calendar.
//!
//! An event names a youth (with the youth's `epoch` when it was scheduled, so that events
//! overtaken by a change of state are recognised as stale), a service or a transition
//! window. Packed, it keeps the calendar entry at 24 bytes.

/// Bits for a youth's index in a packed event: at most `MAX_YOUTHS` youths at once.
pub(super) const YOUTH_BITS: u32 = 28;
/// The most youths a replication can hold at once (their indices fit `YOUTH_BITS`).
pub(super) const MAX_YOUTHS: usize = 1 << YOUTH_BITS;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Event {
    StayEnd {
        youth: u32,
        epoch: u32,
    },
    Breakdown {
        youth: u32,
        epoch: u32,
    },
    Renege {
        youth: u32,
        epoch: u32,
    },
    AgeOut {
        youth: u32,
        epoch: u32,
    },
    ReEnter {
        youth: u32,
        epoch: u32,
    },
    /// A referral delayed by a procurement transition reaches its service.
    Delayed {
        youth: u32,
        epoch: u32,
    },
    /// Planned capacity step `index` of a service.
    Step {
        service: u16,
        index: u32,
    },
    /// Monthly staffing round: attrition and hiring at every staffed service.
    StaffTick,
    /// Hires of a service become productive.
    StaffReady {
        service: u16,
    },
    /// Transition window `index` opens or closes.
    TransitionStart {
        index: u32,
    },
    TransitionEnd {
        index: u32,
    },
    Slice,
    /// A diverted youth is placed after all (the diversion failed); `epoch` is the token
    /// the youth kept for it.
    Placed {
        youth: u32,
        epoch: u32,
    },
    /// An open-ended service reviews its places.
    Review {
        service: u16,
    },
    /// `places` closed places of a service stop costing (their wind-down is over).
    Unwind {
        service: u16,
        places: u32,
    },
    /// Staff freed at a service have finished retraining (they are productive elsewhere).
    Retrained {
        service: u16,
    },
}

/// An [`Event`] packed into 8 bytes for the calendar: kind in the top 4 bits, then the
/// youth (`YOUTH_BITS` bits) and its epoch (32 bits), or a service (16 bits) and an index.
#[derive(Clone, Copy, Debug)]
pub(super) struct Packed(u64);

impl Event {
    #[inline]
    pub(super) fn pack(self) -> Packed {
        let two =
            |kind: u64, hi: u32, lo: u32| Packed((kind << 60) | ((hi as u64) << 32) | lo as u64);
        match self {
            Event::StayEnd { youth, epoch } => two(0, youth, epoch),
            Event::Breakdown { youth, epoch } => two(1, youth, epoch),
            Event::Renege { youth, epoch } => two(2, youth, epoch),
            Event::AgeOut { youth, epoch } => two(3, youth, epoch),
            Event::ReEnter { youth, epoch } => two(4, youth, epoch),
            Event::Delayed { youth, epoch } => two(5, youth, epoch),
            Event::Step { service, index } => two(6, service as u32, index),
            Event::StaffTick => two(7, 0, 0),
            Event::StaffReady { service } => two(8, service as u32, 0),
            Event::TransitionStart { index } => two(9, 0, index),
            Event::TransitionEnd { index } => two(10, 0, index),
            Event::Slice => two(11, 0, 0),
            Event::Placed { youth, epoch } => two(12, youth, epoch),
            Event::Review { service } => two(13, service as u32, 0),
            Event::Unwind { service, places } => two(14, service as u32, places),
            Event::Retrained { service } => two(15, service as u32, 0),
        }
    }
}

impl Packed {
    #[inline]
    pub(super) fn unpack(self) -> Event {
        let hi = ((self.0 >> 32) & ((1 << YOUTH_BITS) - 1)) as u32;
        let lo = self.0 as u32;
        match self.0 >> 60 {
            0 => Event::StayEnd {
                youth: hi,
                epoch: lo,
            },
            1 => Event::Breakdown {
                youth: hi,
                epoch: lo,
            },
            2 => Event::Renege {
                youth: hi,
                epoch: lo,
            },
            3 => Event::AgeOut {
                youth: hi,
                epoch: lo,
            },
            4 => Event::ReEnter {
                youth: hi,
                epoch: lo,
            },
            5 => Event::Delayed {
                youth: hi,
                epoch: lo,
            },
            6 => Event::Step {
                service: hi as u16,
                index: lo,
            },
            7 => Event::StaffTick,
            8 => Event::StaffReady { service: hi as u16 },
            9 => Event::TransitionStart { index: lo },
            10 => Event::TransitionEnd { index: lo },
            11 => Event::Slice,
            12 => Event::Placed {
                youth: hi,
                epoch: lo,
            },
            13 => Event::Review { service: hi as u16 },
            14 => Event::Unwind {
                service: hi as u16,
                places: lo,
            },
            _ => Event::Retrained { service: hi as u16 },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_youth_and_epoch_survive_packing() {
        let youth = (MAX_YOUTHS - 1) as u32;
        for e in [
            Event::StayEnd {
                youth,
                epoch: u32::MAX,
            },
            Event::Delayed { youth, epoch: 0 },
            Event::Step {
                service: u16::MAX,
                index: u32::MAX,
            },
            Event::StaffReady { service: 7 },
            Event::TransitionEnd { index: 3 },
            Event::Slice,
            Event::Placed {
                youth,
                epoch: u32::MAX,
            },
            Event::Review { service: 9 },
            Event::Unwind {
                service: u16::MAX,
                places: u32::MAX,
            },
            Event::Retrained { service: 2 },
        ] {
            assert_eq!(e.pack().unpack(), e);
        }
        // the kind sits above the youth bits: 4 + YOUTH_BITS + 32 = 64
        assert_eq!(4 + YOUTH_BITS + 32, 64);
    }
}
