// The calendar page: a "Kopiér adressen" button beside the read-only address (progressive enhancement:
// without JavaScript, or without the clipboard API, the button stays hidden and the field is selectable).
(function () {
  "use strict";
  document.querySelectorAll("[data-kopier]").forEach(function (knap) {
    var felt = document.getElementById(knap.dataset.kopier);
    var status = knap.parentNode.querySelector(".kopier-status");
    if (!felt || !navigator.clipboard) {
      return;
    }
    knap.hidden = false;
    knap.addEventListener("click", function () {
      navigator.clipboard.writeText(felt.value).then(function () {
        if (status) {
          status.textContent = "Adressen er kopieret.";
        }
      }, function () {
        felt.select();
        if (status) {
          status.textContent = "Kopiér adressen med Ctrl+C (Cmd+C på Mac).";
        }
      });
    });
  });
  document.querySelectorAll("input.kalender-adresse").forEach(function (felt) {
    felt.addEventListener("focus", function () {
      felt.select();
    });
  });
})();
