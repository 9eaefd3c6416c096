// The roadmap board's drag and drop. Without it the Move menu on each card does the same
// with ordinary form posts, so the board works with the keyboard and without JavaScript.
(function () {
  "use strict";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function cardsIn(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li.initiative"));
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

  function addSeen(form, prefix, card) {
    form.append(prefix + "_id", card.dataset.id);
    form.append(prefix + "_horizon", card.dataset.horizon);
    form.append(prefix + "_position", card.dataset.position);
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
      var form = new FormData();
      form.append("to", horizon);
      form.append("drop", "1");
      addSeen(form, "seen", card);
      if (index > 0) { addSeen(form, "after", cards[index - 1]); }
      else if (cards.length > 1) { addSeen(form, "before", cards[1]); }
      recount(board);
      fetch(card.dataset.moveUrl, {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (result) {
        if (!result.ok) {
          // A stale board or a refused move: show the plan as it is now.
          announce(result.body.detail || "The move was not saved.");
          location.reload();
          return;
        }
        card.dataset.horizon = result.body.horizon;
        Object.keys(result.body.positions).forEach(function (id) {
          var other = document.getElementById("initiative-" + id);
          if (other) { other.dataset.position = result.body.positions[id]; }
        });
        card.dataset.saved = "1";
        // Briefly highlighted where it was dropped (the class's animation fades it out).
        card.classList.remove("just-moved");
        void card.offsetWidth;
        card.classList.add("just-moved");
        announce("Moved " + card.querySelector(".card-title a").textContent + " to " + horizon + ".");
      }).catch(function () { location.reload(); });
    });
  });
})();
