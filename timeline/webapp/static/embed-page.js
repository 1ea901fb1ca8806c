(function () {
  var options = $options;
  var timeline = document.getElementById("timeline-graph"), map = document.getElementById("map-graph");
  var labels = null;
  [timeline, map].forEach(function (el) {
    if (!el || !window.Plotly) { return; }
    var update = options.height ? {height: options.height} : {};
    if (options.height) { el.style.height = options.height + "px"; }
    if (options.dark) {
      Object.assign(update, el === map ? options.darkMap : options.darkTimeline);
      var text = [];
      (el.data || []).forEach(function (t, i) { if (t.textfont || /text/.test(t.mode || "")) { text.push(i); } });
      if (text.length) { Plotly.restyle(el, {"textfont.color": options.darkText}, text); }
    }
    if (el === timeline) {
      labels = (el.layout.annotations || []).map(function (a) {
        a = JSON.parse(JSON.stringify(a));
        if (options.dark) { a.font = Object.assign({}, a.font, {color: options.darkText}); }
        return a;
      });
      update.annotations = fit(labels);
    }
    Plotly.relayout(el, update);
  });
  function fit(all) {
    return window.innerWidth < $narrow ? all.filter(function (a) { return a.name === "empty-state"; }) : all;
  }
  var shown = null, mapHeight = null;
  function refit() {
    if (!window.Plotly) { return; }
    if (timeline && labels) {
      var want = fit(labels);
      if (shown !== want.length) { shown = want.length; Plotly.relayout(timeline, {annotations: want}); }
    }
    // The map keeps its aspect: a narrow frame gets a shorter map, not blank bands (as views.sizes).
    if (map && !options.height) {
      var legend = window.innerWidth < $narrow ? 100 : 40;
      var h = Math.round(Math.min(520, Math.max(300, map.clientWidth / 1.45 + legend)));
      if (h !== mapHeight) { mapHeight = h; map.style.height = h + "px"; Plotly.relayout(map, {height: h}); }
    }
  }
  refit();
  function post() {
    if (window.parent === window) { return; }
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    window.parent.postMessage({type: "$message", height: height}, "*");
  }
  window.addEventListener("load", post);
  window.addEventListener("resize", function () { refit(); post(); });
  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === "$request") { post(); }
  });
  if (window.ResizeObserver) { new ResizeObserver(post).observe(document.body); }
})();
