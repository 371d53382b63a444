// Runs before FullCalendar. FullCalendar puts its styles, rule by rule, into the stylesheet of a
// <style data-fullcalendar> element it finds or makes. Under the pages' CSP (default-src 'self') a
// browser gives a script-made <style> no stylesheet at all, and FullCalendar fails while loading.
// A constructed stylesheet (document.adoptedStyleSheets) is CSSOM, which the CSP allows: the element
// FullCalendar finds hands it one. Browsers without constructed stylesheets keep the plain list.
(function () {
  "use strict";
  if (!("adoptedStyleSheets" in Document.prototype) || typeof CSSStyleSheet !== "function") {
    return;
  }
  var sheet;
  try {
    sheet = new CSSStyleSheet();
  } catch (e) {
    return;
  }
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat([sheet]);
  var el = document.createElement("style");
  el.setAttribute("data-fullcalendar", "");
  Object.defineProperty(el, "sheet", { value: sheet });
  document.head.appendChild(el);
})();
