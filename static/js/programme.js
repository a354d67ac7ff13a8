/* Programme filters, progressively enhanced.
 *
 * Without this script the filter form is an ordinary GET form (its action "#resultat" opens the new page at
 * the results) and every chip is a link. With it, ticking a box fetches the same page for the new address and
 * swaps in its results and the options' counts, so the list updates without a reload; the sticky bar's button
 * says how many sessions the choice gives ("Visa 8 programpunkter"), the address bar follows (so the filtered
 * page can still be shared), and a polite live region says how many sessions match. The button, or closing the
 * panel after a change, takes the visitor to the results. Nothing is replaced by script-only controls: links
 * stay links. After each swap the event "siv:updated" tells other scripts (copy-link.js) to look again.
 *
 * While an update is under way (from the tick on, the short wait included) the page shows it: the results carry
 * aria-busy="true" and the class "is-updating" (filters.css), a small "Uppdaterar …" badge sits at the
 * top of the results without taking room (no layout jump), the sticky bar's button says "Uppdaterar …", and
 * the polite live region says so too; the new results, count and announcement replace all of it.
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

  var updatingText = form.dataset.updating || "";

  // The visible loading state; the announcer (aria-live polite) says it for screen readers, so the badge is
  // aria-hidden. The badge lives inside the results and goes with them when the new ones are swapped in.
  function showBusy() {
    results.setAttribute("aria-busy", "true");
    form.setAttribute("aria-busy", "true");
    results.classList.add("is-updating");
    if (!updatingText) {
      return;
    }
    if (!results.querySelector(".results-updating")) {
      var badge = document.createElement("p");
      badge.className = "results-updating";
      badge.setAttribute("aria-hidden", "true");
      var text = document.createElement("span");
      text.textContent = updatingText;
      badge.appendChild(text);
      results.insertBefore(badge, results.firstChild);
    }
    if (button) {
      button.value = updatingText;
    }
    announcer.textContent = updatingText;
  }

  function announceHits() {
    var hits = results.querySelector(".hits");
    announcer.textContent = hits ? hits.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function hideBusy() {
    results.removeAttribute("aria-busy");
    form.removeAttribute("aria-busy");
    results.classList.remove("is-updating");
    var badge = results.querySelector(".results-updating");
    if (badge) {
      badge.parentNode.removeChild(badge);
    }
  }

  // A short wait after a tick, so ticks in quick succession (keyboard) make one request; kept short because it
  // is part of the time to the result (bench/phone.py: 250 ms was nearly half of it on a slow phone).
  var TICK_WAIT = 100;
  var pending = null;
  var timer = null;
  var changedSinceOpen = false;
  var loading = null; // the promise of the latest update (under way or done)
  var loadingAddress = null; // the address it fetches
  var inFlight = false;

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
    showBusy();
    inFlight = true;
    loadingAddress = address;
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
        announceHits();
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
          inFlight = false;
          hideBusy();
        }
        return outcome;
      });
    return loading;
  }

  // The page for this address: the update under way that fetches it, none if the page shows it already (a
  // tick and its untick: only the loading state to clear), else a new one.
  function applied(address) {
    if (inFlight && loadingAddress === address) {
      return loading;
    }
    if (!inFlight && address === window.location.pathname + window.location.search) {
      hideBusy();
      showCount(currentCount(results));
      announceHits();
      return Promise.resolve("done");
    }
    return update(address, false);
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
    showBusy(); // at once, the short wait for more ticks included
    timer = window.setTimeout(function () {
      applied(addressFor());
    }, TICK_WAIT);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    var address = addressFor();
    var done = applied(address);
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
        var done = applied(address);
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
