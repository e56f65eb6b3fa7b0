// jeugdflow studio: drawing a road. The paths and events come from the server (the model's
// own capacity rules, src/model/sim/planned.rs); this script only draws them as SVG:
// a small chart per service (base grey, new blue; for staffed services FTE and the places
// they give, with the target, hiring cap and lead time) and the whole road as a timeline.
(function () {
  "use strict";
  var JF = window.JF = window.JF || {};
  var NS = "http://www.w3.org/2000/svg";
  var DAY = 86400000;

  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) { e.setAttribute(k, attrs[k]); }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function text(parent, x, y, s, attrs) {
    var a = { x: x, y: y };
    for (var k in attrs || {}) { a[k] = attrs[k]; }
    var t = el("text", a, parent);
    t.textContent = s;
    return t;
  }
  function ms(d) { return Date.parse(d + "T00:00:00Z"); }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }
  function num(v) {
    var s = (Math.round(v * 10) / 10).toString();
    return (document.body.dataset.lang === "nl") ? s.replace(".", ",") : s;
  }
  function niceMax(v) {
    if (!(v > 0)) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var m = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find(function (k) { return k * p >= v; });
    return m * p;
  }

  // the step path of points [[date, value], …] from start to end
  function stepPath(points, x, y, end) {
    if (!points || !points.length) { return ""; }
    var d = "M" + x(ms(points[0][0])).toFixed(1) + "," + y(points[0][1]).toFixed(1);
    for (var i = 1; i < points.length; i++) {
      d += "H" + x(ms(points[i][0])).toFixed(1) + "V" + y(points[i][1]).toFixed(1);
    }
    return d + "H" + x(end).toFixed(1);
  }
  // the axes of a panel: years below, 0 and the top value on the left, the unit above
  function frame(svg, x0, x1, y0, y1, start, end, max, label) {
    el("line", { x1: x0, y1: y1, x2: x1, y2: y1, class: "axis" }, svg);
    el("line", { x1: x0, y1: y0, x2: x0, y2: y1, class: "axis" }, svg);
    var first = new Date(start).getUTCFullYear() + 1, last = new Date(end - DAY).getUTCFullYear();
    for (var yr = first; yr <= last; yr++) {
      var t = Date.UTC(yr, 0, 1), xx = x0 + (x1 - x0) * (t - start) / (end - start);
      el("line", { x1: xx, y1: y1, x2: xx, y2: y1 + 3, class: "axis" }, svg);
      if ((last - first) < 8 || yr % 2 === 0) { text(svg, xx, y1 + 13, String(yr), { class: "tick", "text-anchor": "middle" }); }
    }
    text(svg, x0 - 3, y0 + 4, num(max), { class: "tick", "text-anchor": "end" });
    text(svg, x0 - 3, y1, "0", { class: "tick", "text-anchor": "end" });
    text(svg, x0 + 3, y0 - 4, label, { class: "unit" });
  }
  function lastValue(points) { return points && points.length ? points[points.length - 1][1] : null; }

  // one panel: the base and the new step paths of `key` ("places" or "fte")
  function panel(svg, box, base, now, key, label, extra) {
    var start = ms(JF.plan.start), end = ms(JF.plan.end) + DAY;
    var vals = [];
    [base, now].forEach(function (s) { if (s) { s[key].forEach(function (p) { vals.push(p[1]); }); } });
    (extra || []).forEach(function (e) { (e.points || []).forEach(function (p) { vals.push(p[1]); }); if (e.value != null) { vals.push(e.value); } });
    var max = niceMax(Math.max.apply(null, vals.concat([1])));
    var x = function (t) { return box.x0 + (box.x1 - box.x0) * (t - start) / (end - start); };
    var y = function (v) { return box.y1 - (box.y1 - box.y0) * v / max; };
    frame(svg, box.x0, box.x1, box.y0, box.y1, start, end, max, label);
    (extra || []).forEach(function (e) {
      if (e.points) { el("path", { d: stepPath(e.points, x, y, end), class: e.cls }, svg); }
      if (e.value != null) { el("line", { x1: box.x0, x2: box.x1, y1: y(e.value), y2: y(e.value), class: e.cls }, svg); }
    });
    if (base) { el("path", { d: stepPath(base[key], x, y, end), class: "base", "data-last": lastValue(base[key]) }, svg); }
    if (now) {
      var p = el("path", { d: stepPath(now[key], x, y, end), class: "new", "data-last": lastValue(now[key]) }, svg);
      p.setAttribute("data-points", JSON.stringify(now[key]));
    }
  }

  // the chart of one service into `fig`: `base` and `now` are its plans (either may be
  // missing), `pending` says the new line waits for the problems to be solved
  JF.drawService = function (fig, base, now, pending) {
    var T = JF.T || {};
    fig.innerHTML = "";
    var s = now || base;
    if (!s) { return; }
    var staffed = s.staffed;
    var W = 300, H = staffed ? 230 : 130;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img", class: "pathchart" }, null);
    var box = { x0: 34, x1: W - 8, y0: 16, y1: staffed ? 92 : 110 };
    if (s.unlimited || s.follows_demand) {
      text(svg, 10, 40, s.unlimited ? T.unlimited : T.follows_demand, { class: "unit" });
      svg.setAttribute("height", 60); svg.setAttribute("viewBox", "0 0 300 60");
      fig.appendChild(svg);
      return;
    }
    if (staffed) {
      var target = [];
      if (now && now.target.length) { target.push({ points: now.target, cls: "target" }); }
      panel(svg, box, base, now, "fte", T.fte, target);
      var b2 = { x0: 34, x1: W - 8, y0: 128, y1: 206 };
      panel(svg, b2, base, now, "places", T.places, [{ value: s.initial, cls: "initial" }]);
    } else {
      panel(svg, box, base, now, "places", T.places, [{ value: s.initial, cls: "initial" }]);
    }
    fig.appendChild(svg);
    var cap = document.createElement("figcaption");
    var parts = [];
    parts.push("<span class=\"k base\">━</span> " + T.chart_base + (now ? " <span class=\"k new\">━</span> " + T.chart_new : ""));
    if (staffed) {
      parts.push("<span class=\"k target\">┅</span> " + T.chart_target);
      var st = now || base;
      var hires = st.max_hires != null ? T.hires_cap + " " + num(st.max_hires) + " " + T.per_month : T.no_cap;
      var lead = st.lead_days || 0;
      parts.push(hires + "; " + T.lead + " " + num(lead) + " " + T.days + " (" + T.first_ready + " " +
                 iso(ms(JF.plan.start) + lead * DAY) + ")");
    }
    parts.push("<span class=\"k initial\">┄</span> " + T.chart_initial + " (" + s.initial + ")");
    if (pending) { parts.push("<span class=\"warn\">" + T.chart_pending + "</span>"); }
    cap.innerHTML = parts.join("<br>");
    fig.appendChild(cap);
    fig.dataset.drawn = String((fig.dataset.drawn | 0) + 1);
  };

  // the whole road as a timeline into `box`
  JF.drawTimeline = function (box, plan) {
    var T = JF.T || {};
    box.innerHTML = "";
    if (!plan) { return; }
    var start = ms(plan.start), end = ms(plan.end) + DAY;
    var W = Math.max(720, Math.min(1200, box.clientWidth || 960)), L = 190, R = 10;
    var x = function (t) { return L + (W - L - R) * (t - start) / (end - start); };
    var rows = [];
    var byId = {};
    plan.services.forEach(function (s) { byId[s.id] = s; });
    plan.segments.forEach(function (seg) {
      var wins = plan.windows.filter(function (w) { return w.segment === seg; });
      rows.push({ head: true, label: T.segment_word + " " + seg, windows: wins });
      plan.services.filter(function (s) { return s.segment === seg; }).forEach(function (s) {
        var steps = plan.steps.filter(function (k) { return k.service === s.id; });
        var div = plan.diversions.filter(function (d) { return d.service === s.id; });
        var targets = s.staffed && s.target.length > 1 ? s.target : [];
        if (steps.length || div.length || targets.length) {
          rows.push({ label: s.name, steps: steps, diversions: div, targets: targets });
        }
      });
    });
    var H = 28 + rows.length * 26 + 24;
    var svg = el("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, class: "timeline", role: "img" }, null);
    // years
    for (var yr = new Date(start).getUTCFullYear(); yr <= new Date(end).getUTCFullYear(); yr++) {
      var t = Date.UTC(yr, 0, 1);
      if (t >= start && t <= end) {
        el("line", { x1: x(t), x2: x(t), y1: 18, y2: H - 20, class: "grid" }, svg);
        text(svg, x(t) + 3, 14, String(yr), { class: "tick" });
      }
    }
    // quarters with more segments changing at once than the region manages
    plan.change_load.forEach(function (q, i) {
      if (q[1] > plan.max_concurrent) {
        var q0 = ms(q[0]), q1 = i + 1 < plan.change_load.length ? ms(plan.change_load[i + 1][0]) : end;
        var r = el("rect", { x: x(q0), y: 18, width: Math.max(1, x(q1) - x(q0)), height: H - 38, class: "overload" }, svg);
        el("title", {}, r).textContent = T.tl_overload + " (" + q[1] + ")";
      }
    });
    rows.forEach(function (row, i) {
      var y = 28 + i * 26;
      text(svg, row.head ? 4 : 14, y + 12, row.label, { class: row.head ? "rowhead" : "rowlabel" });
      (row.windows || []).forEach(function (w) {
        var r = el("rect", { x: x(ms(w.from)), y: y + 2, width: Math.max(2, x(ms(w.to)) - x(ms(w.from))), height: 16, class: "window" }, svg);
        el("title", {}, r).textContent = T.tl_window + " " + w.from + " – " + w.to + ": −" + num(w.capacity_loss * 100) + "% " + T.places + ", +" + num(w.referral_delay) + " " + T.days;
        text(svg, x(ms(w.from)) + 3, y + 14, T.tl_window, { class: "wlabel" });
      });
      (row.steps || []).forEach(function (k) {
        var closing = k.to < k.from;
        var at = ms(k.planned);
        var cls = closing ? "closing" : "opening";
        var mark = el("path", { d: closing ? "M-5,-4H5L0,5Z" : "M-5,4H5L0,-5Z", transform: "translate(" + x(at) + "," + (y + 10) + ")", class: cls }, svg);
        var tip = (closing ? T.tl_closing : T.tl_opening) + " " + k.planned + ": " + num(k.from) + " → " + num(k.to) + " " + T.places;
        if (k.gate) {
          tip += "; " + T.tl_waits + " " + k.gate[0] + " ≥ " + k.gate[1];
          var happens = k.happens ? ms(k.happens) : end;
          if (happens !== at) {
            el("line", { x1: x(at), x2: x(happens), y1: y + 10, y2: y + 10, class: "gatewait" }, svg);
            el("circle", { cx: x(happens), cy: y + 10, r: 4, class: "gate" }, svg);
          }
          tip += "; " + (k.happens ? T.tl_happens + " " + k.happens : T.tl_not_within);
        }
        el("title", {}, mark).textContent = tip;
        text(svg, x(at) + 6, y + 8, num(k.to), { class: "steplabel" });
      });
      (row.diversions || []).forEach(function (d) {
        var first = d.share.find(function (p) { return p[1] > 0; });
        if (!first) { return; }
        var m = el("rect", { x: x(ms(first[0])) - 4, y: y + 6, width: 8, height: 8, transform: "rotate(45 " + x(ms(first[0])) + " " + (y + 10) + ")", class: "divert" }, svg);
        el("title", {}, m).textContent = T.tl_divert + " " + d.to + ": " + d.share.map(function (p) { return p[0] + " " + num(p[1]); }).join(", ");
      });
      (row.targets || []).forEach(function (p, j) {
        if (j === 0) { return; }
        var c = el("circle", { cx: x(ms(p[0])), cy: y + 10, r: 4, class: "targetmark" }, svg);
        el("title", {}, c).textContent = T.tl_staff + " " + p[0] + ": " + num(p[1]);
      });
    });
    box.appendChild(svg);
    box.dataset.rows = String(rows.length);
  };

  // the road page: the plan is in the page
  var planEl = document.getElementById("plan");
  if (planEl) {
    var plan = JSON.parse(planEl.textContent);
    JF.plan = plan;
    JF.drawTimeline(document.getElementById("roadchart"), plan);
    var charts = document.getElementById("charts");
    plan.services.forEach(function (s) {
      var f = document.createElement("figure");
      f.className = "chart";
      var h = document.createElement("h3");
      h.textContent = s.name;
      f.appendChild(h);
      var inner = document.createElement("div");
      inner.dataset.chart = s.id;
      f.appendChild(inner);
      charts.appendChild(f);
      JF.drawService(inner, s, null, false);
    });
  }
})();
