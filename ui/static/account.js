// Account pages: copy buttons. Without this script the text stays selectable and the buttons hidden.
"use strict";
document.querySelectorAll("button.copy[data-copy]").forEach(function (btn) {
  var source = document.getElementById(btn.dataset.copy);
  if (!source || !navigator.clipboard) {
    return;
  }
  var label = btn.textContent;
  btn.hidden = false;
  btn.addEventListener("click", function () {
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      btn.textContent = "✓ " + label;
      setTimeout(function () { btn.textContent = label; }, 2000);
    });
  });
});
