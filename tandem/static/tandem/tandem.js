// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // Copy a value (a new API token) with one click.
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        if (!field) { return; }
        field.select();
        // The clipboard API exists only on HTTPS and localhost; elsewhere the selection
        // is ready for the person's own copy shortcut.
        if (!navigator.clipboard) { return; }
        navigator.clipboard.writeText(field.value).then(function () {
          button.textContent = "Copied";
        });
      });
    });
  });

  // A print button (the executive overview) prints the page; its stylesheet fits one sheet.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });

  // Destructive forms ask first (revoking a token).
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // Menus close on Escape and on a click elsewhere, like menus people know.
  function closeMenus(except) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.removeAttribute("open"); }
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest("details.menu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = document.activeElement && document.activeElement.closest("details.menu[open]");
    closeMenus(null);
    if (open) { open.querySelector("summary").focus(); }
  });

  // The command palette: Ctrl/Cmd-K (or "/" outside a field) opens it, the results load
  // as you type (htmx), arrow keys walk them, Enter opens the chosen one.
  function palette() { return document.getElementById("palette"); }
  function paletteLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("#palette-results a"));
  }
  function openPalette(initial) {
    var dialog = palette();
    if (!dialog || dialog.open) { return; }
    var input = document.getElementById("palette-q");
    dialog.showModal();
    input.focus();
    if (initial) {
      // Typing goes on where the header's box left off: the caret at the end.
      input.value = initial;
      input.setSelectionRange(initial.length, initial.length);
      input.dispatchEvent(new Event("search"));
    } else {
      input.select();
    }
  }
  document.addEventListener("keydown", function (event) {
    var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
      event.preventDefault();
      openPalette("");
    } else if (event.key === "/" && !typing) {
      event.preventDefault();
      openPalette("");
    }
  });
  document.addEventListener("keydown", function (event) {
    var dialog = palette();
    if (!dialog || !dialog.open) { return; }
    var links = paletteLinks();
    var at = links.indexOf(document.activeElement);
    // A search field would take the first Escape to clear itself: close at once instead.
    if (event.key === "Escape") {
      event.preventDefault();
      dialog.close();
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!links.length) { return; }
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = at === -1 ? (step > 0 ? 0 : links.length - 1) : at + step;
      if (next < 0 || next >= links.length) { document.getElementById("palette-q").focus(); return; }
      links[next].focus();
    } else if (event.key === "Enter" && event.target.id === "palette-q" && links.length) {
      event.preventDefault();
      window.location.href = links[0].href;
    }
  });
  document.addEventListener("click", function (event) {
    var dialog = palette();
    // A click on the backdrop (the dialog itself, outside its content) closes it.
    if (dialog && event.target === dialog) { dialog.close(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var field = document.getElementById("header-search-q");
    if (!field || !palette()) { return; }
    // Typing in the header's box continues in the palette, which shows results at once;
    // without JavaScript the box is a plain form to the search page.
    field.addEventListener("input", function () {
      var value = field.value;
      field.value = "";
      openPalette(value);
    });
  });
})();
