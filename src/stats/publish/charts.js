// Draws each chart's Plotly figure from the JSON beside it (its data, layout and config); the
// static picture stays for screen readers (visually hidden once the chart is drawn) and for
// print. The plot is shown before it is drawn, so Plotly measures the column's real width
// (a hidden one measures as nothing and Plotly falls back to 700 px).
(function () {
  "use strict";
  if (typeof Plotly === "undefined") { return; }
  document.querySelectorAll("script[data-figure]").forEach(function (node) {
    var target = document.getElementById(node.getAttribute("data-figure"));
    var box = target && target.closest(".chart");
    if (!target || !box) { return; }
    var fig = JSON.parse(node.textContent);
    box.classList.remove("no-plot");
    Plotly.newPlot(target, fig.data, fig.layout, fig.config).then(function () {
      box.classList.add("drawn");
    }, function () {
      box.classList.add("no-plot");
    });
  });
})();
