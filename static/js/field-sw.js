/* Service worker for the field report pages (scope /kiem-tra/). Network first; when the network is gone, the
 * copy that field-report.js stored for this page and its static files. Never caches POST answers. */
"use strict";
var CACHE = "kc-field-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf("kc-field-") === 0 && n !== CACHE; })
        .map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  var isPage = request.mode === "navigate" && url.pathname.indexOf("/kiem-tra/") === 0;
  var isStatic = url.pathname.indexOf("/static/") === 0;
  if (!isPage && !isStatic) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (isPage && response.ok && !response.redirected) {
        // Refresh the offline copy only of pages the form script chose to keep.
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          return cache.match(request.url).then(function (hit) {
            if (hit) return cache.put(request.url, copy);
          });
        });
      }
      return response;
    }).catch(function () {
      return caches.match(request.url, { ignoreVary: true }).then(function (hit) {
        return hit || Response.error();
      });
    })
  );
});
