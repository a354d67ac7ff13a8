/* "Spara" on the programme's items and "Mitt program (n)" in the header, on pages that are the same for every
   visitor (they are cached). One small uncached request, mitt-program/status.json, says which sessions this
   browser's list has and how many: the stars show "Sparad" and the header its count. A star sends its form in
   the background, so the page stays where it is. Without JavaScript the form posts as usual and comes back to
   the item (#s<id>). */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  var texts = english
    ? { add: "Add to my programme", remove: "Remove from my programme", save: "Save", saved: "Saved",
        added: "Added to your programme.", removed: "Removed from your programme.",
        failed: "That did not work. Try again." }
    : { add: "Lägg till i mitt program", remove: "Ta bort ur mitt program", save: "Spara", saved: "Sparad",
        added: "Tillagd i ditt program.", removed: "Borttagen ur ditt program.",
        failed: "Det gick inte. Försök igen." };

  function show(form, starred) {
    var button = form.querySelector(".star-button");
    button.value = starred ? "remove" : "add";
    var label = form.querySelector(".star-label");
    if (label) {  // the programme's compact star
      label.textContent = starred ? texts.saved : texts.save;
      button.setAttribute("aria-pressed", starred ? "true" : "false");
      form.classList.toggle("is-starred", starred);
      return;
    }
    button.textContent = starred ? texts.remove : texts.add;
    var on = form.querySelector(".star-on"), off = form.querySelector(".star-off");
    if (on) on.hidden = !starred;
    if (off) off.hidden = starred;
  }

  function showCount(count) {
    document.querySelectorAll("[data-my-programme-count]").forEach(function (element) {
      element.textContent = count ? " (" + count + ")" : "";
    });
  }

  function status(form) {
    var found = form.querySelector(".star-status");
    if (!found) {
      found = document.createElement("span");
      found.className = "star-status visually-hidden";
      found.setAttribute("role", "status");
      form.appendChild(found);
    }
    return found;
  }

  function refresh() {
    var counter = document.querySelector("[data-my-programme-count][data-status]");
    var forms = document.querySelectorAll("form.star-form[data-session]");
    var url = counter ? counter.dataset.status : (forms.length ? forms[0].dataset.status : null);
    if (!url || !window.fetch) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        document.querySelectorAll("form.star-form[data-session]").forEach(function (form) {
          show(form, data.starred.indexOf(Number(form.dataset.session)) !== -1);
        });
        showCount(data.count);
      })
      .catch(function () {});
  }

  if (!window.fetch || !window.FormData) return;
  // One listener for the whole page, so stars in results the filter replaced (programme.js) work too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.star-form[data-session]")) return;
    event.preventDefault();
    var button = form.querySelector(".star-button");
    var body = new FormData(form);
    body.set("action", button.value);
    button.disabled = true;
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin",
                         headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        show(form, data.starred);
        showCount(data.count);
        status(form).textContent = data.starred ? texts.added : texts.removed;
      })
      .catch(function () { status(form).textContent = texts.failed; })
      .then(function () { button.disabled = false; });
  });
  document.addEventListener("siv:updated", refresh);  // new results from the live filter
  refresh();
})();
