// Progressive enhancement only: every page works without this file.
// Adds a "Copy" button next to read-only fields marked data-copy (the claim permalink).
(function () {
  "use strict";
  if (!navigator.clipboard) {
    return;
  }
  document.querySelectorAll("input[data-copy]").forEach(function (input) {
    var button = document.createElement("button");
    var status = document.createElement("span");
    button.type = "button";
    button.textContent = "Copy link";
    status.setAttribute("role", "status");
    status.className = "muted";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(
        function () { status.textContent = "Link copied."; },
        function () { input.select(); status.textContent = "Press Ctrl+C to copy."; }
      );
    });
    input.addEventListener("focus", function () { input.select(); });
    input.insertAdjacentElement("afterend", status);
    input.insertAdjacentElement("afterend", button);
  });
})();
