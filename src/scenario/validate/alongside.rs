//! Care alongside (`alongside = { service, p }`): a youth admitted to a service also gets
//! care in another segment at the same time, with probability `p`. Checked once every
//! service is valid, since the other service's segment and its own `alongside` matter: the
//! care alongside is in another segment (care in the same segment is a route, `next`), and
//! it is one episode next to the youth's own, never a chain of them.

use std::collections::HashMap;

use crate::model::{Alongside, Service, Target};
use crate::scenario::raw::{RawService, S};

use super::ctx::Ctx;

/// Checks each service's `alongside` and sets it on `services` (which match `raw` entry by
/// entry); `index` maps service ids to entries, `segments` names the segments.
pub(super) fn settle(
    cx: &mut Ctx,
    raw: &[S<RawService>],
    services: &mut [Service],
    index: &HashMap<String, usize>,
    segments: &[String],
) {
    let mut found: Vec<Option<Alongside>> = vec![None; services.len()];
    for (i, s) in raw.iter().enumerate() {
        let s = s.get_ref();
        let Some(a) = &s.alongside else {
            continue;
        };
        let id = s.id.get_ref();
        let f = |k: &str| format!("service '{id}'.alongside.{k}");
        let a = a.get_ref();
        let p = *a.p.get_ref();
        let p_ok = p.is_finite() && (0.0..=1.0).contains(&p);
        if !p_ok {
            cx.err(
                a.p.span(),
                &f("p"),
                format!(
                    "the share of youths admitted here who also get care alongside must be \
                     a probability between 0 and 1, got {p} (e.g. p = 0.3)"
                ),
            );
        }
        let to = a.service.get_ref();
        if to == id {
            cx.err(
                a.service.span(),
                &f("service"),
                "a service cannot run alongside itself: name a service of another segment \
                 (e.g. alongside = { service = \"aanvullend\", p = 0.3 } at a residential group)",
            );
            continue;
        }
        let Some(Target::Service(j)) = cx.target(&a.service, &f("service"), index, false) else {
            continue;
        };
        let (here, there) = (&services[i], &services[j.0 as usize]);
        if here.segment == there.segment {
            cx.err(
                a.service.span(),
                &f("service"),
                format!(
                    "'{to}' is in the same segment as '{id}' ('{}'): care alongside runs in \
                     another segment; care that follows in the same segment is a route \
                     (`next`)",
                    segments[here.segment.0 as usize]
                ),
            );
            continue;
        }
        if raw[j.0 as usize].get_ref().alongside.is_some() {
            cx.err(
                a.service.span(),
                &f("service"),
                format!(
                    "'{to}' has an `alongside` of its own: care alongside is one episode \
                     next to the youth's own, never a chain or a cycle; remove one of the two"
                ),
            );
            continue;
        }
        if p_ok {
            found[i] = Some(Alongside { to: j, p });
        }
    }
    for (svc, a) in services.iter_mut().zip(found) {
        svc.alongside = a;
    }
}
