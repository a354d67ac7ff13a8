/* "Lägg till i min kalender" on a session page (templates/includes/calendar_action.html). The page is the same
   for every visitor (cached): this asks mitt-program/status.json whether this browser's list has the session,
   and sends the form in the background, then offers the subscription to "Mitt program". Without JavaScript the
   form posts as usual and the visitor's list page makes the same offer. */
(function () {
  "use strict";
  var english = document.documentElement.lang === "en";
  var texts = english
    ? { add: "Add to my calendar", remove: "Remove from my programme", added: "Added to your programme.",
        removed: "Removed from your programme.", failed: "That did not work. Try again." }
    : { add: "Lägg till i min kalender", remove: "Ta bort ur mitt program", added: "Tillagd i ditt program.",
        removed: "Borttagen ur ditt program.", failed: "Det gick inte. Försök igen." };

  var form = document.querySelector("form.calendar-primary[data-session]");
  if (!form || !window.fetch) return;
  var button = form.querySelector(".calendar-button");
  var status = form.querySelector(".calendar-status");

  function show(starred) {
    button.value = starred ? "remove" : "add";
    button.textContent = starred ? texts.remove : texts.add;
    button.classList.toggle("button-secondary", starred);
    form.querySelector(".calendar-on").hidden = !starred;
    form.querySelector(".calendar-off").hidden = starred;
  }

  function showCount(count) {
    document.querySelectorAll("[data-my-programme-count]").forEach(function (element) {
      element.textContent = count ? " (" + count + ")" : "";
    });
  }

  fetch(form.dataset.status, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (data) show(data.starred.indexOf(Number(form.dataset.session)) !== -1);
    })
    .catch(function () {});

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var body = new FormData(form);
    body.set("action", button.value);
    button.disabled = true;
    fetch(form.getAttribute("action"), { method: "POST", body: body, credentials: "same-origin",
                                         headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        show(data.starred);
        showCount(data.count);
        status.textContent = data.starred ? texts.added : texts.removed;
        if (data.starred) form.querySelector(".calendar-on a").focus();
      })
      .catch(function () { status.textContent = texts.failed; })
      .then(function () { button.disabled = false; });
  });
})();
