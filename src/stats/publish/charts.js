// Draws each chart's Plotly figure from the JSON beside it; the static picture stays for
// screen readers (visually hidden once the chart is drawn) and for print.
(function () {
  "use strict";
  if (typeof Plotly === "undefined") { return; }
  var config = { displayModeBar: false, responsive: true };
  document.querySelectorAll("script[data-figure]").forEach(function (node) {
    var target = document.getElementById(node.getAttribute("data-figure"));
    var box = target && target.closest(".chart");
    if (!target || !box) { return; }
    var fig = JSON.parse(node.textContent);
    fig.layout.width = undefined;
    fig.layout.autosize = true;
    Plotly.newPlot(target, fig.data, fig.layout, config).then(function () {
      box.classList.remove("no-plot");
      box.classList.add("drawn");
    });
  });
})();
