/* "Lägg till i mitt program" on pages that are the same for every visitor (they are cached). Asks
   mitt-program/status.json whether this browser's list has the session, shows "remove" if it does, and
   sends the form in the background so the page stays. Without JavaScript the form posts as usual. */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  var texts = english
    ? { add: "Add to my programme", remove: "Remove from my programme", added: "Added to your programme.",
        removed: "Removed from your programme.", failed: "That did not work. Try again." }
    : { add: "Lägg till i mitt program", remove: "Ta bort ur mitt program", added: "Tillagd i ditt program.",
        removed: "Borttagen ur ditt program.", failed: "Det gick inte. Försök igen." };

  function show(form, starred) {
    var button = form.querySelector(".star-button");
    button.value = starred ? "remove" : "add";
    button.textContent = starred ? texts.remove : texts.add;
    form.querySelector(".star-on").hidden = !starred;
    form.querySelector(".star-off").hidden = starred;
  }

  function showCount(count) {
    document.querySelectorAll("[data-my-programme-count]").forEach(function (element) {
      element.textContent = count ? " (" + count + ")" : "";
    });
  }

  var forms = document.querySelectorAll("form.star-form[data-session]");
  if (!forms.length || !window.fetch) return;
  fetch(forms[0].dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) return;
      forms.forEach(function (form) { show(form, data.starred.indexOf(Number(form.dataset.session)) !== -1); });
      showCount(data.count);
    })
    .catch(function () {});

  forms.forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector(".star-button");
      var status = form.querySelector(".star-status");
      var body = new FormData(form);  // (form.action would be the button named "action")
      body.set("action", button.value);
      button.disabled = true;
      fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin",
                           headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (data) {
          show(form, data.starred);
          showCount(data.count);
          status.textContent = data.starred ? texts.added : texts.removed;
        })
        .catch(function () { status.textContent = texts.failed; })
        .then(function () { button.disabled = false; });
    });
  });
})();
