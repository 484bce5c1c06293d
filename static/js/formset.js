/* Add and remove rows of a Django formset in place, keeping what the user typed elsewhere on the form.

   Markup (see templates/partials/formset_*.html):
     <div data-formset="PREFIX">
       {{ formset.management_form }}
       <div data-formset-rows> ...rows, each <div data-formset-row> with a <button data-formset-remove>... </div>
       <template data-formset-empty> one row rendered from formset.empty_form (__prefix__) </template>
       <button type="button" data-formset-add hidden>Thêm dòng</button>
     </div>
   Adding clones the template with the next index and raises TOTAL_FORMS. Removing a row empties its fields, ticks
   its DELETE box if it has one, and hides it: the server already ignores blank rows, and row numbers stay
   contiguous. Without JavaScript the add button stays hidden and the server's spare blank rows are used. */
(function () {
  "use strict";

  function totalInput(box) {
    return box.querySelector('input[name="' + box.dataset.formset + '-TOTAL_FORMS"]');
  }

  function addRow(box) {
    var total = totalInput(box);
    var template = box.querySelector("template[data-formset-empty]");
    var rows = box.querySelector("[data-formset-rows]");
    if (!total || !template || !rows) return;
    var index = parseInt(total.value, 10) || 0;
    var max = box.querySelector('input[name="' + box.dataset.formset + '-MAX_NUM_FORMS"]');
    if (max && index >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    // Parsed in a <template> so that a table row (<tr>) survives on its own.
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var row = holder.content.querySelector("[data-formset-row]");
    if (!row) return;
    row.querySelectorAll("[data-formset-remove]").forEach(function (button) { button.hidden = false; });
    rows.appendChild(row);
    total.value = String(index + 1);
    if (window.KhuyenCongSearchSelect) window.KhuyenCongSearchSelect.initAll(row);
    var first = row.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  function removeRow(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (field.type === "hidden") return;
      if (field.name && /-DELETE$/.test(field.name)) {
        field.checked = true;
      } else if (field.type === "checkbox" || field.type === "radio") {
        field.checked = false;
      } else if (field.tagName === "SELECT") {
        field.selectedIndex = -1;
        if (field.tomselect) field.tomselect.clear();
      } else {
        field.value = "";
      }
    });
    row.hidden = true;
    row.setAttribute("data-formset-removed", "");
  }

  function init(box) {
    if (box.dataset.formsetReady) return;
    box.dataset.formsetReady = "1";
    box.querySelectorAll("[data-formset-add]").forEach(function (button) { button.hidden = false; });
    box.querySelectorAll("[data-formset-remove]").forEach(function (button) { button.hidden = false; });
    box.addEventListener("click", function (event) {
      var add = event.target.closest("[data-formset-add]");
      if (add && box.contains(add)) {
        event.preventDefault();
        addRow(box);
        return;
      }
      var remove = event.target.closest("[data-formset-remove]");
      if (remove && box.contains(remove)) {
        event.preventDefault();
        var row = remove.closest("[data-formset-row]");
        if (row) removeRow(row);
      }
    });
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-formset]").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initAll(event.target); });
})();
