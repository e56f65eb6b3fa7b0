// jeugdflow studio: the strategy editor. Every edit sends all fields to /api/check and
// shows the answer: each problem on its cell, the file, and each service's planned path
// redrawn (base and new). Work is never lost: an unsaved draft is kept in the browser's
// storage on every edit and offered back when the page opens again, and leaving with
// unsaved changes asks first. Saving goes in place for the studio's own roads; over a
// file others extend only after the page has listed what changes in them.
(function () {
  "use strict";
  var JF = window.JF;
  var T = JF.T, lang = JF.lang;
  var $ = function (s) { return document.querySelector(s); };
  var form = $("#editor");
  if (!form) { return; }
  var last = null;      // the last check's answer
  var clean = null;     // the state as last saved (or as the page opened)

  // ── the fields ──────────────────────────────────────────────────────────────────────
  function collect() {
    var edits = {};
    form.querySelectorAll("[data-key]").forEach(function (el) {
      var k = el.dataset.key;
      if (el.tagName === "TABLE") {
        edits[k] = Array.prototype.map.call(el.tBodies[0].rows, function (tr) {
          return Array.prototype.map.call(tr.querySelectorAll("input,select"), function (i) { return i.value; });
        });
      } else if (el.type === "checkbox") {
        edits[k] = el.checked;
      } else {
        edits[k] = el.value;
      }
    });
    return edits;
  }
  function state() {
    return { name: $("#name").value, description: $("#description").value, edits: collect() };
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function request(extra) {
    var s = state();
    var p = { base: form.dataset.base, name: s.name, description: s.description, lang: lang, edits: s.edits };
    if (form.dataset.road) { p.road = form.dataset.road; }
    for (var k in extra) { p[k] = extra[k]; }
    return p;
  }
  // puts a saved state back into the fields; returns the keys the page no longer has
  function fill(s) {
    var missing = [];
    if (!$("#name").readOnly) { $("#name").value = s.name; }
    $("#description").value = s.description;
    Object.keys(s.edits).forEach(function (k) {
      var el = form.querySelector('[data-key="' + CSS.escape(k) + '"]');
      var v = s.edits[k];
      if (!el) { missing.push(k); return; }
      if (el.tagName === "TABLE") {
        var body = el.tBodies[0];
        while (body.rows.length) { body.deleteRow(0); }
        (v || []).forEach(function (row) {
          var tr = el.tFoot.rows[0].cloneNode(true);
          tr.querySelectorAll("input,select").forEach(function (i, n) { i.value = row[n] == null ? "" : row[n]; });
          body.appendChild(tr);
        });
      } else if (el.type === "checkbox") {
        el.checked = !!v;
      } else {
        el.value = v;
      }
    });
    return missing;
  }

  // ── drafts: kept in the browser on every edit, offered back on opening ──────────────
  function draftKey() {
    return "jeugdflow-draft:" + (form.dataset.road ? "road:" + form.dataset.road : "base:" + form.dataset.base);
  }
  function dirty() { return clean !== null && !same(state(), clean); }
  function indicate() {
    var d = dirty();
    $("#dirty").textContent = d ? T.unsaved : T.all_saved;
    form.dataset.dirty = d ? "yes" : "no";
    return d;
  }
  function keepDraft() {
    var d = indicate();
    try {
      if (d) { localStorage.setItem(draftKey(), JSON.stringify({ at: Date.now(), state: state() })); }
      else { localStorage.removeItem(draftKey()); }
    } catch (e) { /* storage full or off: the leave warning still protects the work */ }
  }
  window.addEventListener("beforeunload", function (ev) {
    if (dirty()) { ev.preventDefault(); ev.returnValue = T.leave_warning; return T.leave_warning; }
  });
  function offerDraft() {
    var raw = null;
    try { raw = localStorage.getItem(draftKey()); } catch (e) { raw = null; }
    if (!raw) { return; }
    var d;
    try { d = JSON.parse(raw); } catch (e) { return; }
    if (!d || !d.state || same(d.state, clean)) { return; }
    var when = new Date(d.at);
    $("#drafttext").textContent = T.draft_found + " " + when.toLocaleString(lang === "nl" ? "nl-NL" : "en-GB") + ".";
    $("#draftbar").hidden = false;
    $("#draftrestore").onclick = function () {
      var missing = fill(d.state);
      $("#draftbar").hidden = true;
      var note = T.draft_restored + (missing.length ? " " + missing.length + " " + T.draft_dropped + " " + missing.join(", ") : "");
      $("#saved").textContent = note;
      check();
      keepDraft();
    };
    $("#draftdiscard").onclick = function () {
      try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ }
      $("#draftbar").hidden = true;
    };
  }

  // ── the answer of a check, on the page ──────────────────────────────────────────────
  function serviceOf(el) {
    var d = el.closest("details.svc");
    return d ? d.dataset.svc : null;
  }
  function show(c) {
    last = c;
    form.querySelectorAll(".cellmsg").forEach(function (e) { e.remove(); });
    form.querySelectorAll(".bad").forEach(function (e) { e.classList.remove("bad"); });
    var troubled = {};
    var msgs = c.messages || {};
    document.querySelectorAll(".msg[data-for]").forEach(function (d) {
      if (d.closest("#runform,#compareform")) { return; }
      var m = msgs[d.dataset.for];
      d.textContent = m ? m.join("\n") : "";
      var holder = d.closest(".field");
      if (holder) { holder.classList.toggle("bad", !!m); }
      if (m) { var s = serviceOf(d); if (s) { troubled[s] = true; } }
    });
    Object.keys(msgs).forEach(function (k) {
      var i = k.indexOf("#");
      if (i < 0) { return; }
      var rc = k.slice(i + 1).split("."), r = +rc[0], col = rc[1];
      var table = form.querySelector('table[data-key="' + CSS.escape(k.slice(0, i)) + '"]');
      var row = table && table.tBodies[0].rows[r];
      var input = row && row.querySelector('[data-col="' + col + '"]');
      if (!input) { return; }
      input.classList.add("bad");
      var m = document.createElement("div");
      m.className = "cellmsg"; m.textContent = msgs[k].join("\n");
      input.parentNode.appendChild(m);
      var s = serviceOf(table); if (s) { troubled[s] = true; }
    });
    $("#general").textContent = (c.general || []).join("\n");
    $("#warnings").textContent = (c.warnings || []).join("\n");
    $("#toml").textContent = c.toml || "";
    $("#state").textContent = c.ok ? T.ok : T.problems;
    $("#state").className = c.ok ? "ok" : "err";
    form.dataset.checked = c.ok ? "ok" : "bad";
    form.dataset.checks = String((form.dataset.checks | 0) + 1);
    badges(troubled);
    draw();
  }
  // per service: changed since saved, or with a problem; in its heading and the jump list
  function badges(troubled) {
    var now = collect();
    form.querySelectorAll("details.svc").forEach(function (d) {
      var changed = false;
      d.querySelectorAll("[data-key]").forEach(function (el) {
        var k = el.dataset.key;
        if (clean && !same(now[k], clean.edits[k])) { changed = true; }
      });
      var b = d.querySelector(".badges");
      var html = "";
      if (changed) { html += " <span class=\"badge own\">" + T.changed + "</span>"; }
      if (troubled[d.dataset.svc]) { html += " <span class=\"badge bad\">" + T.problem_badge + "</span>"; }
      if (b) { b.innerHTML = html; }
      var link = document.querySelector('nav.jump a[data-svc="' + CSS.escape(d.dataset.svc) + '"]');
      if (link) { link.className = (troubled[d.dataset.svc] ? "bad " : "") + (changed ? "changed" : ""); }
    });
  }
  // each service's chart: the base's path and the draft's, from the last check
  function draw() {
    if (!last || !last.plan || !last.plan.base) { return; }
    JF.plan = last.plan.base;
    var base = {}, now = {};
    last.plan.base.services.forEach(function (s) { base[s.id] = s; });
    if (last.plan.new) { last.plan.new.services.forEach(function (s) { now[s.id] = s; }); }
    form.querySelectorAll("figure.chart[data-chart]").forEach(function (fig) {
      var id = fig.dataset.chart;
      JF.drawService(fig, base[id], now[id], !last.plan.new);
    });
    if (!$("#tab-road").hidden) { JF.drawTimeline($("#roadchart"), last.plan.new || last.plan.base); }
  }

  var timer = null, seq = 0;
  function check() {
    var mine = ++seq;
    form.dataset.checked = "pending";
    $("#state").textContent = T.checking;
    JF.post("/api/check", request({})).then(function (r) {
      if (mine !== seq) { return; }
      if (r[0] === 200) { show(r[1]); } else { $("#state").textContent = JF.said(r[1]); $("#state").className = "err"; }
    });
  }
  function later() { keepDraft(); clearTimeout(timer); timer = setTimeout(check, 250); }

  // ── saving: in place, as new, over a file others extend ─────────────────────────────
  function saved(j) {
    show(j.checked);
    clean = state();
    var wasKey = draftKey();
    try { localStorage.removeItem(wasKey); } catch (e) { /* nothing kept */ }
    // from now on this is the road, changed in place
    form.dataset.road = j.saved;
    $("#name").readOnly = true;
    history.replaceState(history.state, "", j.edit);
    keepDraft();
    var out = $("#saved");
    out.textContent = T.saved + " " + j.saved + " ";
    var a = document.createElement("a");
    a.href = j.run; a.className = "btn primary"; a.id = "runit"; a.textContent = T.run_it;
    out.appendChild(a);
    versions(j.versions);
  }
  function ask(j, retry) {
    var box = $("#dependants");
    $("#deptitle").textContent = j.error;
    var list = $("#deplist");
    list.innerHTML = "";
    (j.dependants || []).forEach(function (d) {
      var li = document.createElement("li");
      var h = document.createElement("b"); h.textContent = d.name + " (" + d.file + ")";
      li.appendChild(h);
      var ul = document.createElement("ul");
      (d.broken ? [T.broken + " " + d.broken] : d.changes).forEach(function (c) {
        var x = document.createElement("li"); x.textContent = c;
        if (d.broken) { x.className = "err"; }
        ul.appendChild(x);
      });
      li.appendChild(ul);
      list.appendChild(li);
    });
    box.hidden = false;
    $("#depyes").onclick = function () { box.hidden = true; retry(); };
    $("#depno").onclick = function () { box.hidden = true; };
  }
  function save(opts) {
    $("#saved").textContent = "";
    JF.onField("name", "");
    JF.post("/api/save", request(opts)).then(function (r) {
      var s = r[0], j = r[1];
      if (s === 200) { saved(j); }
      else if (s === 409 && j.dependants) {
        ask(j, function () { save({ overwrite: !!opts.overwrite, confirm: true }); });
      } else if (s === 409 && j.exists) {
        if (window.confirm(j.error)) { save({ overwrite: true }); }
      } else if (j.checked) {
        show(j.checked);
        $("#saved").textContent = JF.said(j);
      } else {
        var slot = form.querySelector('.msg[data-for="name"]');
        if (j.field === "name" && slot) { slot.textContent = j.error; }
        $("#saved").textContent = JF.said(j);
      }
    });
  }

  // ── earlier versions of a road ──────────────────────────────────────────────────────
  function versions(list) {
    var ul = $("#versions");
    if (!ul) { return; }
    if (!list) {
      JF.get("/api/versions?road=" + encodeURIComponent(ul.dataset.road)).then(function (r) {
        if (r[0] === 200) { versions(r[1]); }
      });
      return;
    }
    ul.innerHTML = "";
    if (!list.length) { var li0 = document.createElement("li"); li0.textContent = T.no_versions; ul.appendChild(li0); }
    list.forEach(function (v) {
      var li = document.createElement("li");
      li.textContent = v.when + " ";
      var b = document.createElement("button");
      b.type = "button"; b.className = "restore"; b.dataset.version = v.id; b.textContent = T.restore_version;
      b.onclick = function () { if (window.confirm(T.restore_confirm)) { restore(v.id, false); } };
      li.appendChild(b);
      ul.appendChild(li);
    });
  }
  function restore(id, confirm) {
    JF.post("/api/restore", { road: $("#versions").dataset.road, version: id, confirm: confirm, lang: lang }).then(function (r) {
      var j = r[1];
      if (r[0] === 200) {
        try { localStorage.removeItem(draftKey()); } catch (e) { /* nothing kept */ }
        clean = state();  // nothing to protect: the page reloads with the version restored
        $("#saved").textContent = T.restored;
        location.href = j.edit;
      } else if (r[0] === 409 && j.dependants) {
        ask(j, function () { restore(id, true); });
      } else {
        $("#saved").textContent = JF.said(j);
      }
    });
  }

  // ── finding your way: tabs, jump list, search ───────────────────────────────────────
  document.querySelectorAll("button.tab").forEach(function (b) {
    b.addEventListener("click", function () {
      document.querySelectorAll("button.tab").forEach(function (x) { x.classList.toggle("on", x === b); });
      $("#tab-services").hidden = b.dataset.tab !== "services";
      $("#tab-road").hidden = b.dataset.tab !== "road";
      draw();
    });
  });
  document.querySelectorAll("nav.jump a[data-svc]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var d = document.getElementById(a.getAttribute("href").slice(1));
      if (!d) { return; }
      $("#tab-services").hidden = false; $("#tab-road").hidden = true;
      document.querySelectorAll("button.tab").forEach(function (x) { x.classList.toggle("on", x.dataset.tab === "services"); });
      d.open = true;
      d.scrollIntoView({ block: "start" });
    });
  });
  $("#find").addEventListener("input", function () {
    var q = this.value.trim().toLowerCase();
    form.querySelectorAll("details.svc").forEach(function (d) {
      var hit = !q || d.dataset.name.indexOf(q) >= 0 || d.dataset.svc.indexOf(q) >= 0;
      d.hidden = !hit;
      if (q && hit) { d.open = true; }
    });
    document.querySelectorAll("nav.jump a[data-svc]").forEach(function (a) {
      var d = document.getElementById(a.getAttribute("href").slice(1));
      a.parentNode.hidden = !!(d && d.hidden);
    });
    form.querySelectorAll("h2.seg").forEach(function (h) {
      var n = h.nextElementSibling, any = false;
      while (n && n.tagName === "DETAILS" && n.id.indexOf("svc-") === 0) { if (!n.hidden) { any = true; } n = n.nextElementSibling; }
      h.hidden = !any;
    });
  });

  var saveAsNew = $("#saveasnew");
  if (saveAsNew) {
    saveAsNew.addEventListener("click", function () {
      form.dataset.road = "";
      $("#name").readOnly = false;
      $("#name").value = $("#name").value + "-2";
      $("#name").focus();
      saveAsNew.hidden = true;
      later();
    });
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("click", function (ev) {
    var b = ev.target;
    if (b.classList.contains("del")) {
      b.closest("tr").remove(); later();
    } else if (b.classList.contains("add")) {
      var table = b.previousElementSibling;
      table.tBodies[0].appendChild(table.tFoot.rows[0].cloneNode(true)); later();
    }
  });
  $("#save").addEventListener("click", function () { save({}); });
  clean = state();
  indicate();
  offerDraft();
  versions(null);
  check();
})();
