// INC-6: progressive enhancement of the incident timers. Every page shows the exact due time and the
// time left as computed by the server; this only keeps "time left" counting down while the page is
// open. It counts from the server's own time (data-now) plus the time since the page loaded, so a
// wrong clock on the reader's computer does not matter. Updated each 15 s; no network access.
(function () {
  var root = document.querySelector('[data-countdown-now]');
  if (!root) return;
  var serverNow = Date.parse(root.getAttribute('data-countdown-now'));
  var loaded = performance.now();
  var en = document.documentElement.lang === 'en';
  function text(ms) {
    var total = Math.max(0, Math.floor(ms / 60000));
    var d = Math.floor(total / 1440), h = Math.floor((total % 1440) / 60), m = total % 60;
    return en ? d + ' d ' + h + ' h ' + m + ' min' : d + ' 天 ' + h + ' 小時 ' + m + ' 分';
  }
  function tick() {
    var now = serverNow + (performance.now() - loaded);
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var left = Date.parse(el.getAttribute('data-countdown')) - now;
      var out = el.querySelector('[data-left]');
      if (!out) return;
      out.textContent = left > 0 ? text(left) : (en ? 'due now' : '已到期');
    });
  }
  tick();
  setInterval(tick, 15000);
})();
