// Parvis group pages: forms marked data-confirm (removing a link, a person) ask first. Without
// JavaScript they submit at once, which stays usable.
(function () {
  "use strict";
  Array.from(document.querySelectorAll("form[data-confirm]")).forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!confirm(f.dataset.confirm)) e.preventDefault();
    });
  });
})();
