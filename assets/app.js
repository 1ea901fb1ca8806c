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
