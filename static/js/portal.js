// Progressive enhancement only: every page works without this file.
// Starts the design system's components (mobile menu, error summary focus, accordions ...).
(function () {
  "use strict";
  var DKFDS = window.DKFDS;
  if (typeof DKFDS === "undefined") {
    return;
  }
  DKFDS.init();
  // Content swapped in by htmx: start only the components inside it. A second DKFDS.init()
  // would start the main navigation again and add a second "Mere" menu.
  document.addEventListener("htmx:afterSwap", function (event) {
    var scope = event.detail.elt;
    scope.querySelectorAll(".accordion").forEach(function (el) {
      new DKFDS.Accordion(el).init();
    });
    var summary = scope.querySelector('[data-module="error-summary"]');
    if (summary) {
      new DKFDS.ErrorSummary(summary).init();
    }
  });
})();
