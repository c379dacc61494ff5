import { MOSTLY_REFUSED } from '../analyse/refusals.ts';

/**
 * The chart code embedded in report.html. It is plain browser JavaScript (kept as a string so the page
 * is one self-contained file); it reads the embedded results and draws SVG bar and line charts.
 */
export const CHART_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('looplab-data').textContent);
  var NS = 'http://www.w3.org/2000/svg';
  var COLORS = { blocking: '#d1495b', async: '#00798c', worker: '#edae49', queue: '#6a4c93', 'queue-postgres': '#6a4c93', 'queue-redis': '#b5179e', p50: '#66a182', p90: '#2e4057', p99: '#8d96a3', 'queue wait': '#f4a261', 'queue run': '#264653' };

  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function fmt(v) { return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2); }

  // As levelLabel and modeKey in loadtest/analyse/scenario-key.ts: rows of one chart group differ only by mode.
  function level(s) {
    var l = s.rate !== undefined && s.rate !== null ? s.rate + '/s' : 'c=' + s.connections;
    if (s.processes !== undefined && s.processes !== null) l += ' p=' + s.processes;
    if (s.workers !== undefined && s.workers !== null) l += ' w=' + s.workers;
    return s.workerConcurrency !== undefined && s.workerConcurrency !== null ? l + ' c=' + s.workerConcurrency : l;
  }
  function modeKey(s) { return s.queueBackend ? s.mode + '-' + s.queueBackend : s.mode; }

  // groups: [{label, bars: [{name, value, color}]}]. With log, the y axis is logarithmic (powers of
  // ten), so milliseconds next to seconds stay visible.
  function barChart(title, unit, groups, log) {
    var width = 760, height = 300, left = 60, bottom = 70, top = 30;
    // Labels that would not fit side by side are slanted (30°) instead of overlapping; then the chart
    // grows below (and, for the first label, to the left) by what the longest one needs, so a label
    // never runs into the legend under it or off the chart's edge. 6.5 px per character of the axis font.
    var longest = groups.reduce(function (m, g) { return Math.max(m, g.label.length); }, 0) * 6.5;
    var slant = groups.some(function (g) { return g.label.length * 6.5 > (width - left - 10) / Math.max(1, groups.length); });
    if (slant) {
      var drop = 16 + longest * 0.5 + 8;
      bottom = Math.max(bottom, drop + 24);
      height += bottom - 70;
      left = Math.max(left, Math.ceil(longest * 0.87 - (width - left - 10) / Math.max(1, groups.length) / 2) + 4);
    }
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, 'class': 'chart', role: 'img', 'aria-label': title });
    svg.appendChild(el('text', { x: left, y: 18, 'class': 'title' }, title));
    var max = 0, minPositive = Infinity;
    groups.forEach(function (g) { g.bars.forEach(function (b) { if (b.value > max) max = b.value; if (b.value > 0 && b.value < minPositive) minPositive = b.value; }); });
    if (max <= 0) max = 1;
    var plotH = height - top - bottom, plotW = width - left - 10;
    var lo = log ? Math.pow(10, Math.floor(Math.log10(Math.min(minPositive, max)))) : 0;
    var hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : max;
    if (log && hi <= lo) hi = lo * 10;
    function scale(v) { return log ? (v <= lo ? 0 : (plotH * (Math.log10(v) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo))) : (plotH * v) / hi; }
    var ticks = [];
    if (log) { for (var p = lo; p <= hi * 1.0001; p *= 10) ticks.push(p); } else { for (var t = 0; t <= 4; t++) ticks.push((hi * t) / 4); }
    ticks.forEach(function (v) {
      var y = top + plotH - scale(v);
      svg.appendChild(el('line', { x1: left, x2: width - 10, y1: y, y2: y, 'class': 'grid' }));
      svg.appendChild(el('text', { x: left - 6, y: y + 4, 'class': 'axis', 'text-anchor': 'end' }, fmt(v)));
    });
    svg.appendChild(el('text', { x: 12, y: top + plotH / 2, 'class': 'axis', transform: 'rotate(-90 12 ' + (top + plotH / 2) + ')' }, unit + (log ? ' (log)' : '')));
    var groupW = plotW / Math.max(1, groups.length);
    groups.forEach(function (g, gi) {
      var barW = (groupW * 0.8) / Math.max(1, g.bars.length);
      g.bars.forEach(function (b, bi) {
        var h = scale(b.value);
        var x = left + gi * groupW + groupW * 0.1 + bi * barW;
        var rect = el('rect', { x: x, y: top + plotH - h, width: Math.max(1, barW - 2), height: Math.max(0, h), fill: b.color, 'class': 'bar' });
        rect.appendChild(el('title', {}, g.label + ' ' + b.name + ': ' + fmt(b.value) + ' ' + unit));
        svg.appendChild(rect);
      });
      var lx = left + gi * groupW + groupW / 2, ly = height - bottom + 16;
      svg.appendChild(el('text', slant ? { x: lx, y: ly, 'class': 'axis', 'text-anchor': 'end', transform: 'rotate(-30 ' + lx + ' ' + ly + ')' } : { x: lx, y: ly, 'class': 'axis', 'text-anchor': 'middle' }, g.label));
    });
    var legendX = left;
    var names = [];
    groups.forEach(function (g) { g.bars.forEach(function (b) { if (names.indexOf(b.name) < 0) names.push(b.name); }); });
    names.forEach(function (n) {
      svg.appendChild(el('rect', { x: legendX, y: height - 14, width: 10, height: 10, fill: COLORS[n] || '#999' }));
      svg.appendChild(el('text', { x: legendX + 14, y: height - 5, 'class': 'axis' }, n));
      legendX += 90;
    });
    return svg;
  }

  // series: [{name, points: [[x, y]]}]
  function lineChart(title, xLabel, unit, series) {
    var width = 760, height = 260, left = 60, bottom = 50, top = 30;
    var svg = el('svg', { viewBox: '0 0 ' + width + ' ' + height, 'class': 'chart', role: 'img', 'aria-label': title });
    svg.appendChild(el('text', { x: left, y: 18, 'class': 'title' }, title));
    var xs = [], maxY = 0;
    series.forEach(function (s) { s.points.forEach(function (p) { if (xs.indexOf(p[0]) < 0) xs.push(p[0]); if (p[1] > maxY) maxY = p[1]; }); });
    xs.sort(function (a, b) { return a - b; });
    if (maxY <= 0) maxY = 1;
    var plotH = height - top - bottom, plotW = width - left - 20;
    function px(x) { return left + (xs.length < 2 ? plotW / 2 : (plotW * xs.indexOf(x)) / (xs.length - 1)); }
    function py(y) { return top + plotH - (plotH * y) / maxY; }
    xs.forEach(function (x) { svg.appendChild(el('text', { x: px(x), y: height - bottom + 16, 'class': 'axis', 'text-anchor': 'middle' }, String(x))); });
    svg.appendChild(el('text', { x: left + plotW / 2, y: height - bottom + 32, 'class': 'axis', 'text-anchor': 'middle' }, xLabel));
    for (var t = 0; t <= 4; t++) {
      svg.appendChild(el('text', { x: left - 6, y: py((maxY * t) / 4) + 4, 'class': 'axis', 'text-anchor': 'end' }, fmt((maxY * t) / 4)));
      svg.appendChild(el('line', { x1: left, x2: left + plotW, y1: py((maxY * t) / 4), y2: py((maxY * t) / 4), 'class': 'grid' }));
    }
    series.forEach(function (s, i) {
      var d = s.points.map(function (p, j) { return (j ? 'L' : 'M') + px(p[0]) + ' ' + py(p[1]); }).join(' ');
      svg.appendChild(el('path', { d: d, stroke: COLORS[s.name] || '#555', fill: 'none', 'stroke-width': 2, 'class': 'line' }));
      s.points.forEach(function (p) { svg.appendChild(el('circle', { cx: px(p[0]), cy: py(p[1]), r: 3, fill: COLORS[s.name] || '#555' })); });
      svg.appendChild(el('text', { x: left + 10 + i * 90, y: height - 6, 'class': 'axis', fill: COLORS[s.name] || '#555' }, s.name));
    });
    return svg;
  }

  var charts = document.getElementById('charts');
  var scenarios = data.scenarios;
  var groups = {};
  var order = [];
  scenarios.forEach(function (r) {
    var key = r.scenario.workload + ' ' + level(r.scenario);
    if (!groups[key]) { groups[key] = []; order.push(key); }
    groups[key].push(r);
  });
  function modeBars(key, pick) {
    return { label: key, bars: groups[key].map(function (r) { return { name: modeKey(r.scenario), value: pick(r), color: COLORS[modeKey(r.scenario)] || COLORS[r.scenario.mode] || '#999' }; }) };
  }
  charts.appendChild(barChart('Throughput by mode (2xx answers/s)', 'req/s', order.map(function (k) { return modeBars(k, function (r) { return r.summary.rps.median; }); })));
  charts.appendChild(barChart('/health p99 while loaded (what other callers wait)', 'ms', order.map(function (k) { return modeBars(k, function (r) { return r.summary.healthP99 ? r.summary.healthP99.median : r.summary.healthMax ? r.summary.healthMax.median : 0; }); }), true));
  var latencyGroups = [];
  scenarios.forEach(function (r) {
    // A percentile the sample could not support is null: no bar for it.
    latencyGroups.push({ label: r.scenario.workload + '/' + modeKey(r.scenario) + ' ' + level(r.scenario), bars: ['p50', 'p90', 'p99'].filter(function (p) { return r.summary[p]; }).map(function (p) { return { name: p, value: r.summary[p].median, color: COLORS[p] }; }) });
  });
  charts.appendChild(barChart('Latency percentiles (2xx answers)', 'ms', latencyGroups, true));
  // Queue mode: where a job's time went, the exact means of the server's two histograms.
  var queueGroups = scenarios.filter(function (r) { return r.summary.queue; }).map(function (r) {
    return { label: r.scenario.workload + '/' + modeKey(r.scenario) + ' ' + level(r.scenario), bars: [
      { name: 'queue wait', value: r.summary.queue.waitMs.median, color: COLORS['queue wait'] },
      { name: 'queue run', value: r.summary.queue.processingMs.median, color: COLORS['queue run'] },
    ] };
  });
  if (queueGroups.length > 0) charts.appendChild(barChart('Queue mode: mean wait for a queue worker and mean run in it (server histograms)', 'ms', queueGroups, true));

  // A sweep (several load levels or worker sizes for one workload) gets a throughput curve.
  // x is whatever the sweep varied, the same quantity the axis is named after.
  var byWorkload = {};
  var sweepsWorkers = data.options.workers.length > 1;
  var sweepsProcesses = !sweepsWorkers && (data.options.processes || []).length > 1;
  var sweepsRate = data.options.rates.length > 0;
  scenarios.forEach(function (r) {
    var x = sweepsWorkers ? r.scenario.workers : sweepsProcesses ? r.scenario.processes : sweepsRate ? r.scenario.rate : r.scenario.connections;
    var m = modeKey(r.scenario);
    // A level that was mostly refused is no point on a throughput curve (refusals.ts says the same).
    var failed = r.summary.non2xx + r.summary.errors + r.summary.timeouts;
    if (failed > ${MOSTLY_REFUSED} * (r.summary.ok + failed)) return;
    (byWorkload[r.scenario.workload] = byWorkload[r.scenario.workload] || {});
    (byWorkload[r.scenario.workload][m] = byWorkload[r.scenario.workload][m] || []).push([x, r.summary.rps.median]);
  });
  var xName = sweepsWorkers ? 'worker threads' : sweepsProcesses ? 'server processes' : sweepsRate ? 'offered req/s' : 'connections';
  Object.keys(byWorkload).forEach(function (w) {
    var series = Object.keys(byWorkload[w]).map(function (m) { return { name: m, points: byWorkload[w][m] }; });
    if (series.some(function (s) { return s.points.length > 1; })) charts.appendChild(lineChart(w + ': throughput vs ' + xName, xName, 'req/s', series));
  });
  document.body.setAttribute('data-charts-rendered', String(charts.querySelectorAll('svg').length));
})();
`;
