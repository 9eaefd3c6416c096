// Conflict page: a suggested fix opens its confirmation in a dialog. Without this file
// the "Apply…" link leads to the same confirmation as a page of its own.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-dialog]");
    if (!link) { return; }
    var dialog = document.getElementById(link.dataset.dialog);
    if (!dialog || typeof dialog.showModal !== "function") { return; }
    event.preventDefault();
    dialog.showModal();
    var first = dialog.querySelector("input:not([type=hidden]), select, textarea, button");
    if (first) { first.focus(); }
  });
})();
