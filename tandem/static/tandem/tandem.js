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
})();
