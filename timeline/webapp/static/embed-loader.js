/* timeline embeds: include once next to the iframes (<iframe data-timeline-embed ...>).
   Each embed posts {type: "$message", height} to this page; the iframe it comes from
   takes that height. */
(function () {
  if (window.__timelineEmbedLoader) { return; }
  window.__timelineEmbedLoader = true;
  function origin(url) { try { return new URL(url, document.baseURI).origin; } catch (e) { return null; } }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "$message") { return; }
    var height = Number(data.height);
    if (!isFinite(height) || height < 50 || height > 20000) { return; }
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source && origin(frames[i].src) === event.origin) {
        frames[i].style.height = Math.ceil(height) + "px";
        frames[i].setAttribute("height", String(Math.ceil(height)));
      }
    }
  });
  /* Embeds that loaded before this script: ask them again. */
  var embeds = document.querySelectorAll("iframe[data-timeline-embed]");
  for (var j = 0; j < embeds.length; j++) {
    try { embeds[j].contentWindow.postMessage({type: "$request"}, "*"); } catch (e) { /* not loaded yet */ }
  }
})();
