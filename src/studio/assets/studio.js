// jeugdflow studio: the script of every page (no framework, nothing from the network):
// the token leaves the address bar, requests carry the page's language, and every answer
// is shown in the page's words (a message on its field where it has one). Runs and
// comparisons are queued and polled until their report is ready; the home lists the runs
// and comparisons, re-opens and removes them.
(function () {
  "use strict";
  var JF = window.JF = window.JF || {};
  var $ = function (s) { return document.querySelector(s); };
  var lang = JF.lang = document.body.dataset.lang || "nl";
  var textsEl = $("#texts");
  var T = JF.T = textsEl ? JSON.parse(textsEl.textContent) : {};

  // the token was needed once, to set the cookie: keep it out of the address bar and history
  if (/[?&]token=/.test(location.search)) {
    var u = new URL(location.href);
    u.searchParams.delete("token");
    history.replaceState(history.state, "", u.pathname + u.search + u.hash);
  }

  function withLang(url) { return url + (url.indexOf("?") < 0 ? "?" : "&") + "lang=" + lang; }
  // [status, body]; a body that is not JSON (a proxy's page, a 401) becomes {}
  JF.post = function (url, payload) {
    return fetch(withLang(url), {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return [r.status, j]; });
    }, function () { return [0, {}]; });
  };
  JF.get = function (url) {
    return fetch(withLang(url), { credentials: "same-origin" }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return [r.status, j]; });
    }, function () { return [0, {}]; });
  };
  // the words of an answer: the studio's message, or that it did not answer as expected
  JF.said = function (j) { return (j && j.error) || T.request_failed; };
  // a message on field `id` (its input outlined), or cleared
  JF.onField = function (id, message) {
    var slot = document.querySelector('.msg[data-for="' + id + '"]');
    var input = document.getElementById(id);
    if (slot) { slot.textContent = message || ""; }
    if (input) { input.classList.toggle("bad", !!message); }
    return !!slot;
  };

  // ── runs and comparisons: queue, poll, show the report ──────────────────────────────
  function poll(id, done) {
    var box = $("#job"), bar = $("#bar"), state = $("#jobstate");
    box.hidden = false;
    JF.get("/api/jobs/" + id).then(function (r) {
      var j = r[1];
      bar.max = j.total || 1; bar.value = j.done || 0;
      state.textContent = (T[j.state] || "") + (j.total ? " " + j.done + "/" + j.total : "");
      if (j.state === "done") { done(j.link); }
      else if (j.state === "failed" || !j.state) { $("#joberror").textContent = JF.said({ error: j.message }); }
      else { setTimeout(function () { poll(id, done); }, 300); }
    });
  }
  function showReport(link) {
    var f = $("#result");
    f.hidden = false; f.src = link;
  }
  function started(r, done, fields) {
    fields.forEach(function (f) { JF.onField(f, ""); });
    $("#joberror").textContent = "";
    if (r[0] === 202) { poll(r[1].id, done); return; }
    var j = r[1];
    if (!(j.field && JF.onField(j.field, j.error))) { $("#joberror").textContent = JF.said(j); }
  }
  var runform = $("#runform");
  if (runform) {
    if (runform.dataset.existing) { showReport(runform.dataset.existing); }
    $("#start").addEventListener("click", function () {
      JF.post("/api/runs", { scenario: runform.dataset.scenario, reps: $("#reps").value, lang: lang })
        .then(function (r) { started(r, showReport, ["reps"]); });
    });
  }
  var cf = $("#compareform");
  if (cf) {
    // the baseline is always compared: its box is ticked and cannot be unticked; a box
    // ticked only because it was the baseline is unticked when another becomes it
    var syncBaseline = function (first) {
      var base = document.querySelector("input[name=baseline]:checked");
      document.querySelectorAll(".pick").forEach(function (c) {
        var isBase = base && c.value === base.value;
        // the page ticks the first baseline's box for it
        if (isBase && (!c.checked || first === true)) { c.checked = true; c.dataset.forced = "yes"; }
        if (!isBase && c.dataset.forced) { c.checked = false; delete c.dataset.forced; }
        c.disabled = !!isBase;
      });
    };
    document.querySelectorAll("input[name=baseline]").forEach(function (r) { r.addEventListener("change", syncBaseline); });
    syncBaseline(true);
    $("#startcompare").addEventListener("click", function () {
      var picks = Array.prototype.map.call(document.querySelectorAll(".pick:checked"), function (c) { return c.value; });
      var base = document.querySelector("input[name=baseline]:checked");
      var futures = Array.prototype.map.call(document.querySelectorAll(".future:checked"), function (c) { return c.value; });
      JF.post("/api/compare", { baseline: base ? base.value : "", scenarios: picks, futures: futures,
                                name: $("#cname").value, reps: $("#reps").value, lang: lang })
        .then(function (r) {
          started(r, function (link) {
            showReport(link);
            var dir = link.replace(/report\.html$/, "");
            $("#downloads").innerHTML = "";
            var files = ["differences.csv", "sweep.csv", "comparison.xlsx", "report.html"];
            if (futures.length) { files.splice(2, 0, "robustness.csv"); }
            files.forEach(function (f) {
              var a = document.createElement("a");
              a.href = dir + f + "?download=1&lang=" + lang; a.textContent = T.download + " " + f; a.className = "dl";
              $("#downloads").appendChild(a);
            });
          }, ["cname", "reps", "picks", "futures"]);
        });
    });
  }

  // ── the runs and comparisons of the home, and a saved output's page ─────────────────
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest && ev.target.closest("button.remove");
    if (!b) { return; }
    var folder = b.dataset.folder;
    if (!window.confirm("‘" + folder + "’ " + T.remove_confirm)) { return; }
    JF.post("/api/outputs/remove", { folder: folder, lang: lang }).then(function (r) {
      if (r[0] === 200) {
        if (b.dataset.then) { location.href = b.dataset.then; return; }
        var row = b.closest("tr");
        if (row) { row.remove(); }
      } else {
        var cell = b.closest("td") || b.parentNode;
        var m = document.createElement("div");
        m.className = "err"; m.textContent = JF.said(r[1]);
        cell.appendChild(m);
      }
    });
  });
  // jobs still waiting or running on the home: follow them, and show the folder once written
  var active = document.querySelectorAll("tr.job[data-state=queued], tr.job[data-state=running]");
  if (active.length) {
    var follow = function () {
      var pending = 0;
      Promise.all(Array.prototype.map.call(active, function (row) {
        return JF.get("/api/jobs/" + row.dataset.job).then(function (r) {
          var j = r[1];
          if (j.state === "queued" || j.state === "running") {
            pending++;
            row.querySelector(".state").textContent = (T[j.state] || "") + " " + j.done + "/" + j.total;
          } else if (j.state) {
            row.dataset.state = j.state;
          }
        });
      })).then(function () {
        if (pending) { setTimeout(follow, 1000); } else { location.reload(); }
      });
    };
    setTimeout(follow, 500);
  }
})();
