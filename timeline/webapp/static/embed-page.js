(function () {
  // The page draws its figures itself (export.standalone_html), calling these hooks: each
  // figure gets the embed's theme and sizes before it is drawn, so it never flashes light.
  var options = $options;
  var labels = null, shown = null, mapHeight = null;
  var drawn = {};
  function set(obj, path, value) {  // "xaxis.rangeslider.bgcolor" -> obj.xaxis.rangeslider.bgcolor
    var keys = path.split("."), last = keys.pop();
    keys.forEach(function (k) { obj = obj[k] = obj[k] || {}; });
    obj[last] = value;
  }
  function narrow() { return window.innerWidth < $narrow; }
  function fit(all) {
    return narrow() ? all.filter(function (a) { return a.name === "empty-state"; }) : all;
  }
  // The map keeps its aspect: a narrow frame gets a shorter map, not blank bands (as views.sizes).
  function mapFits(el) {
    return Math.round(Math.min(520, Math.max(300, el.clientWidth / 1.45 + (narrow() ? 100 : 40))));
  }
  window.timelinePage = {
    prepare: function (name, fig, el) {
      var layout = fig.layout;
      if (options.height) { layout.height = options.height; el.style.height = options.height + "px"; }
      if (options.dark) {
        var dark = name === "map" ? options.darkMap : options.darkTimeline;
        Object.keys(dark).forEach(function (path) { set(layout, path, dark[path]); });
        (fig.data || []).forEach(function (t) {
          if (t.textfont || /text/.test(t.mode || "")) { t.textfont = Object.assign({}, t.textfont, {color: options.darkText}); }
        });
      }
      if (name === "timeline") {
        labels = (layout.annotations || []).map(function (a) {
          a = JSON.parse(JSON.stringify(a));
          if (options.dark) { a.font = Object.assign({}, a.font, {color: options.darkText}); }
          return a;
        });
      }
      fitFigure(name, fig, el);
    },
    // before a sketch is drawn again at a new width
    resized: function (name, fig, el) { fitFigure(name, fig, el); },
    drawn: function (name, el) { drawn[name] = el; refit(); post(); }
  };
  // The sizes that follow the width: the timeline's labels (none when narrow), the map's height.
  function fitFigure(name, fig, el) {
    if (name === "timeline" && labels) {
      fig.layout.annotations = fit(labels);
      shown = fig.layout.annotations.length;
    }
    if (name === "map" && !options.height) {
      mapHeight = mapFits(el);
      fig.layout.height = mapHeight;
      el.style.height = mapHeight + "px";
    }
  }
  function refit() {
    var timeline = drawn.timeline, map = drawn.map;
    if (timeline && labels) {
      var want = fit(labels);
      if (shown !== want.length) { shown = want.length; Plotly.relayout(timeline, {annotations: want}); }
    }
    if (map && !options.height) {
      var h = mapFits(map);
      if (h !== mapHeight) { mapHeight = h; map.style.height = h + "px"; Plotly.relayout(map, {height: h}); }
    }
  }
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
