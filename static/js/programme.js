/* Programme filters, progressively enhanced.
 *
 * Without this script the filter form is an ordinary GET form (its action "#resultat" opens the new page at
 * the results) and every chip is a link. With it, ticking a box fetches the same page for the new address and
 * swaps in its results and the options' counts, so the list updates without a reload; the sticky bar's button
 * says how many sessions the choice gives ("Visa 8 programpunkter"), the address bar follows (so the filtered
 * page can still be shared), and a polite live region says how many sessions match. The button, or closing the
 * panel after a change, takes the visitor to the results. Nothing is replaced by script-only controls: links
 * stay links. After each swap the event "siv:updated" tells other scripts (copy-link.js) to look again.
 */
(function () {
  "use strict";

  var form = document.getElementById("programme-filter");
  var results = document.getElementById("programme-results");
  var panel = document.getElementById("filter-panel");
  var button = document.getElementById("filter-submit");
  if (!form || !results || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  var wide = window.matchMedia && window.matchMedia("(min-width: 60em)");

  // On a wide screen the filters sit beside the list, so show them open.
  if (panel && wide && wide.matches) {
    panel.open = true;
  }

  var announcer = document.createElement("p");
  announcer.className = "visually-hidden";
  announcer.setAttribute("aria-live", "polite");
  announcer.id = "filter-announcer";
  results.parentNode.insertBefore(announcer, results);

  var pending = null;
  var timer = null;
  var changedSinceOpen = false;
  var loading = null; // the promise of the update under way

  function showCount(count) {
    if (!button || count === null || count === undefined || count === "") {
      return;
    }
    var n = parseInt(count, 10);
    var text = n === 0 ? form.dataset.showNone : n === 1 ? form.dataset.showOne : form.dataset.showMany;
    if (text) {
      button.value = text.replace("{n}", String(n));
    }
  }

  function currentCount(root) {
    var status = root.querySelector("#resultat");
    return status ? status.getAttribute("data-count") : null;
  }

  showCount(currentCount(document));

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

  // Bring the options' counts, disabled states and (when the address came from a link) ticks up to date.
  function syncForm(fresh, withTicks) {
    Array.prototype.forEach.call(fresh.querySelectorAll("input[type=checkbox]"), function (input) {
      var mine = input.id && document.getElementById(input.id);
      if (!mine || mine.form !== form) {
        return;
      }
      mine.disabled = input.disabled;
      if (withTicks) {
        mine.checked = input.checked;
      }
      var label = form.querySelector('label[for="' + input.id + '"]');
      var freshLabel = fresh.querySelector('label[for="' + input.id + '"]');
      if (label && freshLabel) {
        label.textContent = freshLabel.textContent.trim();
      }
    });
    if (withTicks) {
      var search = form.querySelector("input[name=q]");
      var freshSearch = fresh.querySelector("input[name=q]");
      if (search && freshSearch) {
        search.value = freshSearch.value;
      }
    }
  }

  function update(address, withTicks) {
    if (pending) {
      pending.abort();
    }
    pending = window.AbortController ? new AbortController() : null;
    results.setAttribute("aria-busy", "true");
    form.setAttribute("aria-busy", "true");
    loading = fetch(address, {
      headers: { Accept: "text/html" },
      credentials: "same-origin",
      signal: pending && pending.signal,
    })
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
        var freshForm = page.getElementById("programme-filter");
        if (freshForm) {
          syncForm(freshForm, withTicks);
        }
        showCount(currentCount(results));
        window.history.replaceState(null, "", address);
        var hits = results.querySelector(".hits");
        announcer.textContent = hits ? hits.textContent.replace(/\s+/g, " ").trim() : "";
        document.dispatchEvent(new CustomEvent("siv:updated", { detail: { root: results } }));
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") {
          return "aborted";
        }
        window.location.assign(address + "#resultat"); // fall back to an ordinary page load
        return "aborted";
      })
      .then(function (outcome) {
        if (outcome !== "aborted") {
          results.removeAttribute("aria-busy");
          form.removeAttribute("aria-busy");
        }
        return outcome;
      });
    return loading;
  }

  // The result count and chips (#resultat), focused and at the top of the screen: where the visitor lands.
  function goToResults() {
    var heading = document.getElementById("resultat");
    if (!heading) {
      return;
    }
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start" });
  }

  function closePanelOnPhone() {
    if (panel && panel.open && !(wide && wide.matches)) {
      changedSinceOpen = false; // closing here is not a visitor's close
      panel.open = false;
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.type !== "checkbox") {
      return; // free text waits for Enter or the button
    }
    changedSinceOpen = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      update(addressFor(), false);
    }, 250);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    var address = addressFor();
    var done = address === window.location.pathname + window.location.search && loading ? loading : update(address, false);
    done.then(function (outcome) {
      if (outcome === "aborted") {
        return;
      }
      closePanelOnPhone();
      goToResults();
    });
  });

  if (panel) {
    panel.addEventListener("toggle", function () {
      if (panel.open) {
        changedSinceOpen = false;
        return;
      }
      if (changedSinceOpen) {
        changedSinceOpen = false;
        window.clearTimeout(timer);
        var address = addressFor();
        var done = address === window.location.pathname + window.location.search && loading ? loading : update(address, false);
        done.then(function (outcome) {
          if (outcome !== "aborted") {
            goToResults();
          }
        });
      }
    });
  }

  // Chips, "Rensa alla filter" and "Utan …" links: the same live update, and the visitor stays at the results.
  results.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.chip, a.clear-all, .drops a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button) {
      return;
    }
    event.preventDefault();
    var url = new URL(link.href, window.location.href);
    update(url.pathname + url.search, true).then(function (outcome) {
      if (outcome !== "aborted") {
        goToResults();
      }
    });
  });

  // A link to a day folded away under "Visa tidigare dagar" opens the fold first.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#dag-"]');
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var fold = target && target.closest("details");
    if (fold && !fold.open) {
      fold.open = true;
    }
  });
})();
