// Progressive enhancement of the comment form (templates/aftaler/arbejde/_kommentarer.html): selecting a
// passage in the agreement's text fills the form's quote. Without JavaScript the quote is pasted by hand.
(function () {
  "use strict";

  function init() {
    var felt = document.querySelector("[data-kommentar-citat]");
    var tekst = document.querySelector(".aftaletekst");
    if (!felt || !tekst) {
      return;
    }
    var status = document.getElementById("kommentar-citat-status");

    function udfyld() {
      var valg = window.getSelection();
      if (!valg || valg.isCollapsed || valg.rangeCount === 0) {
        return;
      }
      var omraade = valg.getRangeAt(0);
      if (!tekst.contains(omraade.startContainer) || !tekst.contains(omraade.endContainer)) {
        return;
      }
      var citat = valg.toString().replace(/\s+/g, " ").trim();
      if (!citat) {
        return;
      }
      felt.value = citat;
      if (status) {
        status.textContent = "Feltet »Citat fra teksten« er udfyldt med den markerede tekst.";
      }
    }

    tekst.addEventListener("mouseup", udfyld);
    tekst.addEventListener("keyup", udfyld);
    tekst.addEventListener("touchend", udfyld);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
