// Render every math element of the page with the KaTeX inlined before this script.
// The text of a math element is LaTeX that derive has read; KaTeX may still refuse it:
// then the element shows the LaTeX in KaTeX's error style and gets the class math-error.
(function () {
  "use strict";
  var options = {
    throwOnError: false,   // a formula KaTeX cannot read is shown, marked, not thrown
    trust: false,          // no \href, \url, \includegraphics, \htmlClass...
    maxExpand: 1000,       // macro expansions per formula
    maxSize: 20,           // em, for any \rule or \kern
    strict: "ignore",
    output: "htmlAndMathml"
  };
  var elements = document.querySelectorAll(".math");
  for (var i = 0; i < elements.length; i++) {
    var element = elements[i];
    var latex = element.textContent;
    options.displayMode = element.classList.contains("display");
    try {
      katex.render(latex, element, options);
    } catch (error) {
      element.textContent = latex;
    }
    if (!element.querySelector(".katex") || element.querySelector(".katex-error")) {
      element.classList.add("math-error");
    }
  }
  document.documentElement.classList.add("math-rendered");
})();
