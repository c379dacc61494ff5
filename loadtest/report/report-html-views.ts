/**
 * The uPlot views embedded in report.html (plain browser JavaScript, kept as a string so the page is
 * one file): a timeline per run and the HDR percentile curve per workload and load level.
 */
export const VIEWS_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('looplab-data').textContent);
  var views = document.getElementById('views');
  var COLORS = { blocking: '#d1495b', async: '#00798c', worker: '#edae49', queue: '#6a4c93', 'queue-postgres': '#6a4c93', 'queue-redis': '#b5179e', ok: '#2a9d8f', failed: '#d62828', p50: '#66a182', p99: '#2e4057', health: '#8d6a9f' };
  var WIDTH = Math.max(320, Math.min(960, views.clientWidth || 760));
  var rendered = 0;

  function level(s) {
    var l = s.rate !== undefined && s.rate !== null ? s.rate + '/s' : 'c=' + s.connections;
    if (s.processes !== undefined && s.processes !== null) l += ' p=' + s.processes;
    if (s.workers !== undefined && s.workers !== null) l += ' w=' + s.workers;
    return s.workerConcurrency !== undefined && s.workerConcurrency !== null ? l + ' c=' + s.workerConcurrency : l;
  }
  function modeKey(s) { return s.queueBackend ? s.mode + '-' + s.queueBackend : s.mode; }
  function holder(title) {
    var div = document.createElement('div');
    div.className = 'view';
    div.setAttribute('aria-label', title);
    views.appendChild(div);
    return div;
  }
  // Log scales cannot show 0 or a missing value: both become gaps.
  function positive(v) { return typeof v === 'number' && v > 0 ? v : null; }

  // A timeline per run: answers per second on the left, latencies (log) on the right. Stalls, warm-up
  // effects and outages show as dips in 2xx/s, rises in failed/s and spikes in the latencies.
  data.scenarios.forEach(function (r) {
    r.runs.forEach(function (run, i) {
      var tl = run.timeline || [];
      if (tl.length === 0) return;
      var title = 'Timeline: ' + r.scenario.workload + '/' + modeKey(r.scenario) + ' ' + level(r.scenario) + (r.runs.length > 1 ? ' (run ' + (i + 1) + ')' : '');
      // Counts per second as rates: a partial last second (span < 1) is scaled to its length, and left
      // out when under half a second, where a handful of answers is no rate at all (never a fall to zero).
      var rate = function (s, n) { return s.span === undefined ? n : s.span >= 0.5 ? n / s.span : null; };
      var partial = tl.length > 0 && tl[tl.length - 1].span !== undefined && tl[tl.length - 1].span < 0.5;
      if (partial) title += ' — the last ' + tl[tl.length - 1].span + ' s is too short to be a rate and is not drawn';
      new uPlot({
        title: title,
        width: WIDTH,
        height: 240,
        scales: { x: { time: false }, n: { range: function (u, min, max) { return [0, Math.max(1, max)]; } }, ms: { distr: 3 } },
        axes: [
          { label: 'second of the measured window', incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300] },
          { scale: 'n', label: 'answers / s' },
          { scale: 'ms', side: 1, label: 'ms (log)', grid: { show: false } },
        ],
        series: [
          {},
          { label: '2xx/s', scale: 'n', stroke: COLORS.ok, width: 2 },
          { label: 'failed/s', scale: 'n', stroke: COLORS.failed, width: 2 },
          { label: 'p50 ms', scale: 'ms', stroke: COLORS.p50, dash: [4, 3], spanGaps: true },
          { label: 'p99 ms', scale: 'ms', stroke: COLORS.p99, dash: [4, 3], spanGaps: true },
          { label: '/health p99 ms', scale: 'ms', stroke: COLORS.health, spanGaps: true },
        ],
      }, [
        tl.map(function (s) { return s.t; }),
        tl.map(function (s) { return rate(s, s.ok); }),
        tl.map(function (s) { return rate(s, s.failed); }),
        tl.map(function (s) { return positive(s.p50); }),
        tl.map(function (s) { return positive(s.p99); }),
        tl.map(function (s) { return positive(s.healthP99); }),
      ], holder(title));
      rendered++;
    });
  });

  // The classic HDR percentile plot: x is "1 in N" (p99 = 1 in 100) on a log axis, one line per mode;
  // each curve ends at its maximum, placed at 1 in n (the worst of n answers).
  var groups = {};
  var order = [];
  data.scenarios.forEach(function (r) {
    var key = r.scenario.workload + ' ' + level(r.scenario);
    if (!groups[key]) { groups[key] = []; order.push(key); }
    groups[key].push(r);
  });
  order.forEach(function (key) {
    var curves = groups[key].map(function (r) {
      var run = r.runs[0];
      var n = run.latency.n;
      return { mode: modeKey(r.scenario), points: (run.latencyCurve || []).map(function (p) { return [p[0] >= 100 ? Math.max(1, n) : 1 / (1 - p[0] / 100), p[1]]; }) };
    }).filter(function (c) { return c.points.length > 0; });
    if (curves.length === 0) return;
    var xs = [];
    curves.forEach(function (c) { c.points.forEach(function (p) { if (xs.indexOf(p[0]) < 0) xs.push(p[0]); }); });
    xs.sort(function (a, b) { return a - b; });
    var series = [{}];
    var columns = [xs];
    curves.forEach(function (c) {
      series.push({ label: c.mode, stroke: COLORS[c.mode] || '#555', width: 2, spanGaps: true, points: { show: true, size: 4 } });
      columns.push(xs.map(function (x) {
        var hit = c.points.filter(function (p) { return p[0] === x; })[0];
        return hit ? positive(hit[1]) : null;
      }));
    });
    var title = 'Latency distribution (2xx answers, first run): ' + key;
    new uPlot({
      title: title,
      width: WIDTH,
      height: 260,
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
      axes: [
        { label: 'percentile, as "1 in N" (10 = p90, 100 = p99, 1000 = p99.9)', values: function (u, splits) { return splits.map(function (v) { return v === null || v === undefined ? '' : v >= 1000 ? (v / 1000) + 'k' : String(v); }); } },
        { label: 'latency, ms (log)' },
      ],
      series: series,
    }, columns, holder(title));
    rendered++;
  });
  document.body.setAttribute('data-views-rendered', String(rendered));
})();
`;
