/**
 * The uPlot chart of the pool-size sweep, as plain browser JavaScript kept in a string so the page stays
 * one file. It reads the run's JSON from #seeds-data and draws seconds against pool size, both on log
 * scales: one line for the worker-thread pool (with and without its start-up), one for bounded Promise.all.
 */
export const SWEEP_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('seeds-data').textContent);
  var holder = document.getElementById('sweep');
  if (!data.sweep || !holder) return;
  function median(xs) {
    var s = xs.slice().sort(function (a, b) { return a - b; });
    var m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  }
  var sizes = [];
  data.sweep.points.forEach(function (p) { if (sizes.indexOf(p.size) < 0) sizes.push(p.size); });
  sizes.sort(function (a, b) { return a - b; });
  function line(form, part) {
    return sizes.map(function (size) {
      var p = data.sweep.points.filter(function (q) { return q.form === form && q.size === size; })[0];
      if (!p) return null;
      return median(p.samples.map(function (s) { return (part === 'batch' ? 0 : s.startMs) + s.batchMs; })) / 1000;
    });
  }
  var width = Math.max(320, Math.min(960, holder.clientWidth || 760));
  new uPlot({
    title: 'Pool-size sweep: 160 pages at ' + data.sweep.latencyMs + ' ms each (Real Python found 5–10 threads fastest)',
    width: width,
    height: 300,
    // The x range is the sizes swept, not the decades around them.
    scales: { x: { time: false, distr: 3, range: function () { return [sizes[0] * 0.8, sizes[sizes.length - 1] * 1.25]; } }, y: { distr: 3 } },
    axes: [{ label: 'pool size (threads, or requests in flight)' }, { label: 'seconds (log)' }],
    series: [
      { label: 'size' },
      { label: 'worker_threads pool', stroke: '#edae49', width: 2, spanGaps: true, points: { show: true, size: 6 } },
      { label: 'worker_threads pool, start-up left out', stroke: '#edae49', dash: [5, 4], width: 1, spanGaps: true },
      { label: 'bounded Promise.all', stroke: '#00798c', width: 2, spanGaps: true, points: { show: true, size: 6 } },
    ],
  }, [sizes, line('thread-pool'), line('thread-pool', 'batch'), line('bounded')], holder);
  document.body.setAttribute('data-sweep-rendered', 'yes');
})();
`;
