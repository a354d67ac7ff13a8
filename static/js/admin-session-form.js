// The session form (events/admin.py): the cancellation note is shown only while the status is "cancelled".
// Without JavaScript the note is always there; the server checks it either way (events.services.session_problems).
(function () {
  "use strict";
  function start() {
    var status = document.getElementById("id_status");
    var note = document.getElementById("id_cancellation_note");
    if (!status || !note) { return; }
    var row = note.closest(".form-row") || note.parentElement;
    function update() {
      row.hidden = status.value !== "cancelled" && note.value.trim() === "";
    }
    status.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
