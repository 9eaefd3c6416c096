// The roadmap board's drag and drop, through the API's move (the one every door uses).
// Without it the Move menu on each card does the same with ordinary form posts, so the
// board works with the keyboard and without JavaScript.
(function () {
  "use strict";

  // A refusal's reason, kept across the reload that shows the current board.
  var NOTICE = "tandem-board-notice";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function cardsIn(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li.initiative"));
  }

  // Where the page's own messages would be (includes/messages.html).
  function showNotice(text) {
    var list = document.createElement("div");
    list.className = "flash-list";
    list.setAttribute("role", "status");
    var flash = document.createElement("p");
    flash.className = "flash flash-warning";
    flash.textContent = text;
    list.appendChild(flash);
    var main = document.getElementById("main");
    main.insertBefore(list, main.firstChild);
  }

  function announce(text) {
    var status = document.querySelector("[data-board-status]");
    if (status) { status.textContent = text; }
  }

  function recount(board) {
    ["now", "next", "later"].forEach(function (horizon) {
      var total = board.querySelectorAll(".cell[data-horizon=" + horizon + "] li.initiative").length;
      var head = board.querySelector(".board-head-" + horizon + " .count");
      if (head) { head.textContent = total; }
    });
    board.querySelectorAll(".cell").forEach(function (cell) {
      var list = cell.querySelector(".card-list");
      var hint = list.querySelector(".drop-hint");
      var empty = cardsIn(list).length === 0;
      if (empty && !hint) {
        hint = document.createElement("li");
        hint.className = "empty drop-hint";
        hint.textContent = "Nothing here.";
        list.appendChild(hint);
      } else if (!empty && hint) {
        hint.remove();
      }
    });
  }

  function placeBefore(list, y) {
    var cards = cardsIn(list).filter(function (c) { return !c.classList.contains("dragging"); });
    for (var i = 0; i < cards.length; i++) {
      var box = cards[i].getBoundingClientRect();
      if (y < box.top + box.height / 2) { return cards[i]; }
    }
    return null;
  }

  // After a move from the menu the page comes back at #initiative-<id>: put the focus on
  // that card's menu, so the next move is one key away. After load, as the browser's own
  // scroll to the fragment would otherwise come later.
  window.addEventListener("load", function () {
    if (location.hash.indexOf("#initiative-") !== 0) { return; }
    var target = document.getElementById(location.hash.slice(1));
    var handle = target && target.querySelector(".move-menu summary");
    if (handle) { handle.focus(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.querySelector("[data-board][data-editable]");
    if (!board) { return; }
    var notice = null;
    try { notice = sessionStorage.getItem(NOTICE); sessionStorage.removeItem(NOTICE); } catch (e) { notice = null; }
    if (notice) { showNotice(notice); }
    var dragged = null;
    var origin = null;

    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest("li.initiative");
      if (!card) { return; }
      dragged = card;
      origin = { list: card.parentNode, next: card.nextSibling };
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.id);
    });

    board.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      board.querySelectorAll(".cell.drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
    });

    board.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      var cell = event.target.closest(".cell");
      var home = dragged.closest(".cell");
      // Cards move between horizons within their own lane: the lane is a fact of the
      // initiative (its team, pillar or objective), not of where it is dropped.
      if (!cell || cell.dataset.lane !== home.dataset.lane) { return; }
      event.preventDefault();
      board.querySelectorAll(".cell.drop-target").forEach(function (c) {
        if (c !== cell) { c.classList.remove("drop-target"); }
      });
      cell.classList.add("drop-target");
      var list = cell.querySelector(".card-list");
      var before = placeBefore(list, event.clientY);
      if (before) { list.insertBefore(dragged, before); } else { list.appendChild(dragged); }
    });

    board.addEventListener("drop", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var card = dragged;
      dragged = null;
      card.classList.remove("dragging");
      var cell = card.closest(".cell");
      cell.classList.remove("drop-target");
      var list = cell.querySelector(".card-list");
      var cards = cardsIn(list);
      var index = cards.indexOf(card);
      var horizon = cell.dataset.horizon;
      if (list === origin.list && card.nextSibling === origin.next) { return; }
      // The API's move, with the version of the card as the board showed it (412 if it
      // changed since); in scenario mode the scenario's edits instead (the plan stays),
      // with the scenario's version as shown (412 if someone else edited it since).
      var body;
      var headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      };
      var scenario = board.hasAttribute("data-scenario");
      if (scenario) {
        body = { action: "move_initiative", params: { initiative_id: Number(card.dataset.id), horizon: horizon } };
        headers["If-Match"] = '"' + board.dataset.scenarioVersion + '"';
      } else {
        body = { horizon: horizon };
        if (index > 0) { body.after_id = Number(cards[index - 1].dataset.id); }
        else if (cards.length > 1) { body.before_id = Number(cards[1].dataset.id); }
        headers["If-Match"] = '"' + card.dataset.version + '"';
      }
      var title = card.querySelector(".card-title a").textContent;
      recount(board);
      fetch(card.dataset.dragUrl, {
        method: "POST",
        body: JSON.stringify(body),
        credentials: "same-origin",
        headers: headers
      }).then(function (response) {
        return response.json().then(function (answer) {
          return { status: response.status, body: answer, etag: response.headers.get("ETag") };
        });
      }).then(function (result) {
        if (result.status >= 300) {
          // A stale board or a refused move: show the plan as it is now, and say why there.
          var stale = scenario
            ? "Someone else changed this scenario meanwhile, so your move was not saved. This is the scenario as it is now."
            : "“" + title + "” was moved or changed by someone else meanwhile, so your move was not saved. This is the current board.";
          var why = result.status === 412 || result.status === 409
            ? stale
            : (typeof result.body.detail === "string" ? result.body.detail : "The move was not saved.");
          try { sessionStorage.setItem(NOTICE, why); } catch (e) { /* private mode: reload anyway */ }
          location.reload();
          return;
        }
        card.dataset.horizon = horizon;
        if (scenario && result.etag) {
          // The scenario's new version, for the next drag and every card's Move menu.
          var version = result.etag.replace(/"/g, "");
          board.dataset.scenarioVersion = version;
          board.querySelectorAll(".move-panel input[name=version]").forEach(function (field) { field.value = version; });
        } else if (result.body.version !== undefined) { card.dataset.version = result.body.version; }
        card.dataset.saved = "1";
        // Briefly highlighted where it was dropped (the class's animation fades it out).
        card.classList.remove("just-moved");
        void card.offsetWidth;
        card.classList.add("just-moved");
        announce("Moved " + title + " to " + horizon + ".");
      }).catch(function () { location.reload(); });
    });
  });
})();
