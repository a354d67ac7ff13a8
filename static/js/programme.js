/* Programme filters, progressively enhanced.
 *
 * Without this script the filter form is an ordinary GET form and every result is a link. With it, ticking a
 * box fetches the same page for the new address and swaps in its results, so the list updates without a
 * reload; the address bar follows (so the filtered page can still be shared), and a polite live region says
 * how many sessions match. Nothing is replaced by script-only controls: links stay links.
 */
(function () {
  "use strict";

  var form = document.getElementById("programme-filter");
  var results = document.getElementById("programme-results");
  var panel = document.getElementById("filter-panel");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }

  // On a wide screen the filters sit beside the list, so show them open.
  if (panel && window.matchMedia && window.matchMedia("(min-width: 60em)").matches) {
    panel.open = true;
  }

  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  announcer.id = "filter-announcer";
  results.parentNode.insertBefore(announcer, results);

  var pending = null;
  var timer = null;

  function addressFor() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === "submit") {
        return;
      }
      if ((field.type === "checkbox" || field.type === "radio") && !field.checked) {
        return;
      }
      if (field.value.trim() === "") {
        return;
      }
      params.append(field.name, field.value);
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  function update(address) {
    if (pending) {
      pending.abort();
    }
    pending = window.AbortController ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    fetch(address, { headers: { Accept: "text/html" }, credentials: "same-origin", signal: pending && pending.signal })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.getElementById("programme-results");
        if (!fresh) {
          throw new Error("no results in response");
        }
        results.innerHTML = fresh.innerHTML;
        var summary = page.querySelector("#filter-panel > summary");
        if (panel && summary) {
          panel.querySelector("summary").innerHTML = summary.innerHTML;
        }
        window.history.replaceState(null, "", address);
        var hits = results.querySelector(".hits");
        announcer.textContent = hits ? hits.textContent.replace(/\s+/g, " ").trim() : "";
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return;
        }
        window.location.assign(address); // fall back to an ordinary page load
      })
      .then(function () {
        results.removeAttribute("aria-busy");
      });
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "checkbox") {
      return; // free text waits for Enter or the button
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      update(addressFor());
    }, 250);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    update(addressFor());
  });
})();
