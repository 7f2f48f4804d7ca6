// Draws each report chart of the page with uPlot, from the numbers in its data-chart attribute:
// {"timeZone": "Europe/Berlin", "x": [epoch seconds of each day], "labels": [...], "series": [[...]]}.
// The same numbers are in the page's table, so the page reads without script too.
(function () {
  'use strict';
  var COLOURS = ['#2457ff', '#e4572e', '#17a673', '#9b5de5', '#f2a541', '#00a6d6', '#c44569', '#6c757d'];

  function draw(element) {
    var data = JSON.parse(element.getAttribute('data-chart'));
    var series = [{ label: 'day' }];
    data.labels.forEach(function (label, i) {
      series.push({ label: label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { size: 5 } });
    });
    var options = {
      width: Math.max(280, element.clientWidth),
      height: 260,
      series: series,
      scales: { x: { time: true } },
      axes: [{}, { size: 50 }],
      tzDate: function (seconds) {
        return uPlot.tzDate(new Date(seconds * 1000), data.timeZone);
      },
    };
    var chart = new uPlot(options, [data.x].concat(data.series), element);
    window.addEventListener('resize', function () {
      chart.setSize({ width: Math.max(280, element.clientWidth), height: 260 });
    });
  }

  function start() {
    if (typeof uPlot === 'undefined') return;
    document.querySelectorAll('[data-chart]').forEach(draw);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
