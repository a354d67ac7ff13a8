/* Runs inside the embedded programme (/siv/inbaddning/): tells the page around the iframe how tall the list
   is, so the frame can fit it. The message is only a height; the frame works without any of this. */
(function () {
  "use strict";
  if (window.parent === window) return;
  var last = 0;

  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: "siv-embed-height", href: location.href, height: height }, "*");
  }

  if (window.ResizeObserver) {
    new ResizeObserver(send).observe(document.documentElement);
  } else {
    window.addEventListener("resize", send);
  }
  window.addEventListener("load", send);
  send();
})();
