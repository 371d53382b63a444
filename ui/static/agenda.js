// The agenda page's month, week and list views (FullCalendar, vendored). Without scripts the page
// lists the coming events on its own; this only adds the calendar above the list.
(function () {
  "use strict";
  var el = document.getElementById("calendar");
  if (!el || typeof FullCalendar === "undefined") {
    return;
  }
  var narrow = window.matchMedia("(max-width: 40rem)").matches;
  var cal = new FullCalendar.Calendar(el, {
    locale: el.dataset.lang === "fr" ? "fr" : "en",
    // A named zone without a time-zone plugin: the server sends wall-clock times in the agenda's
    // zone and FullCalendar shows them as they are (see ui/agenda_page.go).
    timeZone: el.dataset.tz,
    initialView: narrow ? "listMonth" : "dayGridMonth",
    // The icon font is a data: URL, which the page's CSP refuses: text buttons instead.
    buttonIcons: false,
    headerToolbar: { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,listMonth" },
    // The page's words, not FullCalendar's English defaults ("prev", "next", "today").
    buttonText: { month: el.dataset.msgMonth, week: el.dataset.msgWeek, list: el.dataset.msgList,
      prev: el.dataset.msgPrev, next: el.dataset.msgNext, today: el.dataset.msgToday },
    firstDay: 1,
    height: "auto",
    nowIndicator: true,
    events: { url: el.dataset.events, failure: function () { showError(el.dataset.msgError); } }
  });
  cal.render();

  function showError(msg) {
    var p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = msg;
    el.parentNode.insertBefore(p, el);
  }
})();
