// The roadmap timeline: drag a bar to reschedule it, drag an end to change that date, or
// focus a bar and use the arrow keys. Saves go through the API: the initiative's PATCH with
// If-Match (a bar changed by someone else since the page was drawn is refused, said so, and
// redrawn as it is now), or in scenario mode a reschedule edit added to the scenario (with
// If-Match naming the scenario's version: refused if someone else edited it since).
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function parse(iso) {
    var p = iso.split("-");
    return Date.UTC(+p[0], +p[1] - 1, +p[2]);
  }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }
  function addDays(day, n) { return iso(parse(day) + n * DAY_MS); }
  function words(day) {
    var d = new Date(parse(day));
    return d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function span(start, end) { return words(start) + " – " + words(end); }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function announce(text, problem) {
    var status = document.querySelector("[data-timeline-status]");
    if (!status) { return; }
    status.textContent = text;
    status.classList.toggle("tl-status-problem", !!problem);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var svg = document.querySelector("svg[data-timeline]");
    if (!svg) { return; }
    var scroller = svg.closest(".timeline-scroll");
    // Open on today rather than on the first quarter of the plan.
    if (scroller && svg.dataset.today) {
      scroller.scrollLeft = Math.max(0, +svg.dataset.today - scroller.clientWidth / 3);
    }
    // Lane names and the titles inside long bars stay in view while the timeline scrolls.
    var lanes = svg.querySelector("[data-sticky]");
    var insideLabels = Array.prototype.slice.call(svg.querySelectorAll(".tl-item"));
    var queued = false;
    if (lanes) {
      // Each lane name's backdrop only as wide as the name, so it hides little when it sticks.
      Array.prototype.forEach.call(lanes.querySelectorAll(".tl-lane-label"), function (text) {
        text.previousElementSibling.setAttribute("width", text.getComputedTextLength() + 12);
      });
    }
    function stick() {
      queued = false;
      var offset = scroller.scrollLeft;
      if (lanes) { lanes.setAttribute("transform", "translate(" + offset + ",0)"); }
      var edge = offset + (offset > 0 ? +svg.dataset.left : 0) + 4;
      insideLabels.forEach(function (item) {
        var label = item.querySelector(".tl-label");
        if (!label.classList.contains("tl-label-inside")) { return; }
        var bar = item.querySelector(".tl-bar");
        var x = +bar.getAttribute("x");
        var room = x + +bar.getAttribute("width") - label.getComputedTextLength() - 6;
        label.setAttribute("x", Math.max(x + 4, Math.min(edge, room)));
      });
    }
    if (scroller) {
      scroller.addEventListener("scroll", function () {
        if (!queued) { queued = true; window.requestAnimationFrame(stick); }
      });
      stick();
    }
    if (!svg.hasAttribute("data-editable")) { return; }
    var origin = parse(svg.dataset.origin);
    var dayPx = +svg.dataset.day;
    var left = +svg.dataset.left;
    var scenario = svg.dataset.mode === "scenario";
    var saveUrl = svg.dataset.saveUrl;
    var keyStep = svg.dataset.zoom === "quarter" ? 7 : 1;

    function title(item) { return item.querySelector(".tl-label").textContent; }

    function draw(item, start, end) {
      // A bar being changed is drawn over its neighbours (until the next load packs rows).
      if (item.nextElementSibling !== lanes) {
        var focused = document.activeElement === item;
        svg.insertBefore(item, lanes);
        if (focused) { item.focus(); }
      }
      var x = left + (parse(start) - origin) / DAY_MS * dayPx;
      var width = (parse(end) - parse(start)) / DAY_MS * dayPx + dayPx;
      var handles = item.querySelectorAll(".tl-handle");
      var label = item.querySelector(".tl-label");
      item.querySelector(".tl-bar").setAttribute("x", x);
      item.querySelector(".tl-bar").setAttribute("width", width);
      handles[0].setAttribute("x", x);
      handles[1].setAttribute("x", x + width - 6);
      // The title stays readable in full: inside the bar while it fits, else beside it.
      label.classList.add("tl-label-inside");
      var inside = label.getComputedTextLength() + 10 <= width;
      label.classList.toggle("tl-label-inside", inside);
      label.setAttribute("x", inside ? x + 4 : x + width + 4);
    }

    function settle(item, start, end, version) {
      item.dataset.start = start;
      item.dataset.end = end;
      if (version) { item.dataset.version = version; }
      var tip = item.querySelector("title");
      var parts = tip.textContent.split(" · ");
      parts[1] = span(start, end);
      tip.textContent = parts.join(" · ");
      draw(item, start, end);
      item.classList.remove("tl-just-moved");
      void item.getBoundingClientRect();
      item.classList.add("tl-just-moved");
    }

    function reloadBar(item) {
      // The initiative as it is now: its dates and the version the next change must name.
      fetch(saveUrl.replace(/scenarios\/.*$/, "initiatives/") + item.dataset.id, {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) { return response.json(); }).then(function (body) {
        if (!body.start_date || !body.end_date) { location.reload(); return; }
        settle(item, body.start_date, body.end_date, body.version);
      }).catch(function () { location.reload(); });
    }

    function save(item, start, end) {
      var before = { start: item.dataset.start, end: item.dataset.end };
      var headers = {
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken()
      };
      var url, method, body;
      if (scenario) {
        url = saveUrl;
        method = "POST";
        // The scenario as this page drew it: refused (412) if someone else edited it since.
        headers["If-Match"] = '"' + svg.dataset.scenarioVersion + '"';
        body = {
          action: "reschedule_initiative",
          params: { initiative_id: +item.dataset.id, start_date: start, end_date: end }
        };
      } else {
        url = saveUrl + item.dataset.id;
        method = "PATCH";
        headers["If-Match"] = '"' + item.dataset.version + '"';
        body = { start_date: start, end_date: end };
      }
      item.classList.add("tl-saving");
      fetch(url, { method: method, credentials: "same-origin", headers: headers, body: JSON.stringify(body) })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (answer) {
            return { status: response.status, ok: response.ok, body: answer, etag: response.headers.get("ETag") };
          });
        })
        .then(function (result) {
          item.classList.remove("tl-saving");
          if (result.ok) {
            if (scenario && result.etag) { svg.dataset.scenarioVersion = result.etag.replace(/"/g, ""); }
            settle(item, start, end, scenario ? null : result.body.version);
            announce(scenario
              ? "Added to the scenario: " + result.body.label + ". The plan is unchanged."
              : "Rescheduled “" + title(item) + "”: " + span(start, end) + ".");
          } else if (result.status === 412 && scenario) {
            announce("Someone else changed this scenario since this page was loaded, so your " +
              "change was not added. Reload the page to see the scenario as it is now.", true);
            draw(item, before.start, before.end);
          } else if (result.status === 412) {
            announce("“" + title(item) + "” was changed by someone else since this page was " +
              "loaded, so your change was not saved. Its bar now shows it as it is.", true);
            reloadBar(item);
          } else {
            var errors = (result.body.errors || []).map(function (e) { return e.message; });
            announce("Not saved: " + (errors.join(" ") || result.body.detail || "the change was refused."), true);
            draw(item, before.start, before.end);
          }
        })
        .catch(function () {
          item.classList.remove("tl-saving");
          announce("Not saved: the server could not be reached.", true);
          draw(item, before.start, before.end);
        });
    }

    // Dragging. A press that moves less than a few pixels stays a click on the link.
    var drag = null;
    var swallowClick = false;
    svg.addEventListener("dragstart", function (event) { event.preventDefault(); });
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) { return; }
      var item = event.target.closest(".tl-item");
      if (!item) { return; }
      var edge = event.target.classList.contains("tl-handle") ? event.target.dataset.edge : "both";
      drag = { item: item, edge: edge, x: event.clientX, start: item.dataset.start, end: item.dataset.end, moved: false };
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x;
      if (!drag.moved) {
        if (Math.abs(dx) < 4) { return; }
        drag.moved = true;
        svg.setPointerCapture(event.pointerId);
        drag.item.classList.add("tl-dragging");
      }
      event.preventDefault();
      var days = Math.round(dx / dayPx);
      var start = drag.edge === "end" ? drag.start : addDays(drag.start, days);
      var end = drag.edge === "start" ? drag.end : addDays(drag.end, days);
      if (parse(end) < parse(start)) {
        if (drag.edge === "start") { start = end; } else { end = start; }
      }
      drag.newStart = start;
      drag.newEnd = end;
      draw(drag.item, start, end);
      announce("“" + title(drag.item) + "”: " + span(start, end) + " (release to save).");
    });
    function finish(event, cancelled) {
      if (!drag) { return; }
      var done = drag;
      drag = null;
      if (!done.moved) { return; }
      done.item.classList.remove("tl-dragging");
      if (svg.hasPointerCapture(event.pointerId)) { svg.releasePointerCapture(event.pointerId); }
      swallowClick = true;
      if (cancelled || !done.newStart || (done.newStart === done.start && done.newEnd === done.end)) {
        draw(done.item, done.start, done.end);
        announce("");
        return;
      }
      save(done.item, done.newStart, done.newEnd);
    }
    svg.addEventListener("pointerup", function (event) { finish(event, false); });
    svg.addEventListener("pointercancel", function (event) { finish(event, true); });
    svg.addEventListener("click", function (event) {
      if (swallowClick) { event.preventDefault(); swallowClick = false; }
    }, true);

    // The keyboard: ← → move a bar, Shift+← → its end; saved after a short pause, Escape
    // puts it back.
    var pending = null;
    svg.addEventListener("keydown", function (event) {
      var item = event.target.closest && event.target.closest(".tl-item");
      if (!item) { return; }
      if (event.key === "Escape" && pending && pending.item === item) {
        clearTimeout(pending.timer);
        draw(item, item.dataset.start, item.dataset.end);
        pending = null;
        announce("Change to “" + title(item) + "” cancelled.");
        return;
      }
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") { return; }
      event.preventDefault();
      if (pending && pending.item !== item) {
        clearTimeout(pending.timer);
        save(pending.item, pending.start, pending.end);
        pending = null;
      }
      pending = pending || { item: item, start: item.dataset.start, end: item.dataset.end };
      var step = (event.key === "ArrowLeft" ? -1 : 1) * keyStep;
      if (event.shiftKey) {
        pending.end = addDays(pending.end, step);
        if (parse(pending.end) < parse(pending.start)) { pending.end = pending.start; }
      } else {
        pending.start = addDays(pending.start, step);
        pending.end = addDays(pending.end, step);
      }
      draw(item, pending.start, pending.end);
      announce("“" + title(item) + "”: " + span(pending.start, pending.end) + " (saves in a moment; Escape to undo).");
      clearTimeout(pending.timer);
      var wanted = pending;
      pending.timer = setTimeout(function () {
        if (pending === wanted) { pending = null; }
        if (wanted.start !== item.dataset.start || wanted.end !== item.dataset.end) {
          save(item, wanted.start, wanted.end);
        }
      }, 900);
    });
  });
})();
