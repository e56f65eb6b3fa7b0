//! `[[finance.income]]`: money a segment receives from outside the region — a national
//! programme's money for a road that builds what it pays for (the €176M for replacing
//! closed youth care, Rijksoverheid 11 Nov 2024) — as a yearly amount over time.

use crate::model::{Income, SegmentId};
use crate::scenario::raw::RawFinance;
use crate::scenario::raw::S;

use super::ctx::{Ctx, budget_euros, valid_id};

/// Every `[[finance.income]]`: a unique id, a known segment, euros a year (t).
pub(super) fn income(
    cx: &mut Ctx,
    fin: Option<&S<RawFinance>>,
    segments: &[String],
) -> Vec<Income> {
    let mut out: Vec<Income> = Vec::new();
    let Some(fin) = fin else {
        return out;
    };
    for (k, inc) in fin.get_ref().income.iter().enumerate() {
        let v = inc.get_ref();
        let id = v.id.get_ref();
        let f = |x: &str| format!("finance.income #{}.{x}", k + 1);
        let mut ok = true;
        if !valid_id(id) {
            cx.err(
                v.id.span(),
                &f("id"),
                format!("\"{id}\" is not a usable id; use letters, digits, '-' and '_'"),
            );
            ok = false;
        } else if out.iter().any(|i| &i.id == id) {
            cx.err(
                v.id.span(),
                &f("id"),
                format!("duplicate income id \"{id}\""),
            );
            ok = false;
        }
        let segment = segments.iter().position(|g| g == v.segment.get_ref());
        if segment.is_none() {
            cx.err(
                v.segment.span(),
                &f("segment"),
                format!(
                    "unknown segment \"{}\"; segments are the `segment` labels of services",
                    v.segment.get_ref()
                ),
            );
        }
        let per_year = cx.time_fn(&v.per_year, &f("per_year"), true, &budget_euros("income"));
        if let (true, Some(g), Some(per_year)) = (ok, segment, per_year) {
            out.push(Income {
                id: id.clone(),
                segment: SegmentId(g as u16),
                per_year,
            });
        }
    }
    out
}
