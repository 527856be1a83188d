// Draws each figure's chart from the JSON beside its canvas (no inline script), with the page's
// language for numbers. The table next to each chart carries the same numbers for everyone.
(function () {
  "use strict";
  if (typeof Chart === "undefined") return;
  var locale = document.documentElement.lang || "en";
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function config(spec) {
    var type = spec.type === "pareto" ? "bar" : spec.type;
    var datasets = spec.datasets.map(function (d, i) {
      var set = { label: d.label, data: d.data };
      if (spec.type === "pareto" && i === 1) {
        set.type = "line";
        set.yAxisID = "y1";
      }
      if (spec.type === "line") set.spanGaps = true;
      return set;
    });
    var options = {
      locale: locale,
      responsive: true,
      maintainAspectRatio: false,
      animation: reduced ? false : { duration: 300 },
      plugins: { legend: { position: "bottom" } },
    };
    if (type === "bar" || type === "line") {
      options.scales = { y: { beginAtZero: true } };
      if (spec.max) options.scales.y.max = spec.max;
      if (spec.type === "pareto") {
        options.scales.y1 = { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false } };
      }
    }
    return { type: type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    new Chart(canvas, config(JSON.parse(source.textContent)));
  });
})();
