/* timeline dashboard: the chronological list's and the detail panel's buttons select an
   event. One listener for all of them, writing the #picked store (the server's select
   callback reads it): hundreds of pattern-matching ids would slow Dash's renderer down
   by seconds. Buttons carry data-pick ("event-item" or "pick") and data-event-id. */
document.addEventListener("click", function (event) {
  var button = event.target && event.target.closest ? event.target.closest("button[data-pick]") : null;
  if (!button || !window.dash_clientside || !window.dash_clientside.set_props) {
    return;
  }
  window.dash_clientside.set_props("picked", {
    data: {type: button.getAttribute("data-pick"), index: button.getAttribute("data-event-id"), t: Date.now()}
  });
});

/* The dashboard's clientside callbacks (registered in timeline/webapp/callbacks.py through
   ClientsideFunction("timeline", name)): they run in the browser, with no server round trip. */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.timeline = {

  /* The browser window's width, which sizes the figures (views.sizes). */
  viewport: function (_) {
    return window.innerWidth;
  },

  /* Emphasise the selected events on the timeline. Every trace whose points stand for
     events (customdata) gets selectedpoints (the figure's own selected/unselected styles
     then dim the rest): a point is selected when its event id is, or when it is a group the
     reader clicked or boxed (the selection's `groups`); the server's "Selected" rings of an
     earlier selection hide. */
  highlight: function (selection, figure) {
    if (!figure || !figure.data) { return window.dash_clientside.no_update; }
    var ids = new Set(((selection && selection.ids) || []).concat((selection && selection.groups) || []));
    var patch = new window.dash_clientside.Patch();
    figure.data.forEach(function (trace, i) {
      if (trace.name === "Selected" && !trace.customdata) {
        patch.assign(["data", i, "visible"], false);
        return;
      }
      if (!trace.customdata) { return; }
      if (!ids.size) { patch.assign(["data", i, "selectedpoints"], null); return; }
      var points = [];
      for (var j = 0; j < trace.customdata.length; j++) {
        if (ids.has(trace.customdata[j])) { points.push(j); }
      }
      patch.assign(["data", i, "selectedpoints"], points);
    });
    return patch.build();
  },

  /* The timeline's visible range from its relayoutData, as [start, end] the way plotly
     gives them (dates or date-times, kept to the millisecond so that the timeline redrawn
     for them stays exactly where the reader left it); "all" when the axis is reset to its
     autorange (the All button, a double-click); no update for any other relayout
     (autosize, the y axis). The server checks the value again (filters.as_range,
     filters.timeline_range). */
  followTimeline: function (relayout) {
    var nu = window.dash_clientside.no_update;
    if (!relayout) { return nu; }
    if (relayout["xaxis.autorange"]) { return "all"; }
    var a, b;
    if ("xaxis.range[0]" in relayout && "xaxis.range[1]" in relayout) {
      a = relayout["xaxis.range[0]"]; b = relayout["xaxis.range[1]"];
    } else if (Array.isArray(relayout["xaxis.range"]) && relayout["xaxis.range"].length === 2) {
      a = relayout["xaxis.range"][0]; b = relayout["xaxis.range"][1];
    } else { return nu; }
    a = String(a); b = String(b);
    var when = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/;
    if (!when.test(a) || !when.test(b)) { return nu; }
    return a <= b ? [a, b] : [b, a];
  },

  /* Drop files over the size limit before their bytes travel to the server, and name them
     (the #upload-payload store: {contents, filenames, rejected}, read by
     uploads.save_payload); then clear the upload so dropping the same file again fires
     again. */
  checkUploadSizes: function (contents, names, maxBytes) {
    if (!contents) { return [window.dash_clientside.no_update, window.dash_clientside.no_update]; }
    if (!Array.isArray(contents)) { contents = [contents]; names = [names]; }
    var keep = [], keepNames = [], rejected = [];
    for (var i = 0; i < contents.length; i++) {
      var c = contents[i] || "", comma = c.indexOf(","), b64 = c.length - comma - 1;
      var pad = c.endsWith("==") ? 2 : (c.endsWith("=") ? 1 : 0);
      var bytes = Math.floor(b64 * 3 / 4) - pad;
      if (bytes > maxBytes) {
        rejected.push((names[i] || "upload") + ": file is " + bytes.toLocaleString("en") +
                      " bytes, over the " + maxBytes.toLocaleString("en") + "-byte limit");
      } else { keep.push(c); keepNames.push(names[i]); }
    }
    return [{contents: keep, filenames: keepNames, rejected: rejected, t: Date.now()}, null];
  }
};
