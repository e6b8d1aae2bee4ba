// aicode dashboard: draws the charts described by each page's JSON blocks, keeps the filter
// URL clean. Served from /static (the page's Content-Security-Policy allows no inline script).
(function () {
  "use strict";

  var SOURCE_COLORS = ["tab", "agent", "inline_chat", "quest", "cli_agent"];
  var charts = [];

  function cssColor(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--c-" + name).trim();
  }

  function themeColor(name) {
    return getComputedStyle(document.documentElement).getPropertyValue("--" + name).trim();
  }

  function datasetsOf(spec) {
    return spec.series.map(function (s) {
      var color = s.color === "sources" ? SOURCE_COLORS.map(cssColor) : cssColor(s.color);
      var line = spec.kind === "line";
      return {
        label: s.label,
        data: s.values,
        backgroundColor: color,
        borderColor: line ? color : (spec.kind === "doughnut" ? themeColor("panel") : color),
        borderWidth: line ? 2 : (spec.kind === "doughnut" ? 2 : 0),
        pointRadius: line ? 2 : 0,
        tension: 0.25,
        fill: false,
        _color: s.color
      };
    });
  }

  function configOf(spec) {
    var percent = spec.percent;
    var tick = function (value) {
      return percent ? value + "%" : value.toLocaleString();
    };
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: spec.series.length > 1 || spec.kind === "doughnut", position: "bottom" },
        tooltip: { mode: spec.kind === "doughnut" ? "point" : "index", intersect: false }
      }
    };
    if (spec.kind !== "doughnut") {
      var valueAxis = { beginAtZero: true, stacked: spec.stacked, ticks: { callback: tick },
                        grid: { color: cssColor("grid") } };
      var labelAxis = { stacked: spec.stacked, grid: { display: false },
                        ticks: { autoSkip: true, maxRotation: 0 } };
      if (percent) { valueAxis.suggestedMax = 100; }
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = spec.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis };
    }
    return { type: spec.kind, data: { labels: spec.labels, datasets: datasetsOf(spec) }, options: options };
  }

  function applyTheme() {
    if (!window.Chart) { return; }
    window.Chart.defaults.color = themeColor("muted");
    window.Chart.defaults.borderColor = cssColor("grid");
  }

  function drawCharts() {
    if (!window.Chart) { return; }
    applyTheme();
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var source = document.getElementById("chart-" + canvas.dataset.chart);
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      charts.push({ chart: new window.Chart(canvas, configOf(spec)), spec: spec });
    });
    document.documentElement.dataset.chartsReady = String(charts.length);
  }

  function recolor() {
    applyTheme();
    charts.forEach(function (entry) {
      var fresh = configOf(entry.spec);
      entry.chart.data.datasets.forEach(function (ds, i) {
        ds.backgroundColor = fresh.data.datasets[i].backgroundColor;
        ds.borderColor = fresh.data.datasets[i].borderColor;
      });
      if (entry.chart.options.scales) {
        Object.keys(entry.chart.options.scales).forEach(function (axis) {
          var grid = entry.chart.options.scales[axis].grid;
          if (grid && grid.display !== false) { grid.color = cssColor("grid"); }
        });
      }
      entry.chart.update();
    });
  }

  function cleanFilterForms() {
    // Empty fields stay out of the URL, so a shared link carries only the filters in use.
    document.querySelectorAll("form[data-filters]").forEach(function (form) {
      form.addEventListener("submit", function () {
        Array.prototype.forEach.call(form.elements, function (field) {
          if (field.name && field.type !== "checkbox" && field.value === "") { field.disabled = true; }
        });
      });
      form.querySelectorAll("select, input[type=checkbox]").forEach(function (field) {
        field.addEventListener("change", function () { form.requestSubmit(); });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    drawCharts();
    cleanFilterForms();
    var scheme = window.matchMedia("(prefers-color-scheme: dark)");
    if (scheme.addEventListener) { scheme.addEventListener("change", recolor); }
  });
})();
