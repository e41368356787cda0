// Render every math element of the page with the KaTeX inlined before this script.
// The text of a math element is LaTeX that derive has read; should KaTeX still refuse it
// (a parse error, an unknown or untrusted command), the element gets the class
// math-error and shows the formula in KaTeX's error style (throwOnError: false).
// \color, the erratum's highlight, is drawn: trust guards only commands that link,
// load or write HTML, and the report lets no \color through but its own mark.
(function () {
  "use strict";
  var refused = false;
  function refuse() {      // KaTeX draws an untrusted command in red, without throwing
    refused = true;
    return false;
  }
  function options(display, throwOnError) {
    return {
      displayMode: display,
      throwOnError: throwOnError,
      trust: refuse,       // no \href, \url, \includegraphics, \htmlClass...
      maxExpand: 1000,     // macro expansions per formula
      maxSize: 20,         // em, for any \rule or \kern
      strict: "ignore",
      output: "htmlAndMathml"
    };
  }
  var elements = document.querySelectorAll(".math");
  for (var i = 0; i < elements.length; i++) {
    var element = elements[i];
    var latex = element.textContent;
    var display = element.classList.contains("display");
    var failed = false;
    refused = false;
    try {
      katex.render(latex, element, options(display, true));
    } catch (error) {      // shown as KaTeX shows what it cannot read, and marked
      failed = true;
      try {
        katex.render(latex, element, options(display, false));
      } catch (again) {
        element.textContent = latex;
      }
    }
    if (failed || refused || !element.querySelector(".katex")) {
      element.classList.add("math-error");
    }
  }
  document.documentElement.classList.add("math-rendered");
})();
