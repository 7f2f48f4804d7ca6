// The survey report's charts: a bar chart of each question's answers, drawn with uPlot from the
// labels and counts that the page carries in data- attributes (the dashboard's policy allows no
// inline script). Without uPlot the tables beside the charts say the same.
(function () {
  'use strict';

  function read(element, name) {
    try {
      var value = JSON.parse(element.getAttribute(name));
      return Array.isArray(value) ? value : [];
    } catch (e) {
      return [];
    }
  }

  function draw(element) {
    var labels = read(element, 'data-labels');
    var counts = read(element, 'data-counts');
    if (!window.uPlot || labels.length === 0 || labels.length !== counts.length) {
      return;
    }
    var xs = labels.map(function (_, i) {
      return i;
    });
    var width = Math.max(240, Math.floor(element.clientWidth || 360));
    // A label gets its bar's width, about 7 pixels a character; a longer one is cut with an
    // ellipsis (the table beside the chart has it whole), so that neighbours never overlap.
    var fits = Math.max(3, Math.floor((width - 40) / labels.length / 7));
    var shown = labels.map(function (label) {
      var chars = Array.from(String(label)); // by code point, so that no emoji is cut in half
      return chars.length <= fits ? chars.join('') : chars.slice(0, fits - 1).join('') + '\u2026';
    });
    var accent =
      getComputedStyle(document.documentElement).getPropertyValue('--accent').trim() || '#2457ff';
    element.textContent = '';
    new window.uPlot(
      {
        width: width,
        height: 180,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: [0, Math.max(1, Math.max.apply(null, counts))] },
        },
        axes: [
          {
            values: function (u, splits) {
              return splits.map(function (v) {
                return shown[v] === undefined ? '' : shown[v];
              });
            },
            splits: function () {
              return xs;
            },
            gap: 4,
            size: 36,
          },
          {
            size: 40,
            values: function (u, splits) {
              return splits.map(function (v) {
                return Number.isInteger(v) ? String(v) : '';
              });
            },
          },
        ],
        series: [
          {},
          {
            label: 'responses',
            stroke: accent,
            fill: accent,
            paths: window.uPlot.paths.bars({ size: [0.7, 60] }),
            points: { show: false },
          },
        ],
      },
      [xs, counts],
      element,
    );
  }

  window.addEventListener('load', function () {
    document.querySelectorAll('.chart[data-labels]').forEach(draw);
  });
})();
