/* Adds a "Kopiera" button after each read-only calendar address. Without JavaScript the field can be
   selected and copied by hand; the label says so. */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  var texts = english
    ? { copy: "Copy", copied: "Copied", failed: "Select the address and copy it" }
    : { copy: "Kopiera", copied: "Kopierad", failed: "Markera adressen och kopiera den" };

  function addButton(field) {
    if (field.dataset.copyReady) return;
    field.dataset.copyReady = "1";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button copy-button";
    button.textContent = texts.copy;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    field.insertAdjacentElement("afterend", button);
    button.insertAdjacentElement("afterend", status);
    button.addEventListener("click", function () {
      field.select();
      var done = function () { status.textContent = texts.copied; };
      var fail = function () { status.textContent = texts.failed; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fail);
      } else {
        try { document.execCommand("copy") ? done() : fail(); } catch (e) { fail(); }
      }
    });
    field.addEventListener("focus", function () { field.select(); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input.copy-link, textarea.copy-link"), addButton);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
