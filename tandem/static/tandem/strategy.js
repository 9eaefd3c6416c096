// Reordering pillars by dragging. Without it, each pillar's Move menu does the same.
(function () {
  "use strict";

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("pillar-list");
    if (!list || list.dataset.reorderable !== "true") { return; }
    var status = document.getElementById("pillar-status");
    var dragged = null;
    var startIndex = -1;

    function items() { return Array.prototype.slice.call(list.children); }

    list.addEventListener("dragstart", function (event) {
      var item = event.target.closest && event.target.closest(".pillar");
      if (!item) { return; }
      dragged = item;
      startIndex = items().indexOf(item);
      item.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
    });

    list.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var over = event.target.closest && event.target.closest(".pillar");
      if (!over || over === dragged) { return; }
      var box = over.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2 || event.clientX > box.left + box.width / 2;
      list.insertBefore(dragged, after ? over.nextSibling : over);
    });

    list.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      dragged = null;
    });

    list.addEventListener("drop", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var item = dragged;
      item.classList.remove("dragging");
      dragged = null;
      var index = items().indexOf(item);
      if (index === startIndex) { return; }
      var form = new FormData();
      form.append("to", String(index));
      fetch(item.dataset.moveUrl, {
        method: "POST",
        body: form,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
      }).then(function (response) {
        // The Move menus name their neighbours: reload so they match the new order.
        if (response.ok && status) { status.textContent = "Moved " + item.querySelector("h3").textContent + "."; }
        location.reload();
      }).catch(function () { location.reload(); });
    });
  });
})();
