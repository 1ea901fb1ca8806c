// A still sketch of a figure, drawn as SVG in a few milliseconds without plotly.js: what a
// light page (/embed) shows until its reader reaches for the chart (a pointer over it, a
// touch, a key), when the page loads the chart library and draws the figure itself in the
// same place, at the same size. It reads the figure as plotly.js would (its traces' x, y,
// lat, lon, markers, bars, text; its layout's axes, geo view, annotations, legend) and draws
// only what timeline's figures use: markers, horizontal bars, lines and text on a date axis
// with category lanes, and on a Mercator map with its country outlines
// (window.PlotlyGeoAssets, the page's own topojson). It does not try to be plotly.js:
// positions follow the same axes and view, the finish is plainer.
window.timelineSketch = (function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var TYPED = {f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array, i2: Int16Array,
               u2: Uint16Array, i1: Int8Array, u1: Uint8Array};

  // plotly.py writes numeric arrays as {dtype, bdata: base64}, decoded once each; everything
  // else is a list or a value
  var decoded = new WeakMap();
  function values(v) {
    if (v && v.bdata !== undefined) {
      if (decoded.has(v)) { return decoded.get(v); }
      var raw = atob(v.bdata), bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
      var out = Array.prototype.slice.call(new (TYPED[v.dtype] || Float64Array)(bytes.buffer));
      decoded.set(v, out);
      return out;
    }
    return v;
  }
  function at(v, i, fallback) {  // a scalar, or the i-th value of an array (encoded or not)
    v = values(v);
    if (v === undefined || v === null) { return fallback; }
    return Array.isArray(v) ? (v[i] === undefined || v[i] === null ? fallback : v[i]) : v;
  }
  function ms(d) {  // a plotly date ("2025-09-11", "2025-09-11 12:00:00") or ms -> ms since 1970 UTC
    if (typeof d === "number") { return d; }
    var s = String(d).replace(" ", "T");
    if (s.length === 4) { s += "-01-01"; } else if (s.length === 7) { s += "-01"; }
    return Date.parse(/T/.test(s) ? s + (/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? "" : "Z") : s);
  }
  function el(name, attrs, parent, text) {
    var e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { if (attrs[k] !== undefined && attrs[k] !== null) { e.setAttribute(k, attrs[k]); } });
    if (text !== undefined) { e.textContent = text; }
    if (parent) { parent.appendChild(e); }
    return e;
  }
  function font(layout, f) {
    f = f || {};
    var base = layout.font || {};
    return {family: f.family || base.family || "sans-serif", size: f.size || base.size || 12,
            color: f.color || base.color || "#222"};
  }
  // plotly's text is a little HTML (<b>, <br>, &amp;): the sketch shows it as plain text
  function plain(s) {
    return String(s === undefined || s === null ? "" : s).replace(/<br\s*\/?>/gi, " ").replace(/<[^<>]*>/g, "")
      .replace(/&#(\d+);/g, function (m, n) { return String.fromCharCode(Number(n)); })
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  }
  function text(parent, x, y, s, f, anchor, baseline) {
    s = plain(s);
    return el("text", {x: x, y: y, "font-family": f.family, "font-size": f.size, fill: f.color,
                       "text-anchor": anchor || "start", "dominant-baseline": baseline || "middle"}, parent, s);
  }

  // Marker symbols as paths around (0, 0) for a marker of diameter d
  function symbol(name, d) {
    var r = d / 2, q = r * 0.9, t = r * 0.35;
    switch (String(name || "circle").replace(/-open$/, "")) {
      case "square": return "M" + -q + "," + -q + "H" + q + "V" + q + "H" + -q + "Z";
      case "diamond": return "M0," + -r * 1.2 + "L" + r * 1.2 + ",0L0," + r * 1.2 + "L" + -r * 1.2 + ",0Z";
      case "triangle-up": return "M0," + -r + "L" + r + "," + r * 0.8 + "H" + -r + "Z";
      case "triangle-down": return "M0," + r + "L" + r + "," + -r * 0.8 + "H" + -r + "Z";
      case "hourglass": return "M" + -r + "," + -r + "H" + r + "L" + -r + "," + r + "H" + r + "Z";
      case "x": return "M" + -r + "," + (t - r) + "L" + (t - r) + "," + -r + "L0," + (-t) + "L" + (r - t) + "," + -r +
        "L" + r + "," + (t - r) + "L" + t + ",0L" + r + "," + (r - t) + "L" + (r - t) + "," + r + "L0," + t +
        "L" + (t - r) + "," + r + "L" + -r + "," + (r - t) + "L" + -t + ",0Z";
      case "cross": return "M" + -t + "," + -r + "H" + t + "V" + -t + "H" + r + "V" + t + "H" + t + "V" + r +
        "H" + -t + "V" + t + "H" + -r + "V" + -t + "H" + -t + "Z";
      default: break;
    }
    var corners = {pentagon: 5, hexagon: 6, star: 10}[name];
    if (!corners) { return "M" + r + ",0A" + r + "," + r + " 0 1,1 0," + -r + "A" + r + "," + r + " 0 0,1 " + r + ",0Z"; }
    var path = "";
    for (var k = 0; k < corners; k++) {
      var a = -Math.PI / 2 + k * 2 * Math.PI / corners, rr = name === "star" && k % 2 ? r * 0.45 : r * 1.05;
      path += (k ? "L" : "M") + (rr * Math.cos(a)).toFixed(2) + "," + (rr * Math.sin(a)).toFixed(2);
    }
    return path + "Z";
  }
  function marker(parent, x, y, trace, i, scale) {
    var m = trace.marker || {}, line = m.line || {};
    var d = at(m.size, i, 6) * (scale || 1);
    if (!(d > 0)) { return; }
    el("path", {d: symbol(at(m.symbol, i, "circle"), d), transform: "translate(" + x.toFixed(1) + "," + y.toFixed(1) + ")",
                fill: at(m.color, i, "#444"), "fill-opacity": at(m.opacity, i, 1),
                stroke: at(line.color, i, "none"), "stroke-width": at(line.width, i, 0)}, parent);
  }
  function legend(svg, layout, data, y0, width) {
    var f = font(layout, (layout.legend || {}).font), x = 0, y = y0, seen = {};
    var ranked = data.map(function (t, i) { return [t.legendrank === undefined ? 1000 : t.legendrank, i, t]; });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    ranked.forEach(function (item) {
      var t = item[2];
      if (t.showlegend === false || !t.name || seen[t.legendgroup || t.name]) { return; }
      seen[t.legendgroup || t.name] = true;
      var w = 45 + t.name.length * f.size * 0.55;  // plotly.js: the text 40 px in, 5 px between items
      if (x + w > width && x > 0) { x = 0; y += f.size + 8; }
      var m = t.marker || {};
      var icon = {marker: {color: at(m.color, 0, "#444"), symbol: at(m.symbol, 0, "circle"), size: 9,
                           line: {color: at((m.line || {}).color, 0, "none"), width: at((m.line || {}).width, 0, 0)}}};
      if (t.type === "bar") { el("rect", {x: x + 4, y: y - 4, width: 14, height: 8, fill: icon.marker.color, "fill-opacity": 0.6}, svg); }
      else if (/lines/.test(t.mode || "")) {
        el("line", {x1: x + 2, x2: x + 20, y1: y, y2: y, stroke: (t.line || {}).color || icon.marker.color, "stroke-width": 2.5,
                    "stroke-dasharray": (t.line || {}).dash === "dash" ? "5,3" : null}, svg);
      } else { marker(svg, x + 11, y, icon, 0); }
      text(svg, x + 22, y, t.name, f);
      x += w;
    });
    return y;
  }

  // ------------------------------------------------------------------ the timeline
  function dateTicks(lo, hi, room) {
    var day = 864e5, span = hi - lo, want = Math.max(2, Math.floor(room / 90)), out = [];
    var steps = [[1, "d"], [2, "d"], [7, "d"], [14, "d"], [1, "m"], [2, "m"], [3, "m"], [6, "m"], [12, "m"], [24, "m"],
                 [60, "m"], [120, "m"], [240, "m"], [600, "m"]];
    var step = steps.filter(function (s) { return span / (s[1] === "d" ? s[0] * day : s[0] * 30.4 * day) <= want; })[0] || steps[steps.length - 1];
    var t = new Date(lo), months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    if (step[1] === "d") { t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate())); }
    else { t = new Date(Date.UTC(t.getUTCFullYear(), step[0] >= 12 ? 0 : t.getUTCMonth(), 1)); }
    for (var n = 0; n < 60 && t.getTime() <= hi; n++) {
      if (t.getTime() >= lo) {
        var label = step[1] === "d" ? months[t.getUTCMonth()] + " " + t.getUTCDate() + (n === 0 ? ", " + t.getUTCFullYear() : "")
          : step[0] >= 12 ? String(t.getUTCFullYear()) : months[t.getUTCMonth()] + " " + t.getUTCFullYear();
        out.push([t.getTime(), label]);
      }
      if (step[1] === "d") { t = new Date(t.getTime() + step[0] * day); }
      else { t = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth() + step[0], 1)); }
    }
    return out;
  }
  function timeline(svg, fig, width, height) {
    var layout = fig.layout, data = fig.data, xa = layout.xaxis || {}, ya = layout.yaxis || {};
    var margin = layout.margin || {}, tickFont = font(layout, ya.tickfont), xFont = font(layout, xa.tickfont);
    var labels = ya.ticktext || [], longest = 0;
    labels.forEach(function (s) { longest = Math.max(longest, String(s).length); });
    var left = (margin.l || 10) + longest * tickFont.size * 0.55 + 8;
    var legendBottom = layout.showlegend === false ? 0 : legend(svg, layout, data, 12, width - 20);
    var top = Math.max(margin.t || 40, legendBottom + 44), right = width - (margin.r || 10);
    var slider = (xa.rangeslider || {}).visible ? 0.1 : 0;
    var bottom = height - (margin.b || 10) - 2 * xFont.size - 36;  // two lines of date labels (day, year)
    var plotBottom = bottom - (bottom - top) * slider / (1 + slider);
    var range = (xa.range || []).map(ms), yr = ya.range || [-0.5, labels.length - 0.5];
    if (!(range[1] > range[0])) {  // no dated events: the figure's message alone
      (layout.annotations || []).forEach(function (a) {
        if (a.xref === "paper") { text(svg, left + (right - left) * (a.x === undefined ? 0.5 : a.x), (top + plotBottom) / 2, a.text, font(layout, a.font), "middle"); }
      });
      return;
    }
    var X = function (t) { return left + (t - range[0]) / (range[1] - range[0]) * (right - left); };
    var Y = function (v) { return plotBottom - (v - yr[0]) / (yr[1] - yr[0]) * (plotBottom - top); };
    var plot = el("g", {"clip-path": "url(#" + svg.id + "-clip)"}, svg);
    el("rect", {x: left, y: top, width: right - left, height: plotBottom - top}, el("clipPath", {id: svg.id + "-clip"}, svg));
    dateTicks(range[0], range[1], right - left).forEach(function (tick) {
      var x = X(tick[0]);
      el("line", {x1: x, x2: x, y1: top, y2: plotBottom, stroke: xa.gridcolor || "#E6E6E6"}, svg);
      text(svg, x, plotBottom + 6 + xFont.size / 2, tick[1], xFont, "middle");
    });
    (ya.tickvals || []).forEach(function (v, i) { text(svg, left - 6, Y(v), labels[i], tickFont, "end"); });
    data.forEach(function (t) {
      var y = values(t.y) || [];
      if (t.type === "bar") {
        var base = values(t.base) || [], len = values(t.x) || [], w = values(t.width), m = t.marker || {};
        y.forEach(function (v, i) {
          var x0 = X(ms(at(base, i, 0))), x1 = X(ms(at(base, i, 0)) + Number(at(len, i, 0))), hw = at(w, i, 0.8) / 2;
          if (Math.max(x0, x1) < left || Math.min(x0, x1) > right) { return; }  // out of view: not drawn
          el("rect", {x: Math.min(x0, x1), y: Y(v + hw), width: Math.max(1, Math.abs(x1 - x0)), height: Math.abs(Y(v - hw) - Y(v + hw)),
                      fill: at(m.color, i, "#888"), "fill-opacity": at(m.opacity, i, 0.6),
                      stroke: at((m.line || {}).color, i, "none"), "stroke-width": at((m.line || {}).width, i, 0)}, plot);
        });
      } else if (/markers/.test(t.mode || "markers")) {
        var xs = values(t.x) || [];
        y.forEach(function (v, i) {
          var x = X(ms(xs[i]));
          if (x > left - 20 && x < right + 20) { marker(plot, x, Y(v), t, i); }
        });
      }
    });
    (layout.annotations || []).forEach(function (a) {
      if (a.xref === "x" && a.yref === "y") {
        text(plot, X(ms(a.x)) + (a.xanchor === "right" ? -6 : a.xanchor === "left" ? 6 : 0), Y(a.y), a.text,
             font(layout, a.font), a.xanchor === "right" ? "end" : a.xanchor === "left" ? "start" : "middle");
      } else if (a.xref === "paper" && a.yref === "paper") {  // the empty state's message
        text(svg, left + (right - left) * a.x, top + (plotBottom - top) * (1 - a.y), a.text, font(layout, a.font), "middle");
      }
    });
    if (slider) { el("rect", {x: left, y: plotBottom + xFont.size + 16, width: right - left, height: bottom - plotBottom - 4,
                              fill: (xa.rangeslider || {}).bgcolor || "#F5F5F5"}, svg); }
  }

  // ------------------------------------------------------------------ the map
  function mercator(lat) { return Math.log(Math.tan(Math.PI / 4 + Math.max(-85, Math.min(85, lat)) * Math.PI / 360)); }
  function arcsOf(topo) {
    var tr = topo.transform;
    return topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) {
        if (!tr) { return p; }
        x += p[0]; y += p[1];
        return [x * tr.scale[0] + tr.translate[0], y * tr.scale[1] + tr.translate[1]];
      });
    });
  }
  function ring(arcs, ids, P) {
    var pts = [];
    ids.forEach(function (i) {
      var a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      a.forEach(function (p, k) { if (k || !pts.length) { pts.push(P(p)); } });
    });
    return pts.length ? "M" + pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join("L") : "";
  }
  function shapes(obj, arcs, P, closed) {
    var out = [];
    (obj.type === "GeometryCollection" ? obj.geometries : [obj]).forEach(function (g) {
      var parts = {Polygon: [g.arcs], MultiPolygon: g.arcs, LineString: [[g.arcs]], MultiLineString: [g.arcs]}[g.type] || [];
      parts.forEach(function (poly) { poly.forEach(function (ids) { out.push(ring(arcs, ids, P) + (closed ? "Z" : "")); }); });
    });
    return out.join("");
  }
  function map(svg, fig, width, height) {
    var layout = fig.layout, geo = layout.geo || {}, margin = layout.margin || {};
    var lon = (geo.lonaxis || {}).range, lat = (geo.lataxis || {}).range;
    if (!lon || !lat) { return; }
    var left = margin.l || 0, top = margin.t || 0, w = width - left - (margin.r || 0), h = height - top - (margin.b || 0);
    var dx = (lon[1] - lon[0]) * Math.PI / 180, dy = mercator(lat[1]) - mercator(lat[0]);
    var k = Math.min(w / dx, h / dy), ox = left + (w - dx * k) / 2, oy = top + (h - dy * k) / 2;
    var P = function (p) { return [ox + (p[0] - lon[0]) * Math.PI / 180 * k, oy + (mercator(lat[1]) - mercator(p[1])) * k]; };
    el("rect", {x: ox, y: oy, width: dx * k, height: dy * k}, el("clipPath", {id: svg.id + "-clip"}, svg));
    var g = el("g", {"clip-path": "url(#" + svg.id + "-clip)"}, svg);
    el("rect", {x: ox, y: oy, width: dx * k, height: dy * k, fill: geo.oceancolor || "#DCE8F0"}, g);
    var name = (geo.scope || "world") + "_" + (geo.resolution || 110) + "m";
    var topo = ((window.PlotlyGeoAssets || {}).topojson || {})[name];
    if (topo && topo.objects) {
      var arcs = arcsOf(topo), o = topo.objects;
      if (o.land) { el("path", {d: shapes(o.land, arcs, P, true), fill: geo.landcolor || "#F1EFE8"}, g); }
      if (o.lakes) { el("path", {d: shapes(o.lakes, arcs, P, true), fill: geo.lakecolor || "#DCE8F0"}, g); }
      if (o.countries) { el("path", {d: shapes(o.countries, arcs, P, true), fill: "none", stroke: geo.countrycolor || "#7A7A7A",
                                     "stroke-width": geo.countrywidth || 1}, g); }
    }
    fig.data.forEach(function (t) {
      var la = values(t.lat) || [], lo = values(t.lon) || [], mode = t.mode || "markers", tx = t.text;
      var pts = la.map(function (v, i) { return P([lo[i], v]); });
      if (/lines/.test(mode)) {
        var line = t.line || {};
        el("path", {d: "M" + pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join("L"), fill: "none",
                    stroke: line.color || "#444", "stroke-width": line.width || 2, "stroke-dasharray": line.dash === "dash" ? "9,5" : null}, g);
      }
      pts.forEach(function (p, i) {
        if (/markers/.test(mode)) { marker(g, p[0], p[1], t, i); }
        var s = at(tx, i, "");
        if (/text/.test(mode) && s) {
          var pos = String(at(t.textposition, i, "middle center")), f = font(layout, t.textfont);
          var r = at(values((t.marker || {}).size), i, 0) / 2 + 3;
          var ax = /left/.test(pos) ? -r : /right/.test(pos) ? r : 0, ay = /top/.test(pos) ? -r - f.size / 2 : /bottom/.test(pos) ? r + f.size / 2 : 0;
          var label = text(g, p[0] + ax, p[1] + ay, s, f, /left/.test(pos) ? "end" : /right/.test(pos) ? "start" : "middle");
          if ((t.textfont || {}).weight === "bold") { label.setAttribute("font-weight", "bold"); }
        }
      });
    });
    (layout.annotations || []).forEach(function (a) {  // the note of places outside the view, an empty map's message
      if (a.xref !== "paper" || a.yref !== "paper" || !a.text) { return; }
      var f = font(layout, a.font), ax = left + w * (a.x === undefined ? 0.5 : a.x);
      var ay = top + h * (1 - (a.y === undefined ? 0.5 : a.y)) + (a.yanchor === "top" ? f.size * 0.7 : a.yanchor === "bottom" ? -f.size * 0.7 : 0);
      text(svg, ax, ay, a.text, f, a.xanchor === "right" ? "end" : a.xanchor === "left" ? "start" : "middle");
    });
    if (layout.showlegend !== false && fig.data.some(function (t) { return t.showlegend !== false && t.name; })) {
      var rows = el("g", {}, svg), last = legend(rows, layout, fig.data, 0, width - 20), lh = last + 16;
      rows.setAttribute("transform", "translate(10," + (height - (margin.b || 0) - lh + 8) + ")");
      rows.insertBefore(el("rect", {x: -10, y: -8, width: width, height: lh, fill: (layout.legend || {}).bgcolor || "rgba(255,255,255,0.8)"}), rows.firstChild);
    }
  }

  // Draws figure `fig` (named "timeline" or "map") into `el` as an SVG of its size
  return function sketch(name, fig, into) {
    var width = into.clientWidth || 600, height = (fig.layout && fig.layout.height) || into.clientHeight || 450;
    into.style.position = "relative";  // the sketch lies over the box plotly.js draws into, never beside it
    var svg = el("svg", {id: into.id + "-sketch", width: "100%", height: height, viewBox: "0 0 " + width + " " + height,
                         role: "img", "aria-label": (name === "map" ? "Map" : "Timeline") + " of the events (a still; the chart loads when you reach for it)",
                         "class": "sketch", style: "position:absolute;left:0;top:0;display:block;background:" +
                         ((fig.layout || {}).paper_bgcolor || "#fff")});
    (name === "map" ? map : timeline)(svg, fig, width, height);
    into.appendChild(svg);
    return svg;
  };
})();
