// Running total while typing; the server recomputes it on save, so this is only a convenience.
(function () {
  var form = document.getElementById("score-form");
  if (!form) return;
  var out = document.getElementById("running-total");
  function update() {
    var total = 0;
    form.querySelectorAll("[data-score]").forEach(function (input) {
      var v = parseFloat((input.value || "").replace(",", "."));
      var max = parseFloat(input.dataset.max);
      var bad = input.value.trim() !== "" && (isNaN(v) || v < 0 || v > max);
      input.classList.toggle("is-invalid", bad);
      if (!isNaN(v)) total += v;
    });
    out.textContent = (Math.round(total * 100) / 100).toString().replace(".", ",");
  }
  form.addEventListener("input", update);
  update();
})();
