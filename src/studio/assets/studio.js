// jeugdflow studio: the little script behind the pages (no framework, nothing from the
// network). The editor sends every field to /api/check on each edit and shows the answers
// beside the fields; runs and comparisons are queued and polled until their report is ready.
(function () {
  "use strict";
  var $ = function (s) { return document.querySelector(s); };
  var lang = document.body.dataset.lang || "nl";
  var textsEl = $("#texts");
  var T = textsEl ? JSON.parse(textsEl.textContent) : {};

  function post(url, payload) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return [r.status, j]; });
    });
  }

  // ── the strategy editor ────────────────────────────────────────────────────────────
  var form = $("#editor");
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
  function request(extra) {
    var p = { base: form.dataset.base, name: $("#name").value, description: $("#description").value,
              lang: lang, edits: collect() };
    for (var k in extra) { p[k] = extra[k]; }
    return p;
  }
  function show(c) {
    document.querySelectorAll(".msg[data-for]").forEach(function (d) {
      var m = (c.messages || {})[d.dataset.for];
      d.textContent = m ? m.join("\n") : "";
      var holder = d.closest(".field") || d.closest("section");
      if (holder) { holder.classList.toggle("bad", !!m); }
    });
    $("#general").textContent = (c.general || []).join("\n");
    $("#warnings").textContent = (c.warnings || []).join("\n");
    $("#toml").textContent = c.toml || "";
    $("#state").textContent = c.ok ? T.ok : T.problems;
    $("#state").className = c.ok ? "" : "err";
    form.dataset.checked = c.ok ? "ok" : "bad";
  }
  var timer = null, seq = 0;
  function check() {
    var mine = ++seq;
    form.dataset.checked = "pending";
    post("/api/check", request({})).then(function (r) {
      if (mine !== seq) { return; }
      if (r[0] === 200) { show(r[1]); } else { $("#state").textContent = r[1].error || ("HTTP " + r[0]); }
    });
  }
  function later() { clearTimeout(timer); timer = setTimeout(check, 250); }
  function save(overwrite) {
    $("#saved").textContent = "";
    post("/api/save", request({ overwrite: overwrite })).then(function (r) {
      var s = r[0], j = r[1];
      if (s === 200) {
        show(j.checked);
        var out = $("#saved");
        out.textContent = T.saved + " " + j.saved + " ";
        var a = document.createElement("a");
        a.href = j.run; a.className = "btn primary"; a.id = "runit"; a.textContent = T.run_it;
        out.appendChild(a);
      } else if (s === 409 && j.exists) {
        if (window.confirm(j.file + " " + T.overwrite)) { save(true); }
      } else if (j.checked) {
        show(j.checked);
      } else {
        $("#saved").textContent = j.error || ("HTTP " + s);
      }
    });
  }
  if (form) {
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
    $("#save").addEventListener("click", function () { save(false); });
    check();
  }

  // ── runs and comparisons: queue, poll, show the report ──────────────────────────────
  function poll(id, done) {
    var box = $("#job"), bar = $("#bar"), state = $("#jobstate");
    box.hidden = false;
    fetch("/api/jobs/" + id, { credentials: "same-origin" }).then(function (r) {
      return r.json().then(function (j) { return [r.status, j]; });
    }).then(function (r) {
      var j = r[1];
      bar.max = j.total || 1; bar.value = j.done || 0;
      state.textContent = (T[j.state] || j.state) + (j.total ? " " + j.done + "/" + j.total : "");
      if (j.state === "done") { done(j.link); }
      else if (j.state === "failed") { $("#joberror").textContent = "HTTP " + r[0] + ": " + j.message; }
      else { setTimeout(function () { poll(id, done); }, 300); }
    });
  }
  function showReport(link) {
    var f = $("#result");
    f.hidden = false; f.src = link;
  }
  function started(r, done) {
    if (r[0] === 202) { $("#joberror").textContent = ""; poll(r[1].id, done); }
    else { $("#joberror").textContent = "HTTP " + r[0] + ": " + (r[1].error || ""); }
  }
  var runform = $("#runform");
  if (runform) {
    if (runform.dataset.existing) { showReport(runform.dataset.existing); }
    $("#start").addEventListener("click", function () {
      post("/api/runs", { scenario: runform.dataset.scenario, reps: parseInt($("#reps").value, 10) || null, lang: lang })
        .then(function (r) { started(r, showReport); });
    });
  }
  var cf = $("#compareform");
  if (cf) {
    $("#startcompare").addEventListener("click", function () {
      var picks = Array.prototype.map.call(document.querySelectorAll(".pick:checked"), function (c) { return c.value; });
      var base = document.querySelector("input[name=baseline]:checked");
      post("/api/compare", { baseline: base ? base.value : "", scenarios: picks, name: $("#cname").value,
                             reps: parseInt($("#reps").value, 10) || null, lang: lang })
        .then(function (r) {
          started(r, function (link) {
            showReport(link);
            var dir = link.replace(/report\.html$/, "");
            $("#downloads").innerHTML = "";
            ["differences.csv", "sweep.csv", "comparison.xlsx", "report.html"].forEach(function (f) {
              var a = document.createElement("a");
              a.href = dir + f + "?download=1"; a.textContent = T.download + " " + f; a.className = "dl";
              $("#downloads").appendChild(a);
            });
          });
        });
    });
  }
})();
