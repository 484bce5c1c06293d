// Site-wide helpers loaded by base.html. The Content Security Policy forbids style="" in templates, so a progress
// bar carries data-width="42" and gets its width here (through the CSSOM, which the policy allows), also in
// content htmx swaps in. Without JavaScript the percentage stays readable as text.
(function () {
  function applyWidths(root) {
    if (!root || !root.querySelectorAll) return;
    var nodes = root.matches && root.matches("[data-width]") ? [root] : [];
    root.querySelectorAll("[data-width]").forEach(function (el) { nodes.push(el); });
    nodes.forEach(function (el) {
      var value = parseFloat(el.dataset.width);
      if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { applyWidths(document); });
  document.addEventListener("htmx:load", function (event) { applyWidths(event.detail.elt); });
})();
