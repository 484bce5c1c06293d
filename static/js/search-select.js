/* Turns every <select data-search-select> (core.widgets.SearchSelect) into a Tom Select box that asks the server
   (data-search-url) or, for a short list without one, searches its own options.
   The server decides what matches (diacritics ignored, user's areas applied), so the box shows its answer as is.
   Without JavaScript the plain <select> stays, with a search box and a "Tìm" button beside it when the list is too
   long to render whole (data-search-fallback): once the box is built they go, so Enter in the form's other fields
   submits it as before. Runs on page load and after each htmx swap. */
(function () {
  "use strict";

  function init(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var url = select.dataset.searchUrl;
    var multiple = select.multiple;
    var plugins = multiple ? ["remove_button"] : [];
    var latest = 0;
    if (!url) {
      new TomSelect(select, {
        plugins: plugins,
        maxItems: multiple ? null : 1,
        hideSelected: multiple,
        closeAfterSelect: !multiple,
        allowEmptyOption: !multiple && !select.required,
        placeholder: select.dataset.placeholder || "",
        render: {
          no_results: function () {
            return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>";
          }
        }
      });
      return;
    }
    new TomSelect(select, {
      plugins: plugins,
      valueField: "value",
      labelField: "text",
      searchField: [],
      maxOptions: 50,
      maxItems: multiple ? null : 1,
      hideSelected: multiple,
      closeAfterSelect: !multiple,
      allowEmptyOption: !multiple && !select.required,
      placeholder: select.dataset.placeholder || "",
      preload: "focus",
      loadThrottle: 250,
      shouldLoad: function () { return true; },
      // The server has matched already (without diacritics, đ = d): keep its order and every result.
      score: function () { return function () { return 1; }; },
      load: function (query, callback) {
        var self = this;
        // Answers can arrive out of order (the empty query sent on focus, then the typed one): only the
        // answer to the latest query is shown.
        var mine = ++latest;
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (mine !== latest) { callback(); return; }
            // Keep the chosen items, drop the previous answer: what is listed is exactly this answer.
            self.clearOptions();
            callback(data.results || []);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults || "") + "</div>";
        },
        loading: function () {
          return '<div class="spinner-border spinner-border-sm m-2" role="status" aria-label="' +
            escapeHtml(select.dataset.loading || "") + '"></div>';
        }
      }
    });
    removeFallback(select);  // only once the box is built: if Tom Select failed, the fallback stays
  }

  function removeFallback(select) {
    if (!select.parentNode) return;
    select.parentNode.querySelectorAll("[data-search-fallback]").forEach(function (box) {
      if (box.dataset.searchFallback === select.name) box.remove();
    });
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function initAll(root) {
    (root || document).querySelectorAll("select[data-search-select]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initAll(event.target); });
  window.KhuyenCongSearchSelect = { init: init, initAll: initAll };
})();
