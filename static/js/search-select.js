/* Turns every <select data-search-url> (core.widgets.SearchSelect) into a Tom Select box that asks the server.
   The server decides what matches (diacritics ignored, user's areas applied), so the box shows its answer as is.
   Without JavaScript the plain <select> stays. Runs on page load and after each htmx swap. */
(function () {
  "use strict";

  function init(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var url = select.dataset.searchUrl;
    var multiple = select.multiple;
    var plugins = multiple ? ["remove_button"] : [];
    var ts = new TomSelect(select, {
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
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query), {
          headers: { "Accept": "application/json" },
          credentials: "same-origin"
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
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
    // A label's "for" points at the select; Tom Select moves focus to its own input.
    if (select.id && ts.control_input) {
      ts.control_input.setAttribute("aria-label", labelText(select));
    }
  }

  function labelText(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.trim() : "";
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function initAll(root) {
    (root || document).querySelectorAll("select[data-search-url]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initAll(event.target); });
  window.KhuyenCongSearchSelect = { init: init, initAll: initAll };
})();
