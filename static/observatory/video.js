// The video series: the player is inserted only when the reader clicks "Play", so nothing
// reaches the video platform before. Only the privacy-enhanced players are accepted (the
// pages' Content-Security-Policy allows frames from them alone).
(function () {
  "use strict";

  const ALLOWED = ["https://www.youtube-nocookie.com/", "https://player.vimeo.com/"];

  document.addEventListener("click", function (event) {
    const button = event.target.closest && event.target.closest("[data-video-load]");
    if (!button) return;
    const figure = button.closest("[data-video-src]");
    const src = figure && figure.dataset.videoSrc;
    if (!src || !ALLOWED.some(function (origin) { return src.indexOf(origin) === 0; })) return;
    const frame = document.createElement("iframe");
    frame.src = src;
    frame.title = figure.dataset.videoTitle || "Video";
    frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "observatory-video-frame";
    const placeholder = figure.querySelector(".observatory-video-placeholder");
    placeholder.replaceWith(frame);
    frame.focus();
  });
})();
