//! The norm a pathway to care is judged against: what the recorder counts as a breach
//! (`over_norm_share` of segments and the region), kept here, below the model, so that the
//! statistics need not know the model; the model holds one per service
//! (`Service::pathway_norm`).

/// The norms of a care pathway that enters its segment (or care) at a service: the
/// treeknorm's two stages, referral → intake (the first admission) and intake → treatment
/// (the first admission that is not an assessment), or one norm on the whole time to care.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PathwayNorm {
    /// Days from referral to intake; with `treatment = None`, from referral to care.
    pub intake: f64,
    /// Days from intake to the start of treatment, when the norm has two stages.
    pub treatment: Option<f64>,
}

impl PathwayNorm {
    /// Whether a pathway broke the norm: `intake_wait` days from referral to the first
    /// admission and `to_care` days from referral to care. When the first admission was
    /// already care, the intake is not observed apart from it and the two stages are
    /// judged together (`to_care` against their sum).
    #[inline]
    pub fn broken(self, intake_wait: f64, to_care: f64) -> bool {
        match self.treatment {
            None => to_care > self.intake,
            Some(tr) if to_care <= intake_wait => to_care > self.intake + tr,
            Some(tr) => intake_wait > self.intake || to_care - intake_wait > tr,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pathway_breaks_either_stage_or_the_sum_when_care_came_first() {
        let two = PathwayNorm {
            intake: 28.0,
            treatment: Some(70.0),
        };
        // through an assessment: intake after 20 days, care 60 days after that
        assert!(!two.broken(20.0, 80.0));
        // intake after 30 days breaks the first stage, however quick the rest
        assert!(two.broken(30.0, 31.0));
        // 71 days from intake to care breaks the second stage
        assert!(two.broken(0.0, 71.0));
        // care at the first admission: the stages together, 98 days
        assert!(!two.broken(98.0, 98.0));
        assert!(two.broken(98.5, 98.5));
        let one = PathwayNorm {
            intake: 50.0,
            treatment: None,
        };
        assert!(!one.broken(0.0, 50.0));
        assert!(one.broken(0.0, 56.0));
    }
}
