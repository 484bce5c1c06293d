/* Dashboard charts (Chart.js, vendored). The tables under each chart hold the same numbers and links and are
   what a page without JavaScript shows; a click on a bar opens the list that the bar counts. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var palette = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#d63384"];
  var vn = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 3 });
  document.querySelectorAll("[data-chart]").forEach(function (box) {
    var id = box.getAttribute("data-chart");
    var source = document.getElementById(id + "-data");
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    if (!spec.labels.length) return;
    box.classList.remove("d-none");
    box.style.height = Math.max(180, spec.horizontal ? spec.labels.length * 26 + 40 : 240) + "px";
    // The value axis: counts step by whole numbers (never 0,1 … 1,0); every number in the Vietnamese format.
    var valueTicks = { callback: function (v) { return vn.format(v); } };
    if (!spec.money) valueTicks.precision = 0;
    var categoryTicks = { autoSkip: !spec.horizontal };
    var scales = spec.horizontal
      ? { x: { beginAtZero: true, ticks: valueTicks }, y: { ticks: categoryTicks } }
      : { x: { ticks: categoryTicks }, y: { beginAtZero: true, ticks: valueTicks } };
    var chart = new Chart(document.getElementById(id), {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return { label: d.label, data: d.data, backgroundColor: palette[i % palette.length] };
        }),
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { display: spec.datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = vn.format(ctx.raw);
                return ctx.dataset.label + ": " + v + (spec.money ? " triệu đồng" : "");
              },
            },
          },
        },
        scales: scales,
        onHover: function (evt, elements) {
          evt.native.target.style.cursor = elements.length && spec.urls[elements[0].index] ? "pointer" : "default";
        },
        onClick: function (evt, elements) {
          if (!elements.length) return;
          var url = spec.urls[elements[0].index];
          if (url) window.location.href = url;
        },
      },
    });
    box.chart = chart;
  });
})();
