/* Adds a "Kopiera" button after each read-only calendar address. Without JavaScript the field can be
   selected and copied by hand; the label says so. Clicks are handled by one listener on the document, and
   the buttons are added again after programme.js swaps in new results (its "siv:updated" event), so the
   button survives a live filter update. */
(function () {
  "use strict";
  if (window.sivCopyLinkReady) return; // the script may be included twice on a page (calendar box, embed snippet)
  window.sivCopyLinkReady = true;
  var english = document.documentElement.lang === "en";
  var texts = english
    ? { copy: "Copy", copied: "Copied", failed: "Select the address and copy it" }
    : { copy: "Kopiera", copied: "Kopierad", failed: "Markera adressen och kopiera den" };
  var FIELDS = "input.copy-link, textarea.copy-link";

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
  }

  function copy(button) {
    var field = button.previousElementSibling;
    var status = button.nextElementSibling;
    if (!field || !field.matches(FIELDS)) return;
    field.select();
    var done = function () { if (status) status.textContent = texts.copied; };
    var fail = function () { if (status) status.textContent = texts.failed; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fail);
    } else {
      try { document.execCommand("copy") ? done() : fail(); } catch (e) { fail(); }
    }
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll(FIELDS), addButton);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.copy-button");
    if (button) copy(button);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(FIELDS)) event.target.select();
  });
  document.addEventListener("siv:updated", function (event) {
    init(event.detail && event.detail.root);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
