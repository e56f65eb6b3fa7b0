//! Checks a [`RawFile`] completely and builds the [`Model`].
//!
//! Every problem is collected (not just the first), each pointing at the value at fault.
//! One file per part of the schema under `validate/`, all sharing the context and the
//! common checks of [`ctx`]; this function only runs them in order. The order is part of
//! the contract: problems are reported in the order they are found here.
//!
//! Services are referred to by their *entry number*, the position of their `[[service]]`
//! in the file, whether or not that entry is valid; so a bad service can never make
//! another section check or change the wrong one.

mod alongside;
mod ctx;
mod finance;
mod graph;
mod horizon;
mod income;
mod inflows;
mod placement;
pub(crate) mod scenario;
mod schedules;
mod services;
mod staff;
mod transformation;
mod transitions;

use crate::model::Model;
use crate::timeline::Timeline;

use super::ScenarioError;
use super::chain::Chain;
use super::raw::RawFile;
use ctx::Ctx;

/// Validates everything and builds the model, or returns every problem found.
pub fn validate(src: &Chain, raw: RawFile) -> Result<Model, ScenarioError> {
    let mut cx = Ctx::new(src);
    let sc = raw.scenario.get_ref();
    let settings = scenario::settings(&mut cx, sc);
    let interval = scenario::interval(&mut cx, raw.report.as_ref());
    let flag_over_norm_share = scenario::flag_over_norm_share(&mut cx, raw.report.as_ref());
    let ids = services::ids(&mut cx, &raw);
    let profiles = inflows::profiles(&mut cx, &raw, &ids.index);
    let mut services = services::services(
        &mut cx,
        &raw.service,
        &ids,
        &profiles.index,
        profiles.los_over,
        profiles.next_over,
    );
    schedules::schedules(&mut cx, &raw, &ids.index, &mut services);
    let transitions = transitions::transitions(&mut cx, &raw.transition, &ids.segments);
    let max_concurrent = scenario::max_concurrent(&mut cx, sc);
    let change_load_penalty = scenario::change_load_penalty(&mut cx, sc);
    let limits = scenario::limits(&mut cx, sc);
    let mut finance = finance::finance(
        &mut cx,
        raw.finance.as_ref(),
        &ids.segments,
        &profiles.list,
        &ids.index,
    );
    finance.income = income::income(&mut cx, raw.finance.as_ref(), &ids.segments);
    let risk = scenario::risk(&mut cx, raw.report.as_ref());
    let inflows = inflows::inflows(&mut cx, &raw.inflow, &ids.index, &profiles.index);

    // the network as a whole, once every part is valid
    let all_services = services.into_iter().collect::<Option<Vec<_>>>();
    let mut services = cx.checked(all_services, raw.scenario.span(), "service")?;
    graph::check(&mut cx, &raw.service, &raw.profile, &services, &inflows);
    alongside::settle(
        &mut cx,
        &raw.service,
        &mut services,
        &ids.index,
        &ids.segments,
    );
    staff::release_targets(&mut cx, &raw.service, &services);
    placement::network(&mut cx, &raw.service, &services);
    transformation::qualify(&mut finance.grant, &services, settings.horizon_days as f64);

    let horizon = cx.start.filter(|_| cx.end.is_some());
    let start = cx.checked(horizon, sc.start.span(), "scenario.start")?;
    let horizon_days = settings.horizon_days;
    let timeline = Timeline::new(start, horizon_days, settings.warmup, interval);
    let change_load = transitions::change_load(start, horizon_days, &transitions);
    Ok(Model {
        name: settings.name,
        description: sc.description.clone().unwrap_or_default(),
        timeline,
        seed: settings.seed,
        replications: settings.replications,
        segments: ids.segments,
        services,
        inflows,
        profiles: profiles.list,
        transitions,
        change_load,
        max_concurrent,
        change_load_penalty,
        finance,
        flag_over_norm_share,
        notes: cx.notes(),
        risk,
        limits,
    })
}
