// The OKR list: remember which objectives are folded (a cookie the server reads, so the
// page is drawn folded from the start). Folding itself is <details>: no script needed.
(function () {
  "use strict";
  var COOKIE = "tandem_folded";

  function folded() {
    var match = document.cookie.match(/(?:^|; )tandem_folded=([0-9.]*)/);
    return match && match[1] ? match[1].split(".") : [];
  }

  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.matches || !details.matches("details.objective-krs")) { return; }
    var id = details.dataset.objective;
    var ids = folded().filter(function (other) { return other !== id; });
    if (!details.open) { ids.push(id); }
    // Newest last; a few hundred at most keep the cookie small.
    ids = ids.slice(-300);
    document.cookie = COOKIE + "=" + ids.join(".") + "; path=/; max-age=31536000; samesite=lax";
  }, true);
})();
