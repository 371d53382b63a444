// The drop link's page: the form sends its files as before, but through XMLHttpRequest, so that a
// progress bar says how much has gone; the server's answer (thanks, or what was refused and why)
// then replaces the form. Without JavaScript the form posts as a plain form.
(function () {
  "use strict";
  var form = document.getElementById("drop-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var box = document.getElementById("drop-progress");
  var bar = box.querySelector("progress"), said = box.querySelector("span");
  function size(n) {
    var units = form.dataset.units.split(" "), i = 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : String(n)).replace(".", form.dataset.decimal) + "\u00a0" + units[i];
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.onprogress = function (p) {
      if (!p.lengthComputable) return;
      bar.value = Math.round(100 * p.loaded / p.total);
      said.textContent = bar.value + "\u00a0% — " + size(p.loaded) + " / " + size(p.total);
    };
    xhr.onload = function () {
      var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var answer = page.querySelector("main");
      if (answer) document.querySelector("main").replaceWith(answer);
    };
    xhr.onerror = function () {
      box.hidden = false;
      said.textContent = form.dataset.msgFailed;
      form.querySelector("button").disabled = false;
    };
    box.hidden = false;
    form.querySelector("button").disabled = true;
    xhr.send(new FormData(form));
  });
})();
