// Searchable pickers: a <select data-picker> with many choices gets a filter box above it.
// Typing narrows the choices (every word must match, accents ignored) and shows them as
// an open list; without this file the plain <select> works as before.
(function () {
  "use strict";

  var FEW = 8; // shorter lists need no filter

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function labelOf(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.trim() : "choices";
  }

  function enhance(select) {
    if (select.dataset.pickerReady) { return; }
    select.dataset.pickerReady = "1";
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value !== ""; });
    if (options.length < FEW || !select.id) { return; }
    var haystack = options.map(function (o) {
      var group = o.parentElement.tagName === "OPTGROUP" ? o.parentElement.label : "";
      return fold(o.textContent + " " + group);
    });
    var box = document.createElement("div");
    box.className = "picker-filter";
    var label = document.createElement("label");
    label.className = "visually-hidden";
    label.htmlFor = select.id + "-filter";
    label.textContent = "Filter " + labelOf(select);
    var input = document.createElement("input");
    input.type = "search";
    input.id = select.id + "-filter";
    input.className = "picker-search";
    input.autocomplete = "off";
    input.placeholder = "Type to filter " + options.length + " choices";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("span");
    status.className = "picker-count muted";
    status.setAttribute("role", "status");
    box.append(label, input, status);
    select.parentNode.insertBefore(box, select);

    function matches() {
      return options.filter(function (o) { return !o.hidden; });
    }

    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      options.forEach(function (o, i) {
        var hit = words.every(function (w) { return haystack[i].indexOf(w) !== -1; });
        o.hidden = !hit;
        o.disabled = !hit;
      });
      Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
        group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
      });
      var shown = matches();
      var chosen = select.selectedOptions[0];
      if (chosen && chosen.hidden) { select.value = ""; }
      if (shown.length === 1) { select.value = shown[0].value; }
      // While filtering, the matches show as an open list to pick from: a row for each,
      // for each cycle (group) heading and for the empty choice.
      var headings = select.querySelectorAll("optgroup:not([hidden])").length;
      select.size = words.length ? Math.max(2, Math.min(10, shown.length + headings + 1)) : 0;
      status.textContent = words.length ? shown.length + " of " + options.length + " match" : "";
    });

    // Enter picks the first match (and does not submit the form); arrow down moves into
    // the list.
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== "ArrowDown") { return; }
      var shown = matches();
      if (event.key === "Enter") {
        event.preventDefault();
        if (shown.length) { select.value = shown[0].value; }
      }
      select.focus();
    });
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("select[data-picker]"), enhance);
  }

  document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  // Forms fetched by htmx (linking a card to a key result) get theirs too.
  document.addEventListener("htmx:afterSwap", function (event) { enhanceAll(event.target); });
})();
