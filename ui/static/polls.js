// Parvis date polls: the form's "add a date" button copies the last date row, empty. Without
// JavaScript the form offers five rows, which covers most meetings.
(function () {
  "use strict";
  var add = document.getElementById("slot-add");
  var rows = document.getElementById("slot-rows");
  if (!add || !rows) return;
  add.hidden = false;
  add.addEventListener("click", function () {
    var last = rows.lastElementChild;
    var row = last.cloneNode(true);
    Array.from(row.querySelectorAll("input")).forEach(function (i) {
      i.value = i.name === "slot_start" || i.name === "slot_end" ? (last.querySelector("[name=" + i.name + "]").value || "") : "";
    });
    rows.appendChild(row);
    row.querySelector("input").focus();
  });
})();
