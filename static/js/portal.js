// Progressive enhancement only: every page works without this file.
// Starts the design system's components (mobile menu, error summary focus, accordions ...).
(function () {
  "use strict";
  var DKFDS = window.DKFDS;
  if (typeof DKFDS === "undefined") {
    return;
  }
  // The server renders the main menu and the log-in link once, in the header: the mobile drawer
  // gets a copy before the design system starts it (and listens to the drawer's links).
  function kopier(fra, til) {
    var kilde = document.querySelector(fra);
    var maal = document.querySelector(til);
    if (kilde && maal && !maal.firstElementChild) {
      Array.prototype.forEach.call(kilde.children, function (el) {
        maal.appendChild(el.cloneNode(true));
      });
    }
  }
  kopier(".navigation-menu .mainmenu", ".navigation-menu-mobile .mainmenu");
  kopier(".portal-info .portal-user", ".portal-info-mobile");
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
