// Draws the dashboard's and event page's charts from the JSON the page embeds; a click on a
// bar or point opens the ledger filtered to the projects it counts.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // The time printed, in the page margin (print.css) and under the title: set when printing
  // starts, so a page left open prints the time it is printed, not the time it was loaded.
  function markPrinted() {
    var now = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    var stamp = now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" + two(now.getDate()) +
      " " + two(now.getHours()) + ":" + two(now.getMinutes());
    document.querySelectorAll("[data-printed-at]").forEach(function (node) {
      node.textContent = stamp;
      document.documentElement.style.setProperty(
        "--printed-at", JSON.stringify(node.getAttribute("data-printed-label") + ": " + stamp));
    });
  }
  markPrinted();
  window.addEventListener("beforeprint", markPrinted);
  var dataNode = document.getElementById("chart-data");
  if (!dataNode || typeof echarts === "undefined") { return; }
  var charts = JSON.parse(dataNode.textContent);
  var font = getComputedStyle(document.body).fontFamily;
  var palette = ["#24507a", "#5b8fc4", "#b7791f", "#2f6b47", "#7a6ea8", "#a33a3a", "#4f9a94", "#8c8c8c", "#c69c6d"];
  var instances = [];

  function base(spec) {
    return {
      color: palette,
      textStyle: { fontFamily: font },
      animation: false,
      grid: { left: 8, right: 24, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } }
    };
  }

  function horizontal(spec) {
    // Long category names (industries, cities) read best down the side, largest on top.
    var option = base(spec);
    option.xAxis = { type: "value", name: spec.unit, nameTextStyle: { align: "right" } };
    option.yAxis = { type: "category", data: spec.labels.slice().reverse(), axisLabel: { width: 180, overflow: "truncate" } };
    option.series = [{ type: "bar", name: spec.unit, data: spec.values.slice().reverse(), barMaxWidth: 18 }];
    option.urls = spec.urls.slice().reverse();
    return option;
  }

  function vertical(spec) {
    var option = base(spec);
    option.xAxis = { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: spec.labels.length > 8 ? 40 : 0 } };
    option.yAxis = { type: "value", name: spec.unit, minInterval: 1 };
    option.series = [{ type: "bar", name: spec.unit, data: spec.values, barMaxWidth: 28 }];
    option.urls = spec.urls;
    return option;
  }

  function timeline(spec) {
    var option = vertical(spec);
    option.legend = { bottom: 0, left: "center" };
    option.grid = { left: 8, right: 24, top: 32, bottom: 32, containLabel: true };
    option.yAxis = [
      { type: "value", name: spec.unit, minInterval: 1 },
      { type: "value", name: spec.unit2, splitLine: { show: false } }
    ];
    option.series.push({ type: "line", name: spec.unit2, yAxisIndex: 1, data: spec.values2, symbolSize: 7 });
    return option;
  }

  function funnel(spec) {
    // Signed at the top, full capacity at the bottom; the widths stay in order (no re-sorting).
    // Labels sit beside the shapes: the lower stages are often too narrow to hold them.
    var top = Math.max.apply(null, spec.values.concat([1]));
    var option = base(spec);
    delete option.grid;
    option.tooltip = { trigger: "item", formatter: function (p) { return p.name + ": " + p.value + " " + spec.unit; } };
    option.series = [{
      type: "funnel",
      sort: "none",
      top: 8, bottom: 8, left: "2%", width: "62%",
      min: 0, max: top, minSize: "3%", gap: 2,
      label: {
        show: true, position: "right", color: "#1f2933", fontSize: 13,
        formatter: function (p) { return p.name + "  {n|" + p.value + "}"; },
        rich: { n: { fontWeight: "bold", fontSize: 13, color: "#1a3b5b" } }
      },
      labelLine: { show: true, length: 14, lineStyle: { color: "#c5ccd6" } },
      itemStyle: { borderColor: "#fff", borderWidth: 1 },
      data: spec.labels.map(function (label, i) {
        return { name: label, value: spec.values[i], itemStyle: { color: funnelColors[i % funnelColors.length] } };
      })
    }];
    option.urls = spec.urls;
    return option;
  }
  var funnelColors = ["#1a3b5b", "#24507a", "#2f6390", "#3f77a6", "#5b8fc4", "#2f6b47", "#3f8a5c"];

  var builders = { sei: horizontal, destination: horizontal, origin: vertical, timeline: timeline, funnel: funnel };

  document.querySelectorAll("[data-chart]").forEach(function (node) {
    var key = node.getAttribute("data-chart");
    var spec = charts[key];
    if (!spec || !builders[key]) { return; }
    if (key === "sei" || key === "destination") {
      node.style.height = Math.max(220, 26 * spec.labels.length + 50) + "px";
    }
    var option = builders[key](spec);
    var urls = option.urls;
    delete option.urls;
    var chart = echarts.init(node, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", function (params) {
      var url = urls[params.dataIndex];
      if (url) { window.location.href = url; }
    });
    if (urls.some(Boolean)) {
      chart.getZr().on("mousemove", function () { node.style.cursor = "pointer"; });
    }
    instances.push(chart);
  });

  window.addEventListener("resize", function () { instances.forEach(function (c) { c.resize(); }); });
  function fitAll() { instances.forEach(function (c) { c.resize(); }); }
  window.addEventListener("beforeprint", fitAll);
  // Once the paper's layout applies (the print preview, or print emulation), each chart is
  // redrawn at its box's width on paper.
  var printing = window.matchMedia("print");
  if (printing.addEventListener) { printing.addEventListener("change", fitAll); }
  else if (printing.addListener) { printing.addListener(fitAll); }
  document.documentElement.setAttribute("data-charts-ready", String(instances.length));
  // The print version (?print=1, every project listed) opens the print dialog once drawn.
  if (document.querySelector("[data-print-on-load]")) { window.setTimeout(function () { window.print(); }, 0); }
})();
