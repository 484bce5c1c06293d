/* Field report form on a weak connection (no framework, no build step).
 *
 * - What the officer types is copied to localStorage on every change and restored when the page is opened again
 *   (a reload, a crash, the network dropping), keyed by the đề án or establishment.
 * - The copy carries the report's client id, so a retried submission updates or finds the same report.
 * - Sending while offline is held back and done automatically when the browser is online again.
 * - A service worker (field-sw.js, served at /kiem-tra/sw.js) keeps a copy of this page and its assets so that
 *   a reload without network still shows the form.
 * Without JavaScript the form still works as a plain POST.
 */
(function () {
  "use strict";
  var PREFIX = "kc-field-report:";

  function storage() {
    try {
      var s = window.localStorage;
      s.setItem(PREFIX + "probe", "1");
      s.removeItem(PREFIX + "probe");
      return s;
    } catch (e) {
      return null;
    }
  }
  var ls = storage();

  function read(key) {
    if (!ls) return null;
    try {
      return JSON.parse(ls.getItem(key) || "null");
    } catch (e) {
      return null;
    }
  }

  // A page shown after a successful save: forget this device's copy of that report.
  var saved = document.getElementById("field-saved");
  if (saved && ls) {
    var savedKey = PREFIX + saved.dataset.storageKey;
    var previous = read(savedKey);
    if (previous && (!previous.client_id || previous.client_id === saved.dataset.clientId)) {
      ls.removeItem(savedKey);
    }
  }

  var form = document.getElementById("field-report-form");
  if (!form) return;
  var key = PREFIX + form.dataset.storageKey;
  var clientInput = form.querySelector("[name=client_id]");
  var isEdit = /\/sua\/?$/.test(window.location.pathname);
  var hasServerErrors = !!form.querySelector("[data-testid=form-errors]");
  var offlineBox = document.getElementById("offline-status");
  var pendingIntent = null;

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" && el.type !== "button" &&
        el.name !== "csrfmiddlewaretoken";
    });
  }

  function snapshot() {
    var data = { values: {}, saved_at: new Date().toISOString(), client_id: clientInput.value };
    fields().forEach(function (el) {
      data.values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    if (pendingIntent) data.pending = pendingIntent;
    return data;
  }

  function save() {
    if (!ls) return;
    try {
      ls.setItem(key, JSON.stringify(snapshot()));
    } catch (e) { /* storage full: nothing more we can do */ }
  }

  // Puts the stored values back; says so only when a visible one differs from what the server rendered (a copy
  // saved on an earlier visit where nothing was typed restores nothing worth mentioning). Hidden values (the
  // client id, the position) come back silently.
  function restore(data) {
    var changed = false;
    fields().forEach(function (el) {
      if (!(el.name in data.values)) return;
      var value = data.values[el.name];
      if (el.type === "checkbox") {
        if (el.checked !== !!value) { el.checked = !!value; changed = true; }
      } else if (el.value !== value) {
        el.value = value;
        if (el.type !== "hidden") changed = true;
      }
    });
    var restored = document.getElementById("restored-status");
    if (restored && changed) restored.classList.remove("d-none");
    return changed;
  }

  function show(message, kind) {
    if (!offlineBox) return;
    offlineBox.textContent = message;
    offlineBox.className = "alert alert-" + (kind || "warning");
  }

  function hide() {
    if (offlineBox) offlineBox.className = "alert d-none";
  }

  // Restore what was typed before, unless the server just answered this very form (its values are newer).
  var stored = read(key);
  var restoredSomething = false;
  if (stored && stored.values && !hasServerErrors) {
    if (!isEdit || stored.client_id === clientInput.value) {
      restoredSomething = restore(stored);
      if (stored.pending) pendingIntent = stored.pending;
    }
  }
  save();

  form.addEventListener("input", save);
  form.addEventListener("change", save);

  // The page may come from the offline copy, whose CSRF token can be older than the cookie: use the cookie's.
  function freshCsrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    var input = form.querySelector("[name=csrfmiddlewaretoken]");
    if (match && input) input.value = decodeURIComponent(match[1]);
  }

  function sendNow() {
    var intent = pendingIntent || "submit";
    pendingIntent = null;
    save();
    show(form.dataset.msgSending, "info");
    var button = form.querySelector('button[name=intent][value="' + intent + '"]');
    freshCsrf();
    if (form.requestSubmit) form.requestSubmit(button);
    else button.click();
  }

  form.addEventListener("submit", function (event) {
    save();
    freshCsrf();
    if (!navigator.onLine) {
      event.preventDefault();
      pendingIntent = (event.submitter && event.submitter.value) || "submit";
      save();
      show(form.dataset.msgQueued, "warning");
    }
  });

  window.addEventListener("offline", function () {
    save();
    show(form.dataset.msgOffline, "warning");
  });
  window.addEventListener("online", function () {
    if (pendingIntent) sendNow();
    else hide();
  });
  if (!navigator.onLine) {
    show(pendingIntent ? form.dataset.msgQueued : form.dataset.msgOffline, "warning");
  } else if (pendingIntent) {
    sendNow();
  }

  var photos = form.querySelector("input[type=file]");
  if (photos && restoredSomething && photos.parentNode) {
    var note = document.createElement("div");
    note.className = "form-text text-warning";
    note.textContent = form.dataset.msgPhotos;
    photos.parentNode.insertBefore(note, photos.nextSibling);
  }

  // Position from the browser, only when the officer allows it.
  var locateButton = document.getElementById("locate-button");
  var locationStatus = document.getElementById("location-status");
  function locate() {
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        form.querySelector("[name=latitude]").value = pos.coords.latitude.toFixed(6);
        form.querySelector("[name=longitude]").value = pos.coords.longitude.toFixed(6);
        form.querySelector("[name=location_accuracy_m]").value = Math.round(pos.coords.accuracy);
        if (locationStatus) locationStatus.textContent = form.dataset.msgLocated.replace("%s", Math.round(pos.coords.accuracy));
        save();
      },
      function () {
        if (locationStatus) locationStatus.textContent = form.dataset.msgNoloc;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }
  if (navigator.geolocation && locateButton) {
    locateButton.classList.remove("d-none");
    locateButton.addEventListener("click", locate);
    var hasPosition = form.querySelector("[name=latitude]").value;
    if (!hasPosition && navigator.permissions && navigator.permissions.query) {
      navigator.permissions.query({ name: "geolocation" }).then(function (p) {
        if (p.state === "granted") locate();
      }).catch(function () {});
    }
  }

  // Keep a copy of this page and its assets for a reload without network.
  var script = document.currentScript;
  var swUrl = script && script.dataset.sw;
  function markReady() {
    document.documentElement.setAttribute("data-offline-ready", "1");
  }
  if (swUrl && "serviceWorker" in navigator && "caches" in window) {
    navigator.serviceWorker.register(swUrl, { scope: "/kiem-tra/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      var urls = [];
      document.querySelectorAll("link[rel=stylesheet][href], script[src]").forEach(function (el) {
        urls.push(el.href || el.src);
      });
      return caches.open("kc-field-v1").then(function (cache) {
        var page = window.location.href.split("#")[0];
        var jobs = urls.map(function (u) { return cache.add(u).catch(function () {}); });
        jobs.push(fetch(page, { credentials: "same-origin" }).then(function (response) {
          if (response.ok && !response.redirected) return cache.put(page, response);
        }));
        return Promise.all(jobs);
      });
    }).then(markReady).catch(function () { /* no offline copy; the localStorage copy still works */ });
  }
})();
